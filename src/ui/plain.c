/* plain.c - the plain backend (see plain.h). */
#include "ui/plain.h"

#include <signal.h>
#include <string.h>
#include <sys/wait.h>

#include "model/lesson.h"
#include "views/bytes.h"
#include "views/calltext.h"
#include "views/kerneltext.h"

enum { HEX_WIDTH = 16, HEX_MAX_LINES = 16, MAXSTR = 32, STUCK_MS = 10000 };

static int name_width(Engine *e)
{
	int w = 0;
	for (int i = 0; i < engine_actor_count(e); i++) {
		int n = (int)strlen(engine_actor(e, i)->name);
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
		fprintf(out, "%*s    %s\n", w, "", line);
	}
	size_t shown = len < HEX_MAX_LINES * HEX_WIDTH ? len : HEX_MAX_LINES * HEX_WIDTH;
	if (total > shown)
		fprintf(out, "%*s    ... %llu more bytes\n", w, "", (unsigned long long)(total - shown));
}

static void print_return(Engine *e, const Event *ev, int w, FILE *out)
{
	const Event *call = timeline_by_seq(engine_timeline(e), ev->call_seq);
	char ctext[1024], rtext[256];
	if (!call)
		return;
	calltext_call(call, MAXSTR, ctext, sizeof ctext);
	calltext_result(ev, 1, rtext, sizeof rtext);
	fprintf(out, "%-*s  %s = %s\n", w, engine_actor(e, ev->actor)->name, ctext, rtext);
	int op = ev->op;
	/* getaddrinfo's answer as the kernel will take it: the raw socket
	 * addresses, where the port reads in network byte order. */
	if (op == OP_GETADDRINFO && ev->ret == 0)
		hex(ev->data, ev->len, ev->total, w, out);
	if (ev->ret <= 0)
		return;
	if (op == OP_SEND || op == OP_SENDALL || op == OP_SENDTO)
		hex(call->data, call->len < (size_t)ev->ret ? call->len : (size_t)ev->ret, (uint64_t)ev->ret, w, out);
	else if (op == OP_RECV || op == OP_RECVFROM)
		hex(ev->data, ev->len, ev->total, w, out);
}

static void print_exit(Engine *e, const Event *ev, int w, FILE *out)
{
	const char *name = engine_actor(e, ev->actor)->name;
	if (WIFSIGNALED(ev->status))
		fprintf(out, "%-*s  +++ killed by SIG%s +++\n", w, name, sigabbrev_np(WTERMSIG(ev->status)));
	else if (WEXITSTATUS(ev->status) != 0 || engine_actor(e, ev->actor)->state != ACTOR_DONE)
		fprintf(out, "%-*s  +++ exited with %d before its end +++\n", w, name, WEXITSTATUS(ev->status));
}

static const char *who(Engine *e, int actor)
{
	return actor >= 0 ? engine_actor(e, actor)->name : "kernel";
}

/* Packets and states, indented under the calls that caused them. */
static void print_kernel(Engine *e, const Event *ev, int w, FILE *out)
{
	char text[512];
	if (ev->kind == EV_PACKET) {
		kerneltext_packet(ev, text, sizeof text);
		fprintf(out, "%*s  ~ %s -> %s  %s\n", w, "", who(e, ev->actor), who(e, ev->peer_actor), text);
	} else {
		kerneltext_state(ev, text, sizeof text);
		fprintf(out, "%*s  ~ %s  %s\n", w, "", who(e, ev->actor), text);
	}
}

/* Packets and state changes seen while a call ran are printed under that
 * call's line, which is written when it returns; so they wait here. */
static size_t held[256];
static size_t nheld;
static uint64_t open_call;

static void release(Engine *e, int w, FILE *out)
{
	for (size_t k = 0; k < nheld; k++)
		print_kernel(e, timeline_get(engine_timeline(e), held[k]), w, out);
	nheld = 0;
	open_call = 0;
}

size_t plain_print(Engine *e, size_t from, FILE *out)
{
	const Timeline *t = engine_timeline(e);
	int w = name_width(e);
	char ctext[1024];
	for (; from < timeline_count(t); from++) {
		const Event *ev = timeline_get(t, from);
		if ((ev->kind == EV_PACKET || ev->kind == EV_STATE) && open_call && nheld < 256) {
			held[nheld++] = from;
			continue;
		}
		const char *name = ev->actor >= 0 ? engine_actor(e, ev->actor)->name : "sockstep";
		switch (ev->kind) {
		case EV_CALL:
			if (!ev->blocked) {
				open_call = ev->seq;
				break;
			}
			calltext_call(ev, MAXSTR, ctext, sizeof ctext);
			fprintf(out, "%-*s  %s ... blocks\n", w, name, ctext);
			break;
		case EV_RETURN:
			print_return(e, ev, w, out);
			if (ev->call_seq == open_call)
				release(e, w, out);
			break;
		case EV_PRINT:
			fprintf(out, "%-*s  | %s\n", w, name, ev->text);
			break;
		case EV_INPUT:
			calltext_quote((const unsigned char *)ev->text, strlen(ev->text), ctext, sizeof ctext);
			fprintf(out, "%-*s  input = \"%s\"\n", w, name, ctext);
			break;
		case EV_EXIT:
			print_exit(e, ev, w, out);
			break;
		case EV_NOTE:
			fprintf(out, "%-*s  -- %s\n", w, name, ev->text);
			break;
		case EV_PACKET:
		case EV_STATE:
			print_kernel(e, ev, w, out);
			break;
		}
	}
	if (open_call && !timeline_return_of(t, open_call))
		release(e, w, out);  /* still running: blocked after all; show what we have */
	fflush(out);
	return from;
}

/* Which actors are stuck, and in what, for the closing message. */
static void report_stuck(Engine *e)
{
	char ctext[1024];
	const Timeline *t = engine_timeline(e);
	for (int i = 0; i < engine_actor_count(e); i++) {
		const EngineActor *a = engine_actor(e, i);
		if (a->state != ACTOR_BLOCKED)
			continue;
		const Event *call = timeline_by_seq(t, a->call_seq);
		if (call)
			calltext_call(call, MAXSTR, ctext, sizeof ctext);
		fprintf(stderr, "sockstep: %s is blocked in %s and no actor can wake it\n",
			a->name, call ? ctext : "a call");
	}
}

int plain_run(Engine *e, FILE *out)
{
	char err[256];
	const Lesson *l = engine_lesson(e);
	fprintf(out, "# %s\n", l->title);
	if (engine_start(e, err, sizeof err) < 0) {
		fprintf(stderr, "sockstep: %s\n", err);
		return 2;
	}
	fprintf(out, "# network: %s\n", engine_network(e));
	if (*engine_kernel_note(e))
		fprintf(out, "# kernel view: %s\n", engine_kernel_note(e));
	size_t shown = plain_print(e, 0, out);
	if (engine_free_running(e)) {
		engine_run_free(e, STUCK_MS);
		plain_print(e, shown, out);
		int done = engine_succeeded(e);
		if (!done)
			fprintf(stderr, "sockstep: the free run did not reach its end\n");
		engine_stop(e);
		return done ? 0 : 1;
	}
	/* Step while anything can move; when nothing can, give a blocked call
	 * time to return by itself (a SYN retransmitted after a full queue). */
	for (;;) {
		if (engine_step(e, -1, NULL) < 0 && !engine_wait(e, STUCK_MS))
			break;
		shown = plain_print(e, shown, out);
	}
	engine_drain(e, 2000);
	plain_print(e, shown, out);
	int ok = engine_succeeded(e);
	if (!ok)
		report_stuck(e);
	engine_stop(e);
	return ok ? 0 : 1;
}
