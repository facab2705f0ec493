using NoGil.Analyzers.Analysis.Kernels;
using NoGil.Analyzers.Analysis.Loops;

namespace NoGil.Analyzers.Rules.Kernels;

/// <summary>NOGIL301: a loop whose iterations are proven independent, and heavy enough to pay for running them on several cores.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ParallelizeLoopAnalyzer() : KernelLoopAnalyzer(Descriptors.ParallelizeLoop)
{
    /// <summary>
    /// .editorconfig, kept for compatibility: <c>false</c> reports no loop whose parallel fix changes the order of
    /// floating-point additions (<c>nogil.float_reassociation = never</c>); read only when that switch is not set.
    /// </summary>
    public static readonly RuleOption<bool> AllowFloatReassociation = RuleOption.Boolean("NOGIL301.allow_float_reassociation", defaultValue: true);

    protected override bool IsApplicable(KnownTypes types) => types.Parallel is not null;

    protected override void AnalyzeLoop(OperationAnalysisContext context, ILoopOperation loop, KnownTypes types, PurityCache purity)
    {
        var policy = FloatReassociation.Get(context.Options, loop.Syntax.SyntaxTree, AllowFloatReassociation);
        var allowFloatReassociation = policy != FloatReassociationPolicy.Never;
        if (ParallelLoop.TryMatch(loop, types, purity, allowFloatReassociation, context.CancellationToken) is not { } parallel
            || HeaderLocation(loop.Syntax) is not { } location)
        {
            return;
        }

        // The fixer matches the loop again with the same option value, so that it finds the same parallel loop.
        context.ReportDiagnostic(Diagnostic.Create(
            Descriptors.ParallelizeLoop,
            location,
            DiagnosticProperties.Create(
                parallel.Fix,
                (DiagnosticProperties.AllowFloatReassociationKey, allowFloatReassociation ? "true" : "false"),
                FloatReassociation.InteractiveOnly(Reassociated(parallel).Any(), policy)),
            parallel.Reduction is { } reduction ? " apart from the " + Describe(reduction.Operator) + " into '" + reduction.Variable.Name + "'"
                : parallel.Model.Reductions.Length > 1 ? " apart from the reductions into " + string.Join(", ", parallel.Model.Reductions.Select(r => "'" + r.Variable.Name + "'"))
                : string.Empty,
            How(parallel),
            Note(parallel)));
    }

    private static string How(ParallelLoop parallel)
        => parallel.Model.Shape == LoopShape.ForEachArray && parallel.Form == ParallelLoopForm.PerIndex ? "Parallel.ForEach"
            : parallel.Form == ParallelLoopForm.PerIndex ? "Parallel.For"
            : "Parallel.ForEach over index ranges";

    /// <summary>
    /// The notes after the advice: why no fix is offered, and — fixed or not — that per-worker partial results change
    /// the order of floating-point additions or multiplications, so rounding may differ.
    /// </summary>
    internal static string Note(ParallelLoop parallel)
    {
        var note = parallel.CanFix ? string.Empty : " (not fixed automatically: " + parallel.NoFixReason + ")";
        var groups = Reassociated(parallel)
            .GroupBy(r => r.Operator == ReductionOperator.Multiply ? "multiplications" : "additions")
            .Select(g => g.Key + " into " + And(g.Select(r => "'" + r.Variable.Name + "'").ToList()))
            .ToList();
        if (groups.Count > 0)
        {
            note += "; each worker keeps a partial result, so the order of floating-point " + And(groups) + " changes and rounding may differ";
        }

        return note;
    }

    private static string And(IReadOnlyList<string> items)
        => items.Count == 1 ? items[0] : string.Join(", ", items.Take(items.Count - 1)) + " and " + items[items.Count - 1];

    /// <summary>The reductions whose per-worker merge reassociates floating-point additions or multiplications.</summary>
    private static IEnumerable<LoopReduction> Reassociated(ParallelLoop parallel)
        => parallel.Model.Reductions.Where(r => r.IsFloatingPoint && r.Operator is ReductionOperator.Add or ReductionOperator.Multiply);

    private static string Describe(ReductionOperator kind)
        => kind switch
        {
            ReductionOperator.Add => "sum",
            ReductionOperator.Multiply => "product",
            ReductionOperator.MathMin or ReductionOperator.CompareMin => "minimum",
            ReductionOperator.MathMax or ReductionOperator.CompareMax => "maximum",
            ReductionOperator.And => "bitwise AND",
            ReductionOperator.Or => "bitwise OR",
            _ => "exclusive OR",
        };
}
