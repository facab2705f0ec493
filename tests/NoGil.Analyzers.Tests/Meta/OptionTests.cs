using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using NoGil.Analyzers.Tests.Infrastructure;
using Xunit;

namespace NoGil.Analyzers.Tests.Meta;

/// <summary>
/// Every .editorconfig option an analyzer reads is a documented, tested key. Keys are found in the analyzers'
/// source: any string literal shaped like an option key (<c>NOGILxxx.name</c> or <c>nogil.name</c>).
/// </summary>
public sealed class OptionTests
{
    private static readonly Regex KeyShape = new(@"^(NOGIL\d{3}|nogil)\.[A-Za-z0-9_]+$", RegexOptions.CultureInvariant);

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
        Assert.Contains("NOGIL202.excluded_methods", FindOptionKeys());
    }

    [Theory]
    [MemberData(nameof(OptionKeys))]
    public void KeyIsSnakeCaseAndPrefixedWithAShippedRuleOrNogil(string key)
    {
        Assert.Matches(@"^(NOGIL\d{3}|nogil)\.[a-z][a-z0-9]*(_[a-z0-9]+)*$", key);
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
        var setInATest = RepositoryFiles.GetTestSourceFiles()
            .Select(File.ReadAllText)
            .Any(source => Regex.IsMatch(source, $@"^\s*{Regex.Escape(key)}\s*=", RegexOptions.Multiline | RegexOptions.IgnoreCase));
        Assert.True(setInATest, $"no rule test sets {key} in an .editorconfig");
    }

    private static string[] FindOptionKeys()
        => Directory.EnumerateFiles(RepositoryFiles.GetPath("src/NoGil.Analyzers"), "*.cs", SearchOption.AllDirectories)
            .Where(path => !path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                           && !path.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(path => CSharpSyntaxTree.ParseText(File.ReadAllText(path)).GetRoot().DescendantTokens())
            .Where(token => token.IsKind(SyntaxKind.StringLiteralToken) && KeyShape.IsMatch(token.ValueText))
            .Select(token => token.ValueText)
            .Distinct(StringComparer.Ordinal)
            .OrderBy(key => key, StringComparer.Ordinal)
            .ToArray();
}
