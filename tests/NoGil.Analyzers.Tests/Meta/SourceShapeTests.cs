using System;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using NoGil.Analyzers.Tests.Infrastructure;
using Xunit;

namespace NoGil.Analyzers.Tests.Meta;

/// <summary>
/// Size limits of the shipped code (docs/architecture.md): a file of <c>src/</c> has at most 700 lines, a method,
/// constructor, accessor or local function at most 120. Large models are split by concern, long methods into steps.
/// </summary>
public sealed class SourceShapeTests
{
    public const int MaxFileLines = 700;
    public const int MaxMemberLines = 120;

    [Fact]
    public void NoSourceFileIsLongerThanTheLimit()
    {
        var files = SourceFiles();
        Assert.True(files.Length > 40, $"only {files.Length} source files found under src/");
        var tooLong = files
            .Select(path => (Path: Relative(path), Lines: File.ReadAllLines(path).Length))
            .Where(file => file.Lines > MaxFileLines)
            .Select(file => $"{file.Path}: {file.Lines} lines")
            .ToArray();
        Assert.True(tooLong.Length == 0, $"files over {MaxFileLines} lines:{Environment.NewLine}{string.Join(Environment.NewLine, tooLong)}");
    }

    [Fact]
    public void NoMemberIsLongerThanTheLimit()
    {
        var members = SourceFiles()
            .SelectMany(path => CSharpSyntaxTree.ParseText(File.ReadAllText(path), path: Relative(path)).GetRoot().DescendantNodes())
            .Where(node => node is BaseMethodDeclarationSyntax or AccessorDeclarationSyntax or LocalFunctionStatementSyntax)
            .ToArray();
        Assert.True(members.Length > 500, $"only {members.Length} members found under src/");
        var tooLong = members
            .Select(node => (Node: node, Span: node.GetLocation().GetLineSpan()))
            .Select(member => (member.Node, member.Span, Lines: member.Span.EndLinePosition.Line - member.Span.StartLinePosition.Line + 1))
            .Where(member => member.Lines > MaxMemberLines)
            .Select(member => $"{member.Span.Path}:{member.Span.StartLinePosition.Line + 1} {Name(member.Node)}: {member.Lines} lines")
            .ToArray();
        Assert.True(tooLong.Length == 0, $"members over {MaxMemberLines} lines:{Environment.NewLine}{string.Join(Environment.NewLine, tooLong)}");
    }

    private static string Name(SyntaxNode node) => node switch
    {
        MethodDeclarationSyntax method => method.Identifier.ValueText,
        ConstructorDeclarationSyntax constructor => constructor.Identifier.ValueText + " (constructor)",
        LocalFunctionStatementSyntax local => local.Identifier.ValueText + " (local function)",
        AccessorDeclarationSyntax accessor => accessor.Keyword.ValueText + " accessor",
        _ => node.Kind().ToString(),
    };

    private static string[] SourceFiles()
        => Directory.EnumerateFiles(RepositoryFiles.GetPath("src"), "*.cs", SearchOption.AllDirectories)
            .Where(path => !path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                           && !path.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .OrderBy(path => path, StringComparer.Ordinal)
            .ToArray();

    private static string Relative(string path) => Path.GetRelativePath(RepositoryFiles.RepositoryRoot, path).Replace(Path.DirectorySeparatorChar, '/');
}
