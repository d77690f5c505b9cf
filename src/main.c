/* main.c - sockstep's command line: arguments and wiring only. */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "check.h"
#include "model/catalog.h"
#include "model/engine.h"
#include "model/lesson.h"
#include "model/playback.h"
#include "model/progress.h"
#include "model/recformat.h"
#include "model/utf8.h"
#include "tui.h"
#include "ui/plain.h"
#include "views/codegen.h"
#include "views/keys.h"

#ifndef SOCKSTEP_VERSION
#define SOCKSTEP_VERSION "0"
#endif

/* --help's keys: their help in the options' column (21), lines of 79. */
enum { USAGE_KEYW = 19, USAGE_W = 79 };

/* The keys, from the key table (views/keys.h): what the screen's help says. */
static void keys_usage(FILE *out)
{
	size_t n = keys_help_all(1, USAGE_KEYW, USAGE_W, NULL, 0);
	char *text = malloc(n + 1);
	if (!text)
		return;
	keys_help_all(1, USAGE_KEYW, USAGE_W, text, n + 1);
	fputs(text, out);
	free(text);
}

static void usage(FILE *out)
{
	fputs("Usage: sockstep [OPTION]... [LESSON]\n"
	      "       sockstep --code python|c LESSON [ACTOR]\n"
	      "       sockstep run [OPTION]... --server CMD --client CMD\n"
	      "       sockstep replay [--plain|--narrate|--step|--tui] [--cast FILE] RECORDING\n"
	      "Step through a real socket program, one system call per key.\n"
	      "\n"
	      "LESSON is a lesson file, or a name or number from --list. Without one, the\n"
	      "screen opens the lesson menu (--plain and --check run echo; with no screen,\n"
	      "the lessons are listed, status 2).\n"
	      "\n"
	      "  -p, --plain        no screen: run the lesson to its end, one line per event\n"
	      "                     (also where no screen can be drawn: output not a terminal,\n"
	      "                     TERM=dumb or unset)\n"
	      "      --narrate      plain, with the lesson's narration under each step\n"
	      "      --step         plain, one step per Enter; at an input step the line typed\n"
	      "                     is sent; q or the end of the input quits\n"
	      "      --tui          the screen, never plain by itself (an error without one)\n"
	      "  -l, --list         list the lessons\n"
	      "  -c, --check        run the lesson unattended and report every problem:\n"
	      "                     a run that does not finish, an answer that is wrong\n"
	      "  -a, --autoplay     start the TUI with autoplay on\n"
	      "      --present      presenter mode: the flow and the bytes large, for a projector;\n"
	      "                     PgDn/right step, PgUp/left go back (key p toggles it)\n"
	      "      --code LANG    print each actor's program in python or c (only ACTOR's\n"
	      "                     when given): real code that runs as the lesson does\n"
	      "      --reset-progress  forget which lessons are finished\n"
	      "  -t, --theme NAME   colours: default, or contrast (for projectors)\n"
	      "      --no-color     no colours (also when NO_COLOR is set)\n"
	      "      --no-netns     use the host's loopback, not a private network namespace\n"
	      "      --pcap FILE    write the packets of the run to FILE (pcap, for Wireshark)\n"
	      "      --allow-external  on the host's network, let a lesson bind beyond loopback\n"
	      "      --free-run     with --plain: run at full speed without stopping (no kernel view)\n"
	      "      --record FILE  write the run to FILE as JSON lines, for sockstep replay FILE\n"
	      "      --cast FILE    write the screen to FILE as an asciicast (asciinema play FILE)\n"
	      "\n"
	      "sockstep run steps through your own programs, any language, unchanged:\n"
	      "      --server CMD   a program to run (a shell command line) as the server\n"
	      "      --client CMD   ... as the client\n"
	      "      --actor NAME=CMD  ... as NAME; actors start in the order given\n"
	      "      --input NAME=LINE  a line for NAME's standard input when it reads\n"
	      "                     (--plain; in the TUI and with --step you type it)\n"
	      "  -h, --help         show this help\n"
	      "  -V, --version      show the version\n"
	      "\n"
	      "replay shows a recorded run, every view, stepping forward (space) and back (b),\n"
	      "and runs nothing: no process, no network namespace, no capture.\n"
	      "\n"
	      "Keys on the screen (its help, the ? key, lists them too):\n",
	      out);
	keys_usage(out);
	fputs("Exit status: 0 ok; 1 the lesson did not run to its end; 2 bad usage, lesson or recording,\n"
	      "or a file (--record, --pcap, --cast, the standard output) that could not be written.\n", out);
}

static int reset_progress(void)
{
	char err[512], path[4096];
	if (progress_reset(err, sizeof err) < 0) {
		fprintf(stderr, "sockstep: %s\n", err);
		return 1;
	}
	if (progress_path(path, sizeof path) == 0)
		printf("sockstep: progress cleared (%s)\n", path);
	return 0;
}

/* --code: the programs, or one actor's, as source code. */
static int print_code(const Lesson *l, const char *lang, const char *actor)
{
	CodeLang cl;
	if (codegen_lang(lang, &cl) < 0) {
		fprintf(stderr, "sockstep: unknown language '%s' (python, c)\n", lang);
		return 2;
	}
	int i = actor ? lesson_actor_index(l, actor) : -1;
	if (actor && i < 0) {
		fprintf(stderr, "sockstep: no actor '%s' in %s\n", actor, l->path);
		return 2;
	}
	if (codegen_write(l, i, cl, stdout) < 0) {
		fprintf(stderr, "sockstep: out of memory\n");
		return 2;
	}
	return 0;
}

/* A run has ended with status: if a file it wrote (--record, --pcap) is
 * not whole, say so, and end with 2 whatever the run did. */
static int outputs_written(Run *e, int status)
{
	const char *why = run_output_error(e);
	if (!why)
		return status;
	utf8_print(stderr, "sockstep: %s\n", why);
	return 2;
}

/* sockstep replay FILE: a recorded run, on the screen or as --plain prints
 * it. Nothing of a run's options applies: nothing runs. */
static int replay(int argc, char **argv, int plain, int force_tui, const PlainOptions *po, TuiOptions *to,
		  const char *refused)
{
	char err[1024];
	if (refused) {
		fprintf(stderr, "sockstep: %s does not go with replay: a replay runs nothing\n", refused);
		return 2;
	}
	if (argc != 2) {
		fprintf(stderr, "sockstep: replay takes one recording: sockstep replay [--plain] FILE\n");
		return 2;
	}
	if (force_tui && plain) {
		fprintf(stderr, "sockstep: --tui is the screen; --plain, --narrate and --step are not\n");
		return 2;
	}
	/* Where no screen can be drawn, a replay is printed, as a run is. */
	if (!plain && !force_tui && !to->cast && plain_auto())
		plain = 1;
	if (!plain) {
		to->replay = argv[1];
		return tui_run(to);
	}
	Run *e = playback_open(argv[1], err, sizeof err);
	if (!e) {
		utf8_print(stderr, "sockstep: %s\n", err);
		return 2;
	}
	int status = plain_run_with(e, po, stdout);
	run_free(e);
	return status;
}

static int list_lessons(FILE *out)
{
	CatalogEntry *list = NULL;
	int n = catalog_list(&list);
	if (n < 0) {
		fprintf(stderr, "sockstep: no lesson directory found\n");
		return 2;
	}
	for (int i = 0; i < n; i++)
		utf8_print(out, "%02d  %-12s  %s\n", list[i].number, list[i].name, list[i].title);
	free(list);
	return 0;
}

/* sockstep run: the programs named on the command line, in order. */
typedef struct {
	char *names[LESSON_MAX_ACTORS];
	char *commands[LESSON_MAX_ACTORS];
	int n;
	char *inputs[64];      /* NAME=LINE, applied once every actor is known */
	int ninputs;
} Programs;

static int valid_name(const char *s, size_t n)
{
	if (n == 0 || n > 16)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '_' && s[i] != '-')
			return 0;
	return 1;
}

static int add_program(Programs *p, const char *name, size_t namelen, const char *command)
{
	if (!valid_name(name, namelen)) {
		fprintf(stderr, "sockstep: run: '%.*s' is not an actor name (letters, digits, - and _, "
			"at most 16)\n", (int)namelen, name);
		return -1;
	}
	for (int i = 0; i < p->n; i++) {
		if (strlen(p->names[i]) == namelen && strncmp(p->names[i], name, namelen) == 0) {
			fprintf(stderr, "sockstep: run: two actors are called '%s'\n", p->names[i]);
			return -1;
		}
	}
	if (p->n == LESSON_MAX_ACTORS) {
		fprintf(stderr, "sockstep: run: at most %d programs\n", LESSON_MAX_ACTORS);
		return -1;
	}
	if (!*command) {
		fprintf(stderr, "sockstep: run: %.*s has an empty command\n", (int)namelen, name);
		return -1;
	}
	p->names[p->n] = strndup(name, namelen);
	p->commands[p->n] = strdup(command);
	p->n++;
	return 0;
}

/* --actor NAME=CMD */
static int add_actor(Programs *p, const char *arg)
{
	const char *eq = strchr(arg, '=');
	if (!eq) {
		fprintf(stderr, "sockstep: run: --actor takes NAME=COMMAND, not '%s'\n", arg);
		return -1;
	}
	return add_program(p, arg, (size_t)(eq - arg), eq + 1);
}

/* Is the program a command line starts with there to run? The line is
 * run as sh -c runs it; only a plain first word that is no word of the
 * shell's own is looked for in PATH: the shell would say "not found" too,
 * but only once the run has begun. */
static int findable(const char *command, char *word, size_t cap)
{
	const char *w = command + strspn(command, " \t");
	size_t n = strcspn(w, " \t");
	if (n == 0 || n >= cap || strcspn(w, "=$`'\"(){};&|<>*?[]~\\") < n)
		return 1;
	memcpy(word, w, n);
	word[n] = '\0';
	if (strchr(word, '/'))
		return access(word, X_OK) == 0;
	/* What sh runs without looking in PATH: its reserved words (a for,
	 * while or if loop, a ! pipeline), its special built-ins (export,
	 * set, exit ...) and the usual others. */
	static const char *const shell[] = {
		"!", "{", "}", "case", "do", "done", "elif", "else", "esac", "fi", "for", "if", "in", "then",
		"until", "while", ":", ".", "break", "continue", "eval", "exec", "exit", "export", "readonly",
		"return", "set", "shift", "times", "trap", "unset", "alias", "cd", "command", "echo", "false",
		"getopts", "hash", "kill", "local", "printf", "pwd", "read", "test", "[", "true", "type",
		"ulimit", "umask", "unalias", "wait",
	};
	for (size_t i = 0; i < sizeof shell / sizeof shell[0]; i++)
		if (strcmp(word, shell[i]) == 0)
			return 1;
	const char *path = getenv("PATH");
	char dir[4096];
	for (const char *d = path ? path : "/usr/bin:/bin"; *d;) {
		size_t len = strcspn(d, ":");
		if (snprintf(dir, sizeof dir, "%.*s/%s", (int)len, len ? d : ".", word) < (int)sizeof dir &&
		    access(dir, X_OK) == 0)
			return 1;
		d += len + (d[len] == ':');
	}
	return 0;
}

static Lesson *programs_lesson(Programs *p)
{
	char word[256], title[256];
	if (p->n == 0) {
		fprintf(stderr, "sockstep: run: name the programs: --server CMD --client CMD, or --actor NAME=CMD\n");
		return NULL;
	}
	for (int i = 0; i < p->n; i++) {
		if (!p->names[i] || !p->commands[i]) {
			fprintf(stderr, "sockstep: out of memory\n");
			return NULL;
		}
		if (!findable(p->commands[i], word, sizeof word)) {
			fprintf(stderr, "sockstep: run: %s's command '%s': %s: command not found\n", p->names[i],
				p->commands[i], word);
			return NULL;
		}
	}
	snprintf(title, sizeof title, "your programs: %s%s", p->names[0], p->n > 1 ? " and more" : "");
	if (p->n == 2)
		snprintf(title, sizeof title, "your programs: %s and %s", p->names[0], p->names[1]);
	Lesson *l = lesson_programs(title, p->names, p->commands, p->n);
	for (int i = 0; l && i < p->ninputs; i++) {
		char *eq = strchr(p->inputs[i], '=');
		*eq = '\0';
		int a = lesson_actor_index(l, p->inputs[i]);
		if (a < 0) {
			fprintf(stderr, "sockstep: run: --input for '%s', which is not an actor\n", p->inputs[i]);
			lesson_free(l);
			return NULL;
		}
		if (lesson_add_input(l, a, eq + 1) < 0) {
			lesson_free(l);
			return NULL;
		}
	}
	return l;
}

static void programs_free(Programs *p)
{
	for (int i = 0; i < p->n; i++) {
		free(p->names[i]);
		free(p->commands[i]);
	}
}

static int run_option(Programs *p, int c, const char *arg)
{
	switch (c) {
	case 'S': return add_program(p, "server", 6, arg);
	case 'L': return add_program(p, "client", 6, arg);
	case 'A': return add_actor(p, arg);
	default:
		if (!strchr(arg, '=')) {
			fprintf(stderr, "sockstep: run: --input takes NAME=LINE, not '%s'\n", arg);
			return -1;
		}
		if (p->ninputs == (int)(sizeof p->inputs / sizeof p->inputs[0])) {
			fprintf(stderr, "sockstep: run: too many --input lines\n");
			return -1;
		}
		p->inputs[p->ninputs++] = (char *)arg;
		return 0;
	}
}

static int run_programs(Programs *p, const PlainOptions *po, int plain, int misused, const EngineOptions *eo,
			TuiOptions *to)
{
	if (misused) {
		fprintf(stderr, "sockstep: run takes programs, not a lesson, --list, --check or --code\n");
		programs_free(p);
		return 2;
	}
	if (eo->free_run && !plain) {
		fprintf(stderr, "sockstep: --free-run goes with --plain: a free run does not stop to be stepped\n");
		programs_free(p);
		return 2;
	}
	Lesson *l = programs_lesson(p);
	programs_free(p);
	if (!l)
		return 2;
	if (!plain) {
		to->programs = l;
		to->engine = *eo;
		return tui_run(to);
	}
	Run *e = engine_new(l, eo);
	int status = e ? outputs_written(e, plain_run_with(e, po, stdout)) : 2;
	run_free(e);
	lesson_free(l);
	return status;
}

/* No screen here, and no lesson named: the menu cannot be shown, and
 * running a lesson the student did not pick would surprise; say how to
 * pick one, and which there are. */
static int no_menu(const char *why)
{
	fprintf(stderr, "sockstep: no screen for the lesson menu (%s); name a lesson:\n"
		"  sockstep --plain LESSON         the whole run as text\n"
		"  sockstep --plain --step LESSON  one step per Enter\n", why);
	list_lessons(stderr);
	return 2;
}

/* Long options without a letter. */
enum { OPT_NARRATE = 0x200, OPT_STEP, OPT_TUI, OPT_SCHEMA };

static int sockstep_main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "plain", no_argument, NULL, 'p' },
		{ "list", no_argument, NULL, 'l' },
		{ "check", no_argument, NULL, 'c' },
		{ "reset-progress", no_argument, NULL, 'R' },
		{ "autoplay", no_argument, NULL, 'a' },
		{ "present", no_argument, NULL, 'E' },
		{ "code", required_argument, NULL, 'G' },
		{ "theme", required_argument, NULL, 't' },
		{ "no-color", no_argument, NULL, 'C' },
		{ "no-netns", no_argument, NULL, 'N' },
		{ "pcap", required_argument, NULL, 'P' },
		{ "allow-external", no_argument, NULL, 'X' },
		{ "free-run", no_argument, NULL, 'F' },
		{ "server", required_argument, NULL, 'S' },
		{ "client", required_argument, NULL, 'L' },
		{ "actor", required_argument, NULL, 'A' },
		{ "input", required_argument, NULL, 'I' },
		{ "narrate", no_argument, NULL, OPT_NARRATE },
		{ "step", no_argument, NULL, OPT_STEP },
		{ "tui", no_argument, NULL, OPT_TUI },
		/* Not in --help: the recording format's tables, for the tests
		 * that hold the README and real recordings to them. */
		{ "recording-schema", no_argument, NULL, OPT_SCHEMA },
		{ "record", required_argument, NULL, 'W' },
		{ "cast", required_argument, NULL, 'K' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ 0, 0, 0, 0 },
	};
	int plain = 0, list = 0, check = 0, force_tui = 0;
	PlainOptions po = { .in = STDIN_FILENO };
	const char *code = NULL;
	EngineOptions eo = { .settle_ms = 50 };
	TuiOptions to = { .theme = "default" };
	const char *settle = getenv("SOCKSTEP_SETTLE_MS");
	if (settle)
		eo.settle_ms = atoi(settle);
	const char *nc = getenv("NO_COLOR");
	to.no_color = nc && *nc;
	/* sockstep run ...: the same options, and the programs. */
	int run = argc > 1 && strcmp(argv[1], "run") == 0;
	Programs progs = { .n = 0 };
	if (run) {
		argv[1] = argv[0];
		argv++;
		argc--;
	}
	int c;
	while ((c = getopt_long(argc, argv, "pclat:hV", longopts, NULL)) != -1) {
		switch (c) {
		case 'S': case 'L': case 'A': case 'I':
			if (!run) {
				fprintf(stderr, "sockstep: %s goes with sockstep run\n", argv[optind - 1]);
				return 2;
			}
			if (run_option(&progs, c, optarg) < 0) {
				programs_free(&progs);
				return 2;
			}
			break;
		case 'p': plain = 1; break;
		case 'l': list = 1; break;
		case 'c': check = 1; break;
		case 'R': return reset_progress();
		case 'a': to.autoplay = 1; break;
		case 'E': to.present = 1; break;
		case 'G': code = optarg; break;
		case 't': to.theme = optarg; break;
		case 'C': to.no_color = 1; break;
		case 'N': eo.no_netns = 1; break;
		case 'P': eo.pcap_path = optarg; break;
		case 'X': eo.allow_external = 1; break;
		case 'F': eo.free_run = 1; break;
		case OPT_NARRATE: po.narrate = plain = 1; break;
		case OPT_STEP: po.step = plain = 1; break;
		case OPT_TUI: force_tui = 1; break;
		case OPT_SCHEMA: recformat_schema(stdout); return 0;
		case 'W': eo.record_path = optarg; break;
		case 'K': to.cast = optarg; break;
		case 'h': usage(stdout); return 0;
		case 'V': printf("sockstep %s\n", SOCKSTEP_VERSION); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (to.cast && (plain || check || code)) {
		fprintf(stderr, "sockstep: --cast records the screen, and --plain, --check and --code have none\n");
		return 2;
	}
	/* No screen here: the programs run plain (unless the screen is what
	 * was asked for, by --tui or --cast: it then says why it cannot). */
	if (run && !plain && !force_tui && !to.cast && plain_auto())
		plain = 1;
	if (run)
		return run_programs(&progs, &po, plain, check || list || code || optind < argc, &eo, &to);
	if (list)
		return list_lessons(stdout);
	if (optind < argc && strcmp(argv[optind], "replay") == 0) {
		const char *refused = check ? "--check" : code ? "--code" : eo.free_run ? "--free-run"
				      : eo.record_path ? "--record" : eo.pcap_path ? "--pcap" : NULL;
		return replay(argc - optind, argv + optind, plain, force_tui, &po, &to, refused);
	}
	if (force_tui && (plain || check || code)) {
		fprintf(stderr, "sockstep: --tui is the screen; --plain, --narrate, --step, --check and --code are not\n");
		return 2;
	}
	if (po.step && eo.free_run) {
		fprintf(stderr, "sockstep: --step stops before every call; --free-run never stops\n");
		return 2;
	}
	if (eo.free_run && (!plain || check)) {
		fprintf(stderr, "sockstep: --free-run goes with --plain: a free run does not stop to be stepped\n");
		return 2;
	}
	if (strcmp(to.theme, "default") != 0 && strcmp(to.theme, "contrast") != 0) {
		fprintf(stderr, "sockstep: unknown theme '%s' (default, contrast)\n", to.theme);
		return 2;
	}
	if (optind + 1 + (code != NULL) < argc) {
		fprintf(stderr, "sockstep: one lesson at a time\n");
		usage(stderr);
		return 2;
	}
	/* Without a lesson the TUI opens the lesson menu; the modes that run
	 * one lesson unattended run the first. */
	const char *arg = optind < argc ? argv[optind] : NULL;
	int tui = !check && !plain && !code;
	const char *why = tui && !force_tui && !to.cast ? plain_auto() : NULL;
	if (why && !arg)
		return no_menu(why);
	if (why)
		tui = 0;  /* no screen here: the lesson runs plain */
	if (!arg && !tui)
		arg = "echo";
	char path[4096], err[512];
	if (arg && catalog_find(arg, path, sizeof path) < 0) {
		fprintf(stderr, "sockstep: no lesson '%s' (see sockstep --list)\n", arg);
		return 2;
	}
	if (tui) {
		to.lesson = arg ? path : NULL;
		to.engine = eo;
		return tui_run(&to);
	}
	Lesson *l = lesson_load(path, err, sizeof err);
	if (!l) {
		utf8_print(stderr, "%s\n", err);
		return 2;
	}
	if (code) {
		int status = print_code(l, code, optind + 1 < argc ? argv[optind + 1] : NULL);
		lesson_free(l);
		return status;
	}
	Run *e = engine_new(l, &eo);
	if (!e) {
		fprintf(stderr, "sockstep: out of memory\n");
		lesson_free(l);
		return 2;
	}
	int status = outputs_written(e, check ? check_run(e, stdout) : plain_run_with(e, &po, stdout));
	run_free(e);
	lesson_free(l);
	return status;
}

/* Whatever was printed must have reached the standard output: a transcript
 * cut short by a full disk is an error, not a success. */
static int stdout_written(int status)
{
	int failed = fflush(stdout) == EOF, err = errno;
	if (!failed && !ferror(stdout))
		return status;
	if (failed)
		fprintf(stderr, "sockstep: cannot write the standard output: %s\n", strerror(err));
	else
		fprintf(stderr, "sockstep: cannot write the standard output\n");
	return 2;
}

int main(int argc, char **argv)
{
	/* Not dumpable: a program sockstep runs has the same user, and could
	 * otherwise trace sockstep, open its memory or copy its descriptors
	 * (pidfd_getfd), the channels to every actor among them. This also
	 * makes its /proc files root's, and no core file is written. */
	prctl(PR_SET_DUMPABLE, 0);
	return stdout_written(sockstep_main(argc, argv));
}
