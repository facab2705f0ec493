using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;
using NoGil.Analyzers.Analysis.Common;
using NoGil.Analyzers.Analysis.Kernels;
using NoGil.Analyzers.Analysis.Loops;
using NoGil.Analyzers.Infrastructure;

namespace NoGil.Analyzers.Rules.Kernels;

/// <summary>
/// NOGIL302: a <c>for</c> loop computes <c>dst[i] = f(a[i], b[i], scalars…)</c> one element at a time, where
/// <c>Vector&lt;T&gt;</c> or one <c>TensorPrimitives</c> call computes several elements per instruction.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class VectorizeLoopAnalyzer : NoGilAnalyzer
{
    /// <summary>.editorconfig: <c>false</c> turns off the TensorPrimitives fix for transcendental functions (Exp, Log, Sin, Cos, Tanh, Sigmoid).</summary>
    public const string AllowApproximateMathOption = "NOGIL302.allow_approximate_math";

    /// <summary>Diagnostic property: the TensorPrimitives method the fix calls, when that fix is offered.</summary>
    public const string TensorPrimitivesProperty = "TensorPrimitives";

    /// <summary>Diagnostic property: "true" when the Vector&lt;T&gt; fix is offered.</summary>
    public const string VectorProperty = "Vector";

    public static readonly DiagnosticDescriptor Descriptor = Rule(
        RuleIdentifiers.VectorizeLoop,
        title: "Vectorize the element-wise loop",
        messageFormat: "This loop computes its '{0}' elements one at a time; {1}",
        RuleCategories.Kernels,
        DiagnosticSeverity.Info,
        description: "A loop that computes dst[i] = f(a[i], b[i], …) over arrays or spans of a primitive numeric type runs one element per instruction: the JIT does not vectorize loops. Vector<T> processes 4 to 64 elements per instruction with the same results, and System.Numerics.Tensors.TensorPrimitives has ready-made vectorized kernels.");

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Descriptor);

    protected override bool IsApplicable(KnownTypes types) => types.VectorOfT is not null || types.HasGenericTensorPrimitives;

    protected override void OnCompilationStart(CompilationStartAnalysisContext context, KnownTypes types)
    {
        var purity = PurityCache.For(context.Compilation);
        context.RegisterOperationAction(
            c =>
            {
                var loop = (ILoopOperation)c.Operation;
                if (loop.LoopKind != LoopKind.For
                    || ElementwiseKernel.TryMatch(LoopDependence.Analyze(loop, types, purity, c.CancellationToken), types, c.CancellationToken) is not { } kernel)
                {
                    return;
                }

                var tensorPrimitives = kernel.TensorPrimitives;
                if (tensorPrimitives is { IsApproximate: true } && !AllowsApproximateMath(c.Options, loop.Syntax.SyntaxTree))
                {
                    tensorPrimitives = null;
                }

                // The fixes write Vector<T> and TensorPrimitives by their simple names: not where those mean something else.
                var model = loop.SemanticModel!;
                if (tensorPrimitives is not null && TypeNames.TensorPrimitivesConflicts(model, loop.Syntax.SpanStart))
                {
                    tensorPrimitives = null;
                }

                var canUseVector = kernel.CanUseVector && !TypeNames.VectorConflicts(model, loop.Syntax.SpanStart);

                // Reported only when a fix is offered: the point of the rule is the vectorized code.
                if (tensorPrimitives is null && !canUseVector)
                {
                    return;
                }

                var elementType = kernel.ElementType.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat);
                var vector = "a Vector<" + elementType + "> loop";
                var how = tensorPrimitives switch
                {
                    { IsApproximate: true } => "TensorPrimitives." + tensorPrimitives.Method + " computes several at a time (a vectorized approximation: results may differ from " + tensorPrimitives.Approximates + " in the last bits)",
                    { } when canUseVector => "TensorPrimitives." + tensorPrimitives.Method + " or " + vector + " computes the same results several at a time",
                    { } => "TensorPrimitives." + tensorPrimitives.Method + " computes the same results several at a time",
                    _ => vector + " computes the same results several at a time",
                };

                var syntax = (ForStatementSyntax)loop.Syntax;
                var location = Location.Create(syntax.SyntaxTree, TextSpan.FromBounds(syntax.ForKeyword.SpanStart, syntax.CloseParenToken.Span.End));
                c.ReportDiagnostic(Diagnostic.Create(
                    Descriptor,
                    location,
                    Properties((TensorPrimitivesProperty, tensorPrimitives?.Method), (VectorProperty, canUseVector ? "true" : null)),
                    elementType,
                    how));
            },
            OperationKind.Loop);
    }

    private static bool AllowsApproximateMath(AnalyzerOptions options, SyntaxTree tree)
        => RuleOptions.GetBoolean(options, tree, AllowApproximateMathOption, defaultValue: true);
}
