/* keys.c - the key table, and the bar and help lines made from it (see
 * keys.h).
 *
 * View layer. The table below is the one place a key is bound and
 * described; tui.c only holds what each command does. Its help lines are
 * plain ASCII, one sentence each: they go into the help overlay, --help,
 * and (checked by tests/unit/test_keys.c) the README and the man page. */
#include "views/keys.h"

#include <stdio.h>
#include <string.h>

#define ENTER '\r', '\n', UI_KEY_ENTER
#define BACKSPACE UI_KEY_BACKSPACE, 127, 8

static const KeysEntry table[] = {
	/* Everywhere. */
	{ KEYS_ANY, KEYS_INTERRUPT, { 3 }, .help = "quit, whatever is open (exit status 130)" },
	{ KEYS_ANY, KEYS_REPAINT, { 12 }, .help = "draw the whole screen again" },
	{ KEYS_ANY, KEYS_RESIZED, { UI_KEY_RESIZE }, .help = NULL },   /* the terminal's, not a key */

	/* A question first: its bar comes before the lesson keys it keeps. */
	{ KEYS_QUIZ, KEYS_ANSWER, { '1' }, .last = '9', .bars = KEYS_BAR_QUIZ, .label = "answer",
	  .help = "your prediction: the call then runs for real, and the verdict shows" },
	{ KEYS_QUIZ, KEYS_QUIZ_LATER, { 27 }, .bars = KEYS_BAR_QUIZ, .label = "not now",
	  .help = "put the question off: the call waits, and space asks again" },
	{ KEYS_QUIZ, KEYS_QUIZ_FIRST, { ' ', 'n', '\r', 'a', '\n', UI_KEY_ENTER }, .named = 4,
	  .help = "nothing runs before the prediction: the screen asks for it" },

	/* At 80 columns the bar's drop 1 (and higher) keys give way: the status
	 * line explains tab and enter, and offers r once the lesson is over. */
	{ KEYS_LESSON, KEYS_STEP, { ' ', 'n' }, .bars = KEYS_BAR_RUN, .label = "next",
	  .help = "run the next call: the first actor whose call would not block; if every "
		  "call would block, the first actor (shown blocked until another wakes it)" },
	/* The same keys once the lesson is over: this entry only describes it. */
	{ KEYS_LESSON, KEYS_STEP, { 'n', ' ' }, .when = "lesson finished", .bars = KEYS_BAR_OVER,
	  .label = "next lesson", .help = "open the next lesson of the menu" },
	{ KEYS_LESSON, KEYS_PICK, { '\t', UI_KEY_RIGHT }, .bars = KEYS_BAR_RUN, .drop = 1, .label = "actor",
	  .help = "pick the next actor (its heading lights up)" },
	{ KEYS_LESSON, KEYS_PICK, { UI_KEY_BTAB, UI_KEY_LEFT }, .help = "pick the actor before" },
	{ KEYS_LESSON, KEYS_STEP_PICKED, { ENTER }, .named = 1, .bars = KEYS_BAR_RUN, .drop = 1,
	  .label = "step it", .help = "run only the picked actor's call" },
	{ KEYS_LESSON, KEYS_AUTOPLAY, { 'a' }, .bars = KEYS_BAR_RUN, .label = "auto",
	  .help = "autoplay on or off: a step on a timer; it stops at the end, at a question "
		  "and at a breakpoint" },
	{ KEYS_LESSON, KEYS_SPEED, { '+', '-', '=', '_' }, .named = 2, .bars = KEYS_BAR_RUN, .bar_named = 2,
	  .drop = 2, .label = "speed", .help = "autoplay faster, slower" },
	{ KEYS_LESSON, KEYS_PANE, { 'k' }, .bars = KEYS_BAR_RUN | KEYS_BAR_OVER | KEYS_BAR_QUIZ, .label = "pane",
	  .help = "the next pane under the flow: bytes, sockets (the kernel's socket table), "
		  "packets; a terminal of 156x36, or 40 rows, shows all three" },
	{ KEYS_LESSON, KEYS_CODE, { 's' }, .bars = KEYS_BAR_RUN | KEYS_BAR_OVER | KEYS_BAR_QUIZ, .label = "code",
	  .help = "the source (code pane): each actor's program in Python, then C, then off, "
		  "its next call marked; below 150 columns it takes the flow's place" },
	{ KEYS_LESSON, KEYS_BACK, { 'b' }, .bars = KEYS_BAR_RUN | KEYS_BAR_OVER, .label = "back",
	  .help = "back one step: the lesson runs again from its start to the step before, "
		  "and the screen is as it was then" },
	{ KEYS_LESSON, KEYS_GOTO_OPEN, { 'g' },
	  .help = "go to a step: type its number, enter goes (any step up to the furthest "
		  "this run reached)" },
	{ KEYS_LESSON, KEYS_BREAK, { 'x' },
	  .help = "a breakpoint on the picked actor's next call (each time it comes round), "
		  "or off again" },
	{ KEYS_LESSON, KEYS_BREAK_EVERY, { 'X' },
	  .help = "a breakpoint on every call of that kind (every recv, of every actor), or off again" },
	{ KEYS_LESSON, KEYS_CONTINUE, { 'c' },
	  .help = "continue, without waiting, to the next breakpoint (a question or the end "
		  "stops it too); at a breakpoint, its call runs first" },
	{ KEYS_LESSON, KEYS_RESTART, { 'r' }, .bars = KEYS_BAR_RUN | KEYS_BAR_OVER, .drop = 1, .label = "restart",
	  .help = "restart the lesson: a fresh run, new processes, a new namespace" },
	{ KEYS_LESSON, KEYS_SCROLL, { UI_KEY_PGUP, UI_KEY_PGDN, UI_KEY_UP, UI_KEY_DOWN, UI_KEY_HOME, UI_KEY_END },
	  .bars = KEYS_BAR_RUN | KEYS_BAR_OVER, .bar_named = 2, .drop = 3, .label = "bytes",
	  .help = "scroll the byte pane, or the packets when they are the pane shown: a page, a line, "
		  "to the oldest, to the newest" },
	/* Named in the bar only while the step's words have more pages. */
	{ KEYS_LESSON, KEYS_NARR_PAGE, { 'w' }, .bars = KEYS_BAR_RUN | KEYS_BAR_OVER, .label = "more words",
	  .help = "the next page of the step's narration, when its words need more rows than the "
		  "screen has" },
	/* Named in the bar only while actors share a column. */
	{ KEYS_LESSON, KEYS_FOLD, { 'o' }, .bars = KEYS_BAR_RUN | KEYS_BAR_OVER, .label = "other actor",
	  .help = "when more actors than fit share the flow's last column (its heading says 2/3), "
		  "pick the next of them: the column shows the picked one, else the one whose step just ran" },
	{ KEYS_LESSON, KEYS_PRESENT_TOGGLE, { 'p' }, .bars = KEYS_BAR_RUN | KEYS_BAR_OVER, .drop = 3,
	  .label = "present", .help = "presenter mode on or off (--present): the flow and the bytes large" },
	{ KEYS_LESSON, KEYS_MENU_OPEN, { 'm' }, .bars = KEYS_BAR_RUN | KEYS_BAR_OVER, .label = "menu",
	  .help = "back to the lesson menu (this run's processes stop)" },
	{ KEYS_LESSON, KEYS_LEAVE_HINT, { 27 }, .help = "says how to leave: m for the menu, q to quit" },
	{ KEYS_LESSON, KEYS_HELP_OPEN, { '?' }, .bars = KEYS_BAR_RUN | KEYS_BAR_OVER | KEYS_BAR_QUIZ,
	  .label = "help", .help = "the help: these keys, and how to read the screen" },
	{ KEYS_LESSON, KEYS_QUIT, { 'q', 'Q' }, .named = 1, .bars = KEYS_BAR_RUN | KEYS_BAR_OVER | KEYS_BAR_QUIZ,
	  .label = "quit", .help = "quit: the terminal is restored, and no process is left" },

	{ KEYS_PRESENT, KEYS_PRESENT_NEXT, { UI_KEY_PGDN, UI_KEY_RIGHT },
	  .help = "the next step, as space (a presentation clicker sends these)" },
	{ KEYS_PRESENT, KEYS_PRESENT_BACK, { UI_KEY_PGUP, UI_KEY_LEFT }, .help = "back a step, as b" },

	{ KEYS_REPLAY, KEYS_REPLAY_NEXT, { ' ', 'n', ENTER }, .named = 3,
	  .help = "the next moment of the recorded run (a question first, as in the run)" },
	{ KEYS_REPLAY, KEYS_REPLAY_START, { 'r' }, .help = "back to the start of the recording" },
	{ KEYS_REPLAY, KEYS_REPLAY_MENU, { 'm' }, .help = "nothing: a replay has no menu (q quits)" },

	{ KEYS_MENU, KEYS_MENU_MOVE, { UI_KEY_UP, UI_KEY_DOWN, 'k', 'j' }, .bars = KEYS_BAR_MENU, .bar_named = 2,
	  .label = "pick", .help = "pick a lesson" },
	{ KEYS_MENU, KEYS_MENU_PICK, { '\r', ' ', UI_KEY_RIGHT, '\n', UI_KEY_ENTER }, .named = 3,
	  .bars = KEYS_BAR_MENU, .label = "open", .help = "open the lesson picked" },
	{ KEYS_MENU, KEYS_MENU_PAGE, { UI_KEY_PGUP, UI_KEY_PGDN }, .bars = KEYS_BAR_MENU, .bar_named = 2,
	  .label = "page", .help = "a page up, down" },
	{ KEYS_MENU, KEYS_MENU_ENDS, { UI_KEY_HOME, UI_KEY_END }, .help = "the first lesson, the last" },
	{ KEYS_MENU, KEYS_QUIT, { 'q', 'Q' }, .named = 1, .bars = KEYS_BAR_MENU, .label = "quit", .help = "quit" },

	{ KEYS_EDIT, KEYS_EDIT_SEND, { ENTER }, .named = 1, .bars = KEYS_BAR_EDIT, .label = "send",
	  .help = "send the line" },
	{ KEYS_EDIT, KEYS_EDIT_CANCEL, { 27 }, .bars = KEYS_BAR_EDIT, .label = "cancel",
	  .help = "cancel: the actor still waits for its line" },
	{ KEYS_EDIT, KEYS_EDIT_DELETE, { BACKSPACE }, .named = 1, .bars = KEYS_BAR_EDIT, .label = "delete",
	  .help = "delete the last character" },
	{ KEYS_EDIT, KEYS_EDIT_ERASE, { 21 }, .help = "erase the line" },
	{ KEYS_EDIT, KEYS_EDIT_SPACE, { ' ' },
	  .help = "a space; before the line's first letter it is taken as stepping on, not typed" },
	{ KEYS_EDIT, KEYS_EDIT_TYPE, { '!' }, .last = 0x10ffff, .name = "letters", .help = "typed into the line" },

	{ KEYS_GOTO, KEYS_GOTO_DIGIT, { '0' }, .last = '9', .bars = KEYS_BAR_GOTO, .label = "step number",
	  .help = "the step's number" },
	{ KEYS_GOTO, KEYS_GOTO_GO, { ENTER }, .named = 1, .bars = KEYS_BAR_GOTO, .label = "go",
	  .help = "go to that step" },
	{ KEYS_GOTO, KEYS_GOTO_CANCEL, { 27 }, .bars = KEYS_BAR_GOTO, .label = "cancel", .help = "cancel" },
	{ KEYS_GOTO, KEYS_GOTO_DELETE, { BACKSPACE }, .named = 1, .help = "delete a digit" },

	{ KEYS_HELP, KEYS_HELP_CLOSE, { '?', 27, 'h', ' ', '\r' }, .bars = KEYS_BAR_HELP, .bar_named = 2,
	  .label = "close help", .help = "close the help" },
	{ KEYS_HELP, KEYS_HELP_SCROLL, { UI_KEY_UP, UI_KEY_DOWN, 'j' }, .bars = KEYS_BAR_HELP, .bar_named = 2,
	  .label = "scroll", .help = "scroll a line" },
	{ KEYS_HELP, KEYS_HELP_PAGE, { UI_KEY_PGUP, UI_KEY_PGDN }, .help = "to the top, ten lines down" },
	{ KEYS_HELP, KEYS_QUIT, { 'q', 'Q' }, .named = 1, .bars = KEYS_BAR_HELP, .label = "quit", .help = "quit" },
};

enum { NTABLE = sizeof table / sizeof table[0] };

/* Each mode's heading, and whether --help, the README and the man page
 * list its keys: the line editor's, the step prompt's and the help's own
 * are on the key bar while they are open, and in the help. */
static const struct {
	const char *title;
	int manual;
} modes[KEYS_MODES] = {
	[KEYS_ANY] = { "Anywhere", 1 },
	[KEYS_LESSON] = { "Stepping a lesson", 1 },
	[KEYS_QUIZ] = { "With a question open (the other keys as ever)", 1 },
	[KEYS_PRESENT] = { "In presenter mode (the other keys as ever)", 1 },
	[KEYS_REPLAY] = { "In a replay (the other keys as in a lesson)", 1 },
	[KEYS_MENU] = { "In the lesson menu", 1 },
	[KEYS_EDIT] = { "Typing a line an actor reads", 0 },
	[KEYS_GOTO] = { "Going to a step (after g)", 0 },
	[KEYS_HELP] = { "In this help", 0 },
};

const KeysEntry *keys_table(size_t *n)
{
	*n = NTABLE;
	return table;
}

static int binds(const KeysEntry *e, int key)
{
	if (e->last)
		return key >= e->codes[0] && key <= e->last;
	for (int i = 0; i < KEYS_CODES && e->codes[i]; i++)
		if (e->codes[i] == key)
			return 1;
	return 0;
}

const KeysEntry *keys_find(KeysMode mode, int key)
{
	for (size_t i = 0; i < NTABLE; i++)
		if (table[i].mode == mode && binds(&table[i], key))
			return &table[i];
	return NULL;
}

static const char *const special[] = {
	[UI_KEY_UP - UI_KEY_UP] = "up",
	[UI_KEY_DOWN - UI_KEY_UP] = "down",
	[UI_KEY_LEFT - UI_KEY_UP] = "left",
	[UI_KEY_RIGHT - UI_KEY_UP] = "right",
	[UI_KEY_PGUP - UI_KEY_UP] = "PgUp",
	[UI_KEY_PGDN - UI_KEY_UP] = "PgDn",
	[UI_KEY_HOME - UI_KEY_UP] = "Home",
	[UI_KEY_END - UI_KEY_UP] = "End",
	[UI_KEY_BTAB - UI_KEY_UP] = "shift-tab",
	[UI_KEY_BACKSPACE - UI_KEY_UP] = "backspace",
	[UI_KEY_ENTER - UI_KEY_UP] = "keypad enter",
	[UI_KEY_RESIZE - UI_KEY_UP] = "resize",
	[UI_KEY_OTHER - UI_KEY_UP] = "a function key",
};

const char *keys_name(int key, char *buf, size_t cap)
{
	const char *name = NULL;
	switch (key) {
	case ' ': name = "space"; break;
	case '\t': name = "tab"; break;
	case '\r': name = "enter"; break;
	case 27: name = "esc"; break;
	case 127: name = "delete"; break;
	default: break;
	}
	if (key >= UI_KEY_UP && key <= UI_KEY_OTHER)
		name = special[key - UI_KEY_UP];
	if (name)
		snprintf(buf, cap, "%s", name);
	else if (key > 0 && key < 0x20)
		snprintf(buf, cap, "Ctrl-%c", key + '@');
	else if (key < 0x80)
		snprintf(buf, cap, "%c", key);
	else   /* no key of the table: a code point, as UTF-8 */
		snprintf(buf, cap, "U+%04X", (unsigned)key);
	return buf;
}

const char *keys_names(const KeysEntry *e, int upto, const char *sep, char *buf, size_t cap)
{
	char one[32], two[32];
	if (e->name) {
		snprintf(buf, cap, "%s", e->name);
		return buf;
	}
	if (e->last) {
		snprintf(buf, cap, "%s-%s", keys_name(e->codes[0], one, sizeof one), keys_name(e->last, two, sizeof two));
		return buf;
	}
	int n = 0;
	while (n < KEYS_CODES && e->codes[n])
		n++;
	if (e->named && e->named < n)
		n = e->named;
	if (upto && upto < n)
		n = upto;
	size_t o = 0;
	buf[0] = '\0';
	for (int i = 0; i < n && o < cap; i++)
		o += (size_t)snprintf(buf + o, cap - o, "%s%s", i ? sep : "", keys_name(e->codes[i], one, sizeof one));
	return buf;
}

const char *keys_mode_title(KeysMode mode)
{
	return mode >= 0 && mode < KEYS_MODES ? modes[mode].title : "";
}

int keys_mode_manual(KeysMode mode)
{
	return mode >= 0 && mode < KEYS_MODES && modes[mode].manual;
}

/* Append to out (as snprintf: o counts what would have been written). */
static size_t put(char *out, size_t cap, size_t o, const char *text, size_t n)
{
	if (out && o + 1 < cap) {
		size_t room = cap - o - 1;
		memcpy(out + o, text, n < room ? n : room);
		out[o + (n < room ? n : room)] = '\0';
	}
	return o + n;
}

/* One entry: its keys in a column of keyw after two blanks, its help
 * wrapped at width, the lines after the first under the help. */
static size_t help_entry(const KeysEntry *e, int keyw, int width, char *out, size_t cap, size_t o)
{
	char keys[160], pad[160];
	keys_names(e, 0, ", ", keys, sizeof keys);
	if (e->when) {
		size_t n = strlen(keys);
		snprintf(keys + n, sizeof keys - n, " (%s)", e->when);
	}
	int indent = 2 + keyw;
	memset(pad, ' ', sizeof pad);
	o = put(out, cap, o, "  ", 2);
	o = put(out, cap, o, keys, strlen(keys));
	int col = 2 + (int)strlen(keys);
	if (col > indent - 2) {   /* no room for two blanks: the help on the next line */
		o = put(out, cap, o, "\n", 1);
		col = 0;
	}
	o = put(out, cap, o, pad, (size_t)(indent - col));
	col = indent;
	const char *p = e->help;
	int first = 1;
	while (*p) {
		size_t word = strcspn(p, " ");
		if (!first && col + 1 + (int)word > width) {
			o = put(out, cap, o, "\n", 1);
			o = put(out, cap, o, pad, (size_t)indent);
			col = indent;
			first = 1;
		}
		if (!first) {
			o = put(out, cap, o, " ", 1);
			col++;
		}
		o = put(out, cap, o, p, word);
		col += (int)word;
		first = 0;
		p += word;
		while (*p == ' ')
			p++;
	}
	return put(out, cap, o, "\n", 1);
}

size_t keys_help(KeysMode mode, int keyw, int width, char *out, size_t cap)
{
	size_t o = 0;
	if (out && cap)
		out[0] = '\0';
	for (size_t i = 0; i < NTABLE; i++)
		if (table[i].mode == mode && table[i].help)
			o = help_entry(&table[i], keyw, width, out, out ? cap : 0, o);
	return o;
}

/* The order the help tells the modes in: the lesson's keys first. */
static const KeysMode help_order[KEYS_MODES] = {
	KEYS_LESSON, KEYS_QUIZ, KEYS_PRESENT, KEYS_REPLAY, KEYS_MENU, KEYS_EDIT, KEYS_GOTO, KEYS_HELP, KEYS_ANY,
};

size_t keys_help_all(int manual, int keyw, int width, char *out, size_t cap)
{
	size_t o = 0;
	if (out && cap)
		out[0] = '\0';
	for (size_t i = 0; i < KEYS_MODES; i++) {
		if (manual && !keys_mode_manual(help_order[i]))
			continue;
		const char *title = keys_mode_title(help_order[i]);
		o = put(out, cap, o, title, strlen(title));
		o = put(out, cap, o, "\n", 1);
		o += keys_help(help_order[i], keyw, width, out && o < cap ? out + o : NULL, o < cap ? cap - o : 0);
		o = put(out, cap, o, "\n", 1);
	}
	return o;
}

int keys_bar(unsigned bar, KeysHint *out, int cap)
{
	int n = 0;
	for (size_t i = 0; i < NTABLE && n < cap; i++) {
		const KeysEntry *e = &table[i];
		if (!(e->bars & bar) || !e->label)
			continue;
		KeysHint *h = &out[n++];
		keys_names(e, e->bar_named ? e->bar_named : 1, "/", h->key, sizeof h->key);
		h->label = e->label;
		h->drop = e->drop;
		h->cmd = e->cmd;
	}
	return n;
}

void keys_bar_draw(Frame *f, int y, const KeysHint *h, int n)
{
	int limit = 9;
	for (;; limit--) {
		/* A hint is " key ", a blank, its label and a blank before the
		 * next; the last needs no blank after it. */
		int total = 1 - 1;
		for (int i = 0; i < n; i++)
			if (h[i].drop <= limit)
				total += frame_width(h[i].key) + frame_width(h[i].label) + 4;
		if (total <= f->w || limit == 0)
			break;
	}
	int x = 1;
	for (int i = 0; i < n; i++) {
		if (h[i].drop > limit)
			continue;
		/* A hint that does not fit whole is left out: "q" without
		 * "quit" says nothing. */
		if (x + frame_width(h[i].key) + frame_width(h[i].label) + 3 > f->w)
			break;
		char key[40];
		snprintf(key, sizeof key, " %s ", h[i].key);
		x += frame_put(f, x, y, key, ROLE_KEY, f->w - x);
		x += frame_put(f, x + 1, y, h[i].label, ROLE_NORMAL, f->w - x - 1) + 2;
	}
}
