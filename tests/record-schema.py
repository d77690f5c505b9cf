#!/usr/bin/env python3
"""record-schema.py - hold the README and real recordings to the format.

Usage: record-schema.py SOCKSTEP README.md FILE...

The format is written down once, in the tables of src/model/recformat.c;
`SOCKSTEP --recording-schema` prints them: a line per member, object,
member, type, when, range. First the README's "Recordings" section must
say the same: one table per kind of object (### `header`, ### `event` ...)
whose member, type and when columns are the printed ones, in order (the
"what" column, prose, is the README's own). Then every line of every FILE
must be JSON; each object must have every member the schema says is there
"always" (or one of the other conditions that holds), only members the
schema names (a text member may be NAME_hex instead), each of its type,
and each number in its range where the range is two numbers. Also the
order the README promises: the header first with version 1, seq 1, 2, 3
..., snapshots numbered 0, 1, 2 ... counting no more events than came
before them. Prints PASS:/FAIL: lines."""
import json
import re
import subprocess
import sys

TYPES = {"string": str, "number": int, "boolean": bool, "array": list, "object": dict, "address": dict}
OBJECTS = ("header", "lesson", "program", "event", "packet", "address", "snapshot", "actor", "pending", "socket")


def printed(sockstep):
    """{object: [(member, type, when, range)]}, as the binary prints it."""
    out = subprocess.run([sockstep, "--recording-schema"], capture_output=True, text=True, check=True).stdout
    tables = {}
    for line in out.splitlines():
        obj, member, kind, when, span = line.split("\t")
        tables.setdefault(obj, []).append((member, kind, when, span))
    return tables


def documented(readme):
    """{object: [(member, type, when)]}, as the README's tables say."""
    text = open(readme, encoding="utf-8").read()
    section = text.split("\n## Recordings\n", 1)[1].split("\n## ", 1)[0]
    tables = {}
    for part in re.split(r"\n### ", section)[1:]:
        m = re.match(r"`(\w+)`", part)
        if not m:
            continue
        rows = []
        for line in part.splitlines():
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if len(cells) >= 4 and re.fullmatch(r"`\w+`", cells[0]):
                rows.append((cells[0].strip("`"), cells[1], cells[2]))
        tables[m.group(1)] = rows
    return tables


def readme_is_format(tables, readme):
    errors = []
    doc = documented(readme)
    for obj, rows in tables.items():
        want = [r[:3] for r in rows]
        have = doc.get(obj)
        if have is None:
            errors.append(f"the README has no table for {obj}")
            continue
        for i in range(max(len(want), len(have))):
            w = want[i] if i < len(want) else None
            h = have[i] if i < len(have) else None
            if w != h:
                errors.append(f"{obj}, row {i + 1}: the format says {w}, the README {h}")
                break
    for obj in doc:
        if obj not in tables:
            errors.append(f"the README has a table for {obj}, which the format does not have")
    for e in errors[:10]:
        print("   ", e)
    print(("FAIL: " if errors else "PASS: ") + "the README's schema is the format's tables (sockstep --recording-schema)")


def type_ok(value, doc):
    if value is None:
        return "or null" in doc
    want = TYPES[doc.split()[0]]
    if want is int:
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, want)


def in_range(value, span):
    m = re.fullmatch(r"(-?\d+) to (-?\d+)", span)
    return not m or not isinstance(value, int) or int(m.group(1)) <= value <= int(m.group(2))


def when_holds(when, obj):
    if when == "always":
        return True
    if when == "known":
        return False   # written when sockstep knows it: never required
    if when == "TCP":
        return obj.get("proto") == "TCP"
    return obj.get("family") in [w.strip() for w in when.split(",")]


def check(obj, kind, tables, where, errors):
    rows = tables[kind]
    for key, value in obj.items():
        name = key[:-4] if key.endswith("_hex") and key[:-4] in rows else key
        if name not in rows:
            errors.append(f"{where}: {kind}: \"{key}\" is not in the schema")
            continue
        doc, _, span = rows[name]
        if name != key:
            if not isinstance(value, str) or not re.fullmatch(r"([0-9a-f]{2})*", value):
                errors.append(f"{where}: {kind}: \"{key}\" is not hex")
            continue
        if not type_ok(value, doc):
            errors.append(f"{where}: {kind}: \"{key}\" is {type(value).__name__}, not {doc}")
            continue
        if not in_range(value, span):
            errors.append(f"{where}: {kind}: \"{key}\" is {value}, out of range ({span})")
        nested = {"address": "address"}.get(doc.split()[0])
        if key in tables and isinstance(value, dict):
            nested = key
        if nested and isinstance(value, dict):
            check(value, nested, tables, where, errors)
        item = {("snapshot", "actors"): "actor", ("snapshot", "sockets"): "socket",
                ("header", "programs"): "program"}.get((kind, key))
        if item and isinstance(value, list):
            for v in value:
                if isinstance(v, dict):
                    check(v, item, tables, where, errors)
                else:
                    errors.append(f"{where}: {kind}: \"{key}\" holds {type(v).__name__}, not objects")
    for key, (doc, when, _) in rows.items():
        if key not in obj and key + "_hex" not in obj and when_holds(when, obj):
            errors.append(f"{where}: {kind}: \"{key}\" is missing")


def check_file(path, tables):
    errors = []
    seq = 0
    moments = 0
    lines = open(path, encoding="utf-8").read().split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    for n, line in enumerate(lines, 1):
        where = f"{path}:{n}"
        try:
            obj = json.loads(line)
        except ValueError as e:
            errors.append(f"{where}: not JSON: {e}")
            continue
        kind = obj.get("type") if isinstance(obj, dict) else None
        if (n == 1) != (kind == "header"):
            errors.append(f"{where}: the header must be the first line, and only it")
        if kind not in ("header", "event", "snapshot"):
            errors.append(f"{where}: unknown type {kind!r}")
            continue
        check(obj, kind, tables, where, errors)
        if kind == "header" and (obj.get("version") != 1 or obj.get("format") != "sockstep-recording"):
            errors.append(f"{where}: not format sockstep-recording version 1")
        if kind == "event":
            seq += 1
            if obj.get("seq") != seq:
                errors.append(f"{where}: seq {obj.get('seq')} where {seq} comes next")
        if kind == "snapshot":
            if obj.get("n") != moments or not 0 <= obj.get("events", -1) <= seq:
                errors.append(f"{where}: snapshot {obj.get('n')} out of order")
            moments += 1
    if moments == 0:
        errors.append(f"{path}: no snapshot")
    return errors


def main():
    tables = printed(sys.argv[1])
    for kind in OBJECTS:
        if kind not in tables:
            print(f"FAIL: the format has the {kind} object")
            return
    readme_is_format(tables, sys.argv[2])
    rows = {obj: {m: (t, w, s) for m, t, w, s in members} for obj, members in tables.items()}
    for path in sys.argv[3:]:
        errors = check_file(path, rows)
        for e in errors[:10]:
            print("   ", e)
        print(("FAIL: " if errors else "PASS: ") + f"every line of {path.rsplit('/', 1)[-1]} is JSON as the format says")


main()
