# lib-python.sh - the Python interpreter itself, as PY (sourced, not run).
# A version manager's python3 is a shell script (pyenv's shim) that sockstep
# run would trace too: its processes, and without HOME or USER the C
# library's nscd look-ups, would join the programs' timelines.
PY=$(python3 -c 'import sys; print(sys.executable)') || exit 2
