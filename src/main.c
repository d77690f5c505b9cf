/* main.c - sockstep's command line: arguments and wiring only. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "model/catalog.h"
#include "model/engine.h"
#include "model/lesson.h"
#include "model/progress.h"
#include "tui.h"
#include "ui/plain.h"
#include "views/codegen.h"

#ifndef SOCKSTEP_VERSION
#define SOCKSTEP_VERSION "0"
#endif

static void usage(FILE *out)
{
	fputs("Usage: sockstep [OPTION]... [LESSON]\n"
	      "       sockstep --code python|c LESSON [ACTOR]\n"
	      "Step through a real socket program, one system call per key.\n"
	      "\n"
	      "LESSON is a lesson file, or a name or number from --list. Without one, the\n"
	      "screen opens the lesson menu (--plain and --check run echo).\n"
	      "\n"
	      "  -p, --plain        no screen: run the lesson to its end, one line per event\n"
	      "  -l, --list         list the lessons\n"
	      "  -c, --check        run the lesson unattended and report every problem:\n"
	      "                     a run that does not finish, an answer that is wrong\n"
	      "  -a, --autoplay     start the TUI with autoplay on\n"
	      "      --code LANG    print each actor's program in python or c (only ACTOR's\n"
	      "                     when given): real code that runs as the lesson does\n"
	      "      --reset-progress  forget which lessons are finished\n"
	      "  -t, --theme NAME   colours: default, or contrast (for projectors)\n"
	      "      --no-color     no colours (also when NO_COLOR is set)\n"
	      "      --no-netns     use the host's loopback, not a private network namespace\n"
	      "      --pcap FILE    write the packets of the run to FILE (pcap, for Wireshark)\n"
	      "      --allow-external  on the host's network, let a lesson bind beyond loopback\n"
	      "      --free-run     with --plain: run at full speed without stopping (no kernel view)\n"
	      "  -h, --help         show this help\n"
	      "  -V, --version      show the version\n"
	      "\n"
	      "Keys: space/n next step, tab/arrows pick an actor, enter step it, a autoplay,\n"
	      "+/- speed, 1-9 answer a question, c code, r restart, m menu, ? help, q quit.\n"
	      "Exit status: 0 ok; 1 the lesson did not run to its end; 2 bad usage or lesson.\n",
	      out);
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

static int list_lessons(void)
{
	CatalogEntry *list = NULL;
	int n = catalog_list(&list);
	if (n < 0) {
		fprintf(stderr, "sockstep: no lesson directory found\n");
		return 2;
	}
	for (int i = 0; i < n; i++)
		printf("%02d  %-12s  %s\n", list[i].number, list[i].name, list[i].title);
	free(list);
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "plain", no_argument, NULL, 'p' },
		{ "list", no_argument, NULL, 'l' },
		{ "check", no_argument, NULL, 'c' },
		{ "reset-progress", no_argument, NULL, 'R' },
		{ "autoplay", no_argument, NULL, 'a' },
		{ "code", required_argument, NULL, 'G' },
		{ "theme", required_argument, NULL, 't' },
		{ "no-color", no_argument, NULL, 'C' },
		{ "no-netns", no_argument, NULL, 'N' },
		{ "pcap", required_argument, NULL, 'P' },
		{ "allow-external", no_argument, NULL, 'X' },
		{ "free-run", no_argument, NULL, 'F' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ 0, 0, 0, 0 },
	};
	int plain = 0, list = 0, check = 0;
	const char *code = NULL;
	EngineOptions eo = { .settle_ms = 50 };
	TuiOptions to = { .theme = "default" };
	const char *settle = getenv("SOCKSTEP_SETTLE_MS");
	if (settle)
		eo.settle_ms = atoi(settle);
	const char *nc = getenv("NO_COLOR");
	to.no_color = nc && *nc;
	int c;
	while ((c = getopt_long(argc, argv, "pclat:hV", longopts, NULL)) != -1) {
		switch (c) {
		case 'p': plain = 1; break;
		case 'l': list = 1; break;
		case 'c': check = 1; break;
		case 'R': return reset_progress();
		case 'a': to.autoplay = 1; break;
		case 'G': code = optarg; break;
		case 't': to.theme = optarg; break;
		case 'C': to.no_color = 1; break;
		case 'N': eo.no_netns = 1; break;
		case 'P': eo.pcap_path = optarg; break;
		case 'X': eo.allow_external = 1; break;
		case 'F': eo.free_run = 1; break;
		case 'h': usage(stdout); return 0;
		case 'V': printf("sockstep %s\n", SOCKSTEP_VERSION); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (list)
		return list_lessons();
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
		fprintf(stderr, "%s\n", err);
		return 2;
	}
	if (code) {
		int status = print_code(l, code, optind + 1 < argc ? argv[optind + 1] : NULL);
		lesson_free(l);
		return status;
	}
	Engine *e = engine_new(l, &eo);
	if (!e) {
		fprintf(stderr, "sockstep: out of memory\n");
		lesson_free(l);
		return 2;
	}
	int status = check ? check_run(e, stdout) : plain_run(e, stdout);
	engine_free(e);
	lesson_free(l);
	return status;
}
