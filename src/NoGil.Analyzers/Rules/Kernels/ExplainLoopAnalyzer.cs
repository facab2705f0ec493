using NoGil.Analyzers.Analysis.Kernels;

namespace NoGil.Analyzers.Rules.Kernels;

/// <summary>
/// NOGIL300 (off by default): for a loop with enough work to run on several cores (<see cref="Analysis.Loops.LoopCost.IsWorthParallelizing"/>,
/// NOGIL301's test) that none of NOGIL301–NOGIL303 reports, the reason NOGIL301 decided — a stable code from
/// <see cref="RejectionReason"/> — and the operation at fault as the additional location. It reads the decisions the
/// kernel rules make (<see cref="ParallelLoop.Decide"/>, the vector rules' matches) on the shared loop model; it analyses
/// nothing of its own.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ExplainLoopAnalyzer() : KernelLoopAnalyzer(Descriptors.ExplainLoop)
{
    protected override bool IsApplicable(KnownTypes types) => types.Parallel is not null;

    protected override void AnalyzeLoop(OperationAnalysisContext context, ILoopOperation loop, KnownTypes types, PurityCache purity)
    {
        // Off unless the project or the file turned it on: no work at all then.
        if (!RuleState.IsEnabled(Descriptors.ExplainLoop, loop.Syntax.SyntaxTree, context.Compilation.Options, context.CancellationToken))
        {
            return;
        }

        var allowFloatReassociation = ParallelizeLoopAnalyzer.AllowFloatReassociation.Get(context.Options, loop.Syntax.SyntaxTree);
        if (ParallelLoop.Decide(loop, types, purity, allowFloatReassociation, context.CancellationToken, out var rejection) is not null
            || rejection is null
            || HeaderLocation(loop.Syntax) is not { } location
            || VectorizeLoopAnalyzer.Match(loop, types, purity, context.Options, context.CancellationToken) is not null
            || VectorizeReductionAnalyzer.Match(loop, types, purity, context.Options, context.CancellationToken) is not null)
        {
            return;
        }

        var others = rejection.Others.IsEmpty ? null : string.Join(",", rejection.Others.Select(r => r.Code));
        context.ReportDiagnostic(Diagnostic.Create(
            Descriptors.ExplainLoop,
            location,
            rejection.Operation == loop ? null : new[] { rejection.Operation.Syntax.GetLocation() },
            DiagnosticProperties.Create(fix: null, (DiagnosticProperties.ReasonKey, rejection.Reason.Code), (DiagnosticProperties.OtherReasonsKey, others)),
            rejection.Reason.Code,
            rejection.Message,
            others is null ? string.Empty : " (also: " + others.Replace(",", ", ") + ")"));
    }
}
