namespace NoGil.Analyzers.Analysis.Loops;

/// <summary>
/// An inner loop that, with the loop around it, visits each element once and does a few operations on it: a flat loop
/// over the nest's elements, bound by memory like one (docs/calibration.md). Every element access of the inner loop
/// depends on the outer loop's variable — its index (<c>a[j * rows + i]</c>, <c>rows[j][i]</c>), or the row or object the
/// outer <c>foreach</c> yields (<c>channel.Patterns[i]</c>, <c>foreach (var v in row)</c>) — and on the inner one, so no
/// element is read again by another outer iteration; the inner body has no deeper loop, no transcendental call, no call
/// that loops or recurses and no allocation, and fewer than <see cref="Threshold"/> operations per element.
/// <para>
/// A nest with reuse is not one: matrix–vector (<c>u[j * n + i] * b[i]</c> reads <c>b[i]</c> on every row) and matrix
/// multiply keep data in cache and are bound by their arithmetic. An inner loop that reads no element (a sum of
/// <c>i * j</c>) is bound by its arithmetic too.
/// </para>
/// </summary>
internal static class StreamingNest
{
    /// <summary>
    /// The operations per element from which a nest that visits each element once is worth a worker: the same as a flat
    /// loop's (<see cref="LoopDependence.ParallelOperationThreshold"/>). Calibrated (docs/calibration.md): at 8 operations
    /// per element the parallel form loses at 10,000 elements and only ties at 1,000,000; 16 is the break-even; 24 wins at
    /// every size with a margin.
    /// </summary>
    public const int Threshold = LoopDependence.ParallelOperationThreshold;

    /// <summary>How many locals deep an index or an array expression is followed back to the loop variables.</summary>
    private const int MaxLocalDepth = 3;

    /// <summary>
    /// The operations per element of <paramref name="inner"/>, nested in <paramref name="outer"/>, when the two visit each
    /// element once with fewer than <see cref="Threshold"/> operations per element (see the type); else null.
    /// </summary>
    public static int? OperationsPerElement(ILoopOperation outer, ILoopOperation inner, IndexArithmetic index, PurityCache purity, CancellationToken cancellationToken)
    {
        if (VariableOf(outer) is not { } outerVariable || VariableOf(inner) is not { } innerVariable)
        {
            return null;
        }

        var touchesMemory = false;
        switch (inner)
        {
            case IForEachLoopOperation forEach:
                // The elements the inner foreach yields: a row or collection of the outer element (foreach (var v in row)).
                if (!DependsOn(forEach.Collection, outerVariable, innerVariable, index, 0))
                {
                    return null;
                }

                touchesMemory = true;
                break;
            case IForLoopOperation forLoop when LoopHeader.TryReadFor(forLoop, out _, out var lower, out var upper, out _):
                // A segment of an offsets array ([p[i], p[i + 1]), a compressed sparse row) belongs to outer iteration i.
                if (IsSegmentOf(lower, upper, outerVariable, index))
                {
                    outerVariable = innerVariable;
                }

                break;
            default:
                return null;
        }

        var operations = 0;
        var stack = new Stack<IOperation>();
        stack.Push(inner.Body);
        while (stack.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var operation = stack.Pop();
            switch (operation)
            {
                case IAnonymousFunctionOperation or ILocalFunctionOperation or IObjectCreationOperation or ILoopOperation:
                    return null;
                case IArrayElementReferenceOperation element when element.Parent is not IArrayElementReferenceOperation { ArrayReference: var array } || array != element:
                    if (!DependsOn(element, outerVariable, innerVariable, index, 0) || !DependsOn(element, innerVariable, opaque: null, index, 0))
                    {
                        return null;
                    }

                    touchesMemory = true;
                    break;
                case IPropertyReferenceOperation { Property.IsIndexer: true } indexer:
                    if (!DependsOn(indexer, outerVariable, innerVariable, index, 0) || !DependsOn(indexer, innerVariable, opaque: null, index, 0))
                    {
                        return null;
                    }

                    operations++; // the element access, as an array element's
                    touchesMemory = true;
                    break;
            }

            operations += WeightPerElement(operation, index);
            if (CallCostOf(operation, purity, cancellationToken) is not { } call)
            {
                return null;
            }

            operations += call;
            if (operations >= Threshold)
            {
                return null;
            }

            foreach (var child in operation.ChildOperations)
            {
                stack.Push(child);
            }
        }

        return touchesMemory ? operations : null;
    }

    /// <summary>
    /// The weight of <paramref name="operation"/> per element: <see cref="CallCost.WeightOf(IOperation, IndexArithmetic)"/>,
    /// but <c>Math.Abs/Max/Min</c> (one instruction each, no call once the JIT is done) weigh 1, not a call's 4.
    /// </summary>
    private static int WeightPerElement(IOperation operation, IndexArithmetic index)
        => operation is IInvocationOperation invocation && IsOneInstruction(invocation.TargetMethod) ? 1 : CallCost.WeightOf(operation, index);

    /// <summary><c>Math</c>/<c>MathF</c> <c>Abs</c>, <c>Max</c>, <c>Min</c>: one instruction each once inlined.</summary>
    internal static bool IsOneInstruction(IMethodSymbol method)
        => method.Name is "Abs" or "Max" or "Min" && method.ContainingType?.Name is "Math" or "MathF" && NamespaceName.Of(method) == "System";

    /// <summary>
    /// What a call, a constructor-less property get or an operator of <paramref name="operation"/> adds beyond its own
    /// weight: a source method's operations (<see cref="CallCost"/>); null when it makes the element heavy — a
    /// transcendental call, a callee that loops, recurses or calls one, a known compute-heavy BCL member, or the magnitude
    /// of a <c>System.Numerics.Complex</c> (a hypot).
    /// </summary>
    private static int? CallCostOf(IOperation operation, PurityCache purity, CancellationToken cancellationToken)
    {
        var method = operation switch
        {
            IInvocationOperation invocation => invocation.TargetMethod,
            IPropertyReferenceOperation property => property.Property.GetMethod,
            IBinaryOperation binary => binary.OperatorMethod,
            IUnaryOperation unary => unary.OperatorMethod,
            IConversionOperation conversion => conversion.OperatorMethod,
            _ => null,
        };

        if (method is null)
        {
            return 0;
        }

        if (CallCost.IsTranscendental(method) || CpuWork.IsKnownHeavy(method) || IsComplexMagnitude(method))
        {
            return null;
        }

        if (method.DeclaringSyntaxReferences.IsEmpty)
        {
            return 0;
        }

        var cost = CallCost.Of(method, purity, cancellationToken);
        return cost.HasTranscendental || cost.IsRecursive || cost.HasHeavyLoop || cost.OnlyLightLoops ? null : cost.Operations;
    }

    /// <summary><c>System.Numerics.Complex</c>'s <c>Magnitude</c> and <c>Abs</c>: a hypot (abs, compare, divide, multiply, square root), like <c>Math.Hypot</c>.</summary>
    private static bool IsComplexMagnitude(IMethodSymbol method)
        => method.ContainingType is { Name: "Complex" } type && NamespaceName.Of(type) == "System.Numerics"
           && method.Name is "get_Magnitude" or "Abs";

    /// <summary>The <c>for</c> loop's induction variable or the <c>foreach</c> loop's iteration variable; null for other loops.</summary>
    private static ILocalSymbol? VariableOf(ILoopOperation loop) => loop switch
    {
        IForLoopOperation forLoop when LoopHeader.TryReadFor(forLoop, out var induction, out _, out _, out _) => induction,
        IForEachLoopOperation { LoopControlVariable: IVariableDeclaratorOperation { Symbol: { } variable } } => variable,
        _ => null,
    };

    /// <summary>
    /// Both bounds are element reads of one array at indices that depend on <paramref name="outer"/> (through locals):
    /// <c>for (j = p[i]; j &lt; p[i + 1]; j++)</c>, the row segment of a compressed sparse row matrix.
    /// </summary>
    private static bool IsSegmentOf(IOperation lower, IOperation upper, ILocalSymbol outer, IndexArithmetic index)
    {
        return ElementRead(lower, 0) is { } low && ElementRead(upper, 0) is { } high
               && WriteTargets.SymbolOf(low.ArrayReference) is { } array
               && SymbolEqualityComparer.Default.Equals(array, WriteTargets.SymbolOf(high.ArrayReference))
               && low.Indices.Length == 1 && high.Indices.Length == 1
               && DependsOn(low.Indices[0], outer, opaque: null, index, 0) && DependsOn(high.Indices[0], outer, opaque: null, index, 0);

        IArrayElementReferenceOperation? ElementRead(IOperation bound, int depth)
        {
            switch (bound.UnwrapConversions())
            {
                case IArrayElementReferenceOperation element:
                    return element;
                case ILocalReferenceOperation local when depth < MaxLocalDepth && index.ValuesOf(local.Local) is { Count: 1 } values && values[0] is { } value:
                    return ElementRead(value, depth + 1);
                default:
                    return null;
            }
        }
    }

    /// <summary>
    /// <paramref name="operation"/> reads <paramref name="variable"/>, directly or through a local assigned from it
    /// (<c>var row = rows[j]</c>, <c>var offset = j * rows</c>), up to <see cref="MaxLocalDepth"/> locals deep — but not
    /// through <paramref name="opaque"/>, the inner loop's variable: <c>for (j = i; …)</c> starts at the outer variable,
    /// yet <c>x[j]</c> is read again by the next outer iteration (a sliding window).
    /// </summary>
    private static bool DependsOn(IOperation operation, ILocalSymbol variable, ILocalSymbol? opaque, IndexArithmetic index, int depth)
    {
        foreach (var reference in operation.DescendantsAndSelf().OfType<ILocalReferenceOperation>())
        {
            if (SymbolEqualityComparer.Default.Equals(reference.Local, variable))
            {
                return true;
            }

            if (depth < MaxLocalDepth && !SymbolEqualityComparer.Default.Equals(reference.Local, opaque) && index.ValuesOf(reference.Local) is { } values
                && values.Any(value => value is not null && DependsOn(value, variable, opaque, index, depth + 1)))
            {
                return true;
            }
        }

        return false;
    }
}
