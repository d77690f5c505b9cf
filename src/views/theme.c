/* theme.c - theme files into a role -> style table (see theme.h). */
#include "views/theme.h"

#include <stdio.h>
#include <string.h>

#include "views/assets.h"

static const char *const color_names[] = {
	"black", "red", "green", "yellow", "blue", "magenta", "cyan", "white",
};

const char *theme_text(const char *name)
{
	if (!name || strcmp(name, "default") == 0)
		return asset_default_theme;
	if (strcmp(name, "contrast") == 0)
		return asset_contrast_theme;
	return NULL;
}

/* "red" -> 1, "bright-red" -> 9, "default" -> -1; -2 when unknown. */
static int color_find(const char *w)
{
	int bright = 0;
	if (strcmp(w, "default") == 0)
		return THEME_COLOR_DEFAULT;
	if (strncmp(w, "bright-", 7) == 0) {
		bright = 8;
		w += 7;
	}
	for (int i = 0; i < 8; i++)
		if (strcmp(w, color_names[i]) == 0)
			return i + bright;
	return -2;
}

/* "bold,reverse" -> flags; -1 when a word is unknown. */
static int attrs_find(char *w)
{
	static const struct { const char *name; int flag; } names[] = {
		{ "bold", THEME_BOLD }, { "reverse", THEME_REVERSE },
		{ "underline", THEME_UNDERLINE }, { "dim", THEME_DIM },
	};
	int attrs = 0;
	if (strcmp(w, "-") == 0)
		return 0;
	for (char *save = NULL, *a = strtok_r(w, ",", &save); a; a = strtok_r(NULL, ",", &save)) {
		int found = -1;
		for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
			if (strcmp(a, names[i].name) == 0)
				found = names[i].flag;
		if (found < 0)
			return -1;
		attrs |= found;
	}
	return attrs;
}

/* One line: "role fg bg [attrs]". Returns NULL, or what is wrong with it. */
static const char *parse_line(char *line, Theme *t)
{
	char *save = NULL;
	char *role = strtok_r(line, " \t", &save);
	if (!role || role[0] == '#')
		return NULL;
	char *fg = strtok_r(NULL, " \t", &save);
	char *bg = strtok_r(NULL, " \t", &save);
	char *attrs = strtok_r(NULL, " \t", &save);
	int r = frame_role_find(role);
	if (r < 0)
		return "unknown role";
	if (!fg || !bg)
		return "expected: role fg bg [attributes]";
	ThemeStyle s = { color_find(fg), color_find(bg), attrs ? attrs_find(attrs) : 0 };
	if (s.fg < -1 || s.bg < -1)
		return "unknown colour";
	if (s.attrs < 0)
		return "unknown attribute";
	if (strtok_r(NULL, " \t", &save))
		return "too many words";
	t->role[r] = s;
	return NULL;
}

int theme_parse(const char *text, Theme *t, char *err, size_t errlen)
{
	for (int r = 0; r < ROLE_COUNT_; r++)
		t->role[r] = (ThemeStyle){ THEME_COLOR_DEFAULT, THEME_COLOR_DEFAULT, 0 };
	int lineno = 0;
	while (text && *text) {
		char line[256];
		size_t n = strcspn(text, "\n");
		lineno++;
		if (n >= sizeof line) {
			snprintf(err, errlen, "line %d: too long", lineno);
			return -1;
		}
		memcpy(line, text, n);
		line[n] = '\0';
		text += n + (text[n] == '\n');
		const char *why = parse_line(line, t);
		if (why) {
			snprintf(err, errlen, "line %d: %s", lineno, why);
			return -1;
		}
	}
	/* A role the theme leaves out looks like normal text, not like nothing. */
	return 0;
}
