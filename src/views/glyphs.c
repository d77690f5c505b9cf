/* glyphs.c - the two sets of characters (see glyphs.h). */
#include "views/glyphs.h"

static const Glyphs unicode_glyphs = {
	"─", "┆", "▶", "◀", "…", "·", "✓ ", "✗ ", "… ", "▶ ", "● ", "█", "░",
};
static const Glyphs ascii_glyphs = {
	"-", ":", ">", "<", "~", "-", "ok ", "!! ", ".. ", ">> ", "B> ", "#", ".",
};

const Glyphs *glyphs_get(int unicode)
{
	return unicode ? &unicode_glyphs : &ascii_glyphs;
}
