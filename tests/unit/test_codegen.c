/* test_codegen.c - the code pane's programs: the lines a student reads for
 * each step, and programs that are real (the C builds with the system
 * compiler, the Python compiles). Reads lessons/ relative to the repository
 * root, where tests run; tests/lessons/code.sh runs every lesson's programs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model/lesson.h"
#include "views/codegen.h"

static Lesson *load(const char *path)
{
	char err[512];
	Lesson *l = lesson_load(path, err, sizeof err);
	if (!l)
		fail_msg("%s", err);
	return l;
}

/* A lesson by name ("chat"), whatever its number is now. */
static Lesson *load_named(const char *name)
{
	char pattern[256];
	glob_t g;
	snprintf(pattern, sizeof pattern, "lessons/*-%s.lesson", name);
	assert_int_equal(glob(pattern, 0, NULL, &g), 0);
	Lesson *l = load(g.gl_pathv[0]);
	globfree(&g);
	return l;
}

static Lesson *parse(const char *text)
{
	char err[512];
	Lesson *l = lesson_parse("test.lesson", text, strlen(text), err, sizeof err);
	if (!l)
		fail_msg("%s", err);
	return l;
}

/* Does some line of the program contain text? Returns its index, or -1. */
static int find(const Code *c, const char *text)
{
	for (int i = 0; i < c->nlines; i++)
		if (strstr(c->lines[i], text))
			return i;
	return -1;
}

static const char *line_of(const Code *c, int step)
{
	assert_in_range(step, 0, c->nsteps - 1);
	int at = c->step_line[step];
	assert_in_range(at, 0, c->nlines - 1);
	return c->lines[at];
}

static void test_echo_python(void **state)
{
	(void)state;
	Lesson *l = load("lessons/01-echo.lesson");
	Code *c = codegen_make(l, 0, CODE_PYTHON);
	assert_non_null(c);
	assert_int_equal(c->nsteps, l->actors[0].nsteps);
	assert_string_equal(c->lines[0], "#!/usr/bin/env python3");
	assert_true(find(c, "import socket") >= 0);
	assert_true(find(c, "def main():") >= 0);
	assert_true(find(c, "    main()") >= 0);
	/* server: socket bind listen accept print loop recv break sendall end close close */
	assert_non_null(strstr(line_of(c, 0), "with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:"));
	assert_non_null(strstr(line_of(c, 1), "s.bind((\"127.0.0.1\", 65432))"));
	assert_non_null(strstr(line_of(c, 2), "s.listen(1)"));
	assert_non_null(strstr(line_of(c, 3), "conn, addr = s.accept()"));
	assert_non_null(strstr(line_of(c, 4), "print(f\"Connected by {addr[0]}:{addr[1]}\")"));
	assert_non_null(strstr(line_of(c, 5), "while True:"));
	assert_non_null(strstr(line_of(c, 6), "data = conn.recv(1024)"));
	assert_non_null(strstr(line_of(c, 7), "if not data:"));
	assert_non_null(strstr(line_of(c, 8), "conn.sendall(data)"));
	assert_int_equal(c->step_line[9], -1);   /* Python's loop ends by indentation */
	assert_non_null(strstr(line_of(c, 10), "conn.close()"));
	assert_non_null(strstr(line_of(c, 11), "s.close()"));
	/* As the seed tutorials write it: sockets in with-blocks, and no
	 * try/except where the lesson expects no failure. */
	int at = c->step_line[3];
	assert_string_equal(c->lines[at + 1], "        with conn:");
	assert_true(find(c, "try:") < 0);
	/* The narration reads as comments above the call it explains. */
	assert_non_null(strstr(c->lines[c->step_line[0] - 1], "    # "));
	codegen_free(c);

	c = codegen_make(l, 1, CODE_PYTHON);
	assert_non_null(c);
	assert_non_null(strstr(line_of(c, 2), "s.sendall(b\"Hello, world\")"));
	assert_non_null(strstr(line_of(c, 5), "print(f\"Received {data.decode()}\")"));
	codegen_free(c);
	lesson_free(l);
}

/* An event loop's blocks in both languages: if-ready reads poll's answer
 * for that socket, if-empty the last recv's count, break-if-contains the
 * bytes received; a closed socket is -1 (C) or left out (Python), as poll()
 * skips it in the actor; after, sockstep's own ordering, is a comment. */
static void test_event_loop_code(void **state)
{
	(void)state;
	Lesson *l = load("lessons/27-eventloop.lesson");
	Code *c = codegen_make(l, 0, CODE_C);
	assert_non_null(c);
	assert_non_null(strstr(line_of(c, 7), "if (fds[0].revents) {"));
	assert_non_null(strstr(line_of(c, 10), "if (n == 0) {"));
	assert_non_null(strstr(c->lines[c->step_line[11] + 2], "alice = -1;"));
	assert_non_null(strstr(line_of(c, 14), "if (fds[1].revents) {"));
	codegen_free(c);
	c = codegen_make(l, 0, CODE_PYTHON);
	assert_non_null(c);
	assert_true(find(c, "            if sock.fileno() >= 0:  # closed sockets are left out, as poll() skips -1") >= 0);
	assert_non_null(strstr(line_of(c, 7), "if alice.fileno() in dict(ready):"));
	assert_non_null(strstr(line_of(c, 10), "if not data:"));
	codegen_free(c);
	lesson_free(l);

	l = load("lessons/28-http.lesson");
	c = codegen_make(l, 0, CODE_C);
	assert_non_null(c);
	assert_non_null(strstr(line_of(c, 7), "if (contains(data, n, \"\\r\\n\\r\\n\", 4))"));
	assert_true(find(c, "static int contains(const char *p, ssize_t n, const char *text, size_t len)") >= 0);
	codegen_free(c);
	c = codegen_make(l, 0, CODE_PYTHON);
	assert_non_null(c);
	assert_non_null(strstr(line_of(c, 7), "if b\"\\r\\n\\r\\n\" in data:"));
	codegen_free(c);
	lesson_free(l);

	l = load("lessons/05-stream.lesson");
	c = codegen_make(l, 0, CODE_PYTHON);
	assert_non_null(c);
	assert_non_null(strstr(line_of(c, 7), "# sockstep runs the next call after client's close"));
	codegen_free(c);
	c = codegen_make(l, 0, CODE_C);
	assert_non_null(c);
	assert_non_null(strstr(line_of(c, 7), "/* sockstep runs the next call after client's close */"));
	codegen_free(c);
	lesson_free(l);
}

static void test_echo_c(void **state)
{
	(void)state;
	Lesson *l = load("lessons/01-echo.lesson");
	Code *c = codegen_make(l, 0, CODE_C);
	assert_non_null(c);
	assert_true(find(c, "#include <sys/socket.h>") >= 0);
	assert_true(find(c, "int main(void)") >= 0);
	assert_true(find(c, "int s = -1, conn = -1;") >= 0);
	assert_non_null(strstr(line_of(c, 0), "s = socket(AF_INET, SOCK_STREAM, 0);"));
	assert_non_null(strstr(line_of(c, 1), "if (bind(s, (struct sockaddr *)&addr, sizeof addr) < 0)"));
	assert_non_null(strstr(c->lines[c->step_line[1] - 2], "htons(65432)"));
	assert_non_null(strstr(c->lines[c->step_line[1] - 1], "inet_pton(AF_INET, \"127.0.0.1\""));
	assert_non_null(strstr(line_of(c, 3), "conn = accept(s, (struct sockaddr *)&peer, &peerlen);"));
	assert_non_null(strstr(line_of(c, 4), "printf(\"Connected by %s\\n\", show_addr(&peer, peerlen));"));
	assert_non_null(strstr(line_of(c, 5), "for (;;) {"));
	assert_non_null(strstr(line_of(c, 6), "n = recv(conn, data, 1024, 0);"));
	assert_non_null(strstr(line_of(c, 7), "if (n == 0)"));
	assert_non_null(strstr(line_of(c, 8), "send_all(conn, data, (size_t)n, 0)"));
	assert_string_equal(line_of(c, 9), "    }");
	assert_non_null(strstr(line_of(c, 10), "close(conn)"));
	assert_non_null(strstr(c->lines[c->step_line[10] + 1], "perror(\"close\");"));
	codegen_free(c);
	lesson_free(l);
}

/* Steps come in file order, so their lines do too; every step but a
 * Python 'end' has one, in every lesson there is. */
static void test_every_lesson_maps_steps(void **state)
{
	(void)state;
	glob_t files;
	assert_int_equal(glob("lessons/*.lesson", 0, NULL, &files), 0);
	assert_true(files.gl_pathc >= 3);
	for (size_t f = 0; f < files.gl_pathc; f++) {
		Lesson *l = load(files.gl_pathv[f]);
		for (int a = 0; a < l->nactors; a++) {
			for (int lang = CODE_PYTHON; lang <= CODE_C; lang++) {
				Code *c = codegen_make(l, a, (CodeLang)lang);
				assert_non_null(c);
				int last = -1;
				for (int i = 0; i < c->nsteps; i++) {
					int at = c->step_line[i];
					if (lang == CODE_PYTHON && l->actors[a].steps[i].op == OP_END) {
						assert_int_equal(at, -1);
						continue;
					}
					assert_in_range(at, last + 1, c->nlines - 1);
					last = at;
				}
				codegen_free(c);
			}
		}
		lesson_free(l);
	}
	globfree(&files);
}

static const char tricky[] =
	"title: Tricky */ names\n"
	"actor my-server\n"
	"  socket AF_INET SOCK_STREAM as for\n"
	"  print \"before any peer: $peer, 100% {braces} ?\?= \\\"quoted\\\"\"\n"
	"  setsockopt SOL_SOCKET SO_REUSEADDR 1\n"
	"  setsockopt SOL_SOCKET SO_RCVTIMEO_MS 1500\n"
	"  getsockopt SOL_SOCKET SO_RCVTIMEO_MS\n"
	"  getsockopt SOL_SOCKET SO_ERROR\n"
	"  bind 127.0.0.1 0\n"
	"  listen\n"
	"  setblocking 0\n"
	"  accept as 2nd-conn\n"
	"  getsockname on for\n"
	"  getpeername\n"
	"  poll for 2nd-conn timeout 10\n"
	"  select for 2nd-conn write timeout 1500\n"
	"  select for\n"
	"  repeat 2\n"
	"    repeat 3\n"
	"      recv 100 MSG_PEEK MSG_DONTWAIT\n"
	"    end\n"
	"    loop\n"
	"      sleep 1\n"
	"    end\n"
	"  end\n"
	"  send upper $received MSG_NOSIGNAL\n"
	"  sendall bytes 100000\n"
	"  sendall \"a\\0b\\x80\\n\"\n"
	"  shutdown SHUT_RDWR\n"
	"  sleep 10\n"
	"  gethostname\n"
	"  getaddrinfo localhost 80\n"
	"  getaddrinfo localhost 80 AF_INET6 SOCK_DGRAM\n"
	"  getaddrinfo localhost 80 AF_UNSPEC SOCK_STREAM\n"
	"  close\n"
	"actor client dies SIGPIPE\n"
	"  socket AF_UNIX SOCK_DGRAM\n"
	"  bind @me\n"
	"  sendto \"x\" /tmp/x.sock\n"
	"  recvfrom 10\n"
	"  print \"$peer said $received\"\n"
	"  loop\n"
	"    input \" ? \" example \"q\"\n"
	"    break-if-input \"q\"\n"
	"    sendto upper $input $peer\n"
	"  end\n"
	"  socket AF_INET6 SOCK_STREAM as six\n"
	"  connect ::1 80\n"
	"  close\n";

static void test_names_and_literals(void **state)
{
	(void)state;
	Lesson *l = parse(tricky);
	Code *py = codegen_make(l, 0, CODE_PYTHON);
	Code *c = codegen_make(l, 0, CODE_C);
	assert_non_null(py);
	assert_non_null(c);
	/* A socket name that is a keyword, or has a '-' or a leading digit. */
	assert_true(find(py, "with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as for_sock:") >= 0);
	assert_true(find(py, "sock_2nd_conn, addr = for_sock.accept()") >= 0);
	assert_true(find(c, "int for_sock = -1, sock_2nd_conn = -1;") >= 0);
	/* $peer before any accept is text; braces and quotes stay text. */
	assert_true(find(py, "print(\"before any peer: (unnamed), 100% {braces} ?\?= \\\"quoted\\\"\")") >= 0);
	assert_true(find(c, "100%% {braces} ?\\?= \\\"quoted\\\"") >= 0);
	assert_true(find(py, "struct.pack(\"ll\", 1, 500000)") >= 0);
	assert_true(find(py, "data = sock_2nd_conn.recv(100, socket.MSG_PEEK | socket.MSG_DONTWAIT)") >= 0);
	assert_true(find(c, "n = recv(sock_2nd_conn, data, 100, MSG_PEEK | MSG_DONTWAIT);") >= 0);
	assert_true(find(py, "for _ in range(3):") >= 0);
	assert_true(find(c, "for (int j = 0; j < 3; j++) {") >= 0);
	assert_true(find(py, "sock_2nd_conn.send(data.upper(), socket.MSG_NOSIGNAL)") >= 0);
	assert_true(find(py, "sendall(pattern(100000))") >= 0);
	assert_true(find(py, "sendall(b\"a\\x00b\\x80\\n\")") >= 0);
	assert_true(find(c, "send_all(sock_2nd_conn, \"a\\000b\\200\\n\", 5, 0)") >= 0);
	assert_true(find(py, "time.sleep(0.01)") >= 0);
	assert_true(find(py, "ready = poller.poll(10)") >= 0);
	assert_true(find(py, "_, ready, _ = select.select([], [for_sock, sock_2nd_conn], [], 1.5)") >= 0);
	assert_true(find(py, "ready, _, _ = select.select([for_sock], [], [])") >= 0);
	assert_true(find(py, "socket.getaddrinfo(\"localhost\", 80, type=socket.SOCK_STREAM)") >= 0);
	/* The title cannot end the C comment it is quoted in. */
	assert_int_equal(find(c, "Tricky */"), -1);
	codegen_free(py);
	codegen_free(c);

	py = codegen_make(l, 1, CODE_PYTHON);
	assert_non_null(py);
	assert_true(find(py, "signal.signal(signal.SIGPIPE, signal.SIG_DFL)") >= 0);
	assert_true(find(py, "s.bind(\"\\x00me\")") >= 0 || find(py, "s.bind(\"\\0me\")") >= 0);
	assert_true(find(py, "print(f\"{addr or '(unnamed)'} said {data.decode()}\")") >= 0);
	assert_true(find(py, "line = input(\" ? \")") >= 0);
	assert_true(find(py, "if line == \"q\":") >= 0);
	assert_true(find(py, "s.sendto(line.encode().upper(), addr)") >= 0);
	assert_true(find(py, "six.connect((\"::1\", 80))") >= 0);
	codegen_free(py);
	lesson_free(l);
}

/* Write the program, then run a command on it: 0 when it succeeds. */
static int check_file(const Code *c, const char *dir, const char *file, const char *cmd)
{
	char path[512], shell[1536];
	snprintf(path, sizeof path, "%s/%s", dir, file);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	for (int i = 0; i < c->nlines; i++)
		fprintf(f, "%s\n", c->lines[i]);
	fclose(f);
	snprintf(shell, sizeof shell, "cd '%s' && %s >build.log 2>&1 || { cat build.log >&2; exit 1; }", dir, cmd);
	return system(shell);
}

static int have(const char *tool)
{
	char cmd[128];
	snprintf(cmd, sizeof cmd, "command -v %s >/dev/null 2>&1", tool);
	return system(cmd) == 0;
}

static void test_programs_build(void **state)
{
	(void)state;
	if (!have("cc") || !have("python3"))
		skip();
	char dir[] = "/tmp/sockstep-codegen-XXXXXX";
	assert_non_null(mkdtemp(dir));
	Lesson *lessons[] = { load("lessons/01-echo.lesson"), load_named("chat"), parse(tricky) };
	for (size_t k = 0; k < sizeof lessons / sizeof lessons[0]; k++) {
		Lesson *l = lessons[k];
		for (int a = 0; a < l->nactors; a++) {
			Code *c = codegen_make(l, a, CODE_C);
			assert_non_null(c);
			assert_int_equal(check_file(c, dir, "prog.c",
						    "cc -std=c11 -Wall -Wextra -Werror -o prog prog.c"), 0);
			codegen_free(c);
			c = codegen_make(l, a, CODE_PYTHON);
			assert_non_null(c);
			assert_int_equal(check_file(c, dir, "prog.py", "python3 -m py_compile prog.py"), 0);
			codegen_free(c);
		}
		lesson_free(l);
	}
	char rm[600];
	snprintf(rm, sizeof rm, "rm -rf '%s'", dir);
	assert_int_equal(system(rm), 0);
}

static void test_write_and_languages(void **state)
{
	(void)state;
	CodeLang lang;
	assert_int_equal(codegen_lang("python", &lang), 0);
	assert_int_equal(lang, CODE_PYTHON);
	assert_int_equal(codegen_lang("c", &lang), 0);
	assert_int_equal(lang, CODE_C);
	assert_int_equal(codegen_lang("rust", &lang), -1);

	Lesson *l = load("lessons/01-echo.lesson");
	assert_null(codegen_make(l, 2, CODE_C));
	assert_null(codegen_make(l, -1, CODE_C));
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);
	assert_int_equal(codegen_write(l, -1, CODE_PYTHON, out), 0);
	fclose(out);
	assert_non_null(strstr(text, "# ---- actor server ----\n#!/usr/bin/env python3\n"));
	assert_non_null(strstr(text, "\n\n# ---- actor client ----\n"));
	free(text);
	out = open_memstream(&text, &len);
	assert_int_equal(codegen_write(l, 1, CODE_C, out), 0);
	fclose(out);
	assert_null(strstr(text, "---- actor"));
	assert_non_null(strstr(text, "connect(s, (struct sockaddr *)&addr, sizeof addr)"));
	free(text);
	assert_int_equal(codegen_write(l, 5, CODE_C, stdout), -1);
	lesson_free(l);
}

/* Only a call the lesson expects to fail is in try/except: its question's
 * answer or its narration names the errno, or it cannot wait. A narration
 * that says what would happen ("If ..., it fails with ...") does not. */
static void test_expected_failures(void **state)
{
	(void)state;
	Lesson *l = parse("title: Failures\n"
			  "actor client\n"
			  "  socket AF_INET SOCK_STREAM\n"
			  "  bind 127.0.0.1 6000\n"
			  "  > If another program uses the port, bind() fails with EADDRINUSE.\n"
			  "  connect 127.0.0.1 6001\n"
			  "  ? Nobody listens. What happens?  [ECONNREFUSED] 0\n"
			  "  socket AF_INET SOCK_STREAM as b\n"
			  "  setblocking 0\n"
			  "  recv 10\n"
			  "  send \"x\"\n"
			  "  > send() on a socket that never connected fails with EPIPE.\n");
	Code *c = codegen_make(l, 0, CODE_PYTHON);
	assert_non_null(c);
	assert_string_equal(c->lines[c->step_line[1] - 1], "        # If another program uses the port, bind() fails with EADDRINUSE.");
	assert_non_null(strstr(c->lines[c->step_line[1]], "s.bind("));
	assert_string_equal(c->lines[c->step_line[2] - 1], "        try:");
	assert_string_equal(c->lines[c->step_line[5] - 1], "            try:");
	assert_string_equal(c->lines[c->step_line[6] - 1], "            try:");
	/* The socket made after a failed call is in a with-block too. */
	assert_true(find(c, "with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as b:") >= 0);
	codegen_free(c);
	c = codegen_make(l, 0, CODE_C);
	assert_non_null(c);
	assert_true(find(c, "    /* If another program uses the port, bind() fails with EADDRINUSE. */") >= 0);
	codegen_free(c);
	lesson_free(l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_echo_python),
		cmocka_unit_test(test_echo_c),
		cmocka_unit_test(test_event_loop_code),
		cmocka_unit_test(test_every_lesson_maps_steps),
		cmocka_unit_test(test_names_and_literals),
		cmocka_unit_test(test_programs_build),
		cmocka_unit_test(test_write_and_languages),
		cmocka_unit_test(test_expected_failures),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
