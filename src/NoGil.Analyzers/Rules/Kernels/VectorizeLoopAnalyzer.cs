using NoGil.Analyzers.Analysis.Kernels;
using NoGil.Analyzers.Analysis.Loops;

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

    protected override void AnalyzeLoop(OperationAnalysisContext context, ILoopOperation loop, KnownTypes types, PurityCache purity)
    {
        if (loop.LoopKind != LoopKind.For
            || ElementwiseKernel.TryMatch(LoopDependence.Analyze(loop, types, purity, context.CancellationToken), types, context.CancellationToken) is not { } kernel
            || LoopNest.Of(loop, purity, context.CancellationToken).DeeperNestBeside(loop) is not null)
        {
            // Also not beside a deeper nest that does the method's real work: vectorizing a side loop changes little.
            return;
        }

        // Reported only when a fix is suggested: the point of the rule is the vectorized code.
        var plan = kernel.PlanFixes(loop.SemanticModel!, AllowApproximateMath.Get(context.Options, loop.Syntax.SyntaxTree));
        if (plan.IsEmpty)
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

        context.ReportDiagnostic(Diagnostic.Create(
            Descriptors.VectorizeLoop,
            HeaderLocation(loop.Syntax),
            DiagnosticProperties.Create(
                plan.Fixes,
                (DiagnosticProperties.TensorPrimitivesMethodKey, tensorPrimitives?.Method),
                (DiagnosticProperties.ApproximatesKey, tensorPrimitives?.Approximates),
                (DiagnosticProperties.ElementTypeKey, elementType)),
            elementType,
            how));
    }
}
