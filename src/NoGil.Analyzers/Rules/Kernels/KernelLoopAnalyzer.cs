using Microsoft.CodeAnalysis.Text;

namespace NoGil.Analyzers.Rules.Kernels;

/// <summary>Base of the kernel rules (NOGIL301–NOGIL303): each looks at every loop, with the compilation's purity cache, and reports at its header.</summary>
public abstract class KernelLoopAnalyzer(DiagnosticDescriptor descriptor) : NoGilAnalyzer(descriptor)
{
    /// <summary>The kernel rules report at the header of the loop they were given (<see cref="HeaderLocation"/>).</summary>
    protected sealed override bool ReportsOnlyWhereItAnalyzes => true;

    protected sealed override void OnCompilationStart(CompilationStartAnalysisContext context, KnownTypes types)
    {
        var purity = PurityCache.For(context.Compilation);
        context.RegisterOperationAction(c => AnalyzeLoop(c, (ILoopOperation)c.Operation, types, purity), OperationKind.Loop);
    }

    /// <summary>Reports what the rule finds in <paramref name="loop"/>.</summary>
    protected abstract void AnalyzeLoop(OperationAnalysisContext context, ILoopOperation loop, KnownTypes types, PurityCache purity);

    /// <summary>The loop's header, <c>for (…)</c> or <c>foreach (…)</c> without the body; null for other loops.</summary>
    protected static Location? HeaderLocation(SyntaxNode loop)
        => loop switch
        {
            ForStatementSyntax f => Location.Create(f.SyntaxTree, TextSpan.FromBounds(f.ForKeyword.SpanStart, f.CloseParenToken.Span.End)),
            CommonForEachStatementSyntax f => Location.Create(f.SyntaxTree, TextSpan.FromBounds(f.ForEachKeyword.SpanStart, f.CloseParenToken.Span.End)),
            _ => null,
        };
}
