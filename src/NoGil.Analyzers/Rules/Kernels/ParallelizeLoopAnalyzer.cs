using NoGil.Analyzers.Analysis.Kernels;
using NoGil.Analyzers.Analysis.Loops;

namespace NoGil.Analyzers.Rules.Kernels;

/// <summary>NOGIL301: a loop whose iterations are proven independent, and heavy enough to pay for running them on several cores.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ParallelizeLoopAnalyzer() : KernelLoopAnalyzer(Descriptors.ParallelizeLoop)
{
    /// <summary>.editorconfig: false to report no loop whose parallel fix changes the order of floating-point additions.</summary>
    public static readonly RuleOption<bool> AllowFloatReassociation = RuleOption.Boolean("NOGIL301.allow_float_reassociation", defaultValue: true);

    protected override bool IsApplicable(KnownTypes types) => types.Parallel is not null;

    protected override void AnalyzeLoop(OperationAnalysisContext context, ILoopOperation loop, KnownTypes types, PurityCache purity)
    {
        var allowFloatReassociation = AllowFloatReassociation.Get(context.Options, loop.Syntax.SyntaxTree);
        if (ParallelLoop.TryMatch(loop, types, purity, allowFloatReassociation, context.CancellationToken) is not { } parallel
            || HeaderLocation(loop.Syntax) is not { } location)
        {
            return;
        }

        // The fixer matches the loop again with the same option value, so that it finds the same parallel loop.
        TargetFrameworkFixes.Report(context.ReportDiagnostic, context.Options, 
            Descriptors.ParallelizeLoop,
            location,
            DiagnosticProperties.Create(parallel.Fix, (DiagnosticProperties.AllowFloatReassociationKey, allowFloatReassociation ? "true" : "false")),
            (parallel.Reduction is { } reduction ? " apart from the " + Describe(reduction.Operator) + " into '" + reduction.Variable.Name + "'"
                : parallel.Model.Reductions.Length > 1 ? " apart from the reductions into " + string.Join(", ", parallel.Model.Reductions.Select(r => "'" + r.Variable.Name + "'"))
                : string.Empty) + Distinct(parallel),
            How(parallel),
            Note(parallel));
    }

    private static string How(ParallelLoop parallel)
        => parallel.Model.Shape == LoopShape.ForEachArray && parallel.Form == ParallelLoopForm.PerIndex ? "Parallel.ForEach"
            : parallel.Form == ParallelLoopForm.PerIndex ? "Parallel.For"
            : "Parallel.ForEach over index ranges";

    private static string Note(ParallelLoop parallel)
    {
        if (!parallel.CanFix)
        {
            return " (not fixed automatically: " + parallel.NoFixReason + ")";
        }

        var guard = parallel.AliasChecks.IsEmpty ? string.Empty : "; the fix checks this first and keeps the original loop for the case where they are the same";
        if (parallel.Reassociates && parallel.Reduction is { } reduction)
        {
            var operation = reduction.Operator == ReductionOperator.Multiply ? "multiplications" : "additions";
            return "; each worker keeps a partial result, so the order of " + operation + " into '" + reduction.Variable.Name
                + "' changes and the floating-point result may differ in the last bits" + guard;
        }

        return guard;
    }

    /// <summary>" as long as 'c' is not the same array as 'a' or 'b'" for a loop versioned on <see cref="ParallelLoop.AliasChecks"/>; else empty.</summary>
    private static string Distinct(ParallelLoop parallel)
    {
        if (parallel.AliasChecks.IsEmpty)
        {
            return string.Empty;
        }

        var clauses = parallel.AliasChecks
            .GroupBy(c => c.Written, SymbolEqualityComparer.Default)
            .Select(g => "'" + g.Key!.Name + "' is not the same array as " + string.Join(" or ", g.Select(c => "'" + c.Other.Name + "'")));
        return " as long as " + string.Join(" and ", clauses);
    }

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
