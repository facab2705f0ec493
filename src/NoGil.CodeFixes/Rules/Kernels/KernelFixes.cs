namespace NoGil.CodeFixes.Rules.Kernels;

/// <summary>What the kernel fixers (NOGIL301–NOGIL303) share: the loop a diagnostic is about, its model, the document's line ending.</summary>
internal static class KernelFixes
{
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
}
