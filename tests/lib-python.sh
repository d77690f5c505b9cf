# lib-python.sh - the Python interpreter itself, as PY (sourced, not run).
# A version manager's python3 is a shell script (pyenv's shim) that sockstep
# run would trace too: its processes, and without HOME or USER the C
# library's nscd look-ups, would join the programs' timelines.
# Without python3 a script that sources this checks nothing: a skip, as for
# every tool a test needs that this machine lacks (make check installs it).
if ! PY=$(python3 -c 'import sys; print(sys.executable)' 2>/dev/null); then
	echo "SKIP: $0: python3 is not installed"
	exit 0
fi
