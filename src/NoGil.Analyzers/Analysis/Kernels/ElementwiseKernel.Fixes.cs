using System.Globalization;

namespace NoGil.Analyzers.Analysis.Kernels;

/// <summary>What NOGIL302 offers for one element-wise kernel where its loop is.</summary>
public sealed class ElementwiseFixPlan
{
    internal ElementwiseFixPlan(TensorPrimitivesCall? tensorPrimitives, bool vector, ImmutableArray<FixKind> fixes)
    {
        TensorPrimitives = tensorPrimitives;
        Vector = vector;
        Fixes = fixes;
    }

    /// <summary>The <c>TensorPrimitives</c> call the rule suggests, or null.</summary>
    public TensorPrimitivesCall? TensorPrimitives { get; }

    /// <summary>True when the rule suggests a <c>Vector&lt;T&gt;</c> loop.</summary>
    public bool Vector { get; }

    /// <summary>True when the rule has nothing to suggest (it reports only when it has).</summary>
    public bool IsEmpty => TensorPrimitives is null && !Vector;

    /// <summary>The fixes the diagnostic announces, <c>TensorPrimitives</c> first: those suggested that can be written here.</summary>
    public ImmutableArray<FixKind> Fixes { get; }
}

public sealed partial class ElementwiseKernel
{
    /// <summary>
    /// The fixes for this kernel at its loop. The <c>TensorPrimitives</c> call is suggested unless it approximates a
    /// <c>Math</c> function and <paramref name="allowApproximateMath"/> is false, or <c>TensorPrimitives</c> means
    /// another type there; it is announced when it also binds there (<see cref="TensorPrimitivesTypeArguments"/>). The
    /// <c>Vector&lt;T&gt;</c> loop is suggested and announced when every operation has a vector form and <c>Vector</c>
    /// means <c>System.Numerics.Vector</c> there.
    /// </summary>
    public ElementwiseFixPlan PlanFixes(SemanticModel model, bool allowApproximateMath)
    {
        var tensorPrimitives = TensorPrimitives;
        if (tensorPrimitives is { IsApproximate: true } && !allowApproximateMath)
        {
            tensorPrimitives = null;
        }

        // The fixes write Vector<T> and TensorPrimitives by their simple names: not where those mean something else.
        if (tensorPrimitives is not null && TypeNames.TensorPrimitivesConflicts(model, Loop.SpanStart))
        {
            tensorPrimitives = null;
        }

        var vector = CanUseVector && !TypeNames.VectorConflicts(model, Loop.SpanStart);
        var fixes = ImmutableArray.CreateBuilder<FixKind>();
        if (tensorPrimitives is not null && TensorPrimitivesTypeArguments(model) is not null)
        {
            fixes.Add(FixKind.TensorPrimitives);
        }

        if (vector)
        {
            fixes.Add(FixKind.VectorLoop);
        }

        return new ElementwiseFixPlan(tensorPrimitives, vector, fixes.ToImmutable());
    }

    /// <summary>
    /// The type arguments the <c>TensorPrimitives</c> call takes where the loop is: none when overload resolution infers
    /// <c>T</c>, <c>&lt;T&gt;</c> when it must be given (arrays do not infer <c>T</c> from <c>ReadOnlySpan&lt;T&gt;</c>
    /// before C# 14); null when neither binds to a <c>TensorPrimitives</c> method (an overload the referenced version
    /// lacks), or the kernel has no such call.
    /// </summary>
    public string? TensorPrimitivesTypeArguments(SemanticModel model)
    {
        if (TensorPrimitives is not { } call)
        {
            return null;
        }

        var tensorPrimitives = KnownTypes.For(model.Compilation).TensorPrimitives;
        foreach (var candidate in new[] { string.Empty, "<" + ElementTypeName + ">" })
        {
            var qualified = SyntaxFactory.ParseExpression($"global::System.Numerics.Tensors.TensorPrimitives.{call.Method}{candidate}({TensorPrimitivesArguments(qualified: true)})");
            var bound = model.GetSpeculativeSymbolInfo(Loop.SpanStart, qualified, SpeculativeBindingOption.BindAsExpression).Symbol as IMethodSymbol;
            if (bound is { Name: var name, ReturnsVoid: true } && name == call.Method && KnownTypes.Is(bound.ContainingType, tensorPrimitives))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>
    /// The arguments of the <c>TensorPrimitives</c> call, destination last. Every span covers exactly <c>[0, hi)</c>, the
    /// elements the loop touches (<c>TensorPrimitives</c> throws when lengths differ): the operand itself when the loop
    /// runs over its whole length, else a slice of it; an array through <c>AsSpan</c>, written as a call of
    /// <c>global::System.MemoryExtensions.AsSpan</c> when <paramref name="qualified"/>.
    /// </summary>
    public string TensorPrimitivesArguments(bool qualified)
    {
        var arguments = TensorPrimitives!.Arguments.Select(a => a.Operand is { } operand ? Span(operand, qualified)
            : a.Shift is { } shift ? shift.ToString(CultureInfo.InvariantCulture)
            : a.Scalar!.Syntax.ToString());
        return string.Join(", ", arguments.Append(Span(Destination, qualified)));
    }

    /// <summary>True when the <c>TensorPrimitives</c> call passes an array through <c>AsSpan</c> (an extension method of <c>System.MemoryExtensions</c>).</summary>
    public bool TensorPrimitivesUsesAsSpan
        => TensorPrimitives!.Arguments.Select(a => a.Operand).Append(Destination).Any(o => o is { IsSpan: false } && !IsWholeRange(o));

    private string Span(ElementwiseOperand operand, bool qualified)
    {
        if (IsWholeRange(operand))
        {
            return operand.Text;
        }

        var count = UpperBound.WithoutTrivia().ToString();
        return operand.IsSpan
            ? $"{KernelText.Primary(operand.Text)}.Slice(0, {count})"
            : qualified ? $"global::System.MemoryExtensions.AsSpan({operand.Text}, 0, {count})" : $"{KernelText.Primary(operand.Text)}.AsSpan(0, {count})";
    }

    /// <summary>True when the loop runs over the whole of <paramref name="operand"/>: <c>0 .. operand.Length</c>, spelled the same.</summary>
    private bool IsWholeRange(ElementwiseOperand operand)
        => UpperBoundLengthOf is { } whole && SymbolEqualityComparer.Default.Equals(whole.Symbol, operand.Symbol) && whole.Text == operand.Text;
}
