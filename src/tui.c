/* tui.c - the interactive screen: controller and event loop (see tui.h).
 *
 * Application layer. Two modes: the lesson menu (views/picker.h), and a
 * lesson being stepped (views/screen.h). Opening a lesson loads it and
 * starts its engine; leaving it (m, n for the next one, q) stops every actor
 * and records it in the progress file if it was finished. A question on a
 * step is asked before that step's call first runs, and the verdict is
 * counted once the call has really returned (model/answers.h keeps the
 * answers and the score, views/quiz.h shows them). Going back (b,
 * g) asks the engine to run the lesson again to an earlier step
 * (run_goto); the predictions made stay made. Breakpoints (x, X) stop
 * autoplay and c before a step runs. Presenter mode (p, --present) turns
 * the clicker's keys into next and back.
 * One poll() waits on the terminal, the actors' gates and
 * a self-pipe that the signal handlers write to; it has a timeout only while
 * an arrow is moving, a socket row is highlighted or autoplay is on, so an
 * idle sockstep uses no CPU.
 * Keys become engine actions here and nowhere else; the views only read the
 * engine, and the backend only draws. Which key runs which command is the
 * key table's (views/keys.h), which also makes the key bar and the help;
 * here each command has its handler, of one form. Signal handlers set flags and wake
 * the loop (fatal ones restore the terminal and re-raise); the terminal is
 * also restored from atexit, once, whichever way sockstep leaves. */
#include "tui.h"

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <langinfo.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "model/answers.h"
#include "model/catalog.h"
#include "model/playback.h"
#include "model/progress.h"
#include "model/utf8.h"
#include "ui/cast.h"
#include "ui/plain.h"
#include "ui/ui.h"
#include "views/codegen.h"
#include "views/flow.h"
#include "views/frame.h"
#include "views/keys.h"
#include "views/narration.h"
#include "views/picker.h"
#include "views/quiz.h"
#include "views/screen.h"
#include "views/theme.h"

/* An arrow crosses in ANIM_CROSS_MS, in one frame per ANIM_CELLS columns
 * of the terminal (at least ANIM_MIN_FRAMES): each frame costs some 50
 * bytes of escapes however few cells it moves, so an 80-column arrow
 * moves in four strides, and a wide terminal's longer one in more. */
enum { ANIM_CROSS_MS = 260, ANIM_CELLS = 20, ANIM_MIN_FRAMES = 4, ANIM_MAX_FRAMES = 8, EDIT_MAX = 512 };

/* A space pressed this soon after the lesson ended was meant for its last
 * step, not for the next lesson: the student first sees the end. */
enum { END_PAUSE_MS = 1000 };

/* Autoplay delay between steps at each speed, slowest first. */
static const int autoplay_ms[] = { 3000, 2000, 1200, 700, 400, 150 };
enum { SPEEDS = (int)(sizeof autoplay_ms / sizeof autoplay_ms[0]) };

enum { GOTO_DIGITS = 6 };

/* What a key handler did, for the loop to act on (htop style). Ignored:
 * the key is not this mode's (or not now), and the next mode's table
 * gets it (on_key). */
typedef enum { ACT_NONE, ACT_REDRAW, ACT_QUIT, ACT_IGNORED } Action;

typedef enum { MODE_MENU, MODE_LESSON } Mode;

typedef struct {
	const TuiOptions *opt;
	const Ui *ui;
	Frame *frame;
	Mode mode;
	/* The lesson (MODE_LESSON): the TUI loads it and owns its engine. */
	const Lesson *lesson;
	Lesson *own_lesson;     /* the lesson the TUI loaded and frees; a recording
	                           carries its own */
	Run *e;
	ScreenState s;
	Code *code[LESSON_MAX_ACTORS];   /* the code pane's programs, while it shows */
	char next_path[4096];   /* the lesson after this one in the menu, "" none */
	char next_label[96];    /* "03 chat" */
	int recorded;           /* this run is in the progress file */
	long ended_at;          /* when the run was seen to end (ms), 0 still going */
	/* The predictions made in this run and their score: going back over
	 * a step and on again, its question is not asked again, and the
	 * score has it already. */
	Answers answers;
	int quiz_paused_auto;   /* the open question stopped autoplay */
	int fast;               /* autoplay without delay: running to a breakpoint (c) */
	char goto_prompt[64];   /* g: "go to step (0-14): " */
	char recorded_as[128];  /* the lesson --record holds, "" before the first */
	char output_error[400]; /* a file a run wrote is not whole: said at the end */
	char goto_text[GOTO_DIGITS + 1];
	/* The menu (MODE_MENU). */
	CatalogEntry *menu;
	int nmenu;
	Progress progress;
	int menu_sel;
	char edit[EDIT_MAX];
	size_t edit_len;
	char status[1024];
	int status_keep;        /* the status message survives one more key */
	/* The moment a hint was said at (steps done, and whether the run
	 * was over or waited for a timer): once the run is at another, a
	 * hint no longer describes it and goes (an error stays). */
	int said_steps, said_finished, said_waiting;
	int exit_status;
	int dirty;              /* the screen needs drawing */
	int model_dirty;        /* the engine changed: ask who runs next, look for arrows */
	size_t seen;            /* timeline events already looked at for arrows */
	long next_anim, next_auto;
	int anim_ms;          /* between two frames of the arrows' animation */
	long next_fade;         /* a highlight on screen ends then (ms); 0: none shows */
} Tui;

static volatile sig_atomic_t got_int, got_term, got_hup, got_chld, got_winch;
static int wake[2] = { -1, -1 };
static const Ui *live_ui;   /* what the atexit and fatal-signal paths restore */

static const int quit_signals[] = { SIGINT, SIGTERM, SIGHUP, SIGCHLD, SIGWINCH };
static const int fatal_signals[] = { SIGSEGV, SIGABRT, SIGBUS, SIGFPE, SIGILL, SIGQUIT };
enum { NQUIT = sizeof quit_signals / sizeof quit_signals[0], NFATAL = sizeof fatal_signals / sizeof fatal_signals[0] };
static struct sigaction old_quit[NQUIT], old_fatal[NFATAL];

static long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* The timeline's clock: its events carry this time. */
static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* ---- signals ---------------------------------------------------------- */

static void on_signal(int sig)
{
	int saved = errno;
	switch (sig) {
	case SIGINT: got_int = 1; break;
	case SIGTERM: got_term = 1; break;
	case SIGHUP: got_hup = 1; break;
	case SIGCHLD: got_chld = 1; break;
	case SIGWINCH: got_winch = 1; break;
	default: break;
	}
	if (wake[1] >= 0) {
		ssize_t w = write(wake[1], "s", 1);
		(void)w;   /* a full pipe already holds a wake-up */
	}
	errno = saved;
}

/* A crash: give the terminal back, then die of the same signal, so the
 * shell says which (sockstep is not dumpable, main.c: no core file). The
 * actors die with us through PR_SET_PDEATHSIG. */
static void on_fatal(int sig)
{
	if (live_ui)
		live_ui->panic();
	signal(sig, SIG_DFL);
	raise(sig);
}

static void restore_at_exit(void)
{
	if (live_ui)
		live_ui->end();
}

static int signals_start(void)
{
	if (pipe2(wake, O_CLOEXEC | O_NONBLOCK) < 0)
		return -1;
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_signal;
	sa.sa_flags = SA_RESTART;
	for (int i = 0; i < NQUIT; i++)
		sigaction(quit_signals[i], &sa, &old_quit[i]);
	sa.sa_handler = on_fatal;
	sa.sa_flags = 0;
	for (int i = 0; i < NFATAL; i++)
		sigaction(fatal_signals[i], &sa, &old_fatal[i]);
	return 0;
}

static void signals_stop(void)
{
	for (int i = 0; i < NQUIT; i++)
		sigaction(quit_signals[i], &old_quit[i], NULL);
	for (int i = 0; i < NFATAL; i++)
		sigaction(fatal_signals[i], &old_fatal[i], NULL);
	for (int i = 0; i < 2; i++) {
		if (wake[i] >= 0)
			close(wake[i]);
		wake[i] = -1;
	}
}

static void drain_wake(void)
{
	char buf[64];
	while (read(wake[0], buf, sizeof buf) > 0)
		;
}

/* Act on the flags the handlers set. Returns 1 when sockstep should quit. */
static int take_signals(Tui *t)
{
	if (got_chld) {
		got_chld = 0;
		if (t->e) {
			run_reap(t->e);
			t->model_dirty = 1;
		}
		t->dirty = 1;
	}
	if (got_winch) {
		got_winch = 0;
		t->ui->resize();
		t->dirty = 1;
	}
	if (got_int || got_term || got_hup) {
		t->exit_status = got_hup ? 129 : got_term ? 143 : 130;
		return 1;
	}
	return 0;
}

/* ---- status and model --------------------------------------------------- */

/* The moment the run is at, as a hint sees it (said_steps ...). */
static void moment_of(const Tui *t, int *steps, int *finished, int *waiting)
{
	*steps = t->e ? run_steps_done(t->e) : 0;
	*finished = t->e ? run_finished(t->e) : 0;
	*waiting = t->e ? run_waiting(t->e) >= 0 : 0;
}

static void say(Tui *t, int error, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void say(Tui *t, int error, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(t->status, sizeof t->status, fmt, ap);
	va_end(ap);
	t->s.status = t->status;
	t->s.status_error = error;
	t->status_keep = 1;
	t->dirty = 1;
	moment_of(t, &t->said_steps, &t->said_finished, &t->said_waiting);
}

/* A hint said at another moment than the run is at now is stale: "step 5
 * of 14" after a step, "first your prediction" once it is given, "the
 * lesson is stuck" once a call returned. An error stays until a key. */
static void drop_stale_hint(Tui *t)
{
	int steps, finished, waiting;
	if (!t->s.status || t->s.status_error)
		return;
	moment_of(t, &steps, &finished, &waiting);
	if (steps == t->said_steps && finished == t->said_finished && waiting == t->said_waiting)
		return;
	t->s.status = NULL;
	t->status_keep = 0;
}

static void unsay(Tui *t)
{
	if (t->status_keep) {
		t->status_keep = 0;
		return;
	}
	t->s.status = NULL;
}

/* ---- questions and progress ----------------------------------------------- */

/* Count the answers whose calls have come back (or whose actor died in
 * them): the run decides, so a verdict waits for it. An answer the lesson's
 * own answer contradicts does not count. The screen shows the model's score. */
static void settle_answers(Tui *t)
{
	Answers before = t->answers;
	answers_settle(&t->answers, t->lesson, run_timeline(t->e));
	t->s.score = t->answers.score;
	t->s.asked = t->answers.asked;
	/* A call that blocked comes back steps later (client3's connect, once
	 * the queue has room): the question shown now is another one, or none.
	 * Its verdict shows then, as any verdict does, unless a question is
	 * open; the score counts it either way. */
	ScreenQuiz *q = &t->s.quiz;
	for (int i = 0; i < before.n; i++) {
		const Answer *an = &t->answers.given[i];
		if (before.given[i].state != ANSWER_PENDING || an->state == ANSWER_PENDING)
			continue;
		if (q->open || (q->actor == an->actor && q->step == an->step))
			continue;
		*q = (ScreenQuiz){ .actor = an->actor, .step = an->step, .choice = an->choice };
		t->dirty = 1;
	}
}

/* A lesson every actor ran to its end goes into the progress file, once
 * per run, with the score of that run (the file keeps the best). */
static void record_finished(Tui *t)
{
	char err[512];
	if (!t->e || !run_counts(t->e) || t->recorded || !run_finished(t->e) || !run_succeeded(t->e) ||
	    !t->lesson->name)
		return;
	settle_answers(t);
	t->recorded = 1;
	if (progress_finish(t->lesson->name, t->s.score, t->s.asked, err, sizeof err) < 0)
		say(t, 1, "could not save your progress: %s", err);
}

/* The engine changed: who runs next, and is there an arrow to animate? */
static void refresh_model(Tui *t)
{
	run_show(t->e);
	t->model_dirty = 0;
	t->dirty = 1;
	settle_answers(t);
	record_finished(t);
	drop_stale_hint(t);
	/* Every actor blocked also counts as finished (stuck) for as long as
	 * it lasts: the end is only the end once it stays. */
	if (!run_finished(t->e))
		t->ended_at = 0;
	else if (!t->ended_at)
		t->ended_at = now_ms();
	t->s.next = run_finished(t->e) ? -1 : run_next(t->e);
	t->s.next_answered = t->s.next >= 0 && answers_at(&t->answers, t->s.next, run_actor(t->e, t->s.next)->step);
	int arrows = 0;
	uint64_t seq = flow_arrow_since(t->e, t->seen, &arrows);
	t->seen = timeline_count(run_timeline(t->e));
	if (seq && !t->fast) {
		/* The arrows travel one after another; many of them (a close
		 * that ends several connections) go faster, so that the whole
		 * run stays under a second or so. */
		int frames = t->frame->w / ANIM_CELLS;
		frames = frames < ANIM_MIN_FRAMES ? ANIM_MIN_FRAMES : frames > ANIM_MAX_FRAMES ? ANIM_MAX_FRAMES : frames;
		int each = arrows <= 3 ? frames : 3 * frames / arrows;
		t->anim_ms = ANIM_CROSS_MS / frames;
		t->s.anim_seq = seq;
		t->s.anim_pos = 0;
		t->s.anim_len = arrows * (each < 3 ? 3 : each);
		t->next_anim = now_ms() + t->anim_ms;
	}
	if (t->s.autoplay && run_finished(t->e)) {
		/* The status line now says the lesson is over, not the speed;
		 * but an error (the progress not saved) stays. */
		t->s.autoplay = t->fast = 0;
		if (!t->s.status_error)
			t->s.status = NULL;
	}
	/* Whatever the editor was typing for, it cannot take a line any more. */
	if (t->s.editing && run_actor(t->e, t->s.edit_actor)->state != ACTOR_INPUT)
		t->s.editing = 0;
}

static void render_menu(Tui *t)
{
	PickerState p = {
		.lessons = t->menu, .n = t->nmenu, .progress = &t->progress, .selected = t->menu_sel,
		.unicode = t->s.unicode, .status = t->s.status, .status_error = t->s.status_error,
	};
	picker_render(&p, t->frame);
	t->ui->draw(t->frame);
	t->dirty = 0;
	t->next_fade = 0;
}

static void render(Tui *t)
{
	int w, h;
	t->ui->size(&w, &h);
	if ((w != t->frame->w || h != t->frame->h) && frame_resize(t->frame, w, h) < 0)
		return;
	if (t->mode == MODE_MENU) {
		render_menu(t);
		return;
	}
	int max = screen_byte_scroll_max(t->e, w, h);
	if (t->s.byte_scroll > max)
		t->s.byte_scroll = max;
	max = screen_help_scroll_max(w, h);
	if (t->s.help_scroll > max)
		t->s.help_scroll = max;
	t->s.now_ns = now_ns();
	screen_render(t->e, &t->s, t->frame);
	t->ui->draw(t->frame);
	t->dirty = 0;
	/* Wake up when a highlight ends, and not before: no polling. */
	uint64_t due = screen_due(t->e, t->s.now_ns);
	t->next_fade = due ? (long)(due / 1000000u) + 1 : 0;
}

/* ---- stepping ------------------------------------------------------------ */

static void open_editor(Tui *t, int actor)
{
	t->s.editing = 1;
	t->s.edit_actor = actor;
	t->edit_len = 0;
	t->edit[0] = '\0';
	t->s.edit_text = t->edit;
}

/* Why actor a cannot be stepped, as a status message. */
static void cannot_step(Tui *t, int a)
{
	char state[128];
	const RunActor *ea = run_actor(t->e, a);
	flow_actor_state(t->e, a, state, sizeof state);
	if (run_timed(t->e, a) != RUN_UNTIMED)
		say(t, 0, "%s is %s: it returns by itself when its time is up", ea->name, state);
	else if (ea->state == ACTOR_BLOCKED)
		say(t, 0, "%s is %s: step another actor to wake it", ea->name, state);
	else
		say(t, 0, "%s is %s: nothing to step", ea->name, state);
}

/* Ask the question on actor a's step before its call runs. Autoplay
 * stops for it: the student answers in their own time. */
static void ask(Tui *t, int a)
{
	t->s.quiz = (ScreenQuiz){ .actor = a, .step = run_actor(t->e, a)->step, .open = 1, .choice = -1 };
	t->quiz_paused_auto = t->s.autoplay;
	t->s.autoplay = 0;
	t->s.status = NULL;
	t->dirty = 1;
}

/* The student's prediction: record it in the model, then let the call run
 * for real. A step answered before (a replay asks again after going back)
 * shows the new pick's verdict, but the model keeps the first answer: the
 * score counts a question once. */
static Action answer(Tui *t, int choice)
{
	ScreenQuiz *q = &t->s.quiz;
	const LessonQuestion *lq = quiz_question(t->lesson, q->actor, q->step);
	const RunActor *ea = run_actor(t->e, q->actor);
	int given = answers_give(&t->answers, t->lesson, q->actor, q->step, choice);
	if (given == ANSWERS_NO_CHOICE) {
		say(t, 0, "there %s only %d choice%s", lq && lq->nchoices == 1 ? "is" : "are", lq ? lq->nchoices : 0,
		    lq && lq->nchoices == 1 ? "" : "s");
		return ACT_REDRAW;
	}
	q->open = 0;
	q->choice = choice;
	if (ea->state != ACTOR_READY || ea->step != q->step || run_step(t->e, q->actor, NULL) < 0) {
		if (given == ANSWERS_GIVEN)
			answers_void(&t->answers, q->actor, q->step);
		q->actor = -1;
		say(t, 1, "%s cannot run that call any more", ea->name);
	}
	if (t->quiz_paused_auto)
		say(t, 0, "autoplay stopped for the question: a starts it again");
	t->quiz_paused_auto = 0;
	t->model_dirty = 1;
	return ACT_REDRAW;
}

/* A verdict stays on screen until the student moves on after the call
 * has come back. */
static void drop_verdict(Tui *t)
{
	ScreenQuiz *q = &t->s.quiz;
	if (q->open || q->actor < 0 || answers_pending(&t->answers, q->actor, q->step))
		return;
	q->actor = -1;
	q->choice = -1;
}

/* Is actor a's question to be asked before its step runs? One answered
 * earlier in this run is not: its verdict shows again once the call has
 * run, the same prediction beside the same result. */
static int question_first(Tui *t, int a)
{
	if (!quiz_due(t->e, a))
		return 0;
	const RunActor *ea = run_actor(t->e, a);
	if (answers_owed(&t->answers, t->lesson, run_timeline(t->e), a, ea->step))
		return 1;
	const Answer *an = answers_at(&t->answers, a, ea->step);
	assert(an);   /* due and not owed: answered */
	t->s.quiz = (ScreenQuiz){ .actor = a, .step = ea->step, .choice = an->choice };
	return 0;
}

/* Autoplay (or f) reached a breakpoint: it stops before the call runs. */
static void stop_at_break(Tui *t, int a)
{
	char what[512];
	narration_next(t->e, a, what, sizeof what);
	t->s.autoplay = 0;
	t->fast = 0;
	say(t, 0, "breakpoint before %s: space runs it, c goes on", what);
}

/* A run the student does not steer (a recording) goes on to its own next
 * moment: the question first, as in the run, then the moment. */
static Action forward(Tui *t)
{
	const char *end = run_end_text(t->e);
	if (end) {
		say(t, 0, "%s", end);
		return ACT_REDRAW;
	}
	int a = run_next(t->e);
	drop_verdict(t);
	if (a >= 0 && question_first(t, a)) {
		ask(t, a);
		return ACT_REDRAW;
	}
	run_step(t->e, -1, NULL);
	t->model_dirty = 1;
	return ACT_REDRAW;
}

/* Step actor a (-1: whoever the scheduler picks). By hand, an input step
 * opens the line editor instead, and a question is asked first. */
static Action step(Tui *t, int a)
{
	if (run_finished(t->e)) {
		const char *over = run_traced(t->e, 0) ? "your programs ended: r runs them again"
							  : "the lesson is over: r restarts it, m opens the menu";
		say(t, 0, "%s", run_succeeded(t->e) ? over : "the lesson is stuck: r restarts it, m opens the menu");
		return ACT_REDRAW;
	}
	if (a < 0)
		a = run_next(t->e);
	char waits[1024];
	if (a < 0 && narration_waiting(t->e, waits, sizeof waits)) {
		say(t, 0, "%s", waits);
		return ACT_REDRAW;
	}
	if (a < 0) {
		say(t, 0, "no actor can run yet: waiting for a call to return");
		return ACT_REDRAW;
	}
	const RunActor *ea = run_actor(t->e, a);
	if (ea->state == ACTOR_INPUT) {
		drop_verdict(t);
		open_editor(t, a);
		return ACT_REDRAW;
	}
	if (ea->state != ACTOR_READY) {
		cannot_step(t, a);
		return ACT_REDRAW;
	}
	drop_verdict(t);
	if (question_first(t, a)) {
		ask(t, a);
		return ACT_REDRAW;
	}
	if (run_step(t->e, a, NULL) < 0)
		say(t, 1, "could not step %s", ea->name);
	t->model_dirty = 1;
	return ACT_REDRAW;
}

static void autoplay_step(Tui *t)
{
	if (run_finished(t->e)) {
		t->s.autoplay = t->fast = 0;
		t->dirty = 1;
		return;
	}
	/* The same rule as "next step"; an input step takes the lesson's
	 * example; a breakpoint or a question stops autoplay before its
	 * call runs. */
	int a = run_next(t->e);
	if (a >= 0 && breaks_stop(&t->s.breaks, t->e, a)) {
		stop_at_break(t, a);
		return;
	}
	if (a >= 0)
		drop_verdict(t);
	if (a >= 0 && question_first(t, a)) {
		t->fast = 0;
		ask(t, a);
		return;
	}
	/* A recording's next moment may be no step (a call that returned by
	 * itself), which only its own "next" reaches. */
	if ((a >= 0 || !run_steered(t->e)) && run_step(t->e, a, NULL) >= 0) {
		t->model_dirty = 1;
	} else if (run_end_text(t->e)) {
		t->s.autoplay = 0;   /* a recording of a run left unfinished ends here */
		say(t, 0, "%s", run_end_text(t->e));
	}
}

/* What a fresh run starts from: no question, no score, not recorded. */
static void reset_run(Tui *t)
{
	t->s.editing = 0;
	t->s.byte_scroll = 0;
	t->s.packet_scroll = 0;
	t->s.anim_seq = 0;
	t->s.quiz = (ScreenQuiz){ .actor = -1, .step = -1, .choice = -1 };
	answers_reset(&t->answers);
	t->s.score = t->s.asked = 0;
	t->fast = 0;
	breaks_unstop(&t->s.breaks);
	t->s.prompt = NULL;
	t->quiz_paused_auto = 0;
	t->recorded = 0;
	t->ended_at = 0;
	t->seen = 0;
}

static void restart(Tui *t)
{
	char err[256];
	record_finished(t);
	reset_run(t);
	if (run_restart(t->e, err, sizeof err) < 0)
		say(t, 1, "restart failed: %s", err);
	else
		say(t, 0, "restarted: space runs the first call");
	t->model_dirty = 1;
	t->next_auto = now_ms() + autoplay_ms[t->s.speed - 1];
}

/* ---- going back and breakpoints ------------------------------------------ */

/* Go to step n of this run (b, g; PgUp in presenter mode). Back, the
 * engine runs the lesson again from its start up to there; forward, it
 * runs the steps the run had taken. No arrow travels: the screen is as
 * it was then. Questions answered on the way are not asked again. */
static Action go_to(Tui *t, int n)
{
	char err[256];
	int reached = run_steps_reached(t->e), at = run_steps_done(t->e);
	if (n < 0) {
		say(t, 0, "this is the start: there is no step before it");
		return ACT_REDRAW;
	}
	if (n > run_last_step(t->e)) {   /* a recording may go on past what it has shown */
		say(t, 0, "this run has gone as far as step %d", run_last_step(t->e));
		return ACT_REDRAW;
	}
	if (n == at) {
		say(t, 0, "this is step %d", n);
		return ACT_REDRAW;
	}
	t->s.autoplay = t->fast = 0;
	t->s.editing = 0;
	t->s.quiz = (ScreenQuiz){ .actor = -1, .step = -1, .choice = -1 };
	t->quiz_paused_auto = 0;
	breaks_unstop(&t->s.breaks);
	/* Going back starts the actors afresh: say so while it runs. */
	say(t, 0, "%s step %d ...", n < at ? "going back to" : "going on to", n);
	render(t);
	if (run_goto(t->e, n, err, sizeof err) < 0)
		say(t, 1, "could not go to step %d: %s", n, err);
	else if (n < reached)
		say(t, 0, "step %d of %d: space goes on from here, g %d jumps to the furthest", n, reached, reached);
	else
		say(t, 0, "step %d, the furthest this run has gone", n);
	t->seen = timeline_count(run_timeline(t->e));
	t->s.anim_seq = 0;
	t->s.byte_scroll = 0;
	t->s.packet_scroll = 0;
	t->ended_at = 0;
	t->model_dirty = 1;
	return ACT_REDRAW;
}

/* g: the step number, typed in the status line. */
static Action goto_open(Tui *t)
{
	snprintf(t->goto_prompt, sizeof t->goto_prompt, "go to step (0-%d): ", run_steps_reached(t->e));
	t->goto_text[0] = '\0';
	t->s.prompt = t->goto_prompt;
	t->s.prompt_text = t->goto_text;
	return ACT_REDRAW;
}

/* x: a breakpoint on the picked actor's next step (each time it comes
 * round); X: on every step of that kind, of every actor. A traced program
 * has calls but no steps: only X marks its calls. */
static Action toggle_break(Tui *t, int every)
{
	int a = t->s.selected, op = breaks_next_op(t->e, a);
	const RunActor *ea = run_actor(t->e, a);
	if (op < 0) {
		if (ea)
			cannot_step(t, a);
		return ACT_REDRAW;
	}
	if (!every && !run_lesson_step(t->e, a)) {
		say(t, 0, "%s is a program, not a lesson's steps: X marks every call of a kind", ea->name);
		return ACT_REDRAW;
	}
	char what[512];
	narration_next(t->e, a, what, sizeof what);
	int on = every ? breaks_toggle_op(&t->s.breaks, op) : breaks_toggle_step(&t->s.breaks, a, ea->step);
	if (on < 0)
		say(t, 1, "no room for more breakpoints: clear one with x");
	else if (every)
		say(t, 0, on ? "breakpoint on every %s: a and c stop before each" : "no breakpoint on every %s any more",
		    lesson_op_name((LessonOp)op));
	else
		say(t, 0, on ? "breakpoint on %s: a and c stop before it" : "breakpoint on %s cleared", what);
	return ACT_REDRAW;
}

/* c: continue, without waiting between steps, to the next breakpoint (or
 * question, or the end). */
static Action run_to_break(Tui *t)
{
	if (run_finished(t->e)) {
		say(t, 0, "the lesson is over: r restarts it, b goes back");
		return ACT_REDRAW;
	}
	if (breaks_count(&t->s.breaks) == 0) {
		say(t, 0, "no breakpoint yet: x marks the picked actor's next call, X every call of its kind");
		return ACT_REDRAW;
	}
	/* At a breakpoint already, c is to go on from it: the call the run
	 * stands before is not a stop again. */
	int a = run_next(t->e);
	if (a >= 0)
		breaks_stop(&t->s.breaks, t->e, a);
	t->s.autoplay = t->fast = 1;
	t->next_auto = now_ms();
	say(t, 0, "running to the next breakpoint (a question stops it too; a stops it)");
	return ACT_REDRAW;
}

/* What the screen says while the actors start (it can take a moment). */
/* The lesson's screen, drawn before its network and actors are made, so
 * that the first frame does not wait for them: its title, code and keys
 * are the lesson's, and the title says "starting" until a step can run. */
static void show_starting(Tui *t)
{
	t->s.starting = 1;
	render(t);
	t->s.starting = 0;
}

/* Once, at the start: where the lesson runs when it is not a namespace of
 * its own, and what of the kernel's view is missing (the rest works). */
static void say_network(Tui *t)
{
	char what[512] = "";
	const char *note = run_kernel_note(t->e);
	if (strcmp(run_network(t->e), "private network namespace") != 0)
		snprintf(what, sizeof what, "network: %s", run_network(t->e));
	if (*note) {
		/* capture.c says "no capture: why"; a student reads "packet capture". */
		const char *why = strncmp(note, "no capture: ", 12) == 0 ? note + 12 : NULL;
		size_t n = strlen(what);
		snprintf(what + n, sizeof what - n, "%s%s%s", n ? "; " : "", why ? "no packet capture: " : "",
			 why ? why : note);
	}
	if (*what)
		say(t, 0, "%s", what);
}

/* ---- lessons, the menu and the code pane ---------------------------------- */

/* Do two paths name the same file? (The menu's paths and the one given on
 * the command line may be spelled differently.) */
static int same_file(const char *a, const char *b)
{
	char *ra = realpath(a, NULL), *rb = realpath(b, NULL);
	int same = ra && rb ? strcmp(ra, rb) == 0 : strcmp(a, b) == 0;
	free(ra);
	free(rb);
	return same;
}

/* The lessons and the finished marks, read afresh: a teacher may have
 * added a lesson, and the lesson just left may now be finished. */
static void menu_load(Tui *t)
{
	free(t->menu);
	t->menu = NULL;
	t->nmenu = catalog_list(&t->menu);
	if (t->nmenu < 0)
		t->nmenu = 0;
	progress_free(&t->progress);
	if (progress_load(&t->progress) < 0)
		t->progress = (Progress){ 0 };
}

static int menu_index(const Tui *t, const char *path)
{
	for (int i = 0; path && i < t->nmenu; i++)
		if (same_file(t->menu[i].path, path))
			return i;
	return -1;
}

/* The lesson after this one in the menu, for "n: next lesson". */
static void find_next(Tui *t)
{
	t->next_path[0] = t->next_label[0] = '\0';
	t->s.next_lesson = NULL;
	if (!t->menu)
		menu_load(t);
	int i = menu_index(t, t->lesson->path);
	if (i < 0 || i + 1 >= t->nmenu)
		return;
	const CatalogEntry *c = &t->menu[i + 1];
	snprintf(t->next_path, sizeof t->next_path, "%s", c->path);
	if (c->number >= 0)
		snprintf(t->next_label, sizeof t->next_label, "%02d %s", c->number, c->name);
	else
		snprintf(t->next_label, sizeof t->next_label, "%s", c->name);
	t->s.next_lesson = t->next_label;
}

static void code_free(Tui *t)
{
	for (int i = 0; i < LESSON_MAX_ACTORS; i++) {
		codegen_free(t->code[i]);
		t->code[i] = NULL;
		t->s.code.prog[i] = NULL;
	}
}

/* The programs the code pane shows, in its language; none while it is off. */
static void code_make(Tui *t)
{
	code_free(t);
	if (!t->s.code.on || !t->lesson)
		return;
	for (int i = 0; i < t->lesson->nactors && i < LESSON_MAX_ACTORS; i++)
		t->s.code.prog[i] = t->code[i] = codegen_make(t->lesson, i, t->s.code.lang);
}

/* s: the code pane off, in Python, in C, off again. */
static Action code_key(Tui *t)
{
	if (t->e && run_traced(t->e, 0)) {
		say(t, 0, "no code pane for your own programs: their source is yours, and the flow shows their calls");
		return ACT_REDRAW;
	}
	if (!t->s.code.on) {
		t->s.code.on = 1;
		t->s.code.lang = CODE_PYTHON;
	} else if (t->s.code.lang == CODE_PYTHON) {
		t->s.code.lang = CODE_C;
	} else {
		t->s.code.on = 0;
	}
	code_make(t);
	int w, h;
	t->ui->size(&w, &h);
	if (t->s.code.on)
		say(t, 0, "the programs in %s%s: the marked line is each actor's next call",
		    t->s.code.lang == CODE_C ? "C" : "Python", w < 150 ? ", in the flow's place" : "");
	else
		say(t, 0, "code pane closed");
	return ACT_REDRAW;
}

/* Stop the lesson's actors and let it go, recording it if it was finished. */
static void lesson_close(Tui *t)
{
	if (t->e) {
		record_finished(t);
		run_stop(t->e);   /* stops and reaps every actor: the files are whole or not */
		if (run_output_error(t->e) && !t->output_error[0])
			snprintf(t->output_error, sizeof t->output_error, "%s", run_output_error(t->e));
		run_free(t->e);
		t->e = NULL;
	}
	code_free(t);
	lesson_free(t->own_lesson);
	t->own_lesson = NULL;
	t->lesson = NULL;
	t->s.next_lesson = NULL;
}

/* Start lesson l, which the TUI owns from here on whatever happens.
 * Returns 0, or -1 with the reason in err (the lesson is then closed). */
static int lesson_start(Tui *t, Lesson *l, char *err, size_t cap)
{
	t->lesson = t->own_lesson = l;
	/* --record holds one lesson's run: the first opened (a restart or a
	 * step back runs it again and writes it anew). Another lesson opened
	 * from the menu would overwrite it, so it is not recorded. */
	EngineOptions eo = t->opt->engine;
	const char *name = l->name ? l->name : "";
	int unrecorded = eo.record_path && t->recorded_as[0] && strcmp(t->recorded_as, name) != 0;
	if (unrecorded)
		eo.record_path = NULL;
	else if (eo.record_path)
		snprintf(t->recorded_as, sizeof t->recorded_as, "%s", name[0] ? name : "?");
	t->e = engine_new(l, &eo);
	if (!t->e) {
		snprintf(err, cap, "out of memory");
		lesson_close(t);
		return -1;
	}
	t->mode = MODE_LESSON;
	reset_run(t);
	breaks_clear(&t->s.breaks);   /* they name this lesson's steps; a restart keeps them */
	t->s.help = 0;
	t->s.status = NULL;
	t->s.selected = 0;
	t->s.next = -1;
	t->s.autoplay = t->opt->autoplay;
	code_make(t);
	show_starting(t);
	if (run_start(t->e, err, cap) < 0) {
		lesson_close(t);
		return -1;
	}
	find_next(t);
	say_network(t);
	if (unrecorded)
		say(t, 0, "not recorded: %s holds the run of %s", t->opt->engine.record_path, t->recorded_as);
	t->model_dirty = t->dirty = 1;
	t->next_auto = now_ms() + autoplay_ms[t->s.speed - 1];
	return 0;
}

/* Back to the menu, the lesson just left picked -- or the one after it,
 * when it was just finished. */
static void menu_open(Tui *t)
{
	char *left = t->lesson ? strdup(t->lesson->path) : NULL;
	lesson_close(t);
	int finished = t->recorded;
	t->mode = MODE_MENU;
	t->s.autoplay = t->s.help = t->s.editing = 0;
	t->s.anim_seq = 0;
	t->s.status = NULL;
	menu_load(t);
	int i = menu_index(t, left);
	t->menu_sel = i < 0 ? 0 : i + (finished && i + 1 < t->nmenu);
	free(left);
	t->dirty = 1;
}

/* Open the lesson at path, from the menu or as the next one; when it
 * cannot start, the menu says why. */
static Action open_path(Tui *t, const char *path)
{
	char err[512], *p = strdup(path);   /* path may live in what closing frees */
	lesson_close(t);
	Lesson *l = p ? lesson_load(p, err, sizeof err) : NULL;
	if (!p)
		snprintf(err, sizeof err, "out of memory");
	if (!l || lesson_start(t, l, err, sizeof err) < 0) {
		menu_open(t);
		int i = p ? menu_index(t, p) : -1;
		t->menu_sel = i >= 0 ? i : t->menu_sel;
		say(t, 1, "cannot open that lesson: %s", err);
	}
	free(p);
	return ACT_REDRAW;
}

/* ---- a recording ----------------------------------------------------------- */

/* Show the recorded run e, which the TUI owns from here on. */
static void open_recording(Tui *t, Run *e)
{
	t->e = e;
	t->lesson = run_lesson(e);   /* the recording's: it goes with the run */
	t->mode = MODE_LESSON;
	reset_run(t);
	t->s.help = 0;
	t->s.selected = 0;
	t->s.next = -1;
	t->s.autoplay = t->opt->autoplay;
	t->next_path[0] = t->next_label[0] = '\0';
	t->s.next_lesson = NULL;
	code_make(t);
	say(t, 0, "a recorded run, nothing runs: space forward, b back, g a step");
	t->model_dirty = t->dirty = 1;
	t->next_auto = now_ms() + autoplay_ms[t->s.speed - 1];
}

/* ---- keys ------------------------------------------------------------------ */

/* Which keys do what is the key table's (views/keys.h); here is what each
 * command does. Every handler has one form, and may return ACT_IGNORED to
 * leave the key to the next mode's table. */

/* The scroll keys move the packets when they are the one pane shown. */
/* A pane scrolled by lines from where it was, within 0..max. */
static int scrolled(int at, int by, int max)
{
	at += by;
	return at > max ? (max > 0 ? max : 0) : at < 0 ? 0 : at;
}

static Action scroll_packets(Tui *t, int by, int w, int h)
{
	t->s.packet_scroll = scrolled(t->s.packet_scroll, by, screen_packet_scroll_max(t->e, w, h));
	return ACT_REDRAW;
}

static Action scroll_bytes(Tui *t, int by)
{
	int w, h;
	t->ui->size(&w, &h);
	if (!screen_all_panes(w, h) && t->s.pane == SCREEN_PANE_PACKETS && !t->s.present)
		return scroll_packets(t, by, w, h);   /* a page of the one pane is a page of either */
	/* The keys scroll the bytes: show them if another pane is up. */
	if (!screen_all_panes(w, h))
		t->s.pane = SCREEN_PANE_BYTES;
	t->s.byte_scroll = scrolled(t->s.byte_scroll, by, screen_byte_scroll_max(t->e, w, h));
	return ACT_REDRAW;
}

static Action pick(Tui *t, int by)
{
	int n = run_actor_count(t->e);
	t->s.selected = ((t->s.selected + by) % n + n) % n;
	say(t, 0, "picked %s: enter steps only %s", run_actor(t->e, t->s.selected)->name,
	    run_actor(t->e, t->s.selected)->name);
	return ACT_REDRAW;
}

static Action speed(Tui *t, int by)
{
	int s = t->s.speed + by;
	t->s.speed = s < 1 ? 1 : s > SPEEDS ? SPEEDS : s;
	say(t, 0, "autoplay speed %d of %d: a step every %.1f s", t->s.speed, SPEEDS,
	    autoplay_ms[t->s.speed - 1] / 1000.0);
	return ACT_REDRAW;
}

/* k: the next pane under the flow, where only one fits. */
static Action next_pane(Tui *t, int w, int h)
{
	if (screen_all_panes(w, h)) {
		say(t, 0, "bytes, sockets and packets are all on screen at this size");
		return ACT_REDRAW;
	}
	t->s.pane = (ScreenPane)((t->s.pane + 1) % SCREEN_PANES);
	return ACT_REDRAW;
}

/* Anywhere. */

static Action do_interrupt(Tui *t, int key)
{
	(void)key;   /* Ctrl-C: raw mode delivers it as a key */
	t->exit_status = 130;
	return ACT_QUIT;
}

static Action do_repaint(Tui *t, int key)
{
	(void)key;
	t->ui->redraw();
	return ACT_REDRAW;
}

/* The backend has already taken the new size (it queues this key itself
 * when it does): asking it to resize again would queue another. */
static Action do_resized(Tui *t, int key)
{
	(void)t, (void)key;
	return ACT_REDRAW;
}

static Action do_quit(Tui *t, int key)
{
	(void)t, (void)key;
	return ACT_QUIT;
}

/* A lesson. */

static Action do_step(Tui *t, int key)
{
	/* Once a lesson is over, "next" is the next lesson: n, which says
	 * so, at once; space only after a pause, for a space pressed as the
	 * lesson ended was meant for its last step. */
	if (run_finished(t->e) && run_succeeded(t->e) && t->next_path[0]) {
		if (key == 'n' || (t->ended_at && now_ms() - t->ended_at >= END_PAUSE_MS))
			return open_path(t, t->next_path);
		say(t, 0, "the lesson is over: space again opens the next one (%s)", t->next_label);
		t->ended_at = now_ms();   /* a key held down never gets through */
		return ACT_REDRAW;
	}
	return step(t, -1);
}

static Action do_step_picked(Tui *t, int key)
{
	(void)key;
	return step(t, t->s.selected);
}

static Action do_pick(Tui *t, int key)
{
	return pick(t, key == '\t' || key == UI_KEY_RIGHT ? 1 : -1);
}

static Action do_autoplay(Tui *t, int key)
{
	(void)key;
	t->s.autoplay = !t->s.autoplay && !run_finished(t->e);
	t->fast = 0;
	t->next_auto = now_ms() + autoplay_ms[t->s.speed - 1];
	if (!t->s.autoplay)
		say(t, 0, run_finished(t->e) ? "the lesson is over: r restarts it" : "autoplay off");
	return ACT_REDRAW;
}

static Action do_speed(Tui *t, int key)
{
	return speed(t, key == '+' || key == '=' ? 1 : -1);
}

/* Presenter mode keeps the flow and the bytes on screen, alone: k and s
 * say so. Returns 1 when it did. */
static int presenter_hides(Tui *t)
{
	if (t->s.present)
		say(t, 0, "presenter mode shows the flow and the bytes only: p for the full screen");
	return t->s.present;
}

static Action do_pane(Tui *t, int key)
{
	int w, h;
	(void)key;
	t->ui->size(&w, &h);
	return presenter_hides(t) ? ACT_REDRAW : next_pane(t, w, h);
}

static Action do_code(Tui *t, int key)
{
	(void)key;
	return presenter_hides(t) ? ACT_REDRAW : code_key(t);
}

static Action do_back(Tui *t, int key)
{
	(void)key;
	return go_to(t, run_steps_done(t->e) - 1);
}

static Action do_goto_open(Tui *t, int key)
{
	(void)key;
	return goto_open(t);
}

static Action do_break(Tui *t, int key)
{
	return toggle_break(t, key == 'X');
}

static Action do_continue(Tui *t, int key)
{
	(void)key;
	return run_to_break(t);
}

static Action do_restart(Tui *t, int key)
{
	(void)key;
	restart(t);
	return ACT_REDRAW;
}

static Action do_scroll(Tui *t, int key)
{
	int w, h;
	t->ui->size(&w, &h);
	switch (key) {
	case UI_KEY_PGUP: return scroll_bytes(t, screen_byte_page(w, h));
	case UI_KEY_PGDN: return scroll_bytes(t, -screen_byte_page(w, h));
	case UI_KEY_UP: return scroll_bytes(t, 1);
	case UI_KEY_DOWN: return scroll_bytes(t, -1);
	case UI_KEY_HOME: return scroll_bytes(t, 1 << 20);
	case UI_KEY_END: return scroll_bytes(t, -(1 << 20));
	default: return ACT_IGNORED;
	}
}

/* w: the next page of the step's words; the screen wraps it round to
 * the first after the last, and a new step starts at the first again. */
static Action do_narr_page(Tui *t, int key)
{
	(void)key;
	uint64_t moment = narration_moment(t->e);
	t->s.narr_page = t->s.narr_seq == moment ? t->s.narr_page + 1 : 1;
	t->s.narr_seq = moment;
	return ACT_REDRAW;
}

/* o: the next of the actors sharing the flow's last column. The fold
 * shows a picked actor among them first, so o picks the one after the
 * actor it shows. */
static Action do_fold(Tui *t, int key)
{
	(void)key;
	int folded = flow_folded(t->e, t->frame->w);
	int shown = flow_fold_shown(t->e, &t->s, t->frame->w);
	if (folded <= 0 || shown < 0)
		return ACT_IGNORED;
	int first = run_actor_count(t->e) - folded;
	t->s.selected = first + (shown - first + 1) % folded;
	return ACT_REDRAW;
}

static Action do_present(Tui *t, int key)
{
	(void)key;
	t->s.present = !t->s.present;
	say(t, 0, t->s.present ? "presenter mode: PgDn or right steps, PgUp or left goes back, p leaves"
			       : "the full screen again: p is presenter mode");
	return ACT_REDRAW;
}

static Action do_menu(Tui *t, int key)
{
	(void)key;
	menu_open(t);
	return ACT_REDRAW;
}

static Action do_leave_hint(Tui *t, int key)
{
	(void)key;
	say(t, 0, "m goes back to the menu (this run stops), q quits");
	return ACT_REDRAW;
}

static Action do_help(Tui *t, int key)
{
	(void)key;
	t->s.help = 1;
	t->s.help_scroll = 0;
	return ACT_REDRAW;
}

/* An open question: its keys come first, the others (panes, code, help,
 * restart, menu, quit) work as ever. */

static Action do_answer(Tui *t, int key)
{
	return answer(t, key - '1');
}

static Action do_quiz_later(Tui *t, int key)
{
	(void)key;
	t->s.quiz = (ScreenQuiz){ .actor = -1, .step = -1, .choice = -1 };
	say(t, 0, "not now: the call has not run; space asks again");
	return ACT_REDRAW;
}

static Action do_quiz_first(Tui *t, int key)
{
	(void)key;
	const LessonQuestion *q = quiz_question(t->lesson, t->s.quiz.actor, t->s.quiz.step);
	int n = q ? (q->nchoices < 9 ? q->nchoices : 9) : 0;
	say(t, 0, "first your prediction: press %s%d (esc: not now)", n > 1 ? "1-" : "", n);
	return ACT_REDRAW;
}

static Action lesson_keys(Tui *t, int key);

/* Presenter mode: the keys a presentation clicker sends are space and b.
 * Outside it they keep scrolling the bytes and picking an actor. */
static Action do_present_next(Tui *t, int key)
{
	(void)key;
	return lesson_keys(t, ' ');
}

static Action do_present_back(Tui *t, int key)
{
	(void)key;
	return lesson_keys(t, 'b');
}

/* A replay's own keys; the others (b and g among them, panes, code,
 * help, autoplay, quit) work as in a run. */

static Action do_replay_next(Tui *t, int key)
{
	(void)key;
	return forward(t);
}

static Action do_replay_menu(Tui *t, int key)
{
	(void)key;
	say(t, 0, "a replay has no menu: q quits");
	return ACT_REDRAW;
}

/* The menu: move, open, quit. */

static Action menu_clamp(Tui *t)
{
	if (t->menu_sel > t->nmenu - 1)
		t->menu_sel = t->nmenu - 1;
	if (t->menu_sel < 0)
		t->menu_sel = 0;
	return ACT_REDRAW;
}

static Action do_menu_move(Tui *t, int key)
{
	if (key == UI_KEY_UP || key == 'k')
		t->menu_sel -= t->menu_sel > 0;
	else
		t->menu_sel += t->menu_sel < t->nmenu - 1;
	return ACT_REDRAW;
}

static Action do_menu_page(Tui *t, int key)
{
	int w, h;
	t->ui->size(&w, &h);
	t->menu_sel += key == UI_KEY_PGUP ? -picker_page(w, h) : picker_page(w, h);
	return menu_clamp(t);
}

static Action do_menu_ends(Tui *t, int key)
{
	t->menu_sel = key == UI_KEY_HOME ? 0 : t->nmenu - 1;
	return menu_clamp(t);
}

static Action do_menu_pick(Tui *t, int key)
{
	(void)key;
	if (t->nmenu <= 0) {
		say(t, 1, "there is no lesson to open");
		return ACT_REDRAW;
	}
	return open_path(t, t->menu[t->menu_sel].path);
}

/* The line editor, for an actor that reads a line. */

static Action do_edit_cancel(Tui *t, int key)
{
	(void)key;
	t->s.editing = 0;
	say(t, 0, "input cancelled");
	return ACT_REDRAW;
}

static Action do_edit_send(Tui *t, int key)
{
	(void)key;
	int a = t->s.edit_actor;
	t->s.editing = 0;
	if (run_actor(t->e, a)->state != ACTOR_INPUT || run_step(t->e, a, t->edit) < 0)
		say(t, 1, "%s no longer waits for input", run_actor(t->e, a)->name);
	t->model_dirty = 1;
	return ACT_REDRAW;
}

static Action do_edit_delete(Tui *t, int key)
{
	(void)key;
	while (t->edit_len > 0 && (t->edit[--t->edit_len] & 0xc0) == 0x80)
		;
	t->edit[t->edit_len] = '\0';
	return ACT_REDRAW;
}

static Action do_edit_erase(Tui *t, int key)
{
	(void)key;   /* Ctrl-U: erase the line, as in a shell */
	t->edit_len = 0;
	t->edit[0] = '\0';
	return ACT_REDRAW;
}

static Action do_edit_type(Tui *t, int key)
{
	if (key < 0x20 || key == 127 || key >= 0x110000 || (key >= 0x80 && key < 0xa0))
		return ACT_NONE;
	char buf[4];
	size_t n = utf8_encode((unsigned)key, buf);
	if (t->edit_len + n >= sizeof t->edit)
		return ACT_NONE;
	memcpy(t->edit + t->edit_len, buf, n);
	t->edit_len += n;
	t->edit[t->edit_len] = '\0';
	return ACT_REDRAW;
}

/* Space steps, and opened this editor: pressed again on an empty line it
 * is a student stepping on, not the line's first letter. */
static Action do_edit_space(Tui *t, int key)
{
	if (t->edit_len > 0)
		return do_edit_type(t, key);
	say(t, 0, "%s reads a line: type it, Enter sends it, Esc cancels", run_actor(t->e, t->s.edit_actor)->name);
	return ACT_REDRAW;
}

/* g's step number, typed in the status line. */

static Action do_goto_cancel(Tui *t, int key)
{
	(void)key;
	t->s.prompt = NULL;
	return ACT_REDRAW;
}

static Action do_goto_go(Tui *t, int key)
{
	(void)key;
	t->s.prompt = NULL;
	return t->goto_text[0] ? go_to(t, atoi(t->goto_text)) : ACT_REDRAW;
}

static Action do_goto_delete(Tui *t, int key)
{
	(void)key;
	size_t n = strlen(t->goto_text);
	if (n)
		t->goto_text[n - 1] = '\0';
	return ACT_REDRAW;
}

static Action do_goto_digit(Tui *t, int key)
{
	size_t n = strlen(t->goto_text);
	if (n >= GOTO_DIGITS)
		return ACT_NONE;
	t->goto_text[n] = (char)key;
	t->goto_text[n + 1] = '\0';
	return ACT_REDRAW;
}

/* The help overlay. */

static Action do_help_close(Tui *t, int key)
{
	(void)key;
	t->s.help = 0;
	return ACT_REDRAW;
}

static Action do_help_scroll(Tui *t, int key)
{
	if (key == UI_KEY_UP)
		t->s.help_scroll -= t->s.help_scroll > 0;
	else
		t->s.help_scroll++;
	return ACT_REDRAW;
}

static Action do_help_page(Tui *t, int key)
{
	t->s.help_scroll = key == UI_KEY_PGUP ? 0 : t->s.help_scroll + 10;
	return ACT_REDRAW;
}

typedef Action (*KeyHandler)(Tui *t, int key);

/* What each command of the key table does. */
static const KeyHandler handlers[] = {
	[KEYS_INTERRUPT] = do_interrupt,
	[KEYS_REPAINT] = do_repaint,
	[KEYS_RESIZED] = do_resized,
	[KEYS_STEP] = do_step,
	[KEYS_STEP_PICKED] = do_step_picked,
	[KEYS_PICK] = do_pick,
	[KEYS_AUTOPLAY] = do_autoplay,
	[KEYS_SPEED] = do_speed,
	[KEYS_PANE] = do_pane,
	[KEYS_CODE] = do_code,
	[KEYS_BACK] = do_back,
	[KEYS_GOTO_OPEN] = do_goto_open,
	[KEYS_BREAK] = do_break,
	[KEYS_BREAK_EVERY] = do_break,
	[KEYS_CONTINUE] = do_continue,
	[KEYS_RESTART] = do_restart,
	[KEYS_SCROLL] = do_scroll,
	[KEYS_NARR_PAGE] = do_narr_page,
	[KEYS_FOLD] = do_fold,
	[KEYS_PRESENT_TOGGLE] = do_present,
	[KEYS_MENU_OPEN] = do_menu,
	[KEYS_LEAVE_HINT] = do_leave_hint,
	[KEYS_HELP_OPEN] = do_help,
	[KEYS_QUIT] = do_quit,
	[KEYS_ANSWER] = do_answer,
	[KEYS_QUIZ_LATER] = do_quiz_later,
	[KEYS_QUIZ_FIRST] = do_quiz_first,
	[KEYS_PRESENT_NEXT] = do_present_next,
	[KEYS_PRESENT_BACK] = do_present_back,
	[KEYS_REPLAY_NEXT] = do_replay_next,
	[KEYS_REPLAY_START] = do_restart,   /* the recording's first moment */
	[KEYS_REPLAY_MENU] = do_replay_menu,
	[KEYS_MENU_MOVE] = do_menu_move,
	[KEYS_MENU_PAGE] = do_menu_page,
	[KEYS_MENU_ENDS] = do_menu_ends,
	[KEYS_MENU_PICK] = do_menu_pick,
	[KEYS_EDIT_CANCEL] = do_edit_cancel,
	[KEYS_EDIT_SEND] = do_edit_send,
	[KEYS_EDIT_DELETE] = do_edit_delete,
	[KEYS_EDIT_ERASE] = do_edit_erase,
	[KEYS_EDIT_SPACE] = do_edit_space,
	[KEYS_EDIT_TYPE] = do_edit_type,
	[KEYS_GOTO_CANCEL] = do_goto_cancel,
	[KEYS_GOTO_GO] = do_goto_go,
	[KEYS_GOTO_DELETE] = do_goto_delete,
	[KEYS_GOTO_DIGIT] = do_goto_digit,
	[KEYS_HELP_CLOSE] = do_help_close,
	[KEYS_HELP_SCROLL] = do_help_scroll,
	[KEYS_HELP_PAGE] = do_help_page,
};
_Static_assert(sizeof handlers / sizeof handlers[0] == KEYS_CMDS, "a command of keys.h has no handler");

/* The handler mode's entry for key names, or ACT_IGNORED: mode has none. */
static Action dispatch(Tui *t, KeysMode mode, int key)
{
	const KeysEntry *e = keys_find(mode, key);
	return e && handlers[e->cmd] ? handlers[e->cmd](t, key) : ACT_IGNORED;
}

static Action otherwise(Action a, Action fallback)
{
	return a == ACT_IGNORED ? fallback : a;
}

/* A lesson's keys: an open question's first, then a replay's, then the
 * lesson's own; any other key clears a stale status message. */
static Action lesson_keys(Tui *t, int key)
{
	Action a = t->s.quiz.open ? dispatch(t, KEYS_QUIZ, key) : ACT_IGNORED;
	/* A run the student does not steer (a recording) has keys of its own. */
	if (a == ACT_IGNORED && !run_steered(t->e))
		a = dispatch(t, KEYS_REPLAY, key);
	if (a == ACT_IGNORED)
		a = dispatch(t, KEYS_LESSON, key);
	return otherwise(a, ACT_REDRAW);
}

/* Keys go to the first mode that takes them: anywhere's (Ctrl-C), then
 * the menu, the line editor, the step prompt or the help, which keep
 * every key while they are open; else presenter mode's, then the
 * lesson's chain. */
static Action on_key(Tui *t, int key)
{
	Action a = dispatch(t, KEYS_ANY, key);
	if (a != ACT_IGNORED)
		return a;
	if (t->mode == MODE_MENU) {
		unsay(t);
		return otherwise(dispatch(t, KEYS_MENU, key), ACT_REDRAW);
	}
	if (t->s.editing)
		return otherwise(dispatch(t, KEYS_EDIT, key), ACT_NONE);
	if (t->s.prompt)
		return otherwise(dispatch(t, KEYS_GOTO, key), ACT_NONE);
	if (t->s.help)
		return otherwise(dispatch(t, KEYS_HELP, key), ACT_NONE);
	unsay(t);
	if (t->s.present && (a = dispatch(t, KEYS_PRESENT, key)) != ACT_IGNORED)
		return a;
	return lesson_keys(t, key);
}

/* Every key waiting; returns 1 when one asks to quit. */
static int read_keys(Tui *t)
{
	for (int key; (key = t->ui->key()) != UI_KEY_NONE;) {
		Action a = on_key(t, key);
		if (a == ACT_QUIT)
			return 1;
		if (a == ACT_REDRAW)
			t->dirty = 1;
		/* A step can take a moment; let a resize or a signal be seen first. */
		if (got_int || got_term || got_hup)
			return 0;
	}
	return 0;
}

/* ---- the loop ---------------------------------------------------------- */

/* Autoplay runs while nothing waits for the student (a line to type, the
 * help open, a question to answer, a step number to type). */
static int autoplay_due(const Tui *t)
{
	return t->mode == MODE_LESSON && t->s.autoplay && !t->s.editing && !t->s.help && !t->s.quiz.open &&
	       !t->s.prompt;
}

static void timers(Tui *t)
{
	long now = now_ms();
	if (t->s.anim_seq && now >= t->next_anim) {
		if (++t->s.anim_pos >= t->s.anim_len)
			t->s.anim_seq = 0;
		t->next_anim = now + t->anim_ms;
		t->dirty = 1;
	}
	if (t->next_fade && now >= t->next_fade) {
		t->next_fade = 0;
		t->dirty = 1;
	}
	if (autoplay_due(t) && now >= t->next_auto) {
		autoplay_step(t);
		t->next_auto = now_ms() + (t->fast ? 0 : autoplay_ms[t->s.speed - 1]);
		t->dirty = 1;
	}
}

/* Milliseconds until a timer is due, or -1 (wait for input only). */
static int timeout_ms(const Tui *t)
{
	long now = now_ms(), due = -1;
	if (t->s.anim_seq)
		due = t->next_anim;
	if (t->next_fade && (due < 0 || t->next_fade < due))
		due = t->next_fade;
	if (autoplay_due(t) && (due < 0 || t->next_auto < due))
		due = t->next_auto;
	if (due < 0)
		return -1;
	return due > now ? (int)(due - now) : 0;
}

static void loop(Tui *t)
{
	for (;;) {
		if (take_signals(t))
			return;
		if (t->model_dirty && t->e)
			refresh_model(t);
		if (t->dirty)
			render(t);
		struct pollfd pfd[2 + RUN_POLLFDS_MAX];
		pfd[0] = (struct pollfd){ .fd = t->ui->fd(), .events = POLLIN };
		pfd[1] = (struct pollfd){ .fd = wake[0], .events = POLLIN };
		int n = 2 + (t->e ? run_pollfds(t->e, pfd + 2, RUN_POLLFDS_MAX) : 0);
		int rc = poll(pfd, (nfds_t)n, timeout_ms(t));
		if (rc < 0 && errno != EINTR) {
			t->exit_status = 1;
			return;
		}
		if (rc > 0 && (pfd[1].revents & POLLIN))
			drain_wake();
		for (int k = 2; rc > 0 && k < n; k++) {
			if (pfd[k].revents) {
				run_handle(t->e, pfd + 2, n - 2);
				t->model_dirty = 1;
				break;
			}
		}
		/* The terminal hung up without a SIGHUP reaching us. */
		if (rc > 0 && (pfd[0].revents & (POLLHUP | POLLERR | POLLNVAL))) {
			t->exit_status = 129;
			return;
		}
		if (rc > 0 && (pfd[0].revents & POLLIN) && read_keys(t))
			return;
		timers(t);
	}
}

/* Take over the terminal and open the first screen: the replay or the
 * lesson given (already opened), or the menu. */
static int begin(Tui *t, Lesson *first, Run *replay, const Theme *theme)
{
	char err[512];
	UiOptions uo = { .theme = theme, .no_color = t->opt->no_color };
	if (t->ui->start(&uo, err, sizeof err) < 0) {
		fprintf(stderr, "sockstep: %s\n", err);
		lesson_free(first);
		run_free(replay);
		return -1;
	}
	live_ui = t->ui;
	static int registered;
	if (!registered)
		registered = atexit(restore_at_exit) == 0;
	if (replay) {
		open_recording(t, replay);
		return 0;
	}
	if (!first) {
		menu_open(t);
		return 0;
	}
	if (lesson_start(t, first, err, sizeof err) < 0) {
		t->ui->end();
		utf8_print(stderr, "sockstep: %s\n", err);
		return -1;
	}
	return 0;
}

/* Why the screen cannot work here, or NULL: curses would read keys from
 * a pipe, or draw garbage where the cursor cannot move. */
static const char *no_screen(void)
{
	if (!isatty(STDIN_FILENO))
		return "standard input is not a terminal, and the screen reads its keys there";
	return plain_auto();
}

int tui_run(const TuiOptions *opt)
{
	char err[512];
	Theme theme;
	/* A broken lesson is the teacher's to fix: say where, before anything else. */
	Lesson *first = opt->programs;
	if (!first && opt->lesson && !(first = lesson_load(opt->lesson, err, sizeof err))) {
		fprintf(stderr, "%s\n", err);
		return 2;
	}
	/* So is a broken recording, the reader's or the one who made it. */
	Run *replay = NULL;
	if (opt->replay && !(replay = playback_open(opt->replay, err, sizeof err))) {
		utf8_print(stderr, "sockstep: %s\n", err);
		return 2;
	}
	const char *why = no_screen();
	if (why) {
		fprintf(stderr, "sockstep: %s; use --plain (--plain --step steps with Enter)\n", why);
		lesson_free(first);
		run_free(replay);
		return 1;
	}
	const char *text = theme_text(opt->theme);
	if (!text || theme_parse(text, &theme, err, sizeof err) < 0) {
		fprintf(stderr, "sockstep: theme '%s': %s\n", opt->theme ? opt->theme : "?",
			text ? err : "no such theme");
		lesson_free(first);
		run_free(replay);
		return 1;
	}
	/* The cast's file is made before the terminal is taken over, so a
	 * path that cannot be written is said plainly. */
	const Ui *ui = &ui_curses;
	if (opt->cast && !(ui = cast_tee(&ui_curses, opt->cast, err, sizeof err))) {
		fprintf(stderr, "sockstep: %s\n", err);
		lesson_free(first);
		run_free(replay);
		return 2;
	}
	/* The locale says whether the terminal takes UTF-8 (box lines, arrows). */
	setlocale(LC_CTYPE, "");
	Tui t = { .opt = opt, .ui = ui, .dirty = 1 };
	screen_state_init(&t.s);
	t.s.unicode = strcmp(nl_langinfo(CODESET), "UTF-8") == 0;
	t.s.present = opt->present;
	t.s.speeds = SPEEDS;
	t.frame = frame_new(SCREEN_MIN_W, SCREEN_MIN_H);
	if (!t.frame || signals_start() < 0) {
		fputs("sockstep: out of memory or descriptors\n", stderr);
		frame_free(t.frame);
		lesson_free(first);
		run_free(replay);
		return 1;
	}
	int status = 1;
	if (begin(&t, first, replay, &theme) == 0) {
		loop(&t);
		t.ui->end();
		status = t.exit_status;
	}
	live_ui = NULL;
	lesson_close(&t);
	/* Said once the terminal is the shell's again. */
	const char *unwritten[] = { t.output_error[0] ? t.output_error : NULL, cast_tee_error() };
	for (int i = 0; i < 2; i++) {
		if (unwritten[i]) {
			utf8_print(stderr, "sockstep: %s\n", unwritten[i]);
			status = 2;
		}
	}
	free(t.menu);
	progress_free(&t.progress);
	signals_stop();
	frame_free(t.frame);
	return status;
}
