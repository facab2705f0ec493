using NoGil.Analyzers.Analysis.Loops;

namespace NoGil.Analyzers.Analysis.Kernels;

/// <summary>What NOGIL303 offers for one reduction kernel where its loop is.</summary>
public sealed class ReductionFixPlan
{
    internal ReductionFixPlan(FixKind? chosen, string? blocker, FixKind? fix)
    {
        Chosen = chosen;
        Blocker = blocker;
        Fix = fix;
    }

    /// <summary>The fix that keeps the kernel's result (<see cref="ReductionKernel.ChooseFix"/>), or null.</summary>
    public FixKind? Chosen { get; }

    /// <summary>Why the chosen fix is not offered here, as the message says it (a label, a type name taken), or null.</summary>
    public string? Blocker { get; }

    /// <summary>The fix the diagnostic announces: the chosen one when nothing blocks it and it can be written here; else null.</summary>
    public FixKind? Fix { get; }
}

public sealed partial class ReductionKernel
{
    private static readonly (string Name, string MetadataName, string Namespace) TensorPrimitivesType = ("TensorPrimitives", "System.Numerics.Tensors.TensorPrimitives", "System.Numerics.Tensors");
    private static readonly (string Name, string MetadataName, string Namespace) MemoryExtensionsType = ("MemoryExtensions", "System.MemoryExtensions", "System");
    private static readonly (string Name, string MetadataName, string Namespace) MathType = ("Math", "System.Math", "System");
    private static readonly (string Name, string MetadataName, string Namespace) VectorType = ("Vector", "System.Numerics.Vector", "System.Numerics");

    /// <summary>
    /// True when the loop's upper bound cannot be within <c>Vector&lt;T&gt;.Count</c> of <c>int.MinValue</c> (a
    /// <c>foreach</c>, a <c>.Length</c>, a non-negative constant), so that a vector loop's <c>hi - Vector&lt;T&gt;.Count</c>
    /// cannot wrap around.
    /// </summary>
    public bool HasNonNegativeBound
        => Loop.Shape == LoopShape.ForEachArray
           || Loop.UpperBound.UnwrapConversionsOrNull() is IPropertyReferenceOperation { Property.Name: "Length" }
           || Loop.UpperBound.UnwrapConversionsOrNull()?.ConstantValue is { HasValue: true, Value: int bound } && bound >= 0;

    /// <summary>
    /// True when the loop's start can be written more than once in the fixed code without changing anything: a
    /// <c>foreach</c>, a constant, a local, a parameter or a field (the fixes use it in a guard, a slice and a length).
    /// A start such as <c>s_k++</c> or <c>Next()</c> is evaluated once by the loop, so it gets no fix.
    /// </summary>
    public bool HasRepeatableLowerBound
        => Loop.Shape == LoopShape.ForEachArray || (Loop.LowerBound is { } lower && IsRepeatable(lower));

    /// <summary>True when the loop starts at 0 (a <c>foreach</c>, or a <c>for</c> from the constant 0).</summary>
    public bool LowerIsZero => Loop.Shape == LoopShape.ForEachArray || Loop.LowerBound?.ConstantValue is { HasValue: true, Value: 0 };

    /// <summary>True when the range the loop covers cannot be negative or out of order: a <c>foreach</c>, or 0 up to some <c>.Length</c>.</summary>
    public bool HasValidRange
        => Loop.Shape == LoopShape.ForEachArray
           || (LowerIsZero && !Loop.UpperInclusive && Loop.UpperBound.UnwrapConversionsOrNull() is IPropertyReferenceOperation { Property.Name: "Length" });

    /// <summary>The <c>TensorPrimitives</c> method that computes the kernel over a span, or null.</summary>
    public string? TensorPrimitivesMethod => Kind switch
    {
        ReductionKernelKind.Sum => "Sum",
        ReductionKernelKind.Dot => "Dot",
        ReductionKernelKind.SumOfSquares => "SumOfSquares",
        ReductionKernelKind.SumOfMagnitudes => "SumOfMagnitudes",
        ReductionKernelKind.Max or ReductionKernelKind.CompareMax => "Max",
        ReductionKernelKind.Min or ReductionKernelKind.CompareMin => "Min",
        _ => null,
    };

    /// <summary>For a <see cref="ReductionKernelKind.Max"/>/<see cref="ReductionKernelKind.Min"/> kernel: the function as the update writes it (<c>Math.Max</c>, <c>MathF.Min</c>); else null.</summary>
    public string? MathFunction => MathMethod is null ? null : KernelText.MinMaxFunction(Reduction.Update);

    /// <summary>True when the loop covers the whole of <paramref name="operand"/>: a <c>foreach</c>, or <c>0 .. operand.Length</c> with an exclusive bound.</summary>
    public bool IsWholeRange(ReductionOperand operand)
        => Loop.Shape == LoopShape.ForEachArray || (LowerIsZero && !Loop.UpperInclusive && IsLengthOf(Loop.UpperBound, operand.Symbol));

    /// <summary>
    /// The fix that keeps the kernel's result: <c>TensorPrimitives</c> when it is available and computes the same thing
    /// (its <c>Max</c>/<c>Min</c> follow <c>Math.Max</c>/<c>Math.Min</c> for NaN and ±0, and equal integers are
    /// indistinguishable, so a compare-form integer max is a <c>Math.Max</c>); otherwise a <c>Vector&lt;T&gt;</c> loop
    /// where one is exact: not for <c>Math.Max</c>/<c>Math.Min</c> over floating point (<c>Vector.Max</c> does not
    /// propagate NaN on every runtime), a compare-form floating-point max is always a <c>Vector&lt;T&gt;</c> loop (NaN
    /// lanes ignored, a zero result recomputed by the scalar loop), and a count is always a <c>Vector&lt;T&gt;</c> loop.
    /// Null when there is none.
    /// </summary>
    public FixKind? ChooseFix(bool hasTensorPrimitives)
    {
        if (!HasRepeatableLowerBound)
        {
            return null;
        }

        FixKind? tensorPrimitives = hasTensorPrimitives ? FixKind.TensorPrimitives : null;
        FixKind? vector = HasNonNegativeBound ? FixKind.VectorLoop : null;
        return Kind switch
        {
            ReductionKernelKind.Count => vector,
            ReductionKernelKind.CompareMax or ReductionKernelKind.CompareMin when IsFloatingPoint => vector,
            ReductionKernelKind.Max or ReductionKernelKind.Min when IsFloatingPoint => tensorPrimitives,
            _ => tensorPrimitives ?? vector,
        };
    }

    /// <summary>
    /// The fix for this kernel at its loop: <see cref="ChooseFix"/>, unless the loop carries a label or a type name the
    /// fix needs means another type there (<see cref="ReductionFixPlan.Blocker"/>); announced when, beyond that, every
    /// type the fix writes can be named there (<see cref="TypesWritten"/>) and a <c>Vector&lt;T&gt;</c> loop, which
    /// replaces the loop by several statements, can declare its index: a <c>foreach</c>, or a <c>for</c> that declares
    /// one variable, in a place that takes several statements (not top-level code, not directly a switch section).
    /// </summary>
    public ReductionFixPlan PlanFix(bool hasTensorPrimitives, SemanticModel model)
    {
        var chosen = ChooseFix(hasTensorPrimitives);
        var blocker = chosen is { } fix ? FixBlocker(fix, model) : null;
        var position = Loop.Loop.Syntax.SpanStart;
        var canWrite = chosen is { } kind
                       && TypesWritten(kind).All(type => TypeNames.CanWriteByName(model, position, type.Name, type.MetadataName))
                       && (kind != FixKind.VectorLoop || CanWriteVectorLoop());
        return new ReductionFixPlan(chosen, blocker, blocker is null && canWrite ? chosen : null);
    }

    /// <summary>
    /// The types <paramref name="fix"/> names by their simple names, with the namespace a using directive brings each in
    /// from: <c>TensorPrimitives</c>, <c>MemoryExtensions</c> when an array is sliced (<c>AsSpan</c> is one of its
    /// extension methods), <c>Math</c> to merge a compare-form min/max; <c>Vector</c>, and <c>Math</c> to merge the
    /// lanes of an integer min/max.
    /// </summary>
    public IEnumerable<(string Name, string MetadataName, string Namespace)> TypesWritten(FixKind fix)
    {
        if (fix == FixKind.TensorPrimitives)
        {
            yield return TensorPrimitivesType;
            if (Operands.Any(operand => !operand.IsSpan && !IsWholeRange(operand)))
            {
                yield return MemoryExtensionsType;
            }

            if (TensorPrimitivesMethod is "Max" or "Min" && MathFunction is null)
            {
                yield return MathType;
            }

            yield break;
        }

        yield return VectorType;
        if (!IsFloatingPoint && Kind is ReductionKernelKind.Max or ReductionKernelKind.Min or ReductionKernelKind.CompareMax or ReductionKernelKind.CompareMin)
        {
            yield return MathType;
        }
    }

    /// <summary>The arrays and spans the kernel reads: <see cref="Source"/>, and <see cref="Second"/> for a dot product.</summary>
    private IEnumerable<ReductionOperand> Operands => Second is null ? new[] { Source } : new[] { Source, Second };

    /// <summary>Why <paramref name="fix"/> cannot be written here, or null: a labeled loop, or a type name the fix needs taken by something else.</summary>
    private string? FixBlocker(FixKind fix, SemanticModel model)
    {
        var loop = Loop.Loop.Syntax;
        if (loop.Parent is LabeledStatementSyntax)
        {
            return "the loop carries a label";
        }

        return fix switch
        {
            FixKind.VectorLoop when TypeNames.VectorConflicts(model, loop.SpanStart) => "'Vector' means another type here",
            FixKind.TensorPrimitives when TypeNames.TensorPrimitivesConflicts(model, loop.SpanStart) => "'TensorPrimitives' means another type here",
            _ => null,
        };
    }

    private bool CanWriteVectorLoop()
        => Loop.Loop.Syntax switch
        {
            ForStatementSyntax { Declaration: { Variables.Count: 1 } declaration } => declaration.Variables[0].Initializer is not null,
            ForEachStatementSyntax => true,
            _ => false,
        }
        && Loop.Loop.Syntax.Parent is not (GlobalStatementSyntax or SwitchSectionSyntax);

    /// <summary>Constants, locals, parameters, non-volatile fields, their lengths, and arithmetic over those: no calls, no writes.</summary>
    private static bool IsRepeatable(IOperation operation) => operation switch
    {
        { ConstantValue.HasValue: true } => true,
        IConversionOperation conversion => !conversion.IsChecked && IsRepeatable(conversion.Operand),
        IParenthesizedOperation parenthesized => IsRepeatable(parenthesized.Operand),
        ILocalReferenceOperation or IParameterReferenceOperation or IInstanceReferenceOperation => true,
        IFieldReferenceOperation field => !field.Field.IsVolatile && (field.Instance is null || IsRepeatable(field.Instance)),
        IPropertyReferenceOperation { Property.Name: "Length" or "LongLength", Instance: { } instance } property
            => (instance.Type is IArrayTypeSymbol || property.Property.ContainingType?.Name is "Span" or "ReadOnlySpan" || instance.Type?.SpecialType == SpecialType.System_String)
               && IsRepeatable(instance),
        IBinaryOperation binary => !binary.IsChecked && binary.OperatorMethod is null && IsRepeatable(binary.LeftOperand) && IsRepeatable(binary.RightOperand),
        _ => false,
    };

    private static bool IsLengthOf(IOperation? bound, ISymbol symbol)
        => bound.UnwrapConversionsOrNull() is IPropertyReferenceOperation { Property.Name: "Length", Instance: { } instance }
           && instance switch
           {
               ILocalReferenceOperation local => SymbolEqualityComparer.Default.Equals(local.Local, symbol),
               IParameterReferenceOperation parameter => SymbolEqualityComparer.Default.Equals(parameter.Parameter, symbol),
               IFieldReferenceOperation field => SymbolEqualityComparer.Default.Equals(field.Field, symbol),
               _ => false,
           };
}
