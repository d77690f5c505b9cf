# lib.sh - what the command-line test scripts share (sourced, not run): a
# scratch folder removed on exit, and check NAME COMMAND... printing PASS:
# when the command succeeds, else FAIL: with the start of its output.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

check() {
	local name=$1
	shift
	if "$@" >"$tmp/out" 2>&1; then
		echo "PASS: $name"
	else
		echo "FAIL: $name"
		head -n 10 "$tmp/out" | sed 's/^/    /'
	fi
}
