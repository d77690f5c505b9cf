/* bench.c - `make bench`: sockstep's performance table (issue #5).
 *
 * Drives the real program the way a classroom does, through a pseudo
 * terminal (forkpty), and prints one Markdown table: each figure is a median
 * of repeated runs, and each comparison is measured in the same run, side by
 * side, because the machines this runs on are shared and noisy: an absolute
 * time alone says little, a ratio to a reference measured a moment before
 * says more.
 *
 * Frames are recognised by what they show, not by guessing from timing: the
 * pty's output goes through a small terminal emulator (Vt below, the subset
 * of xterm that ncurses uses), so "the frame that shows step 42" means the
 * title row reads "step 42". A frame is complete when the output then pauses
 * for GAP_MS; its time is that of its last byte, so the pause itself is not
 * counted. sockstep's next animation frame comes ANIM_MS (35 ms) later at
 * the earliest, far beyond the pause.
 *
 * Usage: bench SOCKSTEP MINIMAL PINGPONG LESSONDIR   (bench/run.sh builds
 * and runs it). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* The screen every pty gets: the design's 80x24, the smallest a lesson
 * is drawn at, so the byte counts are the classroom's lower bound. */
enum { COLS_ = 80, ROWS_ = 24 };

/* See the top: a frame is over when the output pauses this long. */
enum { GAP_MS = 5 };

/* Step latency: set-up steps (socket, bind, listen, the client's sleep, a
 * blocking accept) are not the ping-pong; the steps after them are. */
enum { WARMUP_STEPS = 10, LATENCY_STEPS = 512 };

/* Terminal output: steps whose bytes are counted, each with its arrow
 * animation played out (QUIET_MS of silence ends it). */
enum { OUTPUT_STEPS = 12, QUIET_MS = 150 };

enum { STARTUP_RUNS = 7, FREE_RUNS = 3, IDLE_MS = 10000 };

/* ---- small helpers ------------------------------------------------------ */

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static _Noreturn void die(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("bench: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(1);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* The p-th percentile (nearest rank) of n values; sorts them. */
static double percentile(double *v, int n, double p)
{
	if (n <= 0)
		return 0;
	qsort(v, (size_t)n, sizeof *v, cmp_double);
	int k = (int)(p / 100.0 * n + 0.999999) - 1;
	if (k < 0)
		k = 0;
	if (k >= n)
		k = n - 1;
	return v[k];
}

static double median(double *v, int n)
{
	if (n <= 0)
		return 0;
	qsort(v, (size_t)n, sizeof *v, cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static void msleep(int ms)
{
	nanosleep(&(struct timespec){ .tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L }, NULL);
}

/* ---- a terminal emulator, just enough of xterm --------------------------- */

/* What ncurses sends for TERM=xterm-256color: cursor addressing and
 * motion, erase in line and display, insert and delete of characters and
 * lines, scroll regions, repeat; attributes and modes are parsed and
 * ignored. Every cell holds one UTF-8 character (sockstep draws only
 * single-width ones). Anything else is counted in `unknown`, and the bench
 * says so: a frame it cannot read is a bench it cannot trust. */
typedef struct {
	int w, h, x, y, wrap, top, bot, sx, sy;
	char cell[ROWS_][COLS_][5];
	char last[5];
	int st;                  /* 0 text, 1 ESC, 2 CSI, 3 OSC/DCS, 4 skip one, 5 ESC in OSC */
	char csi[64];
	int csilen;
	unsigned char u8[4];
	int u8len, u8need;
	long unknown;
} Vt;

static void vt_reset(Vt *v)
{
	memset(v, 0, sizeof *v);
	v->w = COLS_;
	v->h = ROWS_;
	v->bot = ROWS_ - 1;
	for (int y = 0; y < ROWS_; y++)
		for (int x = 0; x < COLS_; x++)
			strcpy(v->cell[y][x], " ");
}

static void vt_blank(Vt *v, int y, int x0, int x1)
{
	for (int x = x0; x < x1 && x < v->w; x++)
		strcpy(v->cell[y][x], " ");
}

/* Rows top..bot move up by n (n < 0: down), blank rows come in. */
static void vt_scroll(Vt *v, int top, int bot, int n)
{
	int rows = bot - top + 1;
	if (n > rows)
		n = rows;
	if (n < -rows)
		n = -rows;
	if (n > 0) {
		memmove(v->cell[top], v->cell[top + n], sizeof v->cell[0] * (size_t)(rows - n));
		for (int y = bot - n + 1; y <= bot; y++)
			vt_blank(v, y, 0, v->w);
	} else if (n < 0) {
		n = -n;
		memmove(v->cell[top + n], v->cell[top], sizeof v->cell[0] * (size_t)(rows - n));
		for (int y = top; y < top + n; y++)
			vt_blank(v, y, 0, v->w);
	}
}

static void vt_lf(Vt *v)
{
	if (v->y == v->bot)
		vt_scroll(v, v->top, v->bot, 1);
	else if (v->y < v->h - 1)
		v->y++;
}

static void vt_put(Vt *v, const char *ch)
{
	if (v->wrap) {
		v->x = 0;
		vt_lf(v);
		v->wrap = 0;
	}
	snprintf(v->cell[v->y][v->x], sizeof v->cell[0][0], "%s", ch);
	snprintf(v->last, sizeof v->last, "%s", ch);
	if (v->x == v->w - 1)
		v->wrap = 1;
	else
		v->x++;
}

static int clamp(int a, int lo, int hi)
{
	return a < lo ? lo : a > hi ? hi : a;
}

static void vt_csi(Vt *v, char final)
{
	int p[16] = { 0 }, np = 0;
	char priv = 0;
	const char *s = v->csi;
	if (*s == '?' || *s == '>' || *s == '=' || *s == '<')
		priv = *s++;
	for (; *s && np < 16; s++) {
		if (*s >= '0' && *s <= '9')
			p[np] = p[np] * 10 + (*s - '0');
		else if (*s == ';' || *s == ':')
			np++;
	}
	np++;
	int n1 = p[0] ? p[0] : 1;
	if (priv && final != 'h' && final != 'l' && final != 'c' && final != 'm' && final != 'n') {
		v->unknown++;
		return;
	}
	v->wrap = 0;
	switch (final) {
	case 'H':
	case 'f':
		v->y = clamp(n1 - 1, 0, v->h - 1);
		v->x = clamp((p[1] ? p[1] : 1) - 1, 0, v->w - 1);
		break;
	case 'A': v->y = clamp(v->y - n1, 0, v->h - 1); break;
	case 'B': v->y = clamp(v->y + n1, 0, v->h - 1); break;
	case 'C': v->x = clamp(v->x + n1, 0, v->w - 1); break;
	case 'D': v->x = clamp(v->x - n1, 0, v->w - 1); break;
	case 'E': v->y = clamp(v->y + n1, 0, v->h - 1); v->x = 0; break;
	case 'F': v->y = clamp(v->y - n1, 0, v->h - 1); v->x = 0; break;
	case 'G':
	case '`': v->x = clamp(n1 - 1, 0, v->w - 1); break;
	case 'd': v->y = clamp(n1 - 1, 0, v->h - 1); break;
	case 'J':
		if (p[0] == 0) {
			vt_blank(v, v->y, v->x, v->w);
			for (int y = v->y + 1; y < v->h; y++)
				vt_blank(v, y, 0, v->w);
		} else if (p[0] == 1) {
			for (int y = 0; y < v->y; y++)
				vt_blank(v, y, 0, v->w);
			vt_blank(v, v->y, 0, v->x + 1);
		} else {
			for (int y = 0; y < v->h; y++)
				vt_blank(v, y, 0, v->w);
		}
		break;
	case 'K':
		if (p[0] == 0)
			vt_blank(v, v->y, v->x, v->w);
		else if (p[0] == 1)
			vt_blank(v, v->y, 0, v->x + 1);
		else
			vt_blank(v, v->y, 0, v->w);
		break;
	case 'X': vt_blank(v, v->y, v->x, v->x + n1); break;
	case '@': {
		int n = clamp(n1, 0, v->w - v->x);
		memmove(v->cell[v->y][v->x + n], v->cell[v->y][v->x], sizeof v->cell[0][0] * (size_t)(v->w - v->x - n));
		vt_blank(v, v->y, v->x, v->x + n);
		break;
	}
	case 'P': {
		int n = clamp(n1, 0, v->w - v->x);
		memmove(v->cell[v->y][v->x], v->cell[v->y][v->x + n], sizeof v->cell[0][0] * (size_t)(v->w - v->x - n));
		vt_blank(v, v->y, v->w - n, v->w);
		break;
	}
	case 'L':
		if (v->y >= v->top && v->y <= v->bot)
			vt_scroll(v, v->y, v->bot, -n1);
		v->x = 0;
		break;
	case 'M':
		if (v->y >= v->top && v->y <= v->bot)
			vt_scroll(v, v->y, v->bot, n1);
		v->x = 0;
		break;
	case 'S': vt_scroll(v, v->top, v->bot, n1); break;
	case 'T': vt_scroll(v, v->top, v->bot, -n1); break;
	case 'r':
		v->top = clamp((p[0] ? p[0] : 1) - 1, 0, v->h - 1);
		v->bot = clamp((np > 1 && p[1] ? p[1] : v->h) - 1, v->top, v->h - 1);
		v->x = v->y = 0;
		break;
	case 'b':
		for (int i = 0; i < n1 && v->last[0]; i++)
			vt_put(v, v->last);
		break;
	case 'm': case 'h': case 'l': case 'n': case 'c': case 't':
		break;
	default:
		v->unknown++;
	}
}

static void vt_feed(Vt *v, const char *buf, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)buf[i];
		switch (v->st) {
		case 1:   /* after ESC */
			v->st = 0;
			switch (c) {
			case '[': v->st = 2; v->csilen = 0; break;
			case ']': case 'P': v->st = 3; break;
			case '(': case ')': case '*': case '+': v->st = 4; break;
			case '7': v->sx = v->x; v->sy = v->y; break;
			case '8': v->x = v->sx; v->y = v->sy; v->wrap = 0; break;
			case 'M':
				if (v->y == v->top)
					vt_scroll(v, v->top, v->bot, -1);
				else if (v->y > 0)
					v->y--;
				break;
			case 'D': vt_lf(v); break;
			case 'E': v->x = 0; vt_lf(v); break;
			case 'c': vt_reset(v); break;
			case '=': case '>': break;
			default: v->unknown++;
			}
			continue;
		case 2:   /* CSI parameters, then the final byte */
			if (c >= 0x40 && c <= 0x7e) {
				v->csi[v->csilen] = 0;
				vt_csi(v, (char)c);
				v->st = 0;
			} else if (v->csilen < (int)sizeof v->csi - 1) {
				v->csi[v->csilen++] = (char)c;
			}
			continue;
		case 3:   /* OSC or DCS: up to BEL or ESC \ */
			if (c == 7)
				v->st = 0;
			else if (c == 27)
				v->st = 5;
			continue;
		case 5:
			v->st = c == '\\' ? 0 : 3;
			continue;
		case 4:   /* the charset of ESC ( B and friends */
			v->st = 0;
			continue;
		}
		if (v->u8need) {   /* the rest of a UTF-8 character */
			v->u8[v->u8len++] = c;
			if (v->u8len == v->u8need) {
				char ch[5] = { 0 };
				memcpy(ch, v->u8, (size_t)v->u8len);
				v->u8need = 0;
				vt_put(v, ch);
			}
			continue;
		}
		if (c >= 0xc0) {
			v->u8need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
			v->u8[0] = c;
			v->u8len = 1;
			continue;
		}
		switch (c) {
		case 27: v->st = 1; break;
		case '\r': v->x = 0; v->wrap = 0; break;
		case '\n': case '\v': case '\f': vt_lf(v); v->wrap = 0; break;
		case '\b': if (v->x > 0) v->x--; v->wrap = 0; break;
		case '\t': v->x = clamp((v->x / 8 + 1) * 8, 0, v->w - 1); break;
		case 7: case 14: case 15: case 0: break;
		default:
			if (c >= 0x20 && c < 0x7f) {
				char ch[2] = { (char)c, 0 };
				vt_put(v, ch);
			} else {
				v->unknown++;
			}
		}
	}
}

/* Row y as UTF-8 text. */
static const char *vt_row(const Vt *v, int y, char *buf, size_t len)
{
	size_t k = 0;
	buf[0] = 0;
	for (int x = 0; x < v->w; x++) {
		size_t n = strlen(v->cell[y][x]);
		if (k + n + 1 > len)
			break;
		memcpy(buf + k, v->cell[y][x], n);
		k += n;
	}
	buf[k] = 0;
	return buf;
}

/* ---- a program on a pty --------------------------------------------------- */

typedef struct {
	pid_t pid;
	int fd;
	Vt vt;
	long bytes;              /* everything read so far */
	char tail[16];           /* the last bytes, for a prompt split across reads */
	int prompt;              /* "(gdb) " seen since the flag was cleared */
} Pty;

static char state_dir[512];   /* XDG_STATE_HOME: sockstep's progress file, not the user's */

static Pty *pty_spawn(char *const argv[])
{
	Pty *p = calloc(1, sizeof *p);
	if (!p)
		die("out of memory");
	vt_reset(&p->vt);
	struct winsize ws = { .ws_row = ROWS_, .ws_col = COLS_ };
	p->pid = forkpty(&p->fd, NULL, NULL, &ws);
	if (p->pid < 0)
		die("forkpty: %s", strerror(errno));
	if (p->pid == 0) {
		/* The classroom's terminal: xterm's, UTF-8, colours on. */
		setenv("TERM", "xterm-256color", 1);
		setenv("LC_ALL", "C.UTF-8", 1);
		unsetenv("NO_COLOR");
		unsetenv("TMUX");
		setenv("XDG_STATE_HOME", state_dir, 1);
		execvp(argv[0], argv);
		_exit(127);
	}
	fcntl(p->fd, F_SETFL, fcntl(p->fd, F_GETFL) | O_NONBLOCK);
	return p;
}

/* Read what is there, within ms; returns bytes read (0: nothing came,
 * -1: the program is gone). *t is when the last byte came. */
static long pty_read(Pty *p, int ms, double *t)
{
	struct pollfd pfd = { .fd = p->fd, .events = POLLIN };
	int rc = poll(&pfd, 1, ms);
	if (rc <= 0)
		return 0;
	char buf[65536];
	ssize_t n = read(p->fd, buf, sizeof buf);
	if (t)
		*t = now_ms();
	if (n <= 0)
		return n == 0 || errno != EAGAIN ? -1 : 0;
	vt_feed(&p->vt, buf, (size_t)n);
	p->bytes += n;
	/* The prompt may come split over several reads (a slow gdb writes
	 * it in pieces): the last bytes are kept across reads, and what spans
	 * them and this read is looked at too. */
	enum { T = sizeof p->tail - 1 };
	char look[2 * T + 1];
	size_t keep = strlen(p->tail), head = (size_t)n < T ? (size_t)n : T;
	memcpy(look, p->tail, keep);
	memcpy(look + keep, buf, head);
	look[keep + head] = 0;
	if (memmem(buf, (size_t)n, "(gdb) ", 6) || memmem(look, keep + head, "(gdb) ", 6))
		p->prompt = 1;
	/* The new tail: the last T bytes of the old tail and this read. */
	if ((size_t)n >= T) {
		memcpy(p->tail, buf + n - T, T);
		p->tail[T] = 0;
	} else {
		size_t from = keep + (size_t)n > T ? keep + (size_t)n - T : 0;
		memmove(p->tail, look + from, keep + (size_t)n - from);
		p->tail[keep + (size_t)n - from] = 0;
	}
	return n;
}

typedef int (*Pred)(Pty *, const void *);

/* Read until pred holds and the output then pauses for GAP_MS; returns the
 * time of the last byte, or -1 after timeout_ms (or if the program left). */
static double pty_until(Pty *p, Pred pred, const void *arg, int timeout_ms)
{
	double end = now_ms() + timeout_ms, last = -1;
	int ok = pred(p, arg);
	for (;;) {
		double left = end - now_ms();
		if (left <= 0)
			return -1;
		double t;
		long n = pty_read(p, ok ? GAP_MS : (int)left + 1, &t);
		if (n < 0)
			return ok ? last : -1;
		if (n == 0) {
			if (ok)
				return last;
			continue;
		}
		last = t;
		if (!ok)
			ok = pred(p, arg);
	}
}

/* Read until nothing comes for quiet_ms (at most max_ms); returns bytes. */
static long pty_quiet(Pty *p, int quiet_ms, int max_ms)
{
	long before = p->bytes;
	double end = now_ms() + max_ms;
	while (now_ms() < end) {
		long n = pty_read(p, quiet_ms, NULL);
		if (n <= 0)
			break;
	}
	return p->bytes - before;
}

static void pty_write(Pty *p, const char *s)
{
	size_t n = strlen(s);
	if (write(p->fd, s, n) != (ssize_t)n)
		die("write to the pty: %s", strerror(errno));
}

/* Wait for the program to leave (it was asked to), SIGKILL it after ms. */
static int pty_end(Pty *p, int ms)
{
	int status = -1;
	double end = now_ms() + ms;
	for (;;) {
		pty_read(p, 5, NULL);   /* a full pty would block its exit */
		pid_t r = waitpid(p->pid, &status, WNOHANG);
		if (r == p->pid)
			break;
		if (now_ms() > end) {
			kill(p->pid, SIGKILL);
			waitpid(p->pid, &status, 0);
			break;
		}
	}
	close(p->fd);
	free(p);
	return status;
}

/* sockstep's title row shows "step N": the frame of step N has come. */
static int shows_step(Pty *p, const void *arg)
{
	char row[COLS_ * 4 + 1], want[32];
	snprintf(want, sizeof want, "step %ld", *(const long *)arg);
	const char *s = strstr(vt_row(&p->vt, 0, row, sizeof row), want);
	return s && (s[strlen(want)] < '0' || s[strlen(want)] > '9');
}

/* A first frame is complete when its title row shows `arg` and its
 * bottom row, drawn last, the key help ("quit"). */
static int shows_first(Pty *p, const void *arg)
{
	char row[COLS_ * 4 + 1];
	if (!strstr(vt_row(&p->vt, ROWS_ - 1, row, sizeof row), "quit"))
		return 0;
	return strstr(vt_row(&p->vt, 0, row, sizeof row), (const char *)arg) != NULL;
}

static int shows_prompt(Pty *p, const void *arg)
{
	(void)arg;
	return p->prompt;
}

static void vt_snapshot(const Vt *v, char *out, size_t len)
{
	size_t k = 0;
	char row[COLS_ * 4 + 1];
	out[0] = 0;
	for (int y = 0; y < v->h; y++) {
		vt_row(v, y, row, sizeof row);
		k += (size_t)snprintf(out + k, len > k ? len - k : 0, "%s\n", row);
	}
}

/* ---- processes: CPU and memory from /proc -------------------------------- */

/* CPU time of a process in ms, every thread: the scheduler's own count
 * (/proc/PID/task/T/schedstat, nanoseconds) rather than utime+stime, which
 * come in ticks of 10 ms, as coarse as the whole target. */
static double cpu_ms(pid_t pid)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/task", (int)pid);
	double total = 0;
	int found = 0;
	DIR *d = opendir(path);
	for (struct dirent *de; d && (de = readdir(d)) != NULL;) {
		if (de->d_name[0] == '.')
			continue;
		char f[400];
		snprintf(f, sizeof f, "%s/%s/schedstat", path, de->d_name);
		FILE *s = fopen(f, "r");
		unsigned long long ns;
		if (s && fscanf(s, "%llu", &ns) == 1) {
			total += (double)ns / 1e6;
			found = 1;
		}
		if (s)
			fclose(s);
	}
	if (d)
		closedir(d);
	if (found)
		return total;
	/* No schedstat: utime+stime, in clock ticks. */
	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	FILE *f = fopen(path, "r");
	char buf[1024];
	if (!f || !fgets(buf, sizeof buf, f))
		die("cannot read %s", path);
	fclose(f);
	const char *s = strrchr(buf, ')');
	unsigned long ut, st;
	if (!s || sscanf(s + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ut, &st) != 2)
		die("cannot parse %s", path);
	return (double)(ut + st) * 1000.0 / (double)sysconf(_SC_CLK_TCK);
}

/* VmHWM, the peak resident size, in KiB; -1 once the process is gone. */
static long hwm_kib(pid_t pid)
{
	char path[64], line[256];
	snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
	FILE *f = fopen(path, "r");
	long kib = -1;
	if (!f)
		return -1;
	while (fgets(line, sizeof line, f))
		if (sscanf(line, "VmHWM: %ld", &kib) == 1)
			break;
	fclose(f);
	return kib;
}

/* fork and exec argv, its output to /dev/null: a run's own printing is
 * not what is timed. */
static pid_t spawn_quiet(char *const argv[])
{
	pid_t pid = fork();
	if (pid < 0)
		die("fork: %s", strerror(errno));
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR);
		dup2(null, STDIN_FILENO);
		dup2(null, STDOUT_FILENO);
		dup2(null, STDERR_FILENO);
		setenv("XDG_STATE_HOME", state_dir, 1);
		execvp(argv[0], argv);
		_exit(127);
	}
	return pid;
}

/* Wall time of one run in ms; *ok is whether it exited with 0. */
static double timed_run(char *const argv[], int *ok)
{
	double t0 = now_ms();
	pid_t pid = spawn_quiet(argv);
	int status;
	waitpid(pid, &status, 0);
	double t = now_ms() - t0;
	*ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
	return t;
}

/* ---- the table ------------------------------------------------------------ */

typedef struct {
	char figure[64], measured[96], comparison[128], ratio[32], target[64], met[96];
} Row;

static Row rows[16];
static int nrows;

static Row *row_add(const char *figure, const char *target)
{
	Row *r = &rows[nrows++];
	memset(r, 0, sizeof *r);
	snprintf(r->figure, sizeof r->figure, "%s", figure);
	snprintf(r->target, sizeof r->target, "%s", target);
	return r;
}

static const char *yes_no(int met)
{
	return met ? "yes" : "**no**";
}

/* ---- the rows ------------------------------------------------------------- */

static const char *sockstep, *minimal, *pingpong, *pingpong_py, *lessons;

static char *lesson_path(const char *name)
{
	static char buf[4][4096];
	static int k;
	char *b = buf[k++ % 4];
	snprintf(b, sizeof buf[0], "%s/%s", lessons, name);
	return b;
}

/* Launch sockstep's TUI on a lesson; wait for its first frame (the
 * lesson's title and the key bar, drawn before the actors are up) and then
 * for the frame of step 0, when the first step can run. */
static Pty *tui_open(const char *lesson, double *first_ms, double *ready_ms)
{
	char *argv[] = { (char *)sockstep, (char *)lesson, NULL };
	double t0 = now_ms();
	Pty *p = pty_spawn(argv);
	double first = pty_until(p, shows_first, "pingpong:", 20000);
	double t = pty_until(p, shows_first, "step 0", 20000);
	if (first < 0 || t < 0)
		die("sockstep showed no first frame within 20 s");
	if (first_ms)
		*first_ms = first - t0;
	if (ready_ms)
		*ready_ms = t - t0;
	return p;
}

static void tui_close(Pty *p)
{
	pty_write(p, "q");
	pty_end(p, 5000);
}

/* Start-up: launch to the first complete frame, sockstep and the minimal
 * curses program taking turns, so that both see the same noise; and apart,
 * the time until sockstep's first step can run (its network namespace,
 * packet capture and actors made, every actor stopped at its first call). */
static void row_startup(void)
{
	double ss[STARTUP_RUNS], rd[STARTUP_RUNS], mn[STARTUP_RUNS];
	for (int i = 0; i < STARTUP_RUNS; i++) {
		Pty *p = tui_open(lesson_path("pingpong.lesson"), &ss[i], &rd[i]);
		tui_close(p);
		char *argv[] = { (char *)minimal, NULL };
		double t0 = now_ms();
		p = pty_spawn(argv);
		double t = pty_until(p, shows_first, "minimal", 10000);
		if (t < 0)
			die("the minimal program showed no frame");
		mn[i] = t - t0;
		pty_write(p, "q");
		pty_end(p, 5000);
	}
	double s = median(ss, STARTUP_RUNS), m = median(mn, STARTUP_RUNS), r = median(rd, STARTUP_RUNS);
	Row *row = row_add("start-up", "first frame at most 2x minimal");
	snprintf(row->measured, sizeof row->measured, "first frame %.1f ms; first step can run at %.1f ms", s, r);
	snprintf(row->comparison, sizeof row->comparison, "minimal ncurses program: %.1f ms", m);
	snprintf(row->ratio, sizeof row->ratio, "%.1fx", s / m);
	snprintf(row->met, sizeof row->met, "%s", yes_no(s <= 2 * m));
}

/* gdb stopping bench/pingpong at each socket call, one `continue` per
 * key, through the same kind of pty: the time from the key to the end of
 * gdb's answer, the catchpoint's report and its prompt. gdb stops twice per
 * call, at the call and at its return; each stop is one key, as each
 * sockstep step is. gdb follows the parent, pingpong's client. */
static void gdb_latency(double *lat, int n)
{
	char *argv[] = {
		"gdb", "-q", "-nx", "-iex", "set debuginfod enabled off",
		"-iex", "set startup-with-shell off", "-ex", "set pagination off",
		"-ex", "set confirm off",
		"-ex", "catch syscall socket bind listen accept accept4 connect sendto recvfrom setsockopt",
		"-ex", "run", "--args", (char *)pingpong, "20000", "65431", NULL,
	};
	Pty *p = pty_spawn(argv);
	if (pty_until(p, shows_prompt, NULL, 30000) < 0)
		die("gdb did not stop at the first socket call");
	for (int i = 0; i < WARMUP_STEPS + n; i++) {
		p->prompt = 0;
		p->tail[0] = 0;   /* the last prompt is not the next one */
		double t0 = now_ms();
		pty_write(p, "continue\n");
		double t = pty_until(p, shows_prompt, NULL, 10000);
		if (t < 0) {
			static char screen[ROWS_ * (COLS_ * 4 + 2) + 1];
			vt_snapshot(&p->vt, screen, sizeof screen);
			die("gdb did not stop again after %d continues; its screen:\n%s", i, screen);
		}
		if (i >= WARMUP_STEPS)
			lat[i - WARMUP_STEPS] = t - t0;
	}
	pty_write(p, "kill\n");
	pty_quiet(p, 50, 2000);
	pty_write(p, "quit\n");
	pty_end(p, 5000);
}

/* Step latency, terminal output and idle, in one TUI session on the
 * ping-pong lesson. */
static void rows_tui(void)
{
	static double lat[LATENCY_STEPS], glat[LATENCY_STEPS];
	Pty *p = tui_open(lesson_path("pingpong.lesson"), NULL, NULL);
	pty_quiet(p, 300, 3000);
	long step = 0;
	for (int i = 0; i < WARMUP_STEPS + LATENCY_STEPS; i++) {
		step++;
		double t0 = now_ms();
		pty_write(p, " ");
		double t = pty_until(p, shows_step, &step, 10000);
		if (t < 0)
			die("no frame showed step %ld within 10 s", step);
		if (i >= WARMUP_STEPS)
			lat[i - WARMUP_STEPS] = t - t0;
	}

	/* Terminal output: each step with its animation played out, then
	 * Ctrl-L, which makes curses clear the terminal and send the whole
	 * screen: a full repaint of exactly the same screen. */
	static double sbytes[OUTPUT_STEPS], fbytes[OUTPUT_STEPS], rbytes[OUTPUT_STEPS];
	static char before[ROWS_ * (COLS_ * 4 + 2) + 1], after[sizeof before];
	int same = 1;
	pty_quiet(p, QUIET_MS, 3000);
	for (int i = 0; i < OUTPUT_STEPS; i++) {
		step++;
		long b0 = p->bytes;
		pty_write(p, " ");
		if (pty_until(p, shows_step, &step, 10000) < 0)
			die("no frame showed step %ld", step);
		fbytes[i] = (double)(p->bytes - b0);
		pty_quiet(p, QUIET_MS, 5000);
		sbytes[i] = (double)(p->bytes - b0);
		vt_snapshot(&p->vt, before, sizeof before);
		pty_write(p, "\014");
		rbytes[i] = (double)pty_quiet(p, QUIET_MS, 5000);
		vt_snapshot(&p->vt, after, sizeof after);
		same &= strcmp(before, after) == 0;
	}
	long unknown = p->vt.unknown;

	/* Idle: sockstep paused mid-lesson and the minimal program, side by
	 * side for IDLE_MS; what each costs in CPU, and what each writes. */
	char *margv[] = { (char *)minimal, NULL };
	Pty *m = pty_spawn(margv);
	if (pty_until(m, shows_first, "minimal", 10000) < 0)
		die("the minimal program showed no frame");
	pty_quiet(p, 1000, 5000);
	double c0 = cpu_ms(p->pid), m0 = cpu_ms(m->pid);
	long ob = p->bytes;
	double end = now_ms() + IDLE_MS;
	while (now_ms() < end) {
		pty_read(p, 50, NULL);
		pty_read(m, 50, NULL);
	}
	double idle = cpu_ms(p->pid) - c0, midle = cpu_ms(m->pid) - m0;
	long idle_bytes = p->bytes - ob;
	tui_close(p);
	pty_write(m, "q");
	pty_end(m, 5000);

	gdb_latency(glat, LATENCY_STEPS);

	double p50 = percentile(lat, LATENCY_STEPS, 50), p99 = percentile(lat, LATENCY_STEPS, 99);
	double g50 = percentile(glat, LATENCY_STEPS, 50), g99 = percentile(glat, LATENCY_STEPS, 99);
	Row *r = row_add("step latency", "p99 < 5 ms, faster than gdb");
	snprintf(r->measured, sizeof r->measured, "p50 %.2f ms, p99 %.2f ms (%d steps)", p50, p99, LATENCY_STEPS);
	snprintf(r->comparison, sizeof r->comparison, "gdb catch syscall: p50 %.2f ms, p99 %.2f ms", g50, g99);
	snprintf(r->ratio, sizeof r->ratio, "%.1fx / %.1fx", p50 / g50, p99 / g99);
	snprintf(r->met, sizeof r->met, "%s", yes_no(p99 < 5 && p99 < g99 && p50 < g50));

	double sb = median(sbytes, OUTPUT_STEPS), fb = median(fbytes, OUTPUT_STEPS);
	double rb = median(rbytes, OUTPUT_STEPS);
	r = row_add("terminal output", "at most 1/4 of a repaint");
	snprintf(r->measured, sizeof r->measured, "%.0f B/step (%.0f B its first frame)", sb, fb);
	snprintf(r->comparison, sizeof r->comparison, "full repaint (Ctrl-L): %.0f B%s", rb,
		 same ? "" : " (screen differed!)");
	snprintf(r->ratio, sizeof r->ratio, "%.2f", sb / rb);
	snprintf(r->met, sizeof r->met, "%s", yes_no(sb <= rb / 4));
	if (unknown)
		fprintf(stderr, "bench: %ld escape sequences the emulator does not know\n", unknown);

	r = row_add("idle", "< 10 ms");
	snprintf(r->measured, sizeof r->measured, "%.3f ms CPU in %d s (%ld B written)", idle, IDLE_MS / 1000,
		 idle_bytes);
	snprintf(r->comparison, sizeof r->comparison, "minimal ncurses program: %.3f ms", midle);
	if (midle > 0.01)
		snprintf(r->ratio, sizeof r->ratio, "%.1fx", idle / midle);
	else
		snprintf(r->ratio, sizeof r->ratio, "-");
	snprintf(r->met, sizeof r->met, "%s", yes_no(idle < 10));
}

/* Does this sockstep know --free-run? */
static int has_free_run(void)
{
	char cmd[4200], line[512];
	snprintf(cmd, sizeof cmd, "'%s' --help 2>&1", sockstep);
	FILE *f = popen(cmd, "r");
	int found = 0;
	while (f && fgets(line, sizeof line, f))
		found |= strstr(line, "--free-run") != NULL;
	if (f)
		pclose(f);
	return found;
}

/* Free run: the lesson unattended against the same exchange in C,
 * untraced and under strace -f, taking turns so that all see the same
 * noise. strace stops the program at every call and takes 20x as long: it
 * runs STRACE_ROUNDS round trips, beside untraced runs of as many, so its
 * ratio is still measured side by side (a shorter run's fixed costs weigh
 * more in it, which lowers strace's ratio: the comparison errs against
 * sockstep) and make bench stays within its three minutes. */
static void row_free_run(void)
{
	int free_run = has_free_run();
	/* Without --free-run, --plain stops at every call with the kernel
	 * view on: 20000 round trips would take many minutes, so both sides
	 * do FALLBACK_ROUNDS, and the row says so. */
	enum { FALLBACK_ROUNDS = 200, STRACE_ROUNDS = 4000 };
	long rounds = free_run ? 20000 : FALLBACK_ROUNDS, srounds = free_run ? STRACE_ROUNDS : FALLBACK_ROUNDS;
	char rs[32], srs[32], lesson[4096], tmp[600] = "";
	snprintf(rs, sizeof rs, "%ld", rounds);
	snprintf(srs, sizeof srs, "%ld", srounds);
	snprintf(lesson, sizeof lesson, "%s", lesson_path("pingpong.lesson"));
	if (!free_run) {
		snprintf(tmp, sizeof tmp, "%s/pingpong.lesson", state_dir);
		char cmd[9000];
		snprintf(cmd, sizeof cmd, "sed 's/repeat 20000/repeat %ld/' '%s' > '%s'", rounds, lesson, tmp);
		if (system(cmd) != 0)
			die("cannot write %s", tmp);
		snprintf(lesson, sizeof lesson, "%s", tmp);
	}
	char *plain[] = { (char *)pingpong, rs, "65432", NULL };
	char *plain_s[] = { (char *)pingpong, srs, "65432", NULL };
	char *traced[] = { "strace", "-f", "-qq", "-o", "/dev/null", (char *)pingpong, srs, "65432", NULL };
	char *ss_free[] = { (char *)sockstep, "--plain", "--free-run", lesson, NULL };
	char *ss_plain[] = { (char *)sockstep, "--plain", lesson, NULL };
	double u[FREE_RUNS], s[FREE_RUNS], us[FREE_RUNS], t[FREE_RUNS];
	int ok = 1, k;
	for (int i = 0; i < FREE_RUNS; i++) {
		u[i] = timed_run(plain, &k);
		ok &= k;
		s[i] = timed_run(free_run ? ss_free : ss_plain, &k);
		ok &= k;
		us[i] = timed_run(plain_s, &k);
		ok &= k;
		t[i] = timed_run(traced, &k);
		ok &= k;
	}
	double um = median(u, FREE_RUNS), sm = median(s, FREE_RUNS);
	double usm = median(us, FREE_RUNS), tm = median(t, FREE_RUNS);
	Row *r = row_add("free run", "at most 1.5x untraced, below strace");
	snprintf(r->figure, sizeof r->figure, "%s", free_run ? "free run" : "free run (--plain: no --free-run yet)");
	snprintf(r->measured, sizeof r->measured, "%.0f ms (%ld round trips)%s", sm, rounds,
		 ok ? "" : " (a run failed!)");
	snprintf(r->comparison, sizeof r->comparison, "untraced C: %.0f ms; strace -f: %.1fx (%.0f ms vs %.0f ms, %ld round trips)",
		 um, tm / usm, tm, usm, srounds);
	snprintf(r->ratio, sizeof r->ratio, "%.1fx", sm / um);
	snprintf(r->met, sizeof r->met, "%s", yes_no(ok && sm <= 1.5 * um && sm / um < tm / usm));
	if (tmp[0])
		unlink(tmp);
}

/* sockstep run on a program (not a lesson) in a free run, traced with
 * seccomp and ptrace, against strace -f on the same program and the
 * program untraced, taking turns. strace stops at every system call, twice;
 * sockstep only at the socket calls (and reads and writes on descriptors
 * 3 and up), but it copies their bytes and reports every one. So the row
 * that matters is a program making many other calls too, as real programs
 * do: bench/pingpong.py, an interpreter (its start-up and imports alone are
 * thousands of calls). bench/pingpong makes socket calls and nothing else:
 * there both tools stop at every call, and that row shows the cost of a
 * stop itself. */
static void row_run_free(const char *figure, const char *what, char *const prog[], int rounds)
{
	char cmd[4200];
	int at = snprintf(cmd, sizeof cmd, "pp=");
	for (int i = 0; prog[i] && at < (int)sizeof cmd; i++)
		at += snprintf(cmd + at, sizeof cmd - (size_t)at, "%s%s", i ? " " : "", prog[i]);
	char *traced[16] = { "strace", "-f", "-qq", "-o", "/dev/null" };
	for (int i = 0; prog[i] && i < 10; i++)
		traced[5 + i] = prog[i];
	char *ss[] = { (char *)sockstep, "run", "--plain", "--free-run", "--actor", cmd, NULL };
	double u[FREE_RUNS], s[FREE_RUNS], t[FREE_RUNS];
	int ok = 1, k;
	for (int i = 0; i < FREE_RUNS; i++) {
		u[i] = timed_run(prog, &k);
		ok &= k;
		s[i] = timed_run(ss, &k);
		ok &= k;
		t[i] = timed_run(traced, &k);
		ok &= k;
	}
	double um = median(u, FREE_RUNS), sm = median(s, FREE_RUNS), tm = median(t, FREE_RUNS);
	Row *r = row_add(figure, "overhead below strace -f's on the same program");
	snprintf(r->measured, sizeof r->measured, "%.0f ms, %s (%d round trips)%s", sm, what, rounds,
		 ok ? "" : " (a run failed!)");
	snprintf(r->comparison, sizeof r->comparison, "untraced: %.0f ms; strace -f: %.0f ms, overhead %.0f ms",
		 um, tm, tm - um);
	snprintf(r->ratio, sizeof r->ratio, "overhead %.2fx strace's", (sm - um) / (tm - um));
	snprintf(r->met, sizeof r->met, "%s", yes_no(ok && sm < tm));
}

static void rows_run_free(void)
{
	char *py[] = { "python3", (char *)pingpong_py, "1000", "65432", NULL };
	row_run_free("run free", "python3 bench/pingpong.py", py, 1000);
	char *c[] = { (char *)pingpong, "4000", "65432", NULL };
	row_run_free("run free, socket calls only", "bench/pingpong (C)", c, 4000);
}

/* sockstep run, stepped to its end (--plain steps without waiting for
 * Enter), on bench/pingpong started directly and then by a shell that waits
 * for it, taking turns. The waiting shell is a traced process between two
 * calls for the whole run: after each step the engine waits for it to
 * settle, and before it read the kernel's word that it sleeps, every step
 * waited PROGRAM_ADVANCE_MS (1.5 s) for it. */
static void row_run_stepped(void)
{
	enum { ROUNDS = 20 };
	char direct[4200], shell[4200];
	snprintf(direct, sizeof direct, "pp=%s %d 65432", pingpong, ROUNDS);
	snprintf(shell, sizeof shell, "pp=%s %d 65432; true", pingpong, ROUNDS);
	char *d[] = { (char *)sockstep, "run", "--plain", "--actor", direct, NULL };
	char *w[] = { (char *)sockstep, "run", "--plain", "--actor", shell, NULL };
	double dt[FREE_RUNS], wt[FREE_RUNS];
	int ok = 1, k;
	for (int i = 0; i < FREE_RUNS; i++) {
		dt[i] = timed_run(d, &k);
		ok &= k;
		wt[i] = timed_run(w, &k);
		ok &= k;
	}
	double dm = median(dt, FREE_RUNS), wm = median(wt, FREE_RUNS);
	Row *r = row_add("run stepped, a shell waiting", "a waiting parent costs under 2x");
	snprintf(r->measured, sizeof r->measured, "%.0f ms, sh -c 'bench/pingpong %d; true'%s", wm, ROUNDS,
		 ok ? "" : " (a run failed!)");
	snprintf(r->comparison, sizeof r->comparison, "bench/pingpong %d started directly: %.0f ms", ROUNDS, dm);
	snprintf(r->ratio, sizeof r->ratio, "%.2fx", wm / dm);
	snprintf(r->met, sizeof r->met, "%s", yes_no(ok && wm < 2 * dm));
}

/* The pingpong lesson cut to ROUNDS round trips, written into the state
 * directory; returns its path (static). */
static const char *lesson_rounds(int rounds)
{
	static char path[600];
	char cmd[9000];
	snprintf(path, sizeof path, "%s/pingpong-%d.lesson", state_dir, rounds);
	snprintf(cmd, sizeof cmd, "sed 's/repeat 20000/repeat %d/' '%s' > '%s'", rounds,
		 lesson_path("pingpong.lesson"), path);
	if (system(cmd) != 0)
		die("cannot write %s", path);
	return path;
}

/* The bench lesson stepped to its end in --plain (every call stopped, the
 * kernel view read after each) against its own free run, taking turns:
 * what a step costs beyond the call itself, per call. */
static void row_lesson_stepped(void)
{
	enum { ROUNDS = 300 };
	const char *lesson = lesson_rounds(ROUNDS);
	char *stepped[] = { (char *)sockstep, "--plain", (char *)lesson, NULL };
	char *free_run[] = { (char *)sockstep, "--plain", "--free-run", (char *)lesson, NULL };
	double st[FREE_RUNS], fr[FREE_RUNS];
	int ok = 1, k;
	for (int i = 0; i < FREE_RUNS; i++) {
		st[i] = timed_run(stepped, &k);
		ok &= k;
		fr[i] = timed_run(free_run, &k);
		ok &= k;
	}
	double sm = median(st, FREE_RUNS), fm = median(fr, FREE_RUNS);
	Row *r = row_add("stepped lesson", "at most 20x its free run");
	snprintf(r->measured, sizeof r->measured, "%.0f ms, %d round trips stepped in --plain%s", sm, ROUNDS,
		 ok ? "" : " (a run failed!)");
	snprintf(r->comparison, sizeof r->comparison, "the same lesson's free run: %.0f ms", fm);
	snprintf(r->ratio, sizeof r->ratio, "%.1fx", sm / fm);
	snprintf(r->met, sizeof r->met, "%s", yes_no(ok && sm <= 20 * fm));
}

/* 10 MB through nc, stepped to its end by sockstep run --plain, against
 * the same pair under strace -f, on the host's loopback (a port of its
 * own). Once each: the stepped run is long, and strace's is the scale. */
static void row_nc_stepped(void)
{
	enum { MB = 10, LIMIT_S = 300 };
	char file[600], server[1400], client[1400], pair[3000], limit[16];
	int port = 40000 + (int)(getpid() % 20000);
	snprintf(file, sizeof file, "%s/10mb", state_dir);
	char make_file[1400];
	snprintf(make_file, sizeof make_file, "head -c %dM /dev/zero > '%s'", MB, file);
	if (system(make_file) != 0)
		die("cannot write %s", file);
	snprintf(server, sizeof server, "nc -l 127.0.0.1 %d >/dev/null", port);
	snprintf(client, sizeof client, "nc -N 127.0.0.1 %d <'%s'", port, file);
	snprintf(pair, sizeof pair, "%s & sleep 0.3; %s; wait", server, client);
	snprintf(limit, sizeof limit, "%d", LIMIT_S);
	char *stepped[] = { "timeout", limit, (char *)sockstep, "run", "--plain", "--no-netns", "--server", server,
			    "--client", client, NULL };
	char *traced[] = { "strace", "-f", "-qq", "-o", "/dev/null", "sh", "-c", pair, NULL };
	int ok, tok;
	double st = timed_run(stepped, &ok);
	double tt = timed_run(traced, &tok);
	Row *r = row_add("stepped nc", "report: no target yet");
	if (ok)
		snprintf(r->measured, sizeof r->measured, "%.1f s, %d MB through nc, stepped", st / 1000, MB);
	else
		snprintf(r->measured, sizeof r->measured, "not done in %d s (%d MB through nc, stepped)", LIMIT_S, MB);
	snprintf(r->comparison, sizeof r->comparison, "strace -f: %.2f s%s", tt / 1000, tok ? "" : " (failed!)");
	snprintf(r->ratio, sizeof r->ratio, ok ? "%.0fx" : "over %.0fx", st / tt);
	snprintf(r->met, sizeof r->met, "%s", ok && tok ? "measured" : "no");
	unlink(file);
}

/* Memory: sockstep --plain moving 1 GiB, beside three runs moving 256 MiB
 * (peak memory hardly depends on the noise, so they may share the
 * machine): VmHWM sampled every 10 ms until each exits. */
static void row_memory(void)
{
	char *big[] = { (char *)sockstep, "--plain", lesson_path("bulk.lesson"), NULL };
	char *small[] = { (char *)sockstep, "--plain", lesson_path("bulk256.lesson"), NULL };
	double smalls[3];
	long bigk = 0, smallk = 0;
	int nsmall = 0, ok = 1;
	pid_t bp = spawn_quiet(big), sp = spawn_quiet(small);
	while (bp > 0 || sp > 0) {
		int status;
		if (bp > 0) {
			long k = hwm_kib(bp);
			if (k > bigk)
				bigk = k;
			if (waitpid(bp, &status, WNOHANG) == bp) {
				ok &= WIFEXITED(status) && WEXITSTATUS(status) == 0;
				bp = 0;
			}
		}
		if (sp > 0) {
			long k = hwm_kib(sp);
			if (k > smallk)
				smallk = k;
			if (waitpid(sp, &status, WNOHANG) == sp) {
				ok &= WIFEXITED(status) && WEXITSTATUS(status) == 0;
				smalls[nsmall++] = (double)smallk;
				smallk = 0;
				sp = nsmall < 3 ? spawn_quiet(small) : 0;
			}
		}
		msleep(10);
	}
	double bm = (double)bigk / 1024, sm = median(smalls, nsmall) / 1024;
	Row *r = row_add("memory", "< 32 MiB, flat (1 GiB at most 1.1x 256 MiB)");
	snprintf(r->measured, sizeof r->measured, "%.1f MiB peak moving 1 GiB%s", bm, ok ? "" : " (a run failed!)");
	snprintf(r->comparison, sizeof r->comparison, "moving 256 MiB: %.1f MiB", sm);
	snprintf(r->ratio, sizeof r->ratio, "%.2fx", bm / sm);
	snprintf(r->met, sizeof r->met, "%s", yes_no(ok && bm < 32 && bm <= 1.1 * sm));
}

/* Console memory: a program that prints without end (yes) for 8 s; its
 * console is bounded (the timeline keeps the first and last lines and a
 * count), so sockstep's peak after 8 s is that after 2 s. */
static void row_console(void)
{
	enum { EARLY_MS = 2000, LATE_MS = 8000 };
	char *argv[] = { (char *)sockstep, "run", "--plain", "--free-run", "--actor", "y=yes", NULL };
	pid_t pid = spawn_quiet(argv);
	double t0 = now_ms();
	long early = 0, late = 0;
	for (double t = 0; t < LATE_MS; t = now_ms() - t0) {
		long k = hwm_kib(pid);
		if (k < 0)
			break;
		late = k;
		if (t < EARLY_MS)
			early = k;
		msleep(10);
	}
	int status, alive = hwm_kib(pid) >= 0;
	kill(pid, SIGTERM);
	waitpid(pid, &status, 0);
	double em = (double)early / 1024, lm = (double)late / 1024;
	Row *r = row_add("memory, endless output", "< 32 MiB, flat (8 s at most 1.1x 2 s)");
	snprintf(r->measured, sizeof r->measured, "%.1f MiB peak after 8 s of yes%s", lm, alive ? "" : " (it ended!)");
	snprintf(r->comparison, sizeof r->comparison, "after 2 s: %.1f MiB", em);
	snprintf(r->ratio, sizeof r->ratio, "%.2fx", early ? lm / em : 0);
	snprintf(r->met, sizeof r->met, "%s", yes_no(alive && lm < 32 && lm <= 1.1 * em));
}

static void machine(void)
{
	char model[256] = "unknown", line[512];
	FILE *f = fopen("/proc/cpuinfo", "r");
	while (f && fgets(line, sizeof line, f)) {
		char *c = strchr(line, ':');
		if (!strncmp(line, "model name", 10) && c) {
			snprintf(model, sizeof model, "%s", c + 2);
			model[strcspn(model, "\n")] = 0;
			break;
		}
	}
	if (f)
		fclose(f);
	double load[1] = { 0 };
	getloadavg(load, 1);
	struct utsname u;
	uname(&u);
	printf("Machine: %ld CPUs (nproc), %s, Linux %s, load average %.2f at the start\n",
	       sysconf(_SC_NPROCESSORS_ONLN), model, u.release, load[0]);
	printf("Terminal: pty of %dx%d, TERM=xterm-256color\n\n", COLS_, ROWS_);
	fflush(stdout);
}

/* The temporary state directory goes on every way out, die() included
 * (only bench itself gets here: its children exec or _exit). */
/* BENCH_ONLY=startup,tui,... runs only those groups of rows: a quick
 * look at one figure while working on it. The README's table is a whole
 * run. */
static int wanted(const char *group)
{
	const char *only = getenv("BENCH_ONLY");
	if (!only || !*only)
		return 1;
	size_t n = strlen(group);
	for (const char *p = only; (p = strstr(p, group)) != NULL; p += n)
		if ((p == only || p[-1] == ',') && (p[n] == ',' || p[n] == '\0'))
			return 1;
	return 0;
}

static void remove_state_dir(void)
{
	char cmd[600];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", state_dir);
	if (system(cmd) != 0)
		fprintf(stderr, "bench: could not remove %s\n", state_dir);
}

int main(int argc, char **argv)
{
	if (argc != 6) {
		fprintf(stderr, "usage: bench SOCKSTEP MINIMAL PINGPONG PINGPONG_PY LESSONDIR\n");
		return 2;
	}
	sockstep = argv[1];
	minimal = argv[2];
	pingpong = argv[3];
	pingpong_py = argv[4];
	lessons = argv[5];
	signal(SIGPIPE, SIG_IGN);
	const char *tmp = getenv("TMPDIR");
	snprintf(state_dir, sizeof state_dir, "%s/sockstep-bench-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(state_dir))
		die("mkdtemp: %s", strerror(errno));
	atexit(remove_state_dir);
	double t0 = now_ms();
	machine();
	if (wanted("startup")) {
		fprintf(stderr, "bench: start-up...\n");
		row_startup();
	}
	if (wanted("tui")) {
		fprintf(stderr, "bench: step latency, terminal output, idle (10 s), gdb...\n");
		rows_tui();
	}
	if (wanted("free")) {
		fprintf(stderr, "bench: free run...\n");
		row_free_run();
	}
	if (wanted("runfree")) {
		fprintf(stderr, "bench: sockstep run, free...\n");
		rows_run_free();
	}
	if (wanted("runstepped")) {
		fprintf(stderr, "bench: sockstep run, stepped...\n");
		row_run_stepped();
	}
	if (wanted("lesson")) {
		fprintf(stderr, "bench: the lesson stepped against its free run...\n");
		row_lesson_stepped();
	}
	if (wanted("nc")) {
		fprintf(stderr, "bench: 10 MB through nc, stepped (up to 5 min)...\n");
		row_nc_stepped();
	}
	if (wanted("memory")) {
		fprintf(stderr, "bench: memory...\n");
		row_memory();
	}
	if (wanted("console")) {
		fprintf(stderr, "bench: memory, endless output (8 s)...\n");
		row_console();
	}

	/* The order. */
	static const char *order[] = { "step latency", "start-up", "terminal output", "free run", "run free", "run stepped",
				       "stepped lesson", "stepped nc", "memory", "idle" };
	printf("| figure | measured | comparison | ratio | target | met |\n");
	printf("|---|---|---|---|---|---|\n");
	for (size_t o = 0; o < sizeof order / sizeof order[0]; o++)
		for (int i = 0; i < nrows; i++)
			if (!strncmp(rows[i].figure, order[o], strlen(order[o])))
				printf("| %s | %s | %s | %s | %s | %s |\n", rows[i].figure, rows[i].measured,
				       rows[i].comparison, rows[i].ratio, rows[i].target, rows[i].met);
	printf("\nMedians of repeated runs; ratios are sockstep over the comparison, measured side by side.\n");
	printf("Total: %.0f s\n", (now_ms() - t0) / 1000);
	return 0;
}
