#!/bin/bash
# layout.sh - every lesson stepped to its end in a small terminal (tmux),
# read as a student reads it: while a step is current, all of its
# narration shows on the screen, whole; no call in the flow has its result
# cut off.
#
# The narration is the model's, not typed in here: `sockstep --plain
# --narrate` prints each step's words, and the inputs the lesson types.
# Every lesson at 80x24, a laptop's default, and a few at 160x45 and at
# 60x20 (a projector's large font); each in a session of its own, a few at
# a time (JOBS). Below 60x20 the screen and the menu say what they need. Prints PASS or FAIL lines per lesson and size.
set -u

cd "$(dirname "$0")/../.." || exit 2
. tests/e2e/lib.sh
export XDG_STATE_HOME="$TMP/state"
JOBS=${JOBS:-4}

need_tui
if ! command -v perl >/dev/null 2>&1; then
	skip "$0" "perl is not installed: the screens cannot be read"
	exit 0
fi

# The pane's rows, one per line.
rows() { screen "$1"; }

# The step count in the title: "step 5/12" gives 5.
step_of() { sed -n 1p "$1" | grep -oE 'step [0-9]+' | head -1 | awk '{ print $2 }'; }

# The narration band of a captured screen, as one line: the rows between
# its rule and the status line (the last two rows: status, keys), joined;
# with a second argument, without its last row (what runs next), to join
# the pages of one step's words.
band() {
	local h
	h=$(wc -l <"$1")
	awk -v last=$((h - 2 - ${2:-0})) '/── (narration|question)/ { on = NR; next } on && NR <= last' "$1" |
		tr '\n' ' ' | tr -s ' ' | sed 's/^ //; s/ $//'
}

# The line of what runs next (or why nothing can) in the narration band of
# a captured screen: its first row, which starts "Next:" or "Stuck:" (it
# takes more rows when it needs them and they are free).
next_line() {
	local h
	h=$(wc -l <"$1")
	awk -v last=$((h - 2)) '/── (narration|question)/ { on = 1; next }
		on && NR <= last && /^ (Next|Stuck):/ { l = $0 } END { print l }' "$1"
}

# The whole band of the step on screen $1 (captured in $2), as one line:
# words that need more rows than the band has come in pages, "page 1/3,
# w: more" on its rule, and w turns them as a student would.
band_pages() {
	local s=$1 scr=$2 pages p i all
	all=$(band "$scr" 1)
	pages=$(sed -n 's/.*page 1\/\([0-9]*\), w: more.*/\1/p' "$scr" | head -1)
	for ((p = 2; p <= ${pages:-1}; p++)); do
		tm send-keys -t "$s" w
		for ((i = 0; i < 100; i++)); do
			screen "$s" >"$scr.page"
			grep -qF "page $p/$pages" "$scr.page" && break
			sleep 0.05
		done
		all="$all $(band "$scr.page" 1)"
	done
	echo "$all"
}

# Calls of the flow whose result is cut: a returned call (its ✓ or ✗) that
# does not end in " = RESULT" after its last ellipsis. The flow is every
# row from the headings to the console strip; a column's text ends at two
# blanks, or where an arrow starts.
cut_results() {
	perl -CSD -Mutf8 -ne '
		next if $. < 3;
		last if /^ console:/;
		while (/([✓✗] [a-z_0-9]+\((?:(?!  |[─◀▶┆]).)*)/g) {
			my $s = $1;
			$s =~ s/\s+$//;
			(my $t = $s) =~ s/.*…//;
			print "$s\n" unless $t =~ / = \S/;
		}' "$1"
}

# The lesson's narration, one step a line without the actor's name (the
# screen joins a print step's words to the call's before it), and the
# lines it types.
narrations() {
	"$SOCKSTEP" --plain --narrate "$1" 2>/dev/null | sed -n 's/^  *> [^:]*: //p' | tr -s ' '
}
inputs() {
	"$SOCKSTEP" --plain --narrate "$1" 2>/dev/null | sed -n 's/^[^ ]*  *input = "\(.*\)"$/\1/p'
}

# run_lesson LESSON W H: step LESSON to its end at W x H; write the bands
# seen and any cut call into $TMP/NAME.WxH.*; PASS or FAIL.
run_lesson() {
	local lesson=$1 w=$2 h=$3 name s out i k prev now line tries waits
	name=$(basename "$lesson" .lesson)
	s="$name-${w}x$h"
	out="$TMP/$s"
	narrations "$lesson" >"$out.want"
	inputs "$lesson" >"$out.inputs"
	: >"$out.bands"
	: >"$out.cut"
	start "$s" "$w" "$h" "env LC_ALL=C.UTF-8 $SOCKSTEP $lesson"
	if ! wait_re "$s" '── narration' 10; then
		fail "$name at ${w}x$h" "the screen did not come up: $(screen "$s" | head -3 | tr '\n' '|')"
		return
	fi
	k=0
	waits=0
	for ((i = 0; i < 400; i++)); do
		rows "$s" >"$out.scr"
		prev=$(step_of "$out.scr")
		band_pages "$s" "$out.scr" >>"$out.bands"
		[ -z "${KEEP:-}" ] || cat "$out.scr" >>"$out.screens"
		echo >>"$out.bands"
		cut_results "$out.scr" | sed "s/^/step $prev: /" >>"$out.cut"
		# The end: the band's last line no longer says what runs next
		# (an open question's prompt has its choices there).
		if tail -2 "$out.scr" | grep -qF 'your prediction'; then
			tm send-keys -t "$s" 1
		elif next_line "$out.scr" | grep -q '^ Stuck:'; then
			# Every actor waits, in sleep() or a call with a time
			# limit: the run goes on by itself when the time is up.
			waits=$((waits + 1))
			[ "$waits" -le 20 ] || break
			line=$(next_line "$out.scr")
			for ((tries = 0; tries < 200; tries++)); do
				sleep 0.05
				screen "$s" >"$out.now"
				[ "$(next_line "$out.now")" = "$line" ] || break
			done
			continue
		elif ! next_line "$out.scr" | grep -q '^ Next:'; then
			break
		elif tail -2 "$out.scr" | grep -qF 'input (enter sends):'; then
			k=$((k + 1))
			line=$(sed -n "${k}p" "$out.inputs")
			tm send-keys -t "$s" -l "$line"
			tm send-keys -t "$s" Enter
		else
			tm send-keys -t "$s" Space
		fi
		# Until the step has run: a question is answered (1) on the way,
		# and the line editor waits for the next turn.
		for ((tries = 0; tries < 200; tries++)); do
			rows "$s" >"$out.scr"
			now=$(step_of "$out.scr")
			[ "${now:-0}" -gt "${prev:-0}" ] && break
			tail -2 "$out.scr" | grep -qF 'input (enter sends):' && break
			if tail -2 "$out.scr" | grep -qF 'your prediction'; then
				tm send-keys -t "$s" 1
				sleep 0.05
				continue
			fi
			next_line "$out.scr" | grep -q '^ Next:' || break
			sleep 0.05
		done
	done
	tm kill-session -t "$s" 2>/dev/null
	local missing=0 first=""
	while IFS= read -r line; do
		[ -n "$line" ] || continue
		if ! grep -qF -- "$line" "$out.bands"; then
			missing=$((missing + 1))
			[ -n "$first" ] || first=$line
		fi
	done <"$out.want"
	if [ ! -s "$out.want" ]; then
		fail "$name at ${w}x$h: every step's narration whole" "sockstep --plain --narrate printed no narration"
	elif [ "$missing" -gt 0 ]; then
		fail "$name at ${w}x$h: every step's narration whole" "$missing not seen whole, first: $first"
	else
		pass "$name at ${w}x$h: every step's narration whole ($(wc -l <"$out.want") steps)"
	fi
	if [ -s "$out.cut" ]; then
		fail "$name at ${w}x$h: no call's result cut" "$(head -3 "$out.cut" | tr '\n' '|')"
	else
		pass "$name at ${w}x$h: no call's result cut"
	fi
}

# A few at a time; each prints its lines when it is done. Every lesson at
# 80x24, a laptop's default; a few on a large screen too.
runs=()
for lesson in ${LESSONS:-lessons/*.lesson}; do
	runs+=("$lesson 80 24")
done
for lesson in ${LARGE-lessons/01-echo.lesson lessons/15-sigpipe.lesson lessons/18-poll.lesson}; do
	runs+=("$lesson 160 45")
done
# A projector's large font: the compact layout, the flow and narration first.
for lesson in ${PROJECTOR-lessons/01-echo.lesson lessons/02-addresses.lesson lessons/09-close.lesson lessons/15-sigpipe.lesson lessons/18-poll.lesson}; do
	runs+=("$lesson 60 20")
done
for r in "${runs[@]}"; do
	while [ "$(jobs -rp | wc -l)" -ge "$JOBS" ]; do
		wait -n
	done
	set -- $r
	run_lesson "$1" "$2" "$3" >"$TMP/$(basename "$1").$2x$3.out" &
done

# Below 60x20 the screen and the menu say what they need, in words that fit.
start small 59 20 "env LC_ALL=C.UTF-8 $SOCKSTEP lessons/01-echo.lesson"
if wait_for small "terminal too small: 59x20; sockstep needs 60x20" 10; then
	pass "at 59x20 the lesson screen says it needs 60x20, whole"
else
	fail "at 59x20 the lesson screen says it needs 60x20, whole" "$(screen small | grep . | tr '\n' '|')"
fi
tm kill-session -t small 2>/dev/null
start small 60 19 "env LC_ALL=C.UTF-8 $SOCKSTEP"
if wait_for small "terminal too small: 60x19; sockstep needs 60x20" 10; then
	pass "at 60x19 the menu says it needs 60x20, whole"
else
	fail "at 60x19 the menu says it needs 60x20, whole" "$(screen small | grep . | tr '\n' '|')"
fi
tm kill-session -t small 2>/dev/null

# At 60x20 the menu lists the lessons, the picked one's summary under them,
# and a key bar whose every hint is whole.
start menu 60 20 "env LC_ALL=C.UTF-8 $SOCKSTEP"
S=menu
menu_ok() {
	wait_for menu "Echo server and client" 10 &&
		screen menu | grep -qF "TCP server sends back" &&
		screen menu | tail -1 | grep -qE 'q +quit *$'
}
check "at 60x20 the menu shows the lessons, the summary and whole key hints" menu_ok
tm kill-session -t menu 2>/dev/null
wait
cat "$TMP"/*.out
# KEEP=DIR keeps the screens and bands read, to look at by hand.
[ -z "${KEEP:-}" ] || cp -r "$TMP" "$KEEP"
