using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using NoGil.Analyzers.Tests.Infrastructure;
using Xunit;

namespace NoGil.Analyzers.Tests.Meta;

/// <summary>docs/architecture.md's rule table: one row per shipped rule, and every path in it exists.</summary>
public sealed class ArchitectureTests
{
    private static readonly Regex Row = new(@"^\| (NOGIL\d{3}) \|(.*)\|$", RegexOptions.CultureInvariant);
    private static readonly Regex Path_ = new(@"`([^`]+)`", RegexOptions.CultureInvariant);

    [Fact]
    public void RuleTable_HasOneRowPerShippedRule_AndEveryPathExists()
    {
        var rows = File.ReadAllLines(RepositoryFiles.GetPath("docs/architecture.md"))
            .Select(line => Row.Match(line.Trim()))
            .Where(match => match.Success)
            .ToDictionary(match => match.Groups[1].Value, match => match.Groups[2].Value, StringComparer.Ordinal);

        var shipped = RuleCatalog.Descriptors.Select(d => d.Id).Where(id => id != "NOGIL001").OrderBy(id => id, StringComparer.Ordinal).ToArray();
        Assert.Equal(shipped, rows.Keys.OrderBy(id => id, StringComparer.Ordinal).ToArray());

        foreach (var (id, cells) in rows)
        {
            var paths = Path_.Matches(cells).Select(m => m.Groups[1].Value).ToArray();
            // A rule without a fix (NOGIL300 explains) has no fixer and no benchmark pair: "—" in those columns.
            var expected = RuleCatalog.HasFix(id) ? 6 : 4;
            Assert.True(paths.Length == expected, $"{id}: expected {expected} paths (analyzer, fixer, analysis, tests, doc, benchmark pair; no fixer or pair without a fix), found {paths.Length}");
            foreach (var path in paths)
            {
                var full = RepositoryFiles.GetPath(path);
                Assert.True(File.Exists(full) || Directory.Exists(full), $"{id}: {path} does not exist");
            }
        }
    }
}
