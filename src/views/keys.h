/* keys.h - every key of the screen, described once: the key table.
 *
 * View layer. One entry per key (or group of keys doing one thing): the
 * codes it binds, the command it runs, its key-bar label and its help line.
 * The key bar (screen.c, picker.c), the help overlay, the keys section of
 * `sockstep --help` (main.c) and, through a test, the README's and the man
 * page's key tables are all made from it, so they say what the keys do.
 *
 * Why here: the views draw the bar and the help, and main.c prints --help;
 * neither may see the controller (tui.h). So the table names commands by
 * KeysCmd, and the controller (tui.c) maps each command to its handler in
 * a table of its own, indexed by the same enum: a binding is made here,
 * an action there (that table's size is asserted to be KEYS_CMDS).
 *
 * The key codes, which the backends (ui.h) return and the table binds,
 * are defined here too, one layer below the backends, for the table to
 * name them. */
#ifndef SOCKSTEP_KEYS_H
#define SOCKSTEP_KEYS_H

#include <stddef.h>

#include "views/frame.h"

/* Keys that are not characters; a character key is its code point. */
enum {
	UI_KEY_NONE = -1,          /* no key is waiting */
	UI_KEY_UP = 0x110000,      /* just past the last code point */
	UI_KEY_DOWN,
	UI_KEY_LEFT,
	UI_KEY_RIGHT,
	UI_KEY_PGUP,
	UI_KEY_PGDN,
	UI_KEY_HOME,
	UI_KEY_END,
	UI_KEY_BTAB,               /* shift-tab */
	UI_KEY_BACKSPACE,
	UI_KEY_ENTER,              /* the keypad's enter; the main one is '\r' */
	UI_KEY_RESIZE,
	UI_KEY_OTHER               /* a function key sockstep does not use */
};

/* Where a key is read. The controller tries the modes in turn (tui.c's
 * on_key): a key the current one has no entry for goes on to the next
 * (presenter mode's, a question's, a replay's, then the lesson's), and the
 * modal ones (the menu, the line editor, the step prompt, the help) keep it. */
typedef enum {
	KEYS_ANY,        /* everywhere */
	KEYS_LESSON,     /* a lesson being stepped */
	KEYS_QUIZ,       /* a question waits for its prediction */
	KEYS_PRESENT,    /* presenter mode */
	KEYS_REPLAY,     /* a recorded run (sockstep replay) */
	KEYS_MENU,       /* the lesson menu */
	KEYS_EDIT,       /* the line an actor reads */
	KEYS_GOTO,       /* g's step number */
	KEYS_HELP,       /* the help overlay */
	KEYS_MODES
} KeysMode;

/* What a key does; tui.c holds a handler for each. */
typedef enum {
	KEYS_INTERRUPT, KEYS_REPAINT, KEYS_RESIZED,
	KEYS_STEP, KEYS_STEP_PICKED, KEYS_PICK, KEYS_AUTOPLAY, KEYS_SPEED, KEYS_PANE, KEYS_CODE,
	KEYS_BACK, KEYS_GOTO_OPEN, KEYS_BREAK, KEYS_BREAK_EVERY, KEYS_CONTINUE, KEYS_RESTART,
	KEYS_SCROLL, KEYS_NARR_PAGE, KEYS_FOLD, KEYS_PRESENT_TOGGLE, KEYS_MENU_OPEN, KEYS_LEAVE_HINT, KEYS_HELP_OPEN, KEYS_QUIT,
	KEYS_ANSWER, KEYS_QUIZ_LATER, KEYS_QUIZ_FIRST,
	KEYS_PRESENT_NEXT, KEYS_PRESENT_BACK,
	KEYS_REPLAY_NEXT, KEYS_REPLAY_START, KEYS_REPLAY_MENU,
	KEYS_MENU_MOVE, KEYS_MENU_PAGE, KEYS_MENU_ENDS, KEYS_MENU_PICK,
	KEYS_EDIT_CANCEL, KEYS_EDIT_SEND, KEYS_EDIT_DELETE, KEYS_EDIT_ERASE, KEYS_EDIT_SPACE, KEYS_EDIT_TYPE,
	KEYS_GOTO_CANCEL, KEYS_GOTO_GO, KEYS_GOTO_DELETE, KEYS_GOTO_DIGIT,
	KEYS_HELP_CLOSE, KEYS_HELP_SCROLL, KEYS_HELP_PAGE,
	KEYS_CMDS
} KeysCmd;

/* The key bars an entry shows in (a set of these bits). */
enum {
	KEYS_BAR_RUN = 1,      /* a lesson running */
	KEYS_BAR_OVER = 2,     /* a lesson finished, with a next one to open */
	KEYS_BAR_QUIZ = 4,     /* a question open */
	KEYS_BAR_MENU = 8,
	KEYS_BAR_EDIT = 16,
	KEYS_BAR_GOTO = 32,
	KEYS_BAR_HELP = 64,
};

enum { KEYS_CODES = 8 };

typedef struct {
	KeysMode mode;
	KeysCmd cmd;
	int codes[KEYS_CODES]; /* the keys bound, ended by 0 */
	int named;             /* how many of them the help names (the others are
	                          aliases: Q for q, = for +, the keypad's enter); 0 all */
	int last;              /* a range, codes[0] up to last ('1' to '9'); 0: none */
	const char *name;      /* the keys' name where their codes' will not do, or NULL */
	const char *when;      /* the state this meaning holds in ("lesson finished"), or NULL */
	unsigned bars;         /* KEYS_BAR_* bits: the key bars that show it */
	int bar_named;         /* how many of the named keys the bar shows (0: one) */
	int drop;              /* 0 always in the bar; higher: left out first where it is narrow */
	const char *label;     /* its word in the key bar */
	const char *help;      /* what it does, one sentence; NULL: undocumented (not a key) */
} KeysEntry;

/* The whole table, in the order the help and the bars list it. */
const KeysEntry *keys_table(size_t *n);

/* The entry of mode that binds key, or NULL. The first one wins: an entry
 * after it with the same command and keys only describes another meaning. */
const KeysEntry *keys_find(KeysMode mode, int key);

/* "space", "PgUp", "Ctrl-C", "x": a key's name as the help writes it. */
const char *keys_name(int key, char *buf, size_t cap);

/* The names of e's keys, the first upto of the named ones (0: all), joined
 * by sep: "space, n"; "+/-"; "1-9". Returns buf. */
const char *keys_names(const KeysEntry *e, int upto, const char *sep, char *buf, size_t cap);

/* A mode's heading in the help, --help, the README and the man page
 * ("With a question open"). */
const char *keys_mode_title(KeysMode mode);

/* Does the manual -- --help, the README, the man page -- list mode's keys?
 * (The help overlay lists every mode's.) */
int keys_mode_manual(KeysMode mode);

/* The keys of mode as help lines: each entry's names in a column of
 * keyw, its help wrapped at width. Returns the length written, as
 * snprintf does (out may be NULL with cap 0, to measure). */
size_t keys_help(KeysMode mode, int keyw, int width, char *out, size_t cap);

/* Every mode's keys (only the manual's, when manual is set) under its
 * heading, a blank line after each: the help overlay's, and --help's. */
size_t keys_help_all(int manual, int keyw, int width, char *out, size_t cap);

/* One hint of a key bar. */
typedef struct {
	char key[32];
	const char *label;
	int drop;
	KeysCmd cmd;
} KeysHint;

/* The hints of a key bar (one KEYS_BAR_* bit), in the table's order.
 * Returns how many (at most cap). */
int keys_bar(unsigned bar, KeysHint *out, int cap);

/* Draw hints at row y, leaving out the highest drops first until they fit. */
void keys_bar_draw(Frame *f, int y, const KeysHint *h, int n);

#endif
