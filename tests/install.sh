#!/bin/bash
# install.sh - make install as a user runs it: `make`, then `make install
# PREFIX=...` elsewhere, and the installed sockstep, started from anywhere,
# finds the lessons installed with it (the DATADIR the build gave it). Also:
# the build remembers what it was configured with, rebuilding on a change
# (PREFIX, CFLAGS) and not on a repeat, and DESTDIR only stages the files.
#
# In a copy of the sources, so that the tree's own build, and the ./sockstep
# the other suites run, are left as they were. The copy is built with the
# defaults whatever make check was given (SAN=1, WERROR=1 come through
# MAKEFLAGS): it checks the Makefile, not the code.
cd "$(dirname "$0")/.." || exit 2
. tests/lib.sh

copy=$tmp/tree
prefix=$tmp/prefix
mkdir -p "$copy" "$tmp/elsewhere"
cp -r Makefile src assets lessons "$copy"/
m() {  # make in the copy, its own output in $tmp/make.log
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -C "$copy" -j2 "$@" >"$tmp/make.log" 2>&1
}
# What a make compiled and linked, as it echoes the commands.
compiled() { grep -cE -- ' -c -o ' "$tmp/make.log"; }
linked() { grep -cE -- ' -o sockstep ' "$tmp/make.log"; }
# The installed program as a user starts it: from another directory, with no
# SOCKSTEP_LESSONS, so that the lessons it finds can only be the installed ones.
installed() { (cd "$tmp/elsewhere" && env -u SOCKSTEP_LESSONS "$prefix/bin/sockstep" "$@"); }

installed_all() {
	m install PREFIX="$prefix" DESTDIR= && [ -x "$prefix/bin/sockstep" ] &&
		[ -f "$prefix/share/sockstep/lessons/01-echo.lesson" ] && [ -f "$prefix/share/man/man1/sockstep.1" ]
}
lists_echo() { installed --list | grep -q echo; }

check "make builds, with the default PREFIX" m sockstep
check "make install PREFIX=elsewhere installs the program, the lessons and the man page" installed_all
check "the installed sockstep lists the lessons installed with it" lists_echo
out=$(installed --plain echo 2>&1)
if echo "$out" | grep -q '^client  sendall(3, "Hello, world", 12) = 12$'; then
	echo "PASS: the installed sockstep runs a lesson by name, from another directory"
else
	echo "FAIL: the installed sockstep runs a lesson by name, from another directory"
	echo "$out" | head -n 5 | sed 's/^/    /'
fi
# What it found was the installed lesson directory, and nothing else: without
# it, it finds none.
mv "$prefix/share/sockstep/lessons" "$prefix/share/sockstep/away"
out=$(installed --list 2>&1)
status=$?
mv "$prefix/share/sockstep/away" "$prefix/share/sockstep/lessons"
if [ $status -ne 0 ] && echo "$out" | grep -q 'no lesson directory found'; then
	echo "PASS: without its installed lessons, the installed sockstep finds none"
else
	echo "FAIL: without its installed lessons, the installed sockstep finds none (status $status)"
	echo "$out" | head -n 5 | sed 's/^/    /'
fi

# The same configuration again: the build is up to date.
m install PREFIX="$prefix"
check "make install again with the same PREFIX compiles and links nothing" \
	test "$(compiled)/$(linked)" = 0/0

# DESTDIR stages the files for a package and changes nothing in the build:
# the staged program still looks under PREFIX, so SOCKSTEP_LESSONS points it
# at the staged lessons.
root=$tmp/root
staged() {
	m install PREFIX="$prefix" DESTDIR="$root" && [ "$(compiled)/$(linked)" = 0/0 ] &&
		[ -x "$root$prefix/bin/sockstep" ] && [ -f "$root$prefix/share/man/man1/sockstep.1" ] &&
		[ -f "$root$prefix/share/sockstep/lessons/01-echo.lesson" ]
}
staged_runs() {
	(cd / && SOCKSTEP_LESSONS="$root$prefix/share/sockstep/lessons" "$root$prefix/bin/sockstep" --plain echo) |
		grep -q '= 12'
}
check "make install DESTDIR=... puts everything under DESTDIR, and compiles nothing" staged
check "the staged sockstep runs with SOCKSTEP_LESSONS" staged_runs

# Other flags: every object is compiled again, and the program linked.
m sockstep PREFIX="$prefix" CFLAGS=-O1
objects=$(($(find "$copy/src" -name '*.c' | wc -l) + 1))   # and the assets
check "a change of CFLAGS compiles every object again ($objects) and links" \
	test "$(compiled)/$(linked)" = "$objects/1"
