/* plain.c - the plain backend (see plain.h). */
#include "ui/plain.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "model/answers.h"
#include "model/lesson.h"
#include "model/stuck.h"
#include "model/utf8.h"
#include "views/bytes.h"
#include "views/calltext.h"
#include "views/kerneltext.h"
#include "views/narration.h"
#include "views/quiz.h"

enum { HEX_WIDTH = 16, HEX_MAX_LINES = 16, MAXSTR = 32, STUCK_MS = 10000 };

/* What the printer remembers between calls of plain_print: packets and
 * state changes seen while a call ran are printed under that call's line,
 * which is written when it returns, so they wait in held; and which steps
 * have had their narration and question, which come once per step. */
enum { HELD_MAX = 256, TOLD = 1, ASKED = 2 };

typedef struct {
	int narrate;
	size_t held[HELD_MAX];
	size_t nheld;
	uint64_t open_call;
	unsigned char said[LESSON_MAX_ACTORS][LESSON_MAX_STEPS];
	unsigned long writes; /* so far: did a look at the actors print anything? */
	FILE *prompt_open;    /* --step: a prompt waits on this stream's line */
} Printer;

static Printer printer;

/* Every line of the transcript goes through here, made safe for the
 * terminal: its names and texts come from a lesson, a recording or a
 * program. A prompt the student has not answered yet is ended first, so
 * a line never starts after it. */
__attribute__((format(printf, 2, 3)))
static void say(FILE *out, const char *fmt, ...)
{
	if (printer.prompt_open) {
		fputc('\n', printer.prompt_open);
		printer.prompt_open = NULL;
	}
	printer.writes++;
	va_list ap;
	va_start(ap, fmt);
	utf8_vprint(out, fmt, ap);
	va_end(ap);
}

/* Actor i's name, or none when i names no actor (-1: the kernel or
 * sockstep itself; a number out of range must never be followed). */
static const char *name_or(const Run *e, int i, const char *none)
{
	const RunActor *a = run_actor(e, i);
	return a && a->name ? a->name : none;
}

static int name_width(const Run *e)
{
	int w = 0;
	for (int i = 0; i < run_actor_count(e); i++) {
		/* A program's later processes and threads are NAME.2 ...: room
		 * for them from the start keeps the columns still. */
		int first = i < run_lesson(e)->nactors;
		int n = (int)strlen(name_or(e, i, "?")) + (run_traced(e, i) && first ? 2 : 0);
		w = n > w ? n : w;
	}
	return w;
}

static void hex(const unsigned char *p, size_t len, uint64_t total, int w, FILE *out)
{
	char line[160];
	size_t lines = bytes_line_count(len, HEX_WIDTH);
	for (size_t k = 0; k < lines && k < HEX_MAX_LINES; k++) {
		size_t off = k * HEX_WIDTH;
		bytes_line(p + off, len - off, off, HEX_WIDTH, line, sizeof line);
		say(out, "%*s    %s\n", w, "", line);
	}
	size_t shown = len < HEX_MAX_LINES * HEX_WIDTH ? len : HEX_MAX_LINES * HEX_WIDTH;
	if (total > shown)
		say(out, "%*s    ... %llu more bytes\n", w, "", (unsigned long long)(total - shown));
}

/* A call made by a task beyond the columns is shown in its program's
 * column with the task's mark ("pid 1234"). */
static const char *mark(const Event *call)
{
	static char buf[64];
	if (!call->text)
		return "";
	snprintf(buf, sizeof buf, "  [%s]", call->text);
	return buf;
}

static void print_return(const Run *e, const Event *ev, int w, FILE *out)
{
	const Event *call = timeline_by_seq(run_timeline(e), ev->call_seq);
	char ctext[1024], rtext[256];
	if (!call)
		return;
	calltext_call(call, MAXSTR, ctext, sizeof ctext);
	calltext_result(ev, 1, rtext, sizeof rtext);
	say(out, "%-*s  %s = %s%s\n", w, name_or(e, ev->actor, "?"), ctext, rtext, mark(call));
	int op = ev->op;
	/* getaddrinfo's answer as the kernel will take it: the raw socket
	 * addresses, where the port reads in network byte order. */
	if (op == OP_GETADDRINFO && ev->ret == 0)
		hex(ev->data, ev->len, ev->total, w, out);
	if (ev->ret <= 0)
		return;
	if (lesson_op_sends((LessonOp)op))
		hex(call->data, call->len < calltext_moved(ev) ? call->len : calltext_moved(ev), calltext_moved(ev), w, out);
	else if (lesson_op_receives((LessonOp)op))
		hex(ev->data, ev->len, ev->total, w, out);
}

/* A recorded status can name a signal no kernel sends. */
static const char *signame(int sig)
{
	const char *name = sigabbrev_np(sig);
	return name ? name : "?";
}

static void print_exit(const Run *e, const Event *ev, int w, FILE *out)
{
	const char *name = name_or(e, ev->actor, "?");
	const RunActor *a = run_actor(e, ev->actor);
	/* A server left waiting for a next client, stopped: the run is over
	 * (run_servers_over), as the note before this line says. */
	if (WIFSIGNALED(ev->status) && a && a->state == ACTOR_DONE)
		say(out, "%-*s  +++ stopped by sockstep (SIG%s) +++\n", w, name, signame(WTERMSIG(ev->status)));
	else if (WIFSIGNALED(ev->status))
		say(out, "%-*s  +++ killed by SIG%s +++\n", w, name, signame(WTERMSIG(ev->status)));
	else if (WEXITSTATUS(ev->status) != 0 || !a || a->state != ACTOR_DONE)
		say(out, "%-*s  +++ exited with %d before its end +++\n", w, name, WEXITSTATUS(ev->status));
}

static const char *who(const Run *e, int actor)
{
	return name_or(e, actor, "kernel");
}

/* Packets and states, indented under the calls that caused them. */
static void print_kernel(const Run *e, const Event *ev, int w, FILE *out)
{
	char text[512];
	if (ev->kind == EV_PACKET) {
		kerneltext_packet(ev, text, sizeof text);
		say(out, "%*s  ~ %s -> %s  %s\n", w, "", who(e, ev->actor), who(e, ev->peer_actor), text);
	} else {
		kerneltext_state(ev, text, sizeof text);
		say(out, "%*s  ~ %s  %s\n", w, "", who(e, ev->actor), text);
	}
}

static void release(const Run *e, int w, FILE *out)
{
	for (size_t k = 0; k < printer.nheld; k++)
		print_kernel(e, timeline_get(run_timeline(e), printer.held[k]), w, out);
	printer.nheld = 0;
	printer.open_call = 0;
}

/* Has the step's narration (TOLD) or question (ASKED) been printed? Marks
 * it as printed; steps out of range count as printed, so nothing is. */
static int said_before(int actor, int step, int what)
{
	if (actor < 0 || actor >= LESSON_MAX_ACTORS || step < 0 || step >= LESSON_MAX_STEPS)
		return 1;
	int before = printer.said[actor][step] & what;
	printer.said[actor][step] |= (unsigned char)what;
	return before;
}

/* Which words ev's are, for "once": a lesson step's own; for a traced
 * program, which has no steps, the kind of call (or its input). -1: none. */
static int words_of(const Run *e, const Event *ev)
{
	const Lesson *l = run_lesson(e);
	if (ev->actor < 0)
		return -1;
	if (run_traced(e, ev->actor))
		return ev->kind == EV_INPUT ? OP_COUNT_ : ev->kind == EV_CALL ? ev->op : -1;
	if (ev->actor >= l->nactors || ev->step < 0 || ev->step >= l->actors[ev->actor].nsteps)
		return -1;
	const LessonStep *st = &l->actors[ev->actor].steps[ev->step];
	/* A print step has no words of the screen's own (its line says it
	 * all), only the lesson's. */
	return ev->kind == EV_PRINT && !st->narration ? -1 : ev->step;
}

/* The narration pane's words for the step of ev, the first time it runs;
 * for a traced program, the first time it makes each kind of call. */
static void narrate(const Run *e, const Event *ev, int w, FILE *out)
{
	int words = printer.narrate ? words_of(e, ev) : -1;
	if (words < 0 || said_before(ev->actor, words, TOLD))
		return;
	char text[4096];
	narration_step(e, ev, text, sizeof text);
	say(out, "%*s  > %s\n", w, "", text);
}

/* Which pass of its step the call numbered seq is (1: the first). */
static int pass_of(const Run *e, int actor, int step, uint64_t seq)
{
	const Timeline *t = run_timeline(e);
	int n = 0;
	for (size_t i = 0; i < timeline_count(t); i++) {
		const Event *ev = timeline_get(t, i);
		if (ev->seq > seq)
			break;
		n += ev->kind == EV_CALL && ev->actor == actor && ev->step == step;
	}
	return n;
}

/* A question before the pass of the call it asks about: the choices
 * numbered (a computed one by its value), the answer left to the run (the
 * call's line, just after). */
static void ask(const Run *e, int actor, int step, int pass, int w, FILE *out)
{
	const LessonQuestion *q = quiz_question(run_lesson(e), actor, step);
	if (!printer.narrate || !q || pass != (q->pass > 1 ? q->pass : 1) || said_before(actor, step, ASKED))
		return;
	say(out, "%*s  ? %s", w, "", q->text ? q->text : "");
	for (int k = 0; k < q->nchoices; k++) {
		char buf[256];
		size_t len;
		say(out, "  %d) %s", k + 1, answers_choice(run_lesson(e), run_timeline(e), actor, step, k, buf, sizeof buf, &len));
	}
	say(out, "\n");
}

static void print_call(const Run *e, const Event *ev, int w, FILE *out)
{
	char ctext[1024];
	if (!ev->blocked) {
		printer.open_call = ev->seq;
		return;
	}
	ask(e, ev->actor, ev->step, pass_of(e, ev->actor, ev->step, ev->seq), w, out);
	calltext_call(ev, MAXSTR, ctext, sizeof ctext);
	say(out, "%-*s  %s ... blocks%s\n", w, name_or(e, ev->actor, "?"), ctext, mark(ev));
	narrate(e, ev, w, out);
}

/* A return, and what belongs under it: its kernel lines, and the words of
 * its step unless they came with the "... blocks" line. */
static void print_end_of_call(const Run *e, const Event *ev, int w, FILE *out)
{
	const Event *call = timeline_by_seq(run_timeline(e), ev->call_seq);
	if (call)
		ask(e, call->actor, call->step, pass_of(e, call->actor, call->step, call->seq), w, out);
	print_return(e, ev, w, out);
	if (ev->call_seq == printer.open_call)
		release(e, w, out);
	if (call)
		narrate(e, call, w, out);
}

/* A printed text, each of its lines under the actor's name, as a
 * terminal shows it (calltext_console). */
static void print_console(const char *text, int w, const char *name, FILE *out)
{
	char shown[GATE_DATA_MAX + 1];
	calltext_console(text ? text : "", NULL, shown, sizeof shown);
	for (char *line = shown;;) {
		char *end = strchr(line, '\n');
		if (end)
			*end = '\0';
		say(out, "%-*s  | %s\n", w, name, line);
		if (!end)
			break;
		line = end + 1;
	}
}

size_t plain_print(const Run *e, size_t from, FILE *out)
{
	const Timeline *t = run_timeline(e);
	int w = name_width(e);
	char ctext[1024];
	for (; from < timeline_count(t); from++) {
		const Event *ev = timeline_get(t, from);
		if ((ev->kind == EV_PACKET || ev->kind == EV_STATE) && printer.open_call && printer.nheld < HELD_MAX) {
			printer.held[printer.nheld++] = from;
			continue;
		}
		const char *name = name_or(e, ev->actor, "sockstep");
		switch (ev->kind) {
		case EV_CALL:
			print_call(e, ev, w, out);
			break;
		case EV_RETURN:
			print_end_of_call(e, ev, w, out);
			break;
		case EV_PRINT:
			if (ev->ret > 0) {   /* not a line: the count of those not kept */
				calltext_dropped(ev, ctext, sizeof ctext);
				say(out, "%-*s  %s\n", w, name, ctext);
				break;
			}
			print_console(ev->text, w, name, out);
			narrate(e, ev, w, out);
			break;
		case EV_INPUT:
			calltext_quote((const unsigned char *)ev->text, strlen(ev->text), ctext, sizeof ctext);
			say(out, "%-*s  input = \"%s\"\n", w, name, ctext);
			narrate(e, ev, w, out);
			break;
		case EV_EXIT:
			print_exit(e, ev, w, out);
			break;
		case EV_NOTE:
			say(out, "%-*s  -- %s\n", w, name, ev->text);
			break;
		case EV_PACKET:
		case EV_STATE:
			print_kernel(e, ev, w, out);
			break;
		}
	}
	if (printer.open_call && !timeline_return_of(t, printer.open_call))
		release(e, w, out);  /* still running: blocked after all; show what we have */
	fflush(out);
	return from;
}

/* Which actors are stuck, and in what, for the closing message. */
static void report_stuck(Run *e)
{
	char ctext[1024], where[600];
	const Timeline *t = run_timeline(e);
	for (int i = 0; i < run_actor_count(e); i++) {
		const RunActor *a = run_actor(e, i);
		const LessonStep *after = a->state == ACTOR_READY ? lesson_after_of(run_lesson(e), i, a->step) : NULL;
		if (after)
			utf8_print(stderr, "sockstep: %s waits (line %d: %s) for a step that has not returned\n",
				   a->name, after->line, after->source);
		if (a->state != ACTOR_BLOCKED)
			continue;
		const Event *call = timeline_by_seq(t, a->call_seq);
		if (call)
			calltext_call(call, MAXSTR, ctext, sizeof ctext);
		/* A sleep or a call with a timeout returns by itself: it was not
		 * waited for to its end only when the run stopped first. */
		if (run_timed(e, i) != RUN_UNTIMED)
			utf8_print(stderr, "sockstep: %s was still in %s, which returns by itself when its time is up\n",
				   a->name, call ? ctext : "a call");
		else if (stuck_where(e, i, where, sizeof where) == 0)
			utf8_print(stderr, "sockstep: %s: %s is blocked in %s and no actor can wake it\n",
				   where, a->name, call ? ctext : "a call");
		else
			utf8_print(stderr, "sockstep: %s is blocked in %s and no actor can wake it\n",
				   a->name, call ? ctext : "a call");
	}
	char why[800];
	if (stuck_cause(e, why, sizeof why))
		utf8_print(stderr, "sockstep: %s\n", why);
	if (stuck_hint(e, why, sizeof why))
		utf8_print(stderr, "sockstep: hint: %s\n", why);
}

/* The lesson run to its end by the scheduler. Step while anything can
 * move; when nothing can, give a blocked call time to return by itself (a
 * SYN retransmitted after a full queue), and a sleep or a call with a
 * timeout all the time it takes. */
static size_t run_through(Run *e, size_t shown, FILE *out)
{
	for (;;) {
		if (run_step(e, -1, NULL) < 0 && !run_wait(e, STUCK_MS) && run_waiting(e) < 0)
			return shown;
		shown = plain_print(e, shown, out);
	}
}

/* --step: lines from the student, read with read() rather than stdio, so
 * that poll() on the descriptor tells the truth about what is buffered. */
enum { LINE_CAP = GATE_DATA_MAX + 1 };

typedef struct {
	int fd;
	char buf[LINE_CAP];
	size_t len;
	int eof;
	int skip;     /* a line too long was cut: drop the rest of it */
} LineIn;

static void line_drop(LineIn *in, size_t n)
{
	memmove(in->buf, in->buf + n, in->len - n);
	in->len -= n;
}

/* One line out of the buffer, without its end of line, cut to cap - 1
 * bytes: 1; 0 at the end of the input; -1 when more must be read first. */
static int line_take(LineIn *in, char *line, size_t cap)
{
	char *nl = memchr(in->buf, '\n', in->len);
	if (in->skip) {
		line_drop(in, nl ? (size_t)(nl - in->buf) + 1 : in->len);
		in->skip = !nl;
		nl = memchr(in->buf, '\n', in->len);
	}
	size_t n = nl ? (size_t)(nl - in->buf) : in->len;
	if (!nl && !(in->eof && in->len) && in->len < sizeof in->buf)
		return in->eof ? 0 : -1;
	size_t keep = n < cap - 1 ? n : cap - 1;
	memcpy(line, in->buf, keep);
	line[keep] = '\0';
	if (keep > 0 && line[keep - 1] == '\r')
		line[keep - 1] = '\0';
	line_drop(in, nl ? n + 1 : n);
	in->skip = !nl && !in->eof;
	return 1;
}

static void line_fill(LineIn *in)
{
	ssize_t r = read(in->fd, in->buf + in->len, sizeof in->buf - in->len);
	if (r > 0)
		in->len += (size_t)r;
	else if (r == 0 || (errno != EINTR && errno != EAGAIN))
		in->eof = 1;
}

typedef struct {
	Run *e;
	FILE *out;       /* the transcript, as --plain prints it */
	FILE *prompt;    /* "next: ...", apart from the transcript */
	int tty;         /* lines come from a terminal: the prompt waits on its line */
	size_t shown;
	LineIn in;
	/* The predictions, as the screen asks for them (answers.h): the
	 * question before its step, the verdict once its call came back. */
	Answers answers;
	unsigned char told[ANSWERS_MAX];   /* verdict k has been said */
} Stepper;

/* The student's answer to an open prompt is not coming (the input
 * ended, or the prompt is to be made again): end its line. */
static void end_prompt_line(void)
{
	if (printer.prompt_open)
		fputc('\n', printer.prompt_open);
	printer.prompt_open = NULL;
}

/* Writes a prompt, in one piece. On a terminal it ends with a space, and
 * the student types right after it; the echo of Enter ends the line. From
 * a pipe nothing is echoed, so it ends its own line. */
__attribute__((format(printf, 2, 3)))
static void prompt(const Stepper *s, const char *fmt, ...)
{
	char text[2048];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(text, sizeof text - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	size_t len = utf8_safe(text, text, sizeof text - 1);
	text[len] = s->tty ? ' ' : '\n';
	fwrite(text, 1, len + 1, s->prompt);
	fflush(s->prompt);
	printer.prompt_open = s->tty ? s->prompt : NULL;
}

/* The line an empty answer stands for: a lesson's next example, or a
 * traced program's next --input line; NULL when there is none (the
 * program then gets the empty line). */
static const char *stand_in(Run *e, int a)
{
	const RunActor *ea = run_actor(e, a);
	const LessonStep *st = run_lesson_step(e, a);
	const Lesson *l = run_lesson(e);
	if (st && st->op == OP_INPUT) {
		int k = ea->next_example < st->nexamples ? ea->next_example : st->nexamples - 1;
		return k >= 0 ? st->examples[k] : "";
	}
	if (run_traced(e, a) && a < l->nactors && ea->next_example < l->actors[a].ninputs)
		return l->actors[a].inputs[ea->next_example];
	return NULL;
}

static const LessonQuestion *owed(const Stepper *s, int a);

/* What the next step runs, taken from the actor's pending call, and what
 * a line does there. */
static void prompt_next(const Stepper *s, int a)
{
	const RunActor *ea = run_actor(s->e, a);
	const LessonStep *st = run_lesson_step(s->e, a);
	char what[1024], ask_for[256], example[256];
	const LessonQuestion *q = owed(s, a);
	if (q) {
		int n = q->nchoices < 9 ? q->nchoices : 9;
		narration_next(s->e, a, what, sizeof what);
		prompt(s, "next: %s - predict: %s%d and Enter runs it (Enter alone: no prediction), q to quit", what,
		       n > 1 ? "1-" : "", n);
		return;
	}
	if (ea->state != ACTOR_INPUT) {
		narration_next(s->e, a, what, sizeof what);
		/* Polling (sched.h): why the scheduler let the others go first. */
		prompt(s, "next: %s - Enter to run, q to quit%s", what,
		       ea->idle ? " (it polls: its last call found nothing new)" : "");
		return;
	}
	const char *ex = stand_in(s->e, a);
	calltext_quote((const unsigned char *)(ex ? ex : ""), strlen(ex ? ex : ""), example, sizeof example);
	const Event *wait = run_input_wait(s->e, a);
	if (!st) {
		char waits[1100] = "reads a line from its terminal";
		if (wait) {
			calltext_call(wait, MAXSTR, what, sizeof what);
			snprintf(waits, sizeof waits, "waits in %s, for a line from its terminal too", what);
		}
		prompt(s, "next: %s %s - type it and Enter (empty: %s%s%s), Ctrl-D to quit",
		       ea->name, waits, ex ? "its next --input line \"" : "an empty line", ex ? example : "",
		       ex ? "\"" : "");
		return;
	}
	const char *asks = st->prompt ? st->prompt : "";
	calltext_quote((const unsigned char *)asks, strlen(asks), ask_for, sizeof ask_for);
	prompt(s, "next: %s input \"%s\" - type the line to send and Enter (empty: the example \"%s\"), Ctrl-D to quit",
	       ea->name, ask_for, example);
}

/* A line on the prompt stream, ending a prompt left open first. */
__attribute__((format(printf, 2, 3)))
static void tell(const Stepper *s, const char *fmt, ...)
{
	end_prompt_line();
	va_list ap;
	va_start(ap, fmt);
	utf8_vprint(s->prompt, fmt, ap);
	va_end(ap);
	fflush(s->prompt);
}

/* The question on actor a's next step, its choices numbered, on the
 * prompt stream (the transcript stays as --plain prints it). */
static void tell_question(const Stepper *s, int a, const LessonQuestion *q)
{
	const RunActor *ea = run_actor(s->e, a);
	tell(s, "question: %s\n", q->text ? q->text : "");
	for (int k = 0; k < q->nchoices && k < 9; k++) {
		char buf[256];
		size_t len;
		tell(s, "  %d) %s\n", k + 1,
		     answers_choice(run_lesson(s->e), run_timeline(s->e), a, ea->step, k, buf, sizeof buf, &len));
	}
}

/* The verdicts of the predictions whose calls have come back, each once. */
static void tell_verdicts(Stepper *s)
{
	char text[1600];
	answers_settle(&s->answers, run_lesson(s->e), run_timeline(s->e));
	for (int k = 0; k < s->answers.n; k++) {
		const Answer *an = &s->answers.given[k];
		if (s->told[k] || an->state == ANSWER_PENDING)
			continue;
		s->told[k] = 1;
		if (an->state == ANSWER_VOID && !quiz_question(run_lesson(s->e), an->actor, an->step))
			continue;
		ScreenQuiz q = { .actor = an->actor, .step = an->step, .choice = an->choice };
		quiz_verdict_text(s->e, &q, 0, text, sizeof text);
		tell(s, "%s\n", text);
	}
}

/* The prediction for the question on actor a's step, from the student's
 * line: a choice's number, or nothing (the call runs unpredicted). Returns
 * 1 when the step may run, 0 when the line asks again (no such choice). */
static int predict(Stepper *s, int a, const char *line)
{
	const RunActor *ea = run_actor(s->e, a);
	const LessonQuestion *q = quiz_question(run_lesson(s->e), a, ea->step);
	char *end;
	long k = strtol(line, &end, 10);
	while (*end == ' ' || *end == '\t')
		end++;
	if (line[strspn(line, " \t")] == '\0')
		return 1;
	if (*end || end == line || k < 1 || k > q->nchoices) {
		tell(s, "there %s %d choice%s: a number from 1 to %d, or Enter alone to run it unpredicted\n",
		     q->nchoices == 1 ? "is" : "are", q->nchoices, q->nchoices == 1 ? "" : "s", q->nchoices);
		return 0;
	}
	answers_give(&s->answers, run_lesson(s->e), a, ea->step, (int)k - 1);
	return 1;
}

/* Must actor a's step be predicted first (the screen asks it there)? */
static const LessonQuestion *owed(const Stepper *s, int a)
{
	const RunActor *ea = run_actor(s->e, a);
	if (!quiz_due(s->e, a) ||
	    !answers_owed(&s->answers, run_lesson(s->e), run_timeline(s->e), a, ea->step))
		return NULL;
	return quiz_question(run_lesson(s->e), a, ea->step);
}

static int any_blocked(Run *e)
{
	for (int i = 0; i < run_actor_count(e); i++)
		if (run_actor(e, i)->state == ACTOR_BLOCKED)
			return 1;
	return 0;
}

static int settled(Run *e)
{
	for (int i = 0; i < run_actor_count(e); i++) {
		ActorState st = run_actor(e, i)->state;
		if (st == ACTOR_RUNNING || st == ACTOR_STARTING)
			return 0;
	}
	return 1;
}

/* Something came from the actors or the kernel while the prompt waits:
 * print it. Is the prompt to be made again: did lines break it (stale),
 * or is the next step no longer the one it names? Not before every actor
 * that moved has reached its next stop, so that it is made once. */
static int heard(Stepper *s, const struct pollfd *pfd, int n, int a, int *stale)
{
	unsigned long writes = printer.writes;
	run_handle(s->e, pfd, n);
	s->shown = plain_print(s->e, s->shown, s->out);
	*stale |= printer.writes != writes;
	if (!settled(s->e) || (!*stale && run_next(s->e) == a))
		return 0;
	end_prompt_line();
	return 1;
}

static int any_ready(const struct pollfd *pfd, int n)
{
	for (int k = 0; k < n; k++)
		if (pfd[k].revents)
			return 1;
	return 0;
}

/* Wait for a line, and meanwhile print what the actors do by themselves
 * (a call with a timeout returns). Returns 1 with a line, 0 at the end of
 * the input, 2 when something happened and the prompt is to be made again. */
static int await_line(Stepper *s, int a, char *line, size_t cap)
{
	int stale = 0;
	for (;;) {
		int r = line_take(&s->in, line, cap);
		if (r >= 0)
			return r;
		struct pollfd pfd[1 + RUN_POLLFDS_MAX];
		pfd[0] = (struct pollfd){ .fd = s->in.fd, .events = POLLIN };
		int n = run_pollfds(s->e, pfd + 1, RUN_POLLFDS_MAX);
		if (poll(pfd, (nfds_t)n + 1, -1) < 0) {
			if (errno == EINTR)
				continue;
			return 0;
		}
		if (any_ready(pfd + 1, n) && heard(s, pfd + 1, n, a, &stale))
			return 2;
		if (pfd[0].revents)
			line_fill(&s->in);
	}
}

/* "q" or "quit", spaces around allowed. */
static int is_quit(const char *line)
{
	char word[8];
	return sscanf(line, " %7s %c", word, &(char){ 0 }) == 1 &&
	       (strcmp(word, "q") == 0 || strcmp(word, "quit") == 0);
}

/* The lesson stepped one line at a time. Returns 1 when it ran to its end
 * (or got stuck), 0 when the student quit. */
static int step_through(Stepper *s)
{
	char line[LINE_CAP];
	for (;;) {
		run_show(s->e);   /* a person reads each step */
		s->shown = plain_print(s->e, s->shown, s->out);
		fflush(s->out);
		tell_verdicts(s);
		int a = run_next(s->e);
		if (a < 0) {
			/* Nothing to step: a silence of seconds is explained. */
			char waits[1024];
			if (narration_waiting(s->e, waits, sizeof waits))
				tell(s, "waiting: %s\n", waits);
			else if (any_blocked(s->e))
				fputs("waiting: every actor that has a call to make is blocked in one\n", s->prompt);
			if (run_wait(s->e, STUCK_MS) || run_waiting(s->e) >= 0)
				continue;
			tell_verdicts(s);
			return 1;
		}
		const RunActor *ea = run_actor(s->e, a);
		ask(s->e, a, ea->step, question_calls(run_timeline(s->e), a, ea->step) + 1, name_width(s->e), s->out);
		fflush(s->out);
		/* With --narrate the transcript has just asked it. */
		const LessonQuestion *q = owed(s, a);
		if (q && !printer.narrate)
			tell_question(s, a, q);
		prompt_next(s, a);
		int r = await_line(s, a, line, sizeof line);
		if (r == 2)
			continue;
		if (r == 0)
			end_prompt_line();
		printer.prompt_open = NULL;  /* the echo of Enter ended it */
		int input = ea->state == ACTOR_INPUT;
		if (r == 0 || (!input && is_quit(line)))
			return 0;
		if (q && !predict(s, a, line))
			continue;
		const char *give = input && (line[0] || !stand_in(s->e, a)) ? line : NULL;
		if (run_step(s->e, a, give) < 0)
			utf8_print(s->prompt, "sockstep: %s could not be stepped\n", ea->name);
	}
}

int plain_run(Run *e, FILE *out)
{
	PlainOptions opt = { .in = -1 };
	return plain_run_with(e, &opt, out);
}

int plain_run_with(Run *e, const PlainOptions *opt, FILE *out)
{
	char err[700];
	const Lesson *l = run_lesson(e);
	memset(&printer, 0, sizeof printer);
	printer.narrate = opt->narrate;
	utf8_print(out, "# %s\n", l->title);
	if (run_start(e, err, sizeof err) < 0) {
		plain_print(e, 0, out);  /* what the actors said, a program's output among it */
		fflush(out);
		utf8_print(stderr, "sockstep: %s\n", err);
		return 2;
	}
	utf8_print(out, "# network: %s\n", run_network(e));
	if (*run_kernel_note(e))
		utf8_print(out, "# kernel view: %s\n", run_kernel_note(e));
	if (opt->narrate && l->about)
		utf8_print(out, "# %s\n", l->about);
	size_t shown = plain_print(e, 0, out);
	if (run_free_running(e)) {
		run_free_run(e, STUCK_MS);
		plain_print(e, shown, out);
		int done = run_succeeded(e);
		if (!done)
			fprintf(stderr, "sockstep: the free run did not reach its end\n");
		run_stop(e);
		return done ? 0 : 1;
	}
	FILE *prompt = opt->prompt ? opt->prompt : stderr;
	if (opt->step) {
		Stepper s = { .e = e, .out = out, .prompt = prompt, .tty = isatty(opt->in), .shown = shown,
			      .in = { .fd = opt->in } };
		answers_reset(&s.answers);
		int ended = step_through(&s);
		shown = s.shown;
		if (!ended) {
			run_stop(e);
			fputs("quit: every actor is stopped\n", prompt);
			return 0;
		}
	} else {
		shown = run_through(e, shown, out);
	}
	run_drain(e, 2000);
	plain_print(e, shown, out);
	int ok = run_succeeded(e);
	char over[400];
	if (!ok)
		report_stuck(e);
	else if (opt->step && run_servers_over(e, over, sizeof over))
		fprintf(prompt, "%s\n", over);
	else if (opt->step)
		fputs("the lesson is over: every actor ran to its end\n", prompt);
	run_stop(e);
	return ok ? 0 : 1;
}

const char *plain_auto(void)
{
	const char *term = getenv("TERM");
	if (!isatty(STDOUT_FILENO))
		return "standard output is not a terminal";
	if (!term || !*term)
		return "TERM is not set, so the terminal cannot draw a screen";
	if (strcmp(term, "dumb") == 0)
		return "TERM=dumb, a terminal that cannot draw a screen";
	return NULL;
}
