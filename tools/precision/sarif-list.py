#!/usr/bin/env python3
"""Lists the NOGIL2xx results of a folder of SARIF 2.1 logs (one per project and target framework), deduplicated
across target frameworks, with three lines of context (the flagged line and one on each side).

    sarif-list.py <repo folder> <sarif folder> [rule prefix, default NOGIL2]

Output: one block per diagnostic, 'RULE path:line:col [tfm, ...] message', then the context lines; and '#' summary
lines (counts per rule, per project, analyzer exceptions AD0001 and analyzer load failures CS8032/CS8033).
"""
import collections
import json
import os
import re
import sys
import urllib.parse

repo = os.path.realpath(sys.argv[1])
folder = sys.argv[2]
prefix = sys.argv[3] if len(sys.argv) > 3 else "NOGIL2"

found = collections.OrderedDict()
problems = []
logs = 0
for name in sorted(os.listdir(folder)):
    if not name.endswith(".sarif"):
        continue
    logs += 1
    project, _, tfm = name[: -len(".sarif")].rpartition("-")
    try:
        with open(os.path.join(folder, name), encoding="utf-8-sig") as f:
            data = json.load(f)
    except (OSError, ValueError) as e:
        problems.append(f"{name}: unreadable ({e})")
        continue
    for run in data.get("runs", []):
        for result in run.get("results", []):
            rule = result.get("ruleId", "")
            message = result.get("message", {}).get("text", "")
            if rule in ("AD0001", "CS8032", "CS8033") and ("NoGil" in message or rule != "AD0001"):
                problems.append(f"{rule} {project} {tfm}: {message}")
                continue
            if not rule.startswith(prefix):
                continue
            suppressed = bool(result.get("suppressions"))
            for location in result.get("locations", [])[:1]:
                physical = location.get("physicalLocation", {})
                uri = physical.get("artifactLocation", {}).get("uri", "")
                path = urllib.parse.unquote(urllib.parse.urlparse(uri).path) if uri.startswith("file:") else uri
                region = physical.get("region", {})
                line, col = region.get("startLine", 0), region.get("startColumn", 0)
                key = (rule, path, line, col, message)
                entry = found.setdefault(key, {"tfms": [], "projects": set(), "suppressed": suppressed})
                if tfm not in entry["tfms"]:
                    entry["tfms"].append(tfm)
                entry["projects"].add(project)


def context(path, line):
    try:
        with open(path, encoding="utf-8-sig", errors="replace") as f:
            lines = f.read().splitlines()
    except OSError:
        return ["    (file not readable)"]
    block = []
    for n in range(max(1, line - 1), min(len(lines), line + 1) + 1):
        marker = ">" if n == line else " "
        block.append(f"  {marker}{n:6} | {lines[n - 1].rstrip()}")
    return block


def tfm_order(t):
    m = re.match(r"net(standard)?(\d+)\.?(\d*)", t)
    return (t.startswith("netstandard"), t.startswith("net4"), int(m.group(2)) if m else 0, t)


ordered = sorted(found.items(), key=lambda kv: (os.path.relpath(kv[0][1], repo), kv[0][2], kv[0][3], kv[0][0]))
for (rule, path, line, col, message), entry in ordered:
    rel = os.path.relpath(path, repo)
    tfms = ", ".join(sorted(entry["tfms"], key=tfm_order))
    flag = " (suppressed in source)" if entry["suppressed"] else ""
    print(f"{rule} {rel}:{line}:{col} [{tfms}]{flag} {message}")
    print("\n".join(context(path, line)))
    print()

per_rule = collections.Counter(k[0] for k in found)
per_project = collections.Counter(p for e in found.values() for p in e["projects"])
print(f"# {len(found)} distinct {prefix}xx diagnostics from {logs} SARIF logs (project x target framework)")
for rule, n in sorted(per_rule.items()):
    print(f"# {rule}: {n}")
for project, n in sorted(per_project.items()):
    print(f"# project {project}: {n}")
print(f"# analyzer problems (AD0001 from NoGil, CS8032/CS8033): {len(problems)}")
for p in problems:
    print(f"#   {p}")
