using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace NoGil.Analyzers.Tests.Infrastructure;

/// <summary>A C# source written as a raw string literal in one of this project's test files.</summary>
/// <param name="FilePath">The test file, relative to the repository root, with '/' separators.</param>
/// <param name="Line">The 1-based line of the literal's opening quotes.</param>
/// <param name="Text">The literal's value with the test markup removed.</param>
public sealed record TestSource(string FilePath, int Line, string Text)
{
    public override string ToString() => $"{FilePath}({Line})";
}

/// <summary>
/// Files of the repository this test assembly was built from, found at run time, for meta-tests that check
/// the repository itself (docs, release tracking) or reuse the rule tests' sources as a corpus.
/// </summary>
public static class RepositoryFiles
{
    public const string SolutionFileName = "Analyzers.sln";

    private static readonly Lazy<string> Root = new(() => FindRepositoryRoot(AppContext.BaseDirectory));

    // {|#0:  {|NOGIL201:  |}  [|  |]  — the markup of Microsoft.CodeAnalysis.Testing.
    private static readonly Regex Markup = new(@"\{\|[^:{}|\s]*:|\|\}|\[\||\|\]", RegexOptions.CultureInvariant);

    /// <summary>The directory holding <c>Analyzers.sln</c>.</summary>
    public static string RepositoryRoot => Root.Value;

    /// <summary>The directory of this test project's sources.</summary>
    public static string TestProjectDirectory => Path.Combine(RepositoryRoot, "tests", "NoGil.Analyzers.Tests");

    /// <summary>Walks up from <paramref name="startDirectory"/> to the first directory holding <c>Analyzers.sln</c>.</summary>
    public static string FindRepositoryRoot(string startDirectory)
    {
        for (var directory = new DirectoryInfo(startDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, SolutionFileName)))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No {SolutionFileName} found in '{startDirectory}' or any directory above it.");
    }

    /// <summary>The path of a repository file from its '/'-separated path relative to the root.</summary>
    public static string GetPath(string relativePath)
        => Path.Combine(RepositoryRoot, relativePath.Replace('/', Path.DirectorySeparatorChar));

    /// <summary>The <c>.cs</c> files under a folder of this test project (by default the rule tests), in a stable order.</summary>
    public static IReadOnlyList<string> GetTestSourceFiles(string folder = "Rules")
    {
        var directory = Path.Combine(TestProjectDirectory, folder);
        if (!Directory.Exists(directory))
        {
            return Array.Empty<string>();
        }

        return Directory.EnumerateFiles(directory, "*.cs", SearchOption.AllDirectories)
            .Where(path => !IsBuildOutput(path))
            .OrderBy(path => path, StringComparer.Ordinal)
            .ToArray();
    }

    /// <summary>Every raw string literal (<c>"""…"""</c>) of the rule tests, markup removed.</summary>
    public static IReadOnlyList<TestSource> GetRuleTestSources()
        => GetTestSourceFiles().SelectMany(ExtractTestSources).ToArray();

    /// <summary>
    /// The raw string literals of one C# file, markup removed. The file is parsed, so indentation and
    /// quote counts follow the language rules; interpolated raw strings are skipped.
    /// </summary>
    public static IReadOnlyList<TestSource> ExtractTestSources(string path)
    {
        var tree = CSharpSyntaxTree.ParseText(File.ReadAllText(path), path: path);
        var relativePath = Path.GetRelativePath(RepositoryRoot, path).Replace(Path.DirectorySeparatorChar, '/');
        return tree.GetRoot()
            .DescendantTokens()
            .Where(token => token.IsKind(SyntaxKind.MultiLineRawStringLiteralToken) || token.IsKind(SyntaxKind.SingleLineRawStringLiteralToken))
            .Select(token => new TestSource(
                relativePath,
                token.GetLocation().GetLineSpan().StartLinePosition.Line + 1,
                StripMarkup(token.ValueText)))
            .ToArray();
    }

    /// <summary>Removes <c>[|</c>, <c>|]</c>, <c>{|#0:</c>, <c>{|ID:</c> and <c>|}</c>.</summary>
    public static string StripMarkup(string source) => Markup.Replace(source, string.Empty);

    private static bool IsBuildOutput(string path)
    {
        var separator = Path.DirectorySeparatorChar;
        return path.Contains($"{separator}bin{separator}", StringComparison.Ordinal)
            || path.Contains($"{separator}obj{separator}", StringComparison.Ordinal);
    }
}
