#!/bin/bash
# layers.sh - the layers as the code includes them: the model (src/model)
# and the views (src/views) never include curses; the model never includes
# a view or the UI; and no module of the model includes, directly or
# through other headers, a module that includes it back (a module is x.c
# and x.h; what it includes is every "model/..." header its .c and .h
# reach through headers). Reads only the #include "..." lines, so it needs
# no compiler. Prints PASS:/FAIL: lines.
cd "$(dirname "$0")/.." || exit 2
. tests/lib-python.sh

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

# Module x (x.c with x.h) of a layer reaches every header of the model or
# the views that its .c and .h include, and what those include in turn.
def reach(layer, module):
    seen, todo = set(), []
    for f in (f"src/{layer}/{module}.c", f"src/{layer}/{module}.h"):
        todo += [h for kind, h in includes(f) if kind == '"']
    while todo:
        h = todo.pop()
        if h in seen or not (h.startswith("model/") or h.startswith("views/")):
            continue
        seen.add(h)
        todo += [g for kind, g in includes(f"src/{h}") if kind == '"']
    return {os.path.splitext(h)[0] for h in seen} - {f"{layer}/{module}"}


reached = {}
for layer in ("model", "views"):
    for f in glob.glob(f"src/{layer}/*.c"):
        m = os.path.splitext(os.path.basename(f))[0]
        if os.path.exists(f"src/{layer}/{m}.h"):
            reached[f"{layer}/{m}"] = reach(layer, m)
for layer in ("model", "views"):
    mods = sorted(m for m in reached if m.startswith(layer + "/"))
    bad = [f"{a} includes {b}, and {b} includes {a}" for a in mods for b in sorted(reached[a])
           if b in reached and a < b and a in reached[b]]
    check(f"no module of src/{layer} includes one that includes it back", bad)
reached = {m.split("/", 1)[1]: {r.split("/", 1)[1] for r in v} for m, v in reached.items() if m.startswith("model/")}

# The recording's three: the engine writes with record.h and shows a
# replay; neither record nor replay knows the engine.
bad = [f"{m} includes engine" for m in ("record", "replay", "recformat", "moment") if "engine" in reached.get(m, set())]
check("record, replay and the format do not include the engine", bad)
PY
