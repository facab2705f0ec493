#!/usr/bin/env bash
# Runs run-analyzers.sh on the four repositories of docs/precision.md ("Blocking-wait rules on four repositories").
#
#   tools/precision/four-repos.sh <analyzer dll folder> <out folder> [repo name ...]
#
# Checkouts are expected under $REPOS (default /work/repos), at the commits recorded in docs/precision.md; this
# script fetches nothing. Target frameworks whose packages the registry here does not serve are left out (listed
# per project below, and why in docs/precision.md); package validation is off (it downloads an older release of the
# library itself, which is not served here).
set -uo pipefail
here=$(dirname "$(realpath "${BASH_SOURCE[0]}")")
dlls=$(realpath "$1")
mkdir -p "$2"
out=$(realpath "$2")
shift 2
repos=${REPOS:-/work/repos}
wanted=("$@")
export BUILD_ARGS="-p:EnablePackageValidation=false -p:PackageValidationBaselineVersion="

run() {
    local name=$1
    shift
    if [[ ${#wanted[@]} -gt 0 && ! " ${wanted[*]} " == *" $name "* ]]; then return; fi
    echo "== $name ($(date -u +%H:%M:%S))"
    "$here/run-analyzers.sh" "$repos/$name" "$dlls" "$out/$name" "$@"
}

# (a) dual-mode sync/async I/O library (IOBehavior): net462/net471/net48/netstandard2.0 need IndexRange (not served).
run MySqlConnector \
    "src/MySqlConnector/MySqlConnector.csproj@netstandard2.1;net6.0;net8.0;net9.0;net10.0" \
    "tests/MySqlConnector.Tests/MySqlConnector.Tests.csproj@net8.0;net10.0"
# (b) web CMS on EF Core: the ASP.NET Core front end and its tests need X.Web.Sitemap (not served); the EF Core data
#     layer and the core library build.
run piranha.core \
    core/Piranha/Piranha.csproj \
    data/Piranha.Data.EF.SQLite/Piranha.Data.EF.SQLite.csproj \
    data/Piranha.Data.EF.SQLServer/Piranha.Data.EF.SQLServer.csproj
# (c) async-heavy HTTP client library: net471 reference assemblies 1.0.3 are not served; the test projects need
#     HttpMultipartParser / WireMock.Net.FluentAssertions (not served).
#     The 2026-12-02 baseline built netstandard2.0;net8.0;net10.0 only (machine load); net48 and net9.0 were not tried.
run RestSharp \
    "src/RestSharp/RestSharp.csproj@netstandard2.0;net8.0;net10.0"
# (d) CSV library with sync and async readers/writers and its own xunit suite (tests of both APIs).
#     net47 reference assemblies are not served; the 2026-12-02 baseline built netstandard2.0, netstandard2.1 (library)
#     and net8.0, net9.0 (tests, which build the library for those too); net48/net462 were not tried (machine load).
run CsvHelper \
    "src/CsvHelper/CsvHelper.csproj@netstandard2.0;netstandard2.1" \
    "tests/CsvHelper.Tests/CsvHelper.Tests.csproj@net8.0;net9.0"
