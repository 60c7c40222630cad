#!/usr/bin/env python3
"""How a real project's references resolve in weft (scoped / heuristic /
external / unresolved), the most frequent unresolved names, and a seeded
random sample of bound references to read by hand: the real-code column
of docs/ACCURACY.md for languages without an oracle here.

    python3 benches/resolution_shares.py DIR EXT [SEED]

DIR is indexed in memory with the `weft` on PATH (or $WEFT); EXT selects
the language's files (`.rb`, `.php`, `.kt`, `.swift`, `.cs`)."""

import collections
import json
import os
import random
import subprocess
import sys


def main():
    root, ext = sys.argv[1], sys.argv[2]
    seed = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    weft = os.environ.get("WEFT", "weft")
    out = subprocess.run(
        [weft, "export", "--no-write", "-C", root],
        check=True, capture_output=True, text=True,
    ).stdout
    lines_of = {}

    def line(path, n):
        if path not in lines_of:
            with open(os.path.join(root, path), errors="replace") as f:
                lines_of[path] = f.read().split("\n")
        return lines_of[path][n]

    symbols, refs = {}, []
    for row in out.splitlines():
        r = json.loads(row)
        if r["type"] == "symbol":
            symbols[r["id"]] = r
        elif r["type"] == "reference" and r["at"]["file"].endswith(ext):
            refs.append(r)
    shares = collections.Counter(r["target"]["resolution"] for r in refs)
    total = sum(shares.values()) or 1
    print(f"{total} references in {ext} files")
    for k in ("scoped", "heuristic", "external", "unresolved"):
        print(f"  {k:10} {shares[k]:7}  {shares[k] / total:6.1%}")

    def word(r):
        s = r["at"]["span"]
        return line(r["at"]["file"], s["start"]["line"])[s["start"]["col"]:s["end"]["col"]]

    unresolved = collections.Counter(
        word(r) for r in refs if r["target"]["resolution"] == "unresolved"
    )
    print("most frequent unresolved:", ", ".join(f"{w} {n}" for w, n in unresolved.most_common(15)))
    bound = [r for r in refs if r["target"]["symbol"]]
    random.seed(seed)
    print(f"sample of {min(40, len(bound))} bound references (seed {seed}):")
    for r in random.sample(bound, min(40, len(bound))):
        s = symbols.get(r["target"]["symbol"], {})
        at = r["at"]
        text = line(at["file"], at["span"]["start"]["line"]).strip()[:70]
        print(
            f"  {r['target']['resolution'][:4]} {word(r):16} {at['file']}:{at['span']['start']['line'] + 1}"
            f" | {text} => {s.get('kind')} {s.get('qualified_name')}"
        )


if __name__ == "__main__":
    main()
