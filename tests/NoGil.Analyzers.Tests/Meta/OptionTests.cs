using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.RegularExpressions;
using NoGil.Analyzers.Infrastructure;
using NoGil.Analyzers.Tests.Infrastructure;
using Xunit;

namespace NoGil.Analyzers.Tests.Meta;

/// <summary>
/// Every .editorconfig option an analyzer reads is a documented, tested key. Rules read options only through
/// <see cref="RuleOption{T}"/> fields, so the keys are found by reflection over the analyzer assembly.
/// </summary>
public sealed class OptionTests
{
    private static readonly Regex KeyShape = new(@"^(NOGIL\d{3}|nogil(\.[a-z]+)?)\.[A-Za-z0-9_]+$", RegexOptions.CultureInvariant);

    public static TheoryData<string> OptionKeys
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var key in FindOptionKeys())
            {
                data.Add(key);
            }

            return data;
        }
    }

    [Fact]
    public void AnalyzersReadAtLeastTheKnownOptions()
    {
        // Guards the scan itself: if it stops finding keys, the checks below would pass vacuously.
        var keys = FindOptionKeys();
        Assert.Contains("NOGIL202.excluded_methods", keys);
        Assert.Contains("NOGIL303.allow_float_reassociation", keys);
    }

    [Theory]
    [MemberData(nameof(OptionKeys))]
    public void KeyIsSnakeCaseAndPrefixedWithAShippedRuleOrNogil(string key)
    {
        // A cross-rule option may sit in a group of its own: nogil.profile.hot_threshold.
        Assert.Matches(@"^(NOGIL\d{3}|nogil(\.[a-z]+)?)\.[a-z][a-z0-9]*(_[a-z0-9]+)*$", key);
        var prefix = key.Substring(0, key.IndexOf('.', StringComparison.Ordinal));
        Assert.True(prefix == "nogil" || RuleCatalog.Descriptors.Any(d => d.Id == prefix), $"{key}: no shipped rule {prefix}");
    }

    [Theory]
    [MemberData(nameof(OptionKeys))]
    public void KeyIsDocumentedOnItsRulePage(string key)
    {
        var prefix = key.Substring(0, key.IndexOf('.', StringComparison.Ordinal));
        var page = prefix == "nogil" ? "docs/configuration.md" : $"docs/rules/{prefix}.md";
        var text = File.ReadAllText(RepositoryFiles.GetPath(page)).Replace("\r\n", "\n");
        if (prefix != "nogil")
        {
            var start = text.IndexOf("\n## Options\n", StringComparison.Ordinal);
            Assert.True(start >= 0, $"{page} has no Options section");
            var end = text.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
            text = end < 0 ? text.Substring(start) : text.Substring(start, end - start);
        }

        Assert.Contains($"`{key}`", text, StringComparison.Ordinal);
        Assert.Contains($"`{key}`", File.ReadAllText(RepositoryFiles.GetPath("docs/configuration.md")), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(OptionKeys))]
    public void KeyIsSetInARuleTest(string key)
    {
        // The rule tests, and the tests of profile-guided mode, whose options every kernel, lock and blocking rule reads.
        var setInATest = RepositoryFiles.GetTestSourceFiles().Concat(RepositoryFiles.GetTestSourceFiles("Profile"))
            .Select(File.ReadAllText)
            .Any(source => Regex.IsMatch(source, $@"^\s*{Regex.Escape(key)}\s*=", RegexOptions.Multiline | RegexOptions.IgnoreCase));
        Assert.True(setInATest, $"no rule test sets {key} in an .editorconfig");
    }

    /// <summary>Every <see cref="IRuleOption"/> declared as a static field anywhere in the analyzer assembly.</summary>
    private static string[] FindOptionKeys()
        => typeof(IRuleOption).Assembly.GetTypes()
            .SelectMany(type => type.GetFields(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            .Where(field => typeof(IRuleOption).IsAssignableFrom(field.FieldType))
            .Select(field => ((IRuleOption)field.GetValue(null)!).Key)
            .Distinct(StringComparer.Ordinal)
            .OrderBy(key => key, StringComparer.Ordinal)
            .ToArray();
}
