/* minimal.c - the benchmark's reference for start-up (make bench): the
 * least an ncurses program does to show one screen.
 *
 * initscr, one screen of text the size of sockstep's (a title row, a body,
 * a key row at the bottom), refresh, then wait for a key. bench.c times
 * launch to the first complete frame of this and of sockstep, side by side:
 * what sockstep adds on top of curses itself (loading the lesson, the network
 * namespace, forking the actors, the first kernel look) is the ratio. It also
 * sits idle beside sockstep in the idle row. Same curses set-up as
 * sockstep's backend (newterm is what initscr calls), so the terminal
 * initialisation costs the same. */
#include <curses.h>
#include <locale.h>

int main(void)
{
	setlocale(LC_ALL, "");
	initscr();
	raw();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	curs_set(0);
	int rows = LINES, cols = COLS;
	/* Text in every cell, as sockstep's frames nearly fill the screen: the
	 * title and key rows are the markers bench.c waits for. */
	attron(A_REVERSE);
	mvprintw(0, 0, "%-*s", cols, " minimal: one ncurses screen");
	attroff(A_REVERSE);
	for (int y = 1; y < rows - 1; y++)
		for (int x = 0; x < cols; x++)
			mvaddch(y, x, (chtype)('a' + (x + y) % 26));
	mvprintw(rows - 1, 0, "%-*s", cols - 1, " any key  quit");
	refresh();
	getch();
	endwin();
	return 0;
}
