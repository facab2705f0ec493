namespace NoGil.CodeFixes.Rules.Kernels;

/// <summary>What the kernel fixers (NOGIL301–NOGIL303) share: the loop a diagnostic is about, its model, the document's line ending.</summary>
internal static class KernelFixes
{
    /// <summary>Marks a statement that keeps the original code's text: the formatter is not run over it.</summary>
    public static readonly SyntaxAnnotation KeepText = new("NoGil.KeepText");

    /// <summary>The <c>for</c> or <c>foreach</c> loop whose header the diagnostic marks, with its operation; null when the code no longer has it.</summary>
    public static (StatementSyntax Syntax, ILoopOperation Operation)? LoopAt(FixRequest request)
    {
        var start = request.Diagnostic.Location.SourceSpan.Start;
        var syntax = request.Node.AncestorsAndSelf().OfType<StatementSyntax>()
            .FirstOrDefault(s => s is ForStatementSyntax or ForEachStatementSyntax && s.SpanStart == start);
        return syntax is not null && request.Model.GetOperation(syntax, request.CancellationToken) is ILoopOperation loop ? (syntax, loop) : null;
    }

    /// <summary>The loop dependence model of <paramref name="loop"/>: the analysis the analyzer ran.</summary>
    public static LoopModel? Model(FixRequest request, ILoopOperation loop)
        => LoopDependence.Analyze(loop, request.Types, PurityCache.For(request.Model.Compilation), request.CancellationToken);

    /// <summary>The line ending the document uses: its first one, or <c>\n</c> when it has none.</summary>
    public static string EndOfLine(SyntaxNode root)
        => root.DescendantTrivia().FirstOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia)).ToString() is { Length: > 0 } endOfLine ? endOfLine : "\n";

    /// <summary>
    /// The indentation of <paramref name="statement"/>'s line (the whitespace before its first token) and one level of
    /// indentation as the file writes it (from the statement's first nested statement, else four spaces).
    /// </summary>
    public static (string Indent, string Unit) Indentation(StatementSyntax statement)
    {
        var indent = LineIndentation(statement.GetFirstToken());
        var nested = statement.DescendantNodes().OfType<StatementSyntax>()
            .FirstOrDefault(s => s is not BlockSyntax && LineIndentation(s.GetFirstToken()) is { } inner && inner.Length > indent.Length && inner.StartsWith(indent, StringComparison.Ordinal));
        var unit = nested is null ? "    " : LineIndentation(nested.GetFirstToken()).Substring(indent.Length);
        return (indent, unit);
    }

    /// <summary>The whitespace that starts the line of <paramref name="token"/> when the token is the first on its line; else empty.</summary>
    private static string LineIndentation(SyntaxToken token)
    {
        var leading = token.LeadingTrivia;
        if (leading.Count > 0 && leading[leading.Count - 1].IsKind(SyntaxKind.WhitespaceTrivia)
            && (leading.Count == 1 ? token.GetPreviousToken().TrailingTrivia.Any(t => t.IsKind(SyntaxKind.EndOfLineTrivia)) || token.GetPreviousToken().IsKind(SyntaxKind.None) : leading[leading.Count - 2].IsKind(SyntaxKind.EndOfLineTrivia)))
        {
            return leading[leading.Count - 1].ToString();
        }

        return string.Empty;
    }
}
