#!/usr/bin/env bash
# Real-repository check of the code fixes (issue 14, docs/fix-safety.md): for each repository, apply every fixable
# NOGIL rule with `dotnet format` to a copy, and compare its build and its own tests before and after.
#
#   tools/fix-safety/run.sh [--package <folder or .nupkg>] [--out <folder>] [--repos <folder>] <repo.conf> ...
#
#   tools/fix-safety/run.sh tools/fix-safety/repos/*.conf     # packs this checkout, checks every configured repo
#
# --package  an already packed NoGil.Analyzers .nupkg (or a folder holding exactly one); default: build this checkout
#            in Release and pack it (every pack has a distinct version, so no NuGet cache serves stale analyzers)
# --out      logs, copies and diffs (default ${TMPDIR:-/tmp}/nogil-fix-safety); each repository gets <out>/<name>/
# --repos    where the checkouts named by REPO= live (default $REPOS or /work/repos)
# --keep-before  reuse the copy and the BEFORE build and tests of an earlier run in the same --out (the copy is reset
#            to its baseline commit); for re-checking a new package on a slow machine
# NOGIL_IDS  rules to apply (default: every rule whose README row says it has a code fix)
#
# A <repo.conf> is bash, sourced; see tools/fix-safety/repos/*.conf. Variables:
#   NAME=mathnet                 name in the output
#   REPO=mathnet                 checkout folder (relative to --repos, or absolute); it is copied, never modified
#   PREPARE='rm -f global.json'  shell run in the copy first (pin-free SDK, frameworks the registry cannot serve, ...)
#   FORMAT=(a.csproj b.csproj)   projects `dotnet format` fixes (all their target frameworks)
#   BUILD=(a.csproj b.csproj)    projects built before and after, every target framework
#   TEST_PROJECT=b.csproj        test project, run before and after on one framework:
#   TEST_FRAMEWORK=net8.0
#   TEST_FILTER='...'            optional `dotnet test --filter` (long-running categories, tests needing absent files)
#   NOTES='...'                  one line printed with the result: what was left out and why
#
# Steps per repository: copy (without .git, bin, obj) -> PREPARE -> inject the package (a props file imported from
# the nearest Directory.Build.props of each project; NoGilAnalysisMode=strict, NOGIL warnings not errors) -> restore
# -> build every framework + test (BEFORE) -> dotnet format analyzers --diagnostics <ids> --severity info (pass 1)
# -> the same again (pass 2, must change nothing) -> merge-conflict markers -> build every framework + test (AFTER).
# The injected props are in place for BEFORE too, so that both builds differ only by the fixes.
#
# Prints one line per repository and exits non-zero on any regression: a build error after the fixes, a new test
# failure (or tests that no longer run), a change made by the second pass, a merge-conflict marker.
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="${TMPDIR:-/tmp}/nogil-fix-safety"
repos="${REPOS:-/work/repos}"
package=""
keep_before=0
confs=()
while [[ $# -gt 0 ]]; do
    case "$1" in
        --package) package="$2"; shift 2 ;;
        --out) out="$2"; shift 2 ;;
        --repos) repos="$2"; shift 2 ;;
        --keep-before) keep_before=1; shift ;;
        -h|--help) sed -n '2,35p' "${BASH_SOURCE[0]}"; exit 0 ;;
        *) confs+=("$(realpath "$1")"); shift ;;
    esac
done
[[ ${#confs[@]} -gt 0 ]] || { echo "usage: $0 [--package P] [--out D] [--repos D] <repo.conf> ..." >&2; exit 2; }
mkdir -p "$out"
out="$(realpath "$out")"

export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_CLI_UI_LANGUAGE=en MSBUILDTERMINALLOGGER=off
export NUGET_XMLDOC_MODE=skip

log() { echo "[$(date -u +%H:%M:%S)] $*" >&2; }

# --- The package -----------------------------------------------------------------------------------------------
pkgdir="$out/package"
if [[ -z "$package" ]]; then
    rm -rf "$pkgdir"
    log "building and packing $root"
    dotnet build "$root/src/NoGil.Package/NoGil.Package.csproj" -c Release --nologo > "$out/package-build.log" 2>&1 \
        || { tail -n 30 "$out/package-build.log"; echo "FAIL: the package does not build" >&2; exit 2; }
    dotnet pack "$root/src/NoGil.Package/NoGil.Package.csproj" -c Release --no-build --nologo -o "$pkgdir" >> "$out/package-build.log" 2>&1 \
        || { tail -n 30 "$out/package-build.log"; echo "FAIL: the package does not pack" >&2; exit 2; }
elif [[ -d "$package" ]]; then
    pkgdir="$(realpath "$package")"
else
    rm -rf "$pkgdir"; mkdir -p "$pkgdir"; cp "$package" "$pkgdir/"
fi
shopt -s nullglob
nupkgs=("$pkgdir"/NoGil.Analyzers.*.nupkg)
shopt -u nullglob
[[ ${#nupkgs[@]} -eq 1 && "$(basename "${nupkgs[0]}")" =~ ^NoGil\.Analyzers\.(.+)\.nupkg$ ]] \
    || { echo "FAIL: expected one NoGil.Analyzers.<version>.nupkg in $pkgdir" >&2; exit 2; }
version="${BASH_REMATCH[1]}"
# A version restored before (same version, other contents) must not be reused.
cache="$(dotnet nuget locals global-packages --list | sed -E 's/^global-packages: //')"
rm -rf "${cache%/}/nogil.analyzers/${version,,}"
log "package NoGil.Analyzers $version"

if [[ -z "${NOGIL_IDS:-}" ]]; then
    NOGIL_IDS="$(grep -E '^\| \[NOGIL[0-9]{3}\]' "$root/README.md" | awk -F'|' '{gsub(/ /, "", $6); if ($6 == "Yes") { match($2, /NOGIL[0-9]+/); printf "%s ", substr($2, RSTART, RLENGTH) } }')"
    NOGIL_IDS="${NOGIL_IDS% }"
fi
log "rules applied: $NOGIL_IDS"

cat > "$out/nuget.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <clear />
    <add key="nogil-local" value="$pkgdir" />
    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
  </packageSources>
</configuration>
XML

cat > "$out/nogil-fix-safety.props" <<XML
<Project>
  <!-- Injected by tools/fix-safety/run.sh: the package under test, every rule as a warning, none as an error. -->
  <PropertyGroup>
    <NoGilAnalysisMode>strict</NoGilAnalysisMode>
  </PropertyGroup>
  <!-- Builds only: with NOGIL IDs in WarningsNotAsErrors (/warnaserror-:), dotnet format runs none of their analyzers. -->
  <PropertyGroup Condition="'\$(NoGilFixSafetyBuild)' == 'true'">
    <WarningsNotAsErrors>\$(WarningsNotAsErrors);${NOGIL_IDS// /;}</WarningsNotAsErrors>
  </PropertyGroup>
  <ItemGroup Condition="'\$(MSBuildProjectExtension)' == '.csproj' And '\$(ManagePackageVersionsCentrally)' != 'true'">
    <PackageReference Include="NoGil.Analyzers" Version="[$version]" PrivateAssets="all" />
  </ItemGroup>
  <ItemGroup Condition="'\$(MSBuildProjectExtension)' == '.csproj' And '\$(ManagePackageVersionsCentrally)' == 'true'">
    <PackageReference Include="NoGil.Analyzers" VersionOverride="[$version]" PrivateAssets="all" />
  </ItemGroup>
</Project>
XML

# --- Helpers -----------------------------------------------------------------------------------------------------
# frameworks PROJECT: its target frameworks, ';'-separated.
frameworks() {
    local tfms
    tfms="$(dotnet msbuild "$1" -nologo -getProperty:TargetFrameworks 2>/dev/null | tr -d '\r')"
    [[ -n "$tfms" ]] || tfms="$(dotnet msbuild "$1" -nologo -getProperty:TargetFramework 2>/dev/null | tr -d '\r')"
    echo "$tfms"
}

# build_all LABEL: builds every BUILD project (all frameworks), prints "tfm=errors ..." (distinct errors per framework).
build_all() {
    local label="$1" p
    : > "$dir/build-$label.log"
    for p in "${BUILD[@]}"; do
        dotnet build "$p" -c Release --no-restore --nologo -p:NuGetAudit=false -p:NoGilFixSafetyBuild=true >> "$dir/build-$label.log" 2>&1 || true
    done
    summarise_build "$label"
}

# summarise_build LABEL: distinct errors per framework of build-LABEL.log ("tfm=errors ..."), NOGIL warnings left.
summarise_build() {
    local label="$1"
    python3 - "$dir/build-$label.log" "$dir/errors-$label.txt" "$dir/nogil-$label.txt" "$all_tfms" <<'PY'
import re, sys
log, errors_out, nogil_out, tfms = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4].split()
errors, nogil = set(), set()
for line in open(log, encoding="utf-8", errors="replace"):
    m = re.search(r"^\s*(.*?): error ([A-Z]+[0-9]+): (.*?)(?: \[(.*?)(?:::TargetFramework=([\w.\-]+))?\])?$", line.rstrip())
    if m:
        errors.add((m.group(5) or "-", m.group(2), m.group(1), m.group(3)))
    m = re.search(r"^\s*(.*?): warning (NOGIL[0-9]+): (.*?)(?: \[(.*?)(?:::TargetFramework=([\w.\-]+))?\])?$", line.rstrip())
    if m:
        nogil.add((m.group(5) or "-", m.group(2), m.group(1)))
with open(errors_out, "w") as f:
    for e in sorted(errors): f.write("\t".join(e) + "\n")
with open(nogil_out, "w") as f:
    for e in sorted(nogil): f.write("\t".join(e) + "\n")
per = {t: 0 for t in tfms}
for e in errors: per[e[0]] = per.get(e[0], 0) + 1
print(" ".join(f"{t}={n}" for t, n in per.items()))
PY
}

# run_tests LABEL: runs the tests on TEST_FRAMEWORK into test-LABEL.trx (and .log).
run_tests() {
    local label="$1" args=()
    [[ -n "${TEST_FILTER:-}" ]] && args+=(--filter "$TEST_FILTER")
    rm -f "$dir/test-$label.trx"
    # With a build error on the test framework the test assembly in bin/ is a stale one: no run at all.
    if grep -qE "^($TEST_FRAMEWORK|-)"$'\t' "$dir/errors-$label.txt"; then
        echo "not run: the build of $TEST_FRAMEWORK failed" > "$dir/test-$label.log"
        return
    fi
    # Only the newest runtime may be installed: the test host of an older target framework rolls forward to it.
    DOTNET_ROLL_FORWARD=Major timeout "${TEST_TIMEOUT:-3600}" dotnet test "$TEST_PROJECT" -c Release --no-build --no-restore -f "$TEST_FRAMEWORK" "${args[@]}" \
        --logger "trx;LogFileName=$dir/test-$label.trx" > "$dir/test-$label.log" 2>&1 || true
}

# --- One repository ------------------------------------------------------------------------------------------------
regressions=0
results=()
for conf in "${confs[@]}"; do
    unset NAME REPO PREPARE FORMAT BUILD TEST_PROJECT TEST_FRAMEWORK TEST_FILTER NOTES
    PREPARE="" TEST_FILTER="" NOTES=""
    # shellcheck disable=SC1090
    source "$conf"
    src="$REPO"; [[ "$src" = /* ]] || src="$repos/$REPO"
    dir="$out/$NAME"
    copy="$dir/src"
    if [[ $keep_before == 1 && -f "$dir/test-before.trx" && -d "$copy/.git" ]]; then
        log "== $NAME: reusing $copy and its BEFORE results"
        cd "$copy" || exit 2
        git reset -q --hard "$(git rev-list --max-parents=0 HEAD)" && git clean -qfd
        rm -f "$dir"/*-after.* "$dir"/changed-* "$dir"/diff-* "$dir"/format-* "$dir"/conflicts.txt
        all_tfms="$(cat "$dir/frameworks.txt")"
        before_errors="$(summarise_build before)"
        for p in "${FORMAT[@]}" "${BUILD[@]}"; do
            dotnet restore "$p" --configfile "$out/nuget.config" -p:NuGetAudit=false >> "$dir/restore.log" 2>&1 || log "$NAME: restore of $p failed (restore.log)"
        done
    else
    log "== $NAME: copying $src"
    rm -rf "$dir"; mkdir -p "$copy"
    tar -C "$src" --exclude=./.git --exclude=bin --exclude=obj --exclude=node_modules -cf - . | tar -C "$copy" -xf -
    cd "$copy" || exit 2
    if [[ -n "$PREPARE" ]]; then bash -c "$PREPARE" > "$dir/prepare.log" 2>&1 || { log "$NAME: PREPARE failed"; cat "$dir/prepare.log"; }; fi

    # Inject the package: import the props from the nearest Directory.Build.props of each project (or a new one at the root).
    for p in "${FORMAT[@]}" "${BUILD[@]}"; do
        d="$(dirname "$copy/$p")" target=""
        while :; do
            [[ -f "$d/Directory.Build.props" ]] && { target="$d/Directory.Build.props"; break; }
            [[ "$d" == "$copy" ]] && break
            d="$(dirname "$d")"
        done
        [[ -n "$target" ]] || { target="$copy/Directory.Build.props"; echo '<Project>' > "$target"; echo '</Project>' >> "$target"; }
        grep -q 'nogil-fix-safety.props' "$target" && continue
        python3 - "$target" "$out/nogil-fix-safety.props" <<'PY'
import sys
path, props = sys.argv[1], sys.argv[2]
text = open(path, encoding="utf-8-sig").read()
i = text.rstrip().rfind("</Project>")
text = text[:i] + f'  <Import Project="{props}" />\n' + text[i:]
open(path, "w", encoding="utf-8").write(text)
PY
    done

    all_tfms=""
    for p in "${BUILD[@]}"; do all_tfms+=" $(frameworks "$p" | tr ';' ' ')"; done
    all_tfms="$(echo $all_tfms | tr ' ' '\n' | awk 'NF && !seen[$0]++' | tr '\n' ' ')"
    echo "$all_tfms" > "$dir/frameworks.txt"

    log "$NAME: restore (frameworks: $all_tfms)"
    : > "$dir/restore.log"
    for p in "${FORMAT[@]}" "${BUILD[@]}"; do
        dotnet restore "$p" --configfile "$out/nuget.config" -p:NuGetAudit=false >> "$dir/restore.log" 2>&1 || log "$NAME: restore of $p failed (restore.log)"
    done

    # A git baseline of the copy (after PREPARE, the injection and the restore, which may rewrite lock files):
    # files changed = what dotnet format changed.
    git init -q . && printf 'bin/\nobj/\nTestResults/\n*.trx\n' >> .git/info/exclude
    git add -A >/dev/null 2>&1 && git -c user.name=fix-safety -c user.email=fix-safety@localhost commit -qm baseline --no-verify

    log "$NAME: build BEFORE"
    before_errors="$(build_all before)"
    log "$NAME: tests BEFORE ($TEST_FRAMEWORK)"
    run_tests before
    fi

    log "$NAME: dotnet format, pass 1"
    for pass in 1 2; do
        : > "$dir/format-$pass.log"
        for p in "${FORMAT[@]}"; do
            dotnet format analyzers "$p" --no-restore --diagnostics $NOGIL_IDS --severity info -v detailed >> "$dir/format-$pass.log" 2>&1 \
                || echo "dotnet format exited with $? on $p" >> "$dir/format-$pass.log"
        done
        git add -A >/dev/null 2>&1
        git diff --cached --name-only > "$dir/changed-$pass.txt"
        git diff --cached > "$dir/diff-$pass.patch"
        git -c user.name=fix-safety -c user.email=fix-safety@localhost commit -qm "pass $pass" --no-verify --allow-empty
        [[ $pass == 1 ]] && log "$NAME: dotnet format, pass 2"
    done
    changed1=$(wc -l < "$dir/changed-1.txt")
    changed2=$(wc -l < "$dir/changed-2.txt")
    git diff --name-only HEAD~2 HEAD | while read -r f; do [[ -f "$f" ]] && grep -nHE '^(<<<<<<<|>>>>>>>) ' "$f"; done > "$dir/conflicts.txt"
    conflicts=$(grep -c '^[^:]*:[0-9]*:<<<<<<<' "$dir/conflicts.txt")
    conflict_files=$(cut -d: -f1 "$dir/conflicts.txt" | sort -u | grep -c .)

    log "$NAME: build AFTER"
    after_errors="$(build_all after)"
    log "$NAME: tests AFTER ($TEST_FRAMEWORK)"
    run_tests after

    line="$(python3 - "$dir" "$NAME" "$before_errors" "$after_errors" "$changed1" "$changed2" "$conflicts" "$conflict_files" "$NOGIL_IDS" <<'PY'
import collections, json, os, sys, xml.etree.ElementTree as ET
d, name, before_errors, after_errors, changed1, changed2, conflicts, conflict_files, ids = sys.argv[1:10]
changed1, changed2, conflicts, conflict_files = int(changed1), int(changed2), int(conflicts), int(conflict_files)

def outcomes(label):
    path = os.path.join(d, f"test-{label}.trx")
    if not os.path.exists(path):
        return None
    root = ET.parse(path).getroot()
    ns = {"t": root.tag.split("}")[0].strip("{")}
    # Keyed by the class and name of each test (its testName alone repeats across classes and data rows).
    classes = {d.get("id"): (d.find("t:TestMethod", ns).get("className") if d.find("t:TestMethod", ns) is not None else "")
               for d in root.iter("{%s}UnitTest" % ns["t"])}
    result = {}
    for r in root.iter("{%s}UnitTestResult" % ns["t"]):
        result[f'{classes.get(r.get("testId"), "")}.{r.get("testName")}|{r.get("testId")}'] = r.get("outcome")
    # The totals as the test run counted them (some data rows share a test id).
    c = root.find("t:ResultSummary/t:Counters", ns)
    totals[label] = (int(c.get("passed", 0)), int(c.get("failed", 0))) if c is not None else None
    return result

totals = {}
before, after = outcomes("before"), outcomes("after")
def counts(o, label):
    if o is None: return "not run"
    if totals.get(label): return f"{totals[label][0]} passed/{totals[label][1]} failed"
    c = collections.Counter(o.values())
    return f"{c.get('Passed', 0)} passed/{c.get('Failed', 0)} failed"
new_failures = []
lost = 0
if before is not None and after is not None:
    new_failures = sorted(t.split("|")[0] for t, o in after.items() if o == "Failed" and before.get(t) != "Failed")
    lost = sum(1 for t, o in before.items() if o == "Passed" and t not in after)
# NOGIL diagnostics still reported after the fixes (a fixable one left over means one pass did not converge).
left = collections.Counter()
nogil = os.path.join(d, "nogil-after.txt")
for l in open(nogil):
    left[l.split("\t")[1]] += 1

def per_tfm(s):
    return dict(kv.split("=") for kv in s.split())
b, a = per_tfm(before_errors), per_tfm(after_errors)
build_regression = any(int(a.get(t, 0)) > 0 and int(a.get(t, 0)) > int(b.get(t, 0)) for t in a)
regression = (build_regression or new_failures or changed2 > 0 or conflicts > 0
              or (before is not None and after is None) or lost > 0)
errs = ", ".join(f"{t} {b.get(t, '?')}->{a.get(t, '?')}" for t in a)
line = (f"{name}: files changed {changed1}; build errors before->after: {errs}; "
        f"tests before {counts(before, 'before')}, after {counts(after, 'after')}; new failures {len(new_failures)}"
        + (f" ({'; '.join(new_failures[:20])}{' ...' if len(new_failures) > 20 else ''})" if new_failures else "")
        + (f"; passing tests no longer run {lost}" if lost else "")
        + f"; second pass changed {changed2} files; conflict markers {conflicts} in {conflict_files} files"
        + f"; NOGIL left after: {sum(left.values())}" + (f" ({', '.join(f'{k} {v}' for k, v in sorted(left.items()))})" if left else "")
        + ("  => REGRESSION" if regression else "  => ok"))
with open(os.path.join(d, "new-failures.txt"), "w") as f:
    f.write("\n".join(new_failures) + ("\n" if new_failures else ""))
json.dump({"name": name, "files_changed": changed1, "errors_before": b, "errors_after": a,
           "tests_before": counts(before, "before"), "tests_after": counts(after, "after"), "new_failures": new_failures,
           "second_pass_changed": changed2, "conflicts": conflicts, "conflict_files": conflict_files,
           "nogil_left": dict(left), "regression": bool(regression)}, open(os.path.join(d, "result.json"), "w"), indent=1)
print(line)
PY
)"
    [[ -n "$NOTES" ]] && line+="  [notes: $NOTES]"
    echo "$line" | tee "$dir/result.txt"
    results+=("$line")
    grep -q '=> REGRESSION' <<< "$line" && regressions=$((regressions + 1))
    cd "$out" || exit 2
done

echo
echo "NoGil.Analyzers $version, rules: $NOGIL_IDS"
printf '%s\n' "${results[@]}"
[[ $regressions -eq 0 ]] || { echo "FAIL: $regressions of ${#confs[@]} repositories regressed (logs under $out)"; exit 1; }
echo "PASS: ${#confs[@]} repositories, no regression"
