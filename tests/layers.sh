#!/bin/bash
# layers.sh - the layers as the code includes them: the model (src/model)
# and the views (src/views) never include curses; the model never includes
# a view or the UI; and no module of the model includes, directly or
# through other headers, a module that includes it back (a module is x.c
# and x.h; what it includes is every "model/..." header its .c and .h
# reach through headers). Reads only the #include "..." lines, so it needs
# no compiler. Prints PASS:/FAIL: lines.
cd "$(dirname "$0")/.." || exit 2
. tests/python.sh

"$PY" - <<'PY'
import glob
import os
import re

INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]', re.M)


def includes(path):
    """The files path includes: ("<", "curses.h") or ('"', "model/x.h")."""
    try:
        text = open(path, encoding="utf-8").read()
    except OSError:
        return []
    return INCLUDE.findall(text)


def check(name, bad):
    if bad:
        print(f"FAIL: {name}")
        for b in bad[:10]:
            print(f"    {b}")
    else:
        print(f"PASS: {name}")


CURSES = re.compile(r"^(n?curses(w)?/)?(n?curses(w)?|term|panel|menu|form)\.h$")
for layer in ("model", "views"):
    bad = [f"{f}: <{h}>" for f in sorted(glob.glob(f"src/{layer}/*.[ch]"))
           for kind, h in includes(f) if CURSES.match(h)]
    check(f"src/{layer} includes no curses header", bad)

bad = [f"{f}: \"{h}\"" for f in sorted(glob.glob("src/model/*.[ch]"))
       for kind, h in includes(f) if kind == '"' and not h.startswith("model/")]
check("src/model includes only the model (no views/, no ui/)", bad)

# Module x reaches every model header its .c and .h include, and what
# those headers include in turn.
modules = sorted({os.path.splitext(os.path.basename(f))[0] for f in glob.glob("src/model/*.[ch]")})


def reach(module):
    seen, todo = set(), []
    for f in (f"src/model/{module}.c", f"src/model/{module}.h"):
        todo += [h for kind, h in includes(f) if kind == '"']
    while todo:
        h = todo.pop()
        if h in seen or not h.startswith("model/"):
            continue
        seen.add(h)
        todo += [g for kind, g in includes(f"src/{h}") if kind == '"']
    return {os.path.splitext(os.path.basename(h))[0] for h in seen} - {module}


reached = {m: reach(m) for m in modules}
bad = [f"{a} includes {b}, and {b} includes {a}" for a in modules for b in sorted(reached[a])
       if a < b and a in reached.get(b, set())]
check("no module of src/model includes one that includes it back", bad)

# The recording's three: the engine writes with record.h and shows a
# replay; neither record nor replay knows the engine.
bad = [f"{m} includes engine" for m in ("record", "replay", "recformat", "moment") if "engine" in reached.get(m, set())]
check("record, replay and the format do not include the engine", bad)
PY
