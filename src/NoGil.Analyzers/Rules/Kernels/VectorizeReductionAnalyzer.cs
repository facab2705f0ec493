using NoGil.Analyzers.Analysis.Kernels;
using NoGil.Analyzers.Analysis.Loops;
using NoGil.Analyzers.Analysis.Profile;

namespace NoGil.Analyzers.Rules.Kernels;

/// <summary>
/// NOGIL303: a loop folds the elements of an array or span into one accumulator — sum, dot product, sum of squares,
/// sum of magnitudes, min/max, conditional count — one element at a time, where SIMD would process a vector of them.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class VectorizeReductionAnalyzer() : KernelLoopAnalyzer(Descriptors.VectorizeReduction)
{
    /// <summary>
    /// .editorconfig, kept for compatibility: <c>false</c> turns off the reports (and fixes) that reorder floating-point
    /// additions (<c>nogil.float_reassociation = never</c>); read only when that switch is not set.
    /// </summary>
    public static readonly RuleOption<bool> AllowFloatReassociation = RuleOption.Boolean("NOGIL303.allow_float_reassociation", defaultValue: true);

    protected override bool IsApplicable(KnownTypes types) => types.VectorOfT is not null;

    /// <summary>The reduction kernel of <paramref name="loop"/> when NOGIL303 reports it (also asked by NOGIL300), else null.</summary>
    internal static ReductionKernel? Match(ILoopOperation loop, KnownTypes types, PurityCache purity, AnalyzerOptions options, CancellationToken cancellationToken)
        => types.VectorOfT is not null
           && !ParallelLoop.IsInConstructor(loop) // state built once per object or type, as NOGIL301
           && !LoopDependence.CannotBeReductionKernel(loop, types, purity, cancellationToken) // no model, an obstacle, several statements or not an assignment
           && LoopDependence.Analyze(loop, types, purity, cancellationToken) is { IsTriviallySmall: false } model
           && ReductionKernel.TryMatch(model) is { } kernel
           && (!kernel.ReordersAdditions || FloatReassociation.Get(options, loop.Syntax.SyntaxTree, AllowFloatReassociation) != FloatReassociationPolicy.Never)
           && LoopNest.FindSideNest(loop, model.ConcurrentStarter, purity, cancellationToken) is null // not a side loop beside the method's (or its callers') real work
            ? kernel
            : null;

    protected override void AnalyzeLoop(OperationAnalysisContext context, ILoopOperation loop, KnownTypes types, PurityCache purity)
    {
        if (Match(loop, types, purity, context.Options, context.CancellationToken) is not { } kernel)
        {
            return;
        }

        var policy = kernel.ReordersAdditions ? FloatReassociation.Get(context.Options, loop.Syntax.SyntaxTree, AllowFloatReassociation) : FloatReassociationPolicy.Bulk;
        if (policy == FloatReassociationPolicy.Never)
        {
            return;
        }

        var plan = kernel.PlanFix(types.HasGenericTensorPrimitives, loop.SemanticModel!);
        TargetFrameworkFixes.Report(context.ReportDiagnostic, context.Options, ProfileSite.Of(context), 
            Descriptors.VectorizeReduction,
            HeaderLocation(loop.Syntax) ?? loop.Syntax.GetLocation(),
            DiagnosticProperties.Create(
                plan.Fix,
                (DiagnosticProperties.TensorPrimitivesMethodKey, plan.Fix == FixKind.TensorPrimitives ? kernel.TensorPrimitivesMethod : null),
                FloatReassociation.InteractiveOnly(kernel.ReordersAdditions, policy)),
            Describe(kernel),
            plan.Blocker is { } blocker ? "vectorize it (no automatic fix: " + blocker + ")" : Advice(kernel, plan.Chosen),
            ReassociationNote(kernel));
    }

    /// <summary>For a floating-point sum, dot product, sum of squares or magnitudes, fixed or not: the vector order of additions rounds differently.</summary>
    internal static string ReassociationNote(ReductionKernel kernel)
        => kernel.ReordersAdditions ? " (the order of the floating-point additions changes, so rounding may differ)" : string.Empty;

    private static string Describe(ReductionKernel kernel)
    {
        var source = "'" + kernel.Source.Reference.Syntax + "'";
        return kernel.Kind switch
        {
            ReductionKernelKind.Sum => "the sum of " + source,
            ReductionKernelKind.Dot => "the dot product of " + source + " and '" + kernel.Second!.Reference.Syntax + "'",
            ReductionKernelKind.SumOfSquares => "the sum of squares of " + source,
            ReductionKernelKind.SumOfMagnitudes => "the sum of magnitudes of " + source,
            ReductionKernelKind.Max or ReductionKernelKind.CompareMax => "the maximum of " + source,
            ReductionKernelKind.Min or ReductionKernelKind.CompareMin => "the minimum of " + source,
            _ => "how many elements of " + source + " are " + ComparisonText(kernel.Comparison) + " " + kernel.Threshold!.Syntax,
        };
    }

    private static string Advice(ReductionKernel kernel, FixKind? fix) => fix switch
    {
        FixKind.TensorPrimitives => "use TensorPrimitives." + kernel.TensorPrimitivesMethod,
        FixKind.VectorLoop => "vectorize it with Vector<" + kernel.ElementType.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat) + ">",
        _ when !kernel.HasRepeatableLowerBound
            => "vectorize it (no automatic fix: the fixed code would evaluate the loop's start '" + kernel.Loop.LowerBound?.Syntax + "' more than once)",
        _ when kernel.Kind is ReductionKernelKind.Max or ReductionKernelKind.Min && kernel.IsFloatingPoint
            => "TensorPrimitives." + kernel.TensorPrimitivesMethod + " gives the same NaN and ±0 results as Math." + kernel.TensorPrimitivesMethod + " (reference System.Numerics.Tensors for the fix)",
        _ => "vectorize it (no automatic fix: a Vector<T> loop needs a bound that cannot be negative, such as a '.Length')",
    };

    private static string ComparisonText(BinaryOperatorKind kind) => kind switch
    {
        BinaryOperatorKind.GreaterThan => ">",
        BinaryOperatorKind.GreaterThanOrEqual => ">=",
        BinaryOperatorKind.LessThan => "<",
        BinaryOperatorKind.LessThanOrEqual => "<=",
        BinaryOperatorKind.Equals => "==",
        _ => "!=",
    };
}
