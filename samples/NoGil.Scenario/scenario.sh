#!/usr/bin/env bash
# The profile-guided workflow end to end on the scenario (docs/profile-guided.md), in a temporary copy:
#
#   1. build it: the analyzers report what they prove, without numbers;
#   2. record a profile with nogil-profile while it runs;
#   3. build it again: the findings in hot code carry the measured cost, the kernel suggestion in cold code is gone;
#   4. apply the fixes with dotnet format: the result must be samples/NoGil.Scenario.Fixed, exactly;
#   5. run the fixed copy under the tool again, and compare the application's own times.
#
#   bash samples/NoGil.Scenario/scenario.sh [--configuration Release] [--keep]
#
# The copy uses the analyzers built from this repository (src/NoGil.CodeFixes, Release) and imports the package's props,
# so that nogil.profile.json next to the project reaches the analyzers as the package makes it do. Prints PASS/FAIL lines
# and exits 1 when a check fails.
set -euo pipefail

CONFIGURATION="Release"
KEEP=0
while [[ $# -gt 0 ]]; do
    case "$1" in
        --configuration) CONFIGURATION="$2"; shift 2 ;;
        --keep) KEEP=1; shift ;;
        *) echo "usage: scenario.sh [--configuration Release] [--keep]" >&2; exit 2 ;;
    esac
done

cd "$(dirname "${BASH_SOURCE[0]}")/../.."
REPO_ROOT="$(pwd)"
SCENARIO="$REPO_ROOT/samples/NoGil.Scenario"
EXPECTED="$REPO_ROOT/samples/NoGil.Scenario.Fixed"
ANALYZERS="$REPO_ROOT/src/NoGil.Analyzers/bin/$CONFIGURATION/netstandard2.0"
CODEFIXES="$REPO_ROOT/src/NoGil.CodeFixes/bin/$CONFIGURATION/netstandard2.0"
PROFILER="$REPO_ROOT/tools/NoGil.Profile/bin/$CONFIGURATION/net8.0/nogil-profile.dll"
REQUESTS=64
RUNS=2

WORK="$(mktemp -d "${TMPDIR:-/tmp}/nogil-scenario.XXXXXX")"
if [[ $KEEP -eq 0 ]]; then
    trap 'rm -rf "$WORK"' EXIT
else
    echo "keeping $WORK"
fi

FAILURES=0
pass() { echo "PASS: $*"; }
fail() { echo "FAIL: $*"; FAILURES=$((FAILURES + 1)); }
say() { echo; echo "--> $*"; }

say "Build the analyzers and the profiling tool ($CONFIGURATION)"
dotnet build src/NoGil.CodeFixes/NoGil.CodeFixes.csproj -c "$CONFIGURATION" --nologo -v q > "$WORK/build-analyzers.log" 2>&1 || { cat "$WORK/build-analyzers.log"; exit 1; }
dotnet build tools/NoGil.Profile/NoGil.Profile.csproj -c "$CONFIGURATION" --nologo -v q > "$WORK/build-profiler.log" 2>&1 || { cat "$WORK/build-profiler.log"; exit 1; }

# A copy of the scenario: its sources and .editorconfig, a project file that loads the analyzers from their build output
# and imports the package's props; shielded from this repository's Directory.*.props.
APP="$WORK/scenario"
mkdir -p "$APP"
cp "$SCENARIO"/*.cs "$SCENARIO/.editorconfig" "$APP/"
echo '<Project />' > "$APP/Directory.Build.props"
echo '<Project />' > "$APP/Directory.Build.targets"
echo '<Project />' > "$APP/Directory.Packages.props"
cat > "$APP/NoGil.Scenario.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <Import Project="$REPO_ROOT/src/NoGil.Package/buildTransitive/NoGil.Analyzers.props" />
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <ImplicitUsings>disable</ImplicitUsings>
    <Nullable>enable</Nullable>
    <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>
    <DebugType>portable</DebugType>
  </PropertyGroup>
  <ItemGroup>
    <Analyzer Include="$ANALYZERS/NoGil.Analyzers.dll" />
    <Analyzer Include="$CODEFIXES/NoGil.CodeFixes.dll" />
  </ItemGroup>
</Project>
XML

# The diagnostics of a build, one per line without the help link and project suffix, sorted.
findings() { grep -E '(warning|info) NOGIL[0-9]+:' "$1" | sed -E "s#^$APP/##; s# \(https://[^)]*\)##; s# \[[^]]*\]\$##" | sort -u || true; }
build() { dotnet build "$APP/NoGil.Scenario.csproj" -c Release --nologo --no-incremental -p:UseSharedCompilation=false > "$1" 2>&1 || { cat "$1"; exit 1; }; }
# The application's own time: the mean of its runs after the first (the first includes the JIT and a cold thread pool).
own_time() { grep -E '^run [0-9]+: ' "$1" | tail -n +2 | sed -E 's/^run [0-9]+: ([0-9]+) ms.*/\1/' | awk '{ s += $1; n++ } END { if (n) printf "%d", s / n; else print "?" }'; }

say "1. Build the scenario: what the analyzers prove without a profile"
build "$WORK/build-static.log"
findings "$WORK/build-static.log"

say "2. Record a profile while it runs ($RUNS runs of $REQUESTS requests)"
(cd "$APP" && dotnet "$PROFILER" run -o "$APP/nogil.profile.json" -- dotnet "bin/Release/net10.0/NoGil.Scenario.dll" "$RUNS" "$REQUESTS") > "$WORK/profile-before.log" 2>&1 \
    || { cat "$WORK/profile-before.log"; fail "nogil-profile run failed on the scenario"; exit 1; }
grep -vE '^nogil-profile: recording' "$WORK/profile-before.log"
[[ -s "$APP/nogil.profile.json" ]] && pass "nogil-profile wrote nogil.profile.json" || fail "no nogil.profile.json"

say "3. Build it again: the findings with the profile"
build "$WORK/build-profiled.log"
PROFILED="$(findings "$WORK/build-profiled.log")"
echo "$PROFILED"
expect() { # expect <description> <extended regex>
    if grep -Eq "$2" <<< "$PROFILED"; then pass "$1"; else fail "$1"; fi
}
expect "the dot product (NOGIL303) is a warning with its share of the CPU samples" 'Kernels\.cs\([0-9]+,[0-9]+\): warning NOGIL303: .* took [0-9.]+ ?% of CPU samples in the profile'
expect "the lock (NOGIL101) carries the measured contention" 'ResultCache\.cs\([0-9]+,[0-9]+\): warning NOGIL101: .*threads waited [0-9.,]+ ?m?s'
expect "the blocking wait (NOGIL201) carries the measured blocked time" 'Batch\.cs\([0-9]+,[0-9]+\): warning NOGIL201: .*threads were blocked [0-9.,]+ ?m?s'
if ! grep -Eq 'Setup\.cs\([0-9]+,[0-9]+\): warning NOGIL303' < <(findings "$WORK/build-static.log"); then
    fail "without the profile, the sum in Setup.Mean is not reported (the check below would prove nothing)"
elif grep -Eq 'Setup\.cs.*NOGIL30[0-9]' <<< "$PROFILED"; then
    fail "the sum in Setup.Mean (cold: it runs once per batch) is still reported"
else
    pass "the sum in Setup.Mean (cold) is no longer reported"
fi
if grep -Eq 'NOGIL002' <<< "$PROFILED"; then fail "NOGIL002: the analyzers found the profile stale or malformed"; else pass "no NOGIL002: the profile matches the build"; fi

say "3b. A stale profile (a method renamed since it was recorded): NOGIL002, and the findings as without a profile"
sed 's/M:NoGil\.Scenario\.Kernels\.Dot(/M:NoGil.Scenario.Kernels.DotProduct(/' "$APP/nogil.profile.json" > "$WORK/stale.profile.json"
# An error log makes the compiler run every analyzer, NOGIL002's (a suggestion) included.
dotnet build "$APP/NoGil.Scenario.csproj" -c Release --nologo --no-incremental -p:UseSharedCompilation=false \
    -p:NoGilProfile="$WORK/stale.profile.json" -p:ErrorLog="$WORK/stale.sarif%2Cversion=2.1" > "$WORK/build-stale.log" 2>&1 || { cat "$WORK/build-stale.log"; exit 1; }
if grep -q '"NOGIL002"' "$WORK/stale.sarif" && grep -q 'DotProduct' "$WORK/stale.sarif"; then
    pass "NOGIL002 names the method that no longer exists"
else
    fail "no NOGIL002 for the stale profile"
fi
if [[ "$(findings "$WORK/build-stale.log" | grep -v NOGIL002)" == "$(findings "$WORK/build-static.log")" ]]; then
    pass "with the stale profile the findings are those without a profile"
else
    diff <(findings "$WORK/build-static.log") <(findings "$WORK/build-stale.log") || true
    fail "the stale profile changed the findings"
fi

say "4. Apply the fixes with dotnet format"
dotnet format analyzers "$APP/NoGil.Scenario.csproj" --diagnostics NOGIL101 NOGIL201 NOGIL303 --severity info > "$WORK/format.log" 2>&1 \
    || { cat "$WORK/format.log"; fail "dotnet format failed"; }
SAME=1
for file in "$EXPECTED"/*.cs; do
    if ! diff -u "$file" "$APP/$(basename "$file")" > "$WORK/fixed.diff"; then
        cat "$WORK/fixed.diff"
        SAME=0
    fi
done
if [[ $SAME -eq 1 ]]; then pass "the fixed scenario is samples/NoGil.Scenario.Fixed, exactly"; else fail "the fixes differ from samples/NoGil.Scenario.Fixed"; fi

say "5. Run the fixed scenario under the profiler again"
build "$WORK/build-fixed.log"
REMAINING="$(findings "$WORK/build-fixed.log" | grep -E 'NOGIL(101|201|303)' || true)"
if [[ -z "$REMAINING" ]]; then pass "nothing left to fix"; else echo "$REMAINING"; fail "findings left after the fixes"; fi
(cd "$APP" && dotnet "$PROFILER" run -o "$WORK/nogil.profile.after.json" -- dotnet "bin/Release/net10.0/NoGil.Scenario.dll" "$RUNS" "$REQUESTS") > "$WORK/profile-after.log" 2>&1 \
    || { cat "$WORK/profile-after.log"; fail "nogil-profile run failed on the fixed scenario"; }
grep -vE '^nogil-profile: recording' "$WORK/profile-after.log"
BEFORE_MS="$(own_time "$WORK/profile-before.log")"
AFTER_MS="$(own_time "$WORK/profile-after.log")"
echo "The application's own time per batch of $REQUESTS requests, after its first run: before the fixes $BEFORE_MS ms, after $AFTER_MS ms."
echo "(A single timed run under the profiler: the BenchmarkDotNet job, samples/NoGil.Scenario.Benchmarks, measures the ratio.)"
if [[ "$BEFORE_MS" =~ ^[0-9]+$ && "$AFTER_MS" =~ ^[0-9]+$ && "$AFTER_MS" -lt "$BEFORE_MS" ]]; then
    pass "the fixed scenario ran faster under the profiler ($BEFORE_MS -> $AFTER_MS ms)"
else
    fail "the fixed scenario did not run faster ($BEFORE_MS -> $AFTER_MS ms)"
fi

echo
if [[ $FAILURES -eq 0 ]]; then echo "PASS: the scenario's profile-guided workflow"; else echo "FAIL: $FAILURES check(s) of the scenario failed"; exit 1; fi
