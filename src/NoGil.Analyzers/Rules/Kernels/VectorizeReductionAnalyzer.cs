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
/// NOGIL303: a loop folds the elements of an array or span into one accumulator — sum, dot product, sum of squares,
/// sum of magnitudes, min/max, conditional count — one element at a time, where SIMD would process a vector of them.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class VectorizeReductionAnalyzer : NoGilAnalyzer
{
    /// <summary>The .editorconfig key that turns off the reports (and fixes) that reorder floating-point additions.</summary>
    public const string AllowFloatReassociationOption = "NOGIL303.allow_float_reassociation";

    /// <summary>Diagnostic property: which fix is offered (<see cref="ReductionFixKind"/>).</summary>
    public const string FixProperty = "Fix";

    public static readonly DiagnosticDescriptor Descriptor = Rule(
        RuleIdentifiers.VectorizeReduction,
        title: "Vectorize the reduction",
        messageFormat: "This loop computes {0} one element at a time; {1}{2}",
        RuleCategories.Kernels,
        DiagnosticSeverity.Info,
        description: "A sum, dot product, sum of squares, minimum, maximum or count over an array or span can process a whole SIMD vector of elements per step. TensorPrimitives (System.Numerics.Tensors) has these reductions built in; otherwise a Vector<T> accumulator loop followed by the original loop for the remaining elements does the same. Integer results are exact; floating-point sums add in a different order, so their last bits may differ.");

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Descriptor);

    protected override bool IsApplicable(KnownTypes types) => types.VectorOfT is not null;

    protected override void OnCompilationStart(CompilationStartAnalysisContext context, KnownTypes types)
    {
        var purity = PurityCache.For(context.Compilation);
        var hasTensorPrimitives = types.HasGenericTensorPrimitives;
        context.RegisterOperationAction(
            c =>
            {
                var loop = (ILoopOperation)c.Operation;
                if (LoopDependence.Analyze(loop, types, purity, c.CancellationToken) is not { IsTriviallySmall: false } model
                    || ReductionKernel.TryMatch(model) is not { } kernel
                    || (kernel.ReordersAdditions && !AllowsFloatReassociation(c.Options, loop.Syntax.SyntaxTree)))
                {
                    return;
                }

                var fix = kernel.ChooseFix(hasTensorPrimitives);
                var blocker = FixBlocker(loop, fix);
                if (blocker is not null)
                {
                    fix = ReductionFixKind.None;
                }

                c.ReportDiagnostic(Diagnostic.Create(
                    Descriptor,
                    HeaderLocation(loop.Syntax),
                    Properties((FixProperty, fix.ToString())),
                    Describe(kernel),
                    blocker is null ? Advice(kernel, fix) : "vectorize it (no automatic fix: " + blocker + ")",
                    kernel.ReordersAdditions ? " (the order of the additions changes, so the last bits of the result may differ)" : string.Empty));
            },
            OperationKind.Loop);
    }

    /// <summary>True unless <c>NOGIL303.allow_float_reassociation = false</c> is set for the file.</summary>
    public static bool AllowsFloatReassociation(AnalyzerOptions options, SyntaxTree tree)
        => RuleOptions.GetBoolean(options, tree, AllowFloatReassociationOption, defaultValue: true);

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

    /// <summary>Why the chosen fix cannot be written here, or null: a labeled loop, or a type name the fix needs taken by something else.</summary>
    private static string? FixBlocker(ILoopOperation loop, ReductionFixKind fix)
    {
        if (fix == ReductionFixKind.None)
        {
            return null;
        }

        if (loop.Syntax.Parent is LabeledStatementSyntax)
        {
            return "the loop carries a label";
        }

        var model = loop.SemanticModel!;
        return fix switch
        {
            ReductionFixKind.Vector when TypeNames.VectorConflicts(model, loop.Syntax.SpanStart) => "'Vector' means another type here",
            ReductionFixKind.TensorPrimitives when TypeNames.TensorPrimitivesConflicts(model, loop.Syntax.SpanStart) => "'TensorPrimitives' means another type here",
            _ => null,
        };
    }

    private static string Advice(ReductionKernel kernel, ReductionFixKind fix) => fix switch
    {
        ReductionFixKind.TensorPrimitives => "use TensorPrimitives." + kernel.TensorPrimitivesMethod,
        ReductionFixKind.Vector => "vectorize it with Vector<" + kernel.ElementType.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat) + ">",
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

    /// <summary>The loop's header: <c>for (…)</c> or <c>foreach (…)</c>.</summary>
    private static Location HeaderLocation(SyntaxNode loop) => loop switch
    {
        ForStatementSyntax @for => Location.Create(loop.SyntaxTree, TextSpan.FromBounds(@for.ForKeyword.SpanStart, @for.CloseParenToken.Span.End)),
        CommonForEachStatementSyntax @foreach => Location.Create(loop.SyntaxTree, TextSpan.FromBounds(@foreach.ForEachKeyword.SpanStart, @foreach.CloseParenToken.Span.End)),
        _ => loop.GetLocation(),
    };
}
