using NoGil.Analyzers.Analysis.Kernels;
using NoGil.Analyzers.Analysis.Loops;
using NoGil.Analyzers.Analysis.Profile;

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

    /// <summary>
    /// .editorconfig: more methods whose delegate arguments already run concurrently (the project's own parallel helpers,
    /// beyond those found by following the delegate into source code), as <c>Namespace.Type.Method</c>,
    /// <c>Namespace.Type</c> or documentation IDs (<c>M:Namespace.Type.Method(System.Int32,…)</c>), comma-separated.
    /// </summary>
    public static readonly RuleOption<MethodExclusionList> ParallelHelpers = RuleOption.MethodList("NOGIL301.parallel_helpers");

    /// <summary>
    /// .editorconfig: <c>Namespace.Type.Method</c> of a static <c>Method(int fromInclusive, int toExclusive, Action&lt;int&gt; body)</c>
    /// that the per-index fix calls instead of <c>Parallel.For</c> (<see cref="ParallelForHelper"/>); also a parallel helper.
    /// </summary>
    public static readonly RuleOption<string> ParallelForMethod = RuleOption.Text("NOGIL301.parallel_for_method");

    protected override bool IsApplicable(KnownTypes types) => types.Parallel is not null;

    protected override void AnalyzeLoop(OperationAnalysisContext context, ILoopOperation loop, KnownTypes types, PurityCache purity)
    {
        if (LoopDependence.CannotBeParallelLoop(loop, types, purity, context.CancellationToken))
        {
            return; // before the options are read: most loops end here
        }

        var tree = loop.Syntax.SyntaxTree;
        var policy = FloatReassociation.Get(context.Options, tree, AllowFloatReassociation);
        var allowFloatReassociation = policy != FloatReassociationPolicy.Never;
        if (ParallelLoop.TryMatch(loop, types, purity, allowFloatReassociation, context.CancellationToken) is not { } parallel
            || HeaderLocation(loop.Syntax) is not { } location)
        {
            return;
        }

        var compilation = context.Compilation;
        var helper = ParallelForHelper.Resolve(compilation, ParallelForMethod.Get(context.Options, tree));
        if (helper is not null && !ParallelForHelper.IsUsableFrom(helper, context.ContainingSymbol, compilation))
        {
            helper = null;
        }

        if (InsideNamedHelper(loop, types, purity, ParallelHelpers.Get(context.Options, tree), helper, context.CancellationToken))
        {
            return; // already parallel, through a helper the options name
        }

        // The helper replaces Parallel.For only where the fix writes one delegate call per index of an int 'for' loop.
        var useHelper = helper is not null && parallel.Fix == FixKind.ParallelFor && parallel.Form == ParallelLoopForm.PerIndex
                        && parallel.Reduction is null && parallel.Model is { Shape: LoopShape.For, Induction.Type.SpecialType: SpecialType.System_Int32 };

        // The fixer matches the loop again with the same option value, so that it finds the same parallel loop.
        TargetFrameworkFixes.Report(context.ReportDiagnostic, context.Options, ProfileSite.Of(context), 
            Descriptors.ParallelizeLoop,
            location,
            DiagnosticProperties.Create(
                parallel.Fix,
                (DiagnosticProperties.AllowFloatReassociationKey, allowFloatReassociation ? "true" : "false"),
                (DiagnosticProperties.ParallelForMethodKey, useHelper ? helper!.GetDocumentationCommentId() : null),
                FloatReassociation.InteractiveOnly(Reassociated(parallel).Any(), policy)),
            (parallel.Reduction is { } reduction ? " apart from the " + Describe(reduction.Operator) + " into '" + reduction.Variable.Name + "'"
                : parallel.Model.Reductions.Length > 1 ? " apart from the reductions into " + string.Join(", ", parallel.Model.Reductions.Select(r => "'" + r.Variable.Name + "'"))
                : string.Empty) + Distinct(parallel),
            useHelper ? helper!.ContainingType.Name + "." + helper.Name : How(parallel),
            Note(parallel));
    }

    /// <summary>
    /// Does the loop run inside a lambda handed to a method the options name as a parallel helper
    /// (<c>NOGIL301.parallel_helpers</c>, or the <c>NOGIL301.parallel_for_method</c>)?
    /// </summary>
    private static bool InsideNamedHelper(ILoopOperation loop, KnownTypes types, PurityCache purity, MethodExclusionList helpers, IMethodSymbol? parallelFor, CancellationToken cancellationToken)
    {
        var named = parallelFor?.GetDocumentationCommentId() is { } id ? helpers.With(id) : helpers;
        return !named.IsEmpty && ConcurrentBody.EnclosingStarter(loop, types, purity, named, cancellationToken) is not null;
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

        if (parallel.CanFix && !parallel.AliasChecks.IsEmpty)
        {
            note += "; the fix checks this first and keeps the original loop for the case where they are the same";
        }

        return note;
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
            .Select(g => "'" + g.Key!.Name + "' is " + string.Join(" and ", Clauses(g.ToList())));
        return " as long as " + string.Join(" and ", clauses);

        static IEnumerable<string> Clauses(List<AliasCheck> checks)
        {
            var same = checks.Where(c => !c.IsRowOf).Select(c => "'" + c.Other.Name + "'").ToList();
            var rows = checks.Where(c => c.IsRowOf).Select(c => "'" + c.Other.Name + "'").ToList();
            if (same.Count > 0)
            {
                yield return "not the same array as " + string.Join(" or ", same);
            }

            if (rows.Count > 0)
            {
                yield return "not a row of " + string.Join(" or ", rows);
            }
        }
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
