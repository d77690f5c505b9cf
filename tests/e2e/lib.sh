# lib.sh - helpers for the tmux tests (sourced, not run).
#
# A private tmux server (its own socket), panes read as text, waits that poll
# with a bound and never sleep long, and PASS:/FAIL:/SKIP: lines for tests/run.sh.
SOCKSTEP=${SOCKSTEP:-./sockstep}
SOCK="sockstep-test-$$"
TMP=$(mktemp -d)
tm() { tmux -L "$SOCK" "$@"; }
cleanup() {
	tm kill-server >/dev/null 2>&1
	rm -rf "$TMP"
}
trap cleanup EXIT INT TERM

pass() { echo "PASS: $1"; }
fail() { echo "FAIL: $1: $2"; }
# skip NAME WHY: a check this machine cannot make, counted apart by tests/run.sh.
skip() { echo "SKIP: $1: $2"; }

screen() { tm capture-pane -p -t "$1" 2>/dev/null; }

# check NAME COMMAND...: PASS when the command succeeds, else FAIL with the
# screen of the session named by $S.
check() {
	local name=$1
	shift
	if "$@"; then
		pass "$name"
	else
		fail "$name" "$(screen "$S" | tr '\n' '|')"
	fi
}

# wait_for SESSION TEXT [SECONDS]: until the pane shows TEXT (a fixed string).
wait_for() {
	local i
	for ((i = 0; i < ${3:-5} * 20; i++)); do
		screen "$1" | grep -qF -- "$2" && return 0
		sleep 0.05
	done
	return 1
}

# wait_re SESSION REGEX [SECONDS]: until the pane shows a line matching REGEX (grep -E).
wait_re() {
	local i
	for ((i = 0; i < ${3:-5} * 20; i++)); do
		screen "$1" | grep -qE -- "$2" && return 0
		sleep 0.05
	done
	return 1
}

# wait_started SESSION [SECONDS]: until the lesson's actors are up, a pid
# in a column heading. The lesson is drawn before them, its columns saying
# "starting", so its actors' names show first.
wait_started() { wait_re "$1" ' pid [0-9]+' "${2:-5}"; }

# start_keeper: a session that outlives the others, keeping the tmux server
# up between them.
start_keeper() { start keep 20 5 "sleep 600"; }

# step_once SESSION: one step as a student takes it (1 for a question
# asked, else space), then until the title changes (2 s at most).
step_once() {
	local tries before
	before=$(screen "$1" | head -1)
	if screen "$1" | grep -qF 'your prediction'; then
		tm send-keys -t "$1" 1
	else
		tm send-keys -t "$1" Space
	fi
	for ((tries = 0; tries < 40; tries++)); do
		[ "$(screen "$1" | head -1)" != "$before" ] && return 0
		sleep 0.05
	done
	return 0
}

# step_all SESSION OUT [STEPS]: step (answering any question with 1) to
# the lesson's end (status 0) or STEPS steps (status 1), appending every
# screen seen to OUT.
step_all() {
	local i
	for ((i = 0; i < ${3:-60}; i++)); do
		screen "$1" >>"$2"
		screen "$1" | grep -qF 'lesson finished' && return 0
		step_once "$1"
	done
	return 1
}

# start SESSION W H COMMAND: a detached session of W x H running COMMAND.
start() { tm new-session -d -s "$1" -x "$2" -y "$3" "$4"; }

# The actors' pids, from the "NAME  pid N" column headings.
actor_pids() { screen "$1" | grep -oE 'pid [0-9]+' | awk '{ print $2 }'; }

# Is the process running? A zombie is not: it has ended, and only waits for
# whoever is pid 1 here to collect it.
alive() {
	kill -0 "$1" 2>/dev/null && ! grep -q '^State:.*Z' "/proc/$1/status" 2>/dev/null
}

# gone_within TENTHS PID...: every pid has ended within TENTHS tenths of a second.
gone_within() {
	local limit=$1 p i
	shift
	for p in "$@"; do
		for ((i = 0; i < limit * 2; i++)); do
			alive "$p" || break
			sleep 0.05
		done
		alive "$p" && return 1
	done
	return 0
}

# Every pid given has ended within two seconds: no process left behind.
all_gone() { gone_within 20 "$@"; }

# A shell wrapper that saves the tty modes before and after, and the status.
wrapped() {
	local tag=$1
	shift
	echo "sh -c 'stty -g > $TMP/$tag.before; $*; echo \$? > $TMP/$tag.status; stty -g > $TMP/$tag.after; exec sleep 600'"
}

# wait_file FILE [SECONDS]: until FILE exists and is not empty.
wait_file() {
	local i
	for ((i = 0; i < ${2:-5} * 20; i++)); do
		[ -s "$1" ] && return 0
		sleep 0.05
	done
	return 1
}

# need_tui: stop the script unless sockstep is built (a FAIL: make check
# builds it) and tmux is installed (a SKIP, as for every tool a test needs
# that this machine lacks; make check installs it). Every test here needs both.
need_tui() {
	if [ ! -x "$SOCKSTEP" ]; then
		fail build "$SOCKSTEP not built (run make)"
		exit 1
	fi
	if ! command -v tmux >/dev/null 2>&1; then
		skip "$0" "tmux is not installed: nothing checked in a terminal"
		exit 0
	fi
}
