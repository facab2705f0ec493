#!/usr/bin/env python3
"""Compares a new run of four-repos.sh with the judged baseline list.

    against-baseline.py <baseline list> <out folder of the new run>

The baseline list is docs/precision/nogil2xx-baseline-<date>.txt (repository | rule | file:line | frameworks | verdict
| wrong kind | reason | excerpt). For every repository of the list that has <out>/<repository>/diagnostics.txt, each
baseline diagnostic is matched by rule, file and line: 'kept' (still reported), 'gone' (no longer reported); new
diagnostics are listed as 'NEW' (to be judged). A totals line per verdict follows: how many wrong ones are gone, how
many worth-acting ones are kept. Lines move when a repository changes: compare only runs at the same commits.
"""
import collections
import os
import re
import sys

baseline_file, out = sys.argv[1], sys.argv[2]
baseline = collections.defaultdict(dict)
for line in open(baseline_file, encoding="utf-8"):
    if line.startswith("#") or line.count(" | ") < 7:
        continue
    repo, rule, location, tfms, verdict, kind, reason, excerpt = line.rstrip("\n").split(" | ", 7)
    baseline[repo][(rule, location)] = (verdict, kind, reason, excerpt)

pattern = re.compile(r"^(NOGIL\d+) (\S+):(\d+):\d+ \[([^\]]*)\](?: \(suppressed in source\))? (.*)$")
totals = collections.Counter()
for repo in sorted(baseline):
    listing = os.path.join(out, repo, "diagnostics.txt")
    if not os.path.exists(listing):
        print(f"== {repo}: no {listing}; skipped")
        continue
    now = {}
    for line in open(listing, encoding="utf-8"):
        m = pattern.match(line)
        if m:
            now[(m.group(1), f"{m.group(2)}:{m.group(3)}")] = (m.group(4), m.group(5))
    print(f"== {repo}: {len(baseline[repo])} in the baseline, {len(now)} now")
    for key, (verdict, kind, reason, excerpt) in sorted(baseline[repo].items(), key=lambda kv: kv[0][1]):
        state = "kept" if key in now else "gone"
        totals[(verdict, state)] += 1
        print(f"  {state:4} {key[0]} {key[1]} | {verdict} | {kind} | {excerpt}")
    for key, (tfms, message) in sorted(now.items(), key=lambda kv: kv[0][1]):
        if key not in baseline[repo]:
            totals[("not judged", "NEW")] += 1
            print(f"  NEW  {key[0]} {key[1]} [{tfms}] {message}")

print("== totals")
for (verdict, state), n in sorted(totals.items()):
    print(f"  {verdict}: {state} {n}")
