/* curses.c - the ncurses backend (see ui.h): the only code that includes
 * <curses.h>.
 *
 * Terminal backends layer. Frames are drawn cell by cell into curses'
 * virtual screen and curses sends only what changed, so a step costs a few
 * hundred bytes of output, not a full repaint. The terminal is given back by
 * end() on every normal path, and by panic() -- precomputed escape strings
 * and the saved termios, nothing else -- from a fatal signal. */
#include "ui/ui.h"

#include <curses.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <term.h>
#include <termios.h>
#include <unistd.h>

static SCREEN *scr;
static volatile sig_atomic_t active;
static struct termios saved_tio;
static int have_tio;
static char restore_seq[256];
static size_t restore_len;
static attr_t role_attr[ROLE_COUNT_];
static int last_w = -1, last_h = -1;

/* Append a terminfo string to the restore sequence, if the terminal has it. */
static void add_cap(const char *cap)
{
	char *s = tigetstr(cap);
	if (!s || s == (char *)-1)
		return;
	size_t n = strlen(s);
	if (restore_len + n >= sizeof restore_seq)
		return;
	memcpy(restore_seq + restore_len, s, n);
	restore_len += n;
}

/* A theme colour for curses: bright ones (8..15) need 16 colours; with
 * fewer they become the plain colour, made bold. */
static short color_of(int c, int is_fg, attr_t *extra, int have_default)
{
	if (c < 0)
		return have_default ? -1 : (short)(is_fg ? COLOR_WHITE : COLOR_BLACK);
	if (c >= 8 && COLORS < 16) {
		if (is_fg)
			*extra |= A_BOLD;
		return (short)(c - 8);
	}
	return (short)c;
}

static void set_styles(const UiOptions *opt)
{
	int color = !opt->no_color && has_colors() && start_color() == OK;
	int have_default = color && use_default_colors() == OK;
	for (int r = 0; r < ROLE_COUNT_; r++) {
		const ThemeStyle *st = &opt->theme->role[r];
		attr_t a = A_NORMAL;
		if (st->attrs & THEME_BOLD)
			a |= A_BOLD;
		if (st->attrs & THEME_UNDERLINE)
			a |= A_UNDERLINE;
		if (st->attrs & THEME_DIM)
			a |= A_DIM;
		/* A role with its own background is marked by it when there is colour. */
		if ((st->attrs & THEME_REVERSE) && !(color && st->bg >= 0))
			a |= A_REVERSE;
		if (color && r + 1 < COLOR_PAIRS) {
			short fg = color_of(st->fg, 1, &a, have_default);
			short bg = color_of(st->bg, 0, &a, have_default);
			init_pair((short)(r + 1), fg, bg);
			a |= COLOR_PAIR(r + 1);
		}
		role_attr[r] = a;
	}
}

static int curses_start(const UiOptions *opt, char *err, size_t errlen)
{
	have_tio = tcgetattr(STDIN_FILENO, &saved_tio) == 0;
	/* Esc alone closes the line editor and the help: do not wait long to
	 * see whether it starts an arrow key's sequence. */
	set_escdelay(25);
	scr = newterm(NULL, stdout, stdin);
	if (!scr) {
		const char *term = getenv("TERM");
		snprintf(err, errlen, "cannot use the terminal (TERM=%s)", term ? term : "unset");
		return -1;
	}
	set_term(scr);
	/* raw, not cbreak: Ctrl-C arrives as a key that quits cleanly. */
	raw();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	intrflush(stdscr, FALSE);
	curs_set(0);
	restore_len = 0;
	add_cap("sgr0");
	add_cap("cnorm");
	add_cap("rmkx");
	add_cap("rmcup");
	set_styles(opt);
	last_w = last_h = -1;
	active = 1;
	return 0;
}

static void curses_size(int *w, int *h)
{
	*w = COLS;
	*h = LINES;
}

static void curses_resize(void)
{
	struct winsize ws;
	if (!active)
		return;
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) < 0 || ws.ws_row == 0 || ws.ws_col == 0)
		return;
	/* resizeterm queues a KEY_RESIZE: only call it for a real change. */
	if (is_term_resized(ws.ws_row, ws.ws_col))
		resizeterm(ws.ws_row, ws.ws_col);
}

static void curses_draw(const Frame *f)
{
	if (!active)
		return;
	/* After a resize the old picture is meaningless: start from blank. */
	if (f->w != last_w || f->h != last_h) {
		erase();
		last_w = f->w;
		last_h = f->h;
	}
	int role = -1;
	for (int y = 0; y < f->h && y < LINES; y++) {
		for (int x = 0; x < f->w && x < COLS; x++) {
			const FrameCell *c = &f->cells[y * f->w + x];
			if (c->role != role) {
				role = c->role < ROLE_COUNT_ ? c->role : ROLE_NORMAL;
				attrset(role_attr[role]);
			}
			/* The bottom-right cell "fails" (the cursor cannot move past
			 * it) but is drawn: nothing to check. */
			mvaddstr(y, x, c->ch);
		}
	}
	attrset(A_NORMAL);
	/* With no cursor to show, curses may leave the terminal's cursor where
	 * its last change was: no move back to a corner after every frame (an
	 * animation frame writes a few cells, and the move was a sixth of it). */
	if (f->cursor_x >= 0 && f->cursor_y >= 0) {
		leaveok(stdscr, FALSE);
		move(f->cursor_y, f->cursor_x);
		curs_set(1);
	} else {
		leaveok(stdscr, TRUE);
		curs_set(0);
	}
	refresh();
}

static void curses_redraw(void)
{
	if (active)
		clearok(curscr, TRUE);
}

static int special(int k)
{
	switch (k) {
	case KEY_UP: return UI_KEY_UP;
	case KEY_DOWN: return UI_KEY_DOWN;
	case KEY_LEFT: return UI_KEY_LEFT;
	case KEY_RIGHT: return UI_KEY_RIGHT;
	case KEY_PPAGE: return UI_KEY_PGUP;
	case KEY_NPAGE: return UI_KEY_PGDN;
	case KEY_HOME: return UI_KEY_HOME;
	case KEY_END: return UI_KEY_END;
	case KEY_BTAB: return UI_KEY_BTAB;
	case KEY_BACKSPACE: return UI_KEY_BACKSPACE;
	case KEY_ENTER: return UI_KEY_ENTER;
	case KEY_RESIZE: return UI_KEY_RESIZE;
	default: return UI_KEY_OTHER;
	}
}

static int curses_key(void)
{
	wint_t ch;
	if (!active)
		return UI_KEY_NONE;
	int rc = wget_wch(stdscr, &ch);
	if (rc == ERR)
		return UI_KEY_NONE;
	if (rc == KEY_CODE_YES)
		return special((int)ch);
	return (int)ch;
}

static int curses_fd(void)
{
	return STDIN_FILENO;
}

static void curses_end(void)
{
	if (!active)
		return;
	active = 0;
	curs_set(1);
	endwin();
	/* endwin restores the modes curses saved; the termios from before it
	 * started is put back too, in case anything else changed them. */
	if (have_tio)
		tcsetattr(STDIN_FILENO, TCSADRAIN, &saved_tio);
	delscreen(scr);
	scr = NULL;
}

static void curses_panic(void)
{
	if (!active)
		return;
	active = 0;
	if (restore_len) {
		ssize_t w = write(STDOUT_FILENO, restore_seq, restore_len);
		(void)w;
	}
	if (have_tio)
		tcsetattr(STDIN_FILENO, TCSANOW, &saved_tio);
}

const Ui ui_curses = {
	.name = "curses",
	.start = curses_start,
	.size = curses_size,
	.resize = curses_resize,
	.draw = curses_draw,
	.redraw = curses_redraw,
	.key = curses_key,
	.fd = curses_fd,
	.end = curses_end,
	.panic = curses_panic,
};
