using NoGil.Analyzers.Analysis.Kernels;
using NoGil.Analyzers.Analysis.Loops;
using NoGil.Analyzers.Analysis.Profile;

namespace NoGil.Analyzers.Rules.Kernels;

/// <summary>
/// NOGIL302: a <c>for</c> loop computes <c>dst[i] = f(a[i], b[i], scalars…)</c> one element at a time, where
/// <c>Vector&lt;T&gt;</c> or one <c>TensorPrimitives</c> call computes several elements per instruction.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class VectorizeLoopAnalyzer() : KernelLoopAnalyzer(Descriptors.VectorizeLoop)
{
    /// <summary>.editorconfig: <c>false</c> turns off the TensorPrimitives fix for transcendental functions (Exp, Log, Sin, Cos, Tanh, Sigmoid).</summary>
    public static readonly RuleOption<bool> AllowApproximateMath = RuleOption.Boolean("NOGIL302.allow_approximate_math", defaultValue: true);

    protected override bool IsApplicable(KnownTypes types) => types.VectorOfT is not null || types.HasGenericTensorPrimitives;

    /// <summary>The kernel and fix plan of <paramref name="loop"/> when NOGIL302 reports it (also asked by NOGIL300), else null.</summary>
    internal static (ElementwiseKernel Kernel, ElementwiseFixPlan Plan)? Match(ILoopOperation loop, KnownTypes types, PurityCache purity, AnalyzerOptions options, CancellationToken cancellationToken)
    {
        if (!(types.VectorOfT is not null || types.HasGenericTensorPrimitives)
            || loop.LoopKind != LoopKind.For
            || ParallelLoop.IsInConstructor(loop)
            || LoopDependence.CannotBeElementwiseKernel(loop, types, purity, cancellationToken) // no model, an obstacle, several statements or another syntax
            || LoopDependence.Analyze(loop, types, purity, cancellationToken) is not { } model
            || ElementwiseKernel.TryMatch(model, types, cancellationToken) is not { } kernel
            || ParallelLoop.FactoryRejection(model) is not null
            || LoopNest.FindSideNest(loop, model.ConcurrentStarter, purity, cancellationToken) is not null)
        {
            // Not in a constructor (state built once per object or type, as NOGIL301), not filling the arrays of the
            // instance a static factory of its own type returns (a constructor's work written in a factory, as NOGIL301;
            // asked first, it reads the loop alone), not beside a deeper nest that does the method's real work — in the
            // method, beside the call that runs its lambda, or beside every call of its private method (vectorizing a side
            // loop changes little).
            return null;
        }

        // Reported only when a fix is suggested: the point of the rule is the vectorized code.
        var plan = kernel.PlanFixes(loop.SemanticModel!, AllowApproximateMath.Get(options, loop.Syntax.SyntaxTree));
        return plan.IsEmpty ? null : (kernel, plan);
    }

    protected override void AnalyzeLoop(OperationAnalysisContext context, ILoopOperation loop, KnownTypes types, PurityCache purity)
    {
        if (Match(loop, types, purity, context.Options, context.CancellationToken) is not ({ } kernel, { } plan))
        {
            return;
        }

        var elementType = kernel.ElementTypeName;
        var tensorPrimitives = plan.TensorPrimitives;
        var vector = "a Vector<" + elementType + "> loop";
        var how = tensorPrimitives switch
        {
            { IsApproximate: true } => "TensorPrimitives." + tensorPrimitives.Method + " computes several at a time (a vectorized approximation: results may differ from " + tensorPrimitives.Approximates + " in the last bits)",
            { } when plan.Vector => "TensorPrimitives." + tensorPrimitives.Method + " or " + vector + " computes the same results several at a time",
            { } => "TensorPrimitives." + tensorPrimitives.Method + " computes the same results several at a time",
            _ => vector + " computes the same results several at a time",
        };

        TargetFrameworkFixes.Report(context.ReportDiagnostic, context.Options, ProfileSite.Of(context), 
            Descriptors.VectorizeLoop,
            HeaderLocation(loop.Syntax),
            DiagnosticProperties.Create(
                plan.Fixes,
                (DiagnosticProperties.TensorPrimitivesMethodKey, tensorPrimitives?.Method),
                (DiagnosticProperties.ApproximatesKey, tensorPrimitives?.Approximates),
                (DiagnosticProperties.ElementTypeKey, elementType)),
            elementType,
            how);
    }
}
