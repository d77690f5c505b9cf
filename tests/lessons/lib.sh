# lib.sh - helpers for the --plain order checks (sourced, not run).
# run LESSON fills $out; at and order look for lines in it, in order.
sockstep=${SOCKSTEP:-./sockstep}
out=

# Run lesson $1; say FAIL or SKIP and return 1 if there is nothing to check.
run() {
	out=$("$sockstep" --plain "$1" 2>&1)
	local status=$?
	if [ $status -ne 0 ]; then
		echo "FAIL: $1: --plain exited with status $status"
		return 1
	fi
	if echo "$out" | grep -q "^# kernel view:"; then
		echo "$out" | grep "^# kernel view:" | sed "s/^# /SKIP: $1: /"
		return 1
	fi
	return 0
}

# line NUMBER of the first line matching a regex, after line FROM
at() { echo "$out" | awk -v from="${2:-0}" -v re="$1" 'NR > from && $0 ~ re { print NR; exit }'; }

order() {  # name, then regexes that must appear in this order
	local name=$1 prev=0 n
	shift
	for re in "$@"; do
		n=$(at "$re" "$prev")
		if [ -z "$n" ]; then
			echo "FAIL: $name: no '$re' after line $prev"
			return
		fi
		prev=$n
	done
	echo "PASS: $name"
}
