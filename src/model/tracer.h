/* tracer.h - a student's own program as an actor: traced, stopped at every
 * socket call (sockstep run).
 *
 * Model layer, child side. In the actor process the engine forked, tracer_run
 * starts the command (sh -c) on a pseudo-terminal, under a seccomp filter
 * that stops only the socket calls (and read, write, readv, writev, close,
 * sendfile, splice, which it checks are on a socket), and traces it and
 * every process and thread it makes with ptrace. Each call becomes the
 * same gate records a lesson actor sends, with the task (thread id) that
 * makes it; the engine gives each task its own column. Everything else the program does runs at full speed. It never
 * returns: it exits as the program did. */
#ifndef SOCKSTEP_TRACER_H
#define SOCKSTEP_TRACER_H

/* free_run: report calls and results without waiting for a go. */
_Noreturn void tracer_run(const char *command, int gate, int free_run);

/* Whether traced task tid sleeps in the kernel outside any stop of ours (in
 * wait4 for a child, in sleep(), on a lock): it will not reach its next
 * socket call by itself soon. Read in the parent, from /proc/TID/stat. */
int tracer_asleep(int tid);

#endif
