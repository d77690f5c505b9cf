/* playback.h - a recording shown again, as a run (run.h).
 *
 * Model layer. The run recorded in a file (--record, record.h) is played
 * back running nothing: no process, no namespace, no capture. Its lesson is
 * the one the recording carries (run_lesson). It reads as the recorded run
 * did at each moment: run_start and run_restart go to the first moment,
 * run_step to the next one (returning the actor its step ran, 0 for a
 * moment that was no step: a call that returned by itself), run_next says
 * what the run's scheduler said, and run_goto(n) shows the last moment
 * with n steps done; waiting, reaping and stopping do nothing. */
#ifndef SOCKSTEP_PLAYBACK_H
#define SOCKSTEP_PLAYBACK_H

#include <stddef.h>

#include "model/run.h"

/* Returns NULL with "path:line: message" in err for a file that is not a
 * recording, is broken, or was made by a newer sockstep. */
Run *playback_open(const char *path, char *err, size_t errlen);

#endif
