#!/usr/bin/env bash
# The analyzers' own cost, measured (docs/performance.md).
#
#   bash tools/perf/run.sh [--lines 120000] [--rounds 3] [--out DIR] [--sizes 1000,10000,50000] [--file-lines 100000]
#
# 1. Generates a realistic corpus of --lines lines (tools/NoGil.PerfCorpus) and three projects that compile it:
#    baseline (the SDK's defaults only), nogil (+ our analyzers), all (+ ours, Meziantou.Analyzer and
#    Microsoft.VisualStudio.Threading.Analyzers).
# 2. Builds each project --rounds times, interleaved (baseline, nogil, all, baseline, ...), with
#    -p:ReportAnalyzer=true, a fresh compiler process per build and no incremental compile, and reports the
#    medians: the Csc task time, each analyzer assembly's execution time, and our time per rule.
# 3. Runs the in-process scaling check (one method of 1K/10K/50K statements, one file of 100K lines).
# Prints markdown for docs/performance.md. Timings are only comparable within one run: note the machine load.
set -euo pipefail

LINES=120000
ROUNDS=3
OUT=""
SIZES="1000,10000,50000"
FILE_LINES=100000
while [[ $# -gt 0 ]]; do
    case "$1" in
        --lines) LINES="$2"; shift 2 ;;
        --rounds) ROUNDS="$2"; shift 2 ;;
        --out) OUT="$2"; shift 2 ;;
        --sizes) SIZES="$2"; shift 2 ;;
        --file-lines) FILE_LINES="$2"; shift 2 ;;
        *) echo "usage: bash tools/perf/run.sh [--lines N] [--rounds N] [--out DIR] [--sizes a,b,c] [--file-lines N]" >&2; exit 2 ;;
    esac
done

cd "$(dirname "${BASH_SOURCE[0]}")/../.."
REPO_ROOT="$(pwd)"
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_CLI_UI_LANGUAGE=en MSBUILDTERMINALLOGGER=off

if [[ -z "$OUT" ]]; then
    OUT="$(mktemp -d "${TMPDIR:-/tmp}/nogil-perf.XXXXXX")"
fi
mkdir -p "$OUT/logs"
echo "corpus and logs: $OUT" >&2

dotnet build tools/NoGil.PerfCorpus -c Release --nologo -v q >&2
ANALYZER_DIR="$REPO_ROOT/src/NoGil.Analyzers/bin/Release/netstandard2.0"
dotnet run -c Release --no-build --project tools/NoGil.PerfCorpus -- generate --out "$OUT/corpus" --lines "$LINES" | tee "$OUT/logs/generate.txt" >&2

CONFIGS=(baseline nogil all)
for config in "${CONFIGS[@]}"; do
    dotnet restore "$OUT/corpus/$config/Corpus.csproj" --nologo -v q >&2
done

LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
for round in $(seq 1 "$ROUNDS"); do
    for config in "${CONFIGS[@]}"; do
        echo "round $round/$ROUNDS: $config" >&2
        dotnet build "$OUT/corpus/$config/Corpus.csproj" -c Release --nologo --no-restore --no-incremental \
            -p:UseSharedCompilation=false -p:ReportAnalyzer=true -p:NoGilAnalyzerPath="$ANALYZER_DIR" \
            -v:d -clp:PerformanceSummary > "$OUT/logs/$config-$round.log" 2>&1 \
            || { tail -n 30 "$OUT/logs/$config-$round.log" >&2; exit 1; }
    done
done
LOAD_AFTER="$(cut -d' ' -f1-3 /proc/loadavg)"

python3 - "$OUT/logs" "$ROUNDS" "$LINES" "$LOAD_BEFORE" "$LOAD_AFTER" <<'PY'
import os, re, statistics, subprocess, sys

logs, rounds, lines, load_before, load_after = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
PEERS = {"NoGil.Analyzers": "NoGil.Analyzers (ours)", "Meziantou.Analyzer": "Meziantou.Analyzer",
         "Microsoft.VisualStudio.Threading.Analyzers": "Microsoft.VisualStudio.Threading.Analyzers"}

def parse(path):
    text = open(path, encoding="utf-8", errors="replace").read()
    csc = re.search(r"^\s+(\d+) ms\s+Csc\s+\d+ calls", text, re.M)
    total = re.search(r"Total analyzer execution time: ([\d.]+) seconds", text)
    # The analyzer section: assembly lines ("0.096   23   Name, Version=...") and rule lines under them.
    section = text[total.end():text.find("Total generator execution time")] if total else ""
    assemblies, rules, current = {}, {}, None
    for line in section.splitlines():
        m = re.match(r"^\s+(<?[\d.]+)\s+(<?\d+)\s{3}(\S[^,]*), Version=", line)
        if m:
            current = m.group(3)
            assemblies[current] = 0.0 if m.group(1).startswith("<") else float(m.group(1))
            continue
        m = re.match(r"^\s+(<?[\d.]+)\s+(<?\d+)\s{6}(\S.*)$", line)
        if m and current == "NoGil.Analyzers":
            rule = re.search(r"\((NOGIL\d+)\)", m.group(3))
            rules[rule.group(1) if rule else m.group(3)] = 0.0 if m.group(1).startswith("<") else float(m.group(1))
    return {"csc": int(csc.group(1)) / 1000 if csc else None,
            "total": float(total.group(1)) if total else 0.0,
            "assemblies": assemblies, "rules": rules}

runs = {c: [parse(os.path.join(logs, f"{c}-{r}.log")) for r in range(1, rounds + 1)] for c in ("baseline", "nogil", "all")}
med = lambda xs: statistics.median(xs) if xs else 0.0
csc = {c: med([r["csc"] for r in runs[c] if r["csc"] is not None]) for c in runs}
asm = lambda c, name: med([r["assemblies"].get(name, 0.0) for r in runs[c]])

cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "unknown CPU")
sdk = subprocess.run(["dotnet", "--version"], capture_output=True, text=True).stdout.strip()
print(f"Machine: {os.cpu_count()} cores, {cpu}; .NET SDK {sdk}; load average before/after the builds: {load_before} / {load_after}.")
print(f"Corpus: {open(os.path.join(logs, 'generate.txt')).read().strip()}; medians of {rounds} interleaved rounds.")
print()
print("| Build | Csc task (wall) | All analyzers (sum of callback time) | NoGil.Analyzers | Meziantou.Analyzer | VS Threading Analyzers | Ours / Csc |")
print("|---|---:|---:|---:|---:|---:|---:|")
for c, label in (("baseline", "SDK defaults only"), ("nogil", "+ NoGil.Analyzers"), ("all", "+ NoGil + Meziantou + VS Threading")):
    total = med([r["total"] for r in runs[c]])
    ours = asm(c, "NoGil.Analyzers")
    mez = asm(c, "Meziantou.Analyzer")
    vst = asm(c, "Microsoft.VisualStudio.Threading.Analyzers")
    share = f"{100 * ours / csc[c]:.1f} %" if c != "baseline" and csc[c] else "—"
    f = lambda v, present: f"{v:.2f} s" if present else "—"
    print(f"| {label} | {csc[c]:.1f} s | {total:.2f} s | {f(ours, c != 'baseline')} | {f(mez, c == 'all')} | {f(vst, c == 'all')} | {share} |")
print()
print(f"Csc wall-time difference, nogil − baseline: {csc['nogil'] - csc['baseline']:+.1f} s ({100 * (csc['nogil'] - csc['baseline']) / csc['baseline']:+.1f} %); "
      f"all − baseline: {csc['all'] - csc['baseline']:+.1f} s.")
print()
rule_ids = sorted({k for r in runs["nogil"] for k in r["rules"]})
print("| Rule | Time (nogil build) | Time (all build) |")
print("|---|---:|---:|")
for rule in rule_ids:
    print(f"| {rule} | {med([r['rules'].get(rule, 0.0) for r in runs['nogil']]):.3f} s | {med([r['rules'].get(rule, 0.0) for r in runs['all']]):.3f} s |")
PY

echo
dotnet run -c Release --no-build --project tools/NoGil.PerfCorpus -- scaling --sizes "$SIZES" --file-lines "$FILE_LINES" --repeat 3
