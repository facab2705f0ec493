using NoGil.Analyzers.Analysis.Locks;
using NoGil.Analyzers.Analysis.Profile;

namespace NoGil.Analyzers.Rules.Locks;

/// <summary>NOGIL103: a parallel loop folds every iteration's value into one shared accumulator under a lock or Interlocked.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class UseThreadLocalAggregationAnalyzer() : NoGilAnalyzer(Descriptors.UseThreadLocalAggregation)
{
    protected override bool IsApplicable(KnownTypes types) => types.Parallel is not null;

    protected override void OnCompilationStart(CompilationStartAnalysisContext context, KnownTypes types)
    {
        var purity = PurityCache.For(context.Compilation);
        context.RegisterOperationAction(
            c =>
            {
                var loop = (IInvocationOperation)c.Operation;
                if (loop.TargetMethod.Name is not ("For" or "ForEach")
                    || ParallelReduction.For(loop, types, purity, c.CancellationToken) is not { } reduction
                    || !reduction.SynchronizationDominates(purity, c.CancellationToken))
                {
                    return;
                }

                var note = !reduction.IsExact ? " (not fixed automatically: per-worker partial sums would change the order of the floating-point additions, so rounding may differ)"
                    : reduction.IsChecked ? " (not fixed automatically: in checked arithmetic a per-worker partial sum can overflow where the shared one does not)"
                    : string.Empty;
                TargetFrameworkFixes.Report(c.ReportDiagnostic, c.Options, ProfileSite.Of(c), 
                    Descriptors.UseThreadLocalAggregation,
                    reduction.Location,
                    DiagnosticProperties.Create(reduction.CanFix ? FixKind.ThreadLocalAggregation : null),
                    "Parallel." + loop.TargetMethod.Name,
                    reduction.SynchronizationDisplay,
                    reduction.AccumulatorReference.Syntax.ToString(),
                    note);
            },
            OperationKind.Invocation);
    }
}
