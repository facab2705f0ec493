using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using NoGil.Analyzers.Infrastructure;
using Xunit;

namespace NoGil.Analyzers.Tests.Meta;

/// <summary>Checks that hold for every rule the package ships.</summary>
public sealed class DescriptorTests
{
    private static readonly string[] DocSections =
    {
        "## Cause",
        "## Rule description",
        "## How to fix",
        "## Options",
        "## When to suppress",
        "## Measured cost",
    };

    [Fact]
    public void CatalogIsNotEmpty()
    {
        Assert.NotEmpty(RuleCatalog.Analyzers);
        Assert.NotEmpty(RuleCatalog.Fixers);
        Assert.Contains(RuleCatalog.Descriptors, d => d.Id == RuleIdentifiers.UseAwaitInsteadOfBlockingWait);
    }

    [Fact]
    public void EveryAnalyzerDerivesFromTheSharedBase()
    {
        foreach (var analyzer in RuleCatalog.Analyzers)
        {
            Assert.True(analyzer is NoGilAnalyzer, $"{analyzer.GetType().Name} must derive from {nameof(NoGilAnalyzer)}");
        }
    }

    [Fact]
    public void EveryFixerFixesAShippedRule()
    {
        foreach (var fixer in RuleCatalog.Fixers)
        {
            foreach (var id in fixer.FixableDiagnosticIds)
            {
                Assert.Contains(RuleCatalog.Descriptors, d => d.Id == id);
            }
        }
    }

    [Theory]
    [MemberData(nameof(RuleCatalog.DescriptorIds), MemberType = typeof(RuleCatalog))]
    public void IdIsInTheRegistryAndMatchesItsFamily(string id)
    {
        var constants = typeof(RuleIdentifiers).GetFields().Select(f => (string?)f.GetRawConstantValue());
        Assert.Contains(id, constants);
        var descriptor = RuleCatalog.Get(id);
        Assert.Matches(@"^NOGIL[0123]\d\d$", id);
        var expectedCategory = id[5] switch
        {
            '0' => RuleCategories.Profile, // the package's own inputs (NOGIL001 is the build's, not a descriptor)
            '1' => RuleCategories.Locks,
            '2' => RuleCategories.Blocking,
            _ => RuleCategories.Kernels,
        };
        Assert.Equal(expectedCategory, descriptor.Category);
        Assert.Equal(id != RuleIdentifiers.ExplainLoop, descriptor.IsEnabledByDefault); // NOGIL300 is the one opt-in rule
        Assert.False(string.IsNullOrWhiteSpace(descriptor.Description.ToString()));
    }

    [Theory]
    [MemberData(nameof(RuleCatalog.DescriptorIds), MemberType = typeof(RuleCatalog))]
    public void HelpLinkIsTheRulePage(string id)
    {
        var descriptor = RuleCatalog.Get(id);
        Assert.Equal($"https://github.com/nogil-analyzers/NoGil.Analyzers/blob/main/docs/rules/{id}.md", descriptor.HelpLinkUri);
    }

    [Theory]
    [MemberData(nameof(RuleCatalog.DescriptorIds), MemberType = typeof(RuleCatalog))]
    public void RulePageExistsWithTitleAndTheCommonSections(string id)
    {
        var path = Path.Combine(RuleCatalog.RepositoryRoot, "docs", "rules", id + ".md");
        Assert.True(File.Exists(path), $"missing {path}");
        var text = File.ReadAllText(path);
        var descriptor = RuleCatalog.Get(id);
        Assert.StartsWith($"# {id} — {descriptor.Title}\n", text.Replace("\r\n", "\n"), StringComparison.Ordinal);

        var last = -1;
        foreach (var section in DocSections)
        {
            var index = text.IndexOf("\n" + section + "\n", StringComparison.Ordinal);
            Assert.True(index > last, $"{id}.md: section '{section}' missing or out of order");
            last = index;
        }

        var severity = RuleCatalog.SeverityText(descriptor.DefaultSeverity);
        Assert.Contains(severity == "Suggestion" ? "Info (suggestion)" : severity, text, StringComparison.Ordinal);
        Assert.Contains(RuleCatalog.HasFix(id) ? "| Code fix | Yes" : "| Code fix | No", text, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(RuleCatalog.DescriptorIds), MemberType = typeof(RuleCatalog))]
    public void RuleIsTrackedInAnalyzerReleases(string id)
    {
        var directory = Path.Combine(RuleCatalog.RepositoryRoot, "src", "NoGil.Analyzers");
        var lines = File.ReadAllLines(Path.Combine(directory, "AnalyzerReleases.Shipped.md"))
            .Concat(File.ReadAllLines(Path.Combine(directory, "AnalyzerReleases.Unshipped.md")));
        var descriptor = RuleCatalog.Get(id);
        var row = lines.Select(l => l.Split('|').Select(c => c.Trim()).ToArray()).FirstOrDefault(c => c.Length >= 3 && c[0] == id);
        Assert.NotNull(row);
        Assert.Equal(descriptor.Category, row![1]);
        Assert.Equal(descriptor.IsEnabledByDefault ? descriptor.DefaultSeverity.ToString() : "Disabled", row[2]);
    }

    [Fact]
    public void ReadmeRuleTableIsGeneratedFromTheDescriptors()
    {
        const string begin = "<!-- rules:begin -->\n";
        const string end = "<!-- rules:end -->";
        var path = Path.Combine(RuleCatalog.RepositoryRoot, "README.md");
        var readme = File.ReadAllText(path).Replace("\r\n", "\n");
        var start = readme.IndexOf(begin, StringComparison.Ordinal);
        var stop = readme.IndexOf(end, StringComparison.Ordinal);
        Assert.True(start >= 0 && stop > start, "README.md must contain the rule table markers");

        var expected = RuleCatalog.RenderReadmeTable();
        var actual = readme.Substring(start + begin.Length, stop - start - begin.Length);
        if (actual != expected && Environment.GetEnvironmentVariable("NOGIL_UPDATE_README") == "1")
        {
            File.WriteAllText(path, readme.Substring(0, start + begin.Length) + expected + readme.Substring(stop));
            return;
        }

        Assert.True(actual == expected, "README rule table is stale; regenerate it with NOGIL_UPDATE_README=1 dotnet test --filter ReadmeRuleTable\nExpected:\n" + expected);
    }

    [Fact]
    public void EveryRuleHasTests()
    {
        var testsDirectory = Path.Combine(RuleCatalog.RepositoryRoot, "tests", "NoGil.Analyzers.Tests", "Rules");
        var sources = Directory.GetFiles(testsDirectory, "*.cs", SearchOption.AllDirectories).Select(File.ReadAllText).ToArray();
        foreach (var analyzer in RuleCatalog.Analyzers)
        {
            var name = analyzer.GetType().Name;
            Assert.True(sources.Any(s => Regex.IsMatch(s, $@"\b{name}\b")), $"no test file uses {name}");
        }
    }
}
