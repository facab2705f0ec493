namespace NoGil.Analyzers.Analysis.Loops;

/// <summary>The running cost estimate of one iteration, filled by the walk over the body (<see cref="LoopCost"/>).</summary>
internal sealed class CostTally
{
    private int _operations;
    private bool _hasInnerLoop;
    private bool _hasTranscendental;
    private bool _callsLoopingMethod;
    private bool _callsSourceMethod;
    private bool _callsRecursiveMethod;

    /// <summary>The body contains arithmetic in a <c>checked</c> context.</summary>
    public bool HasCheckedArithmetic { get; private set; }

    public LoopCost ToLoopCost()
        => new(_operations, _hasInnerLoop, _hasTranscendental, _callsLoopingMethod, _callsSourceMethod, _callsRecursiveMethod);

    /// <summary>Counts one operation of the body (<see cref="CallCost.WeightOf"/>) and notes checked arithmetic.</summary>
    public void Count(IOperation operation)
    {
        _operations += CallCost.WeightOf(operation);
        HasCheckedArithmetic |= IsChecked(operation);
    }

    /// <summary>Notes a loop nested in the body: it makes the body heavy unless it is small or does not compute.</summary>
    public void CountInnerLoop(ILoopOperation inner, CancellationToken cancellationToken)
    {
        if (!IsSmallInnerLoop(inner) && Computes(inner, cancellationToken))
        {
            _hasInnerLoop = true;
        }
    }

    /// <summary>Notes a call of a transcendental <c>Math</c>/<c>MathF</c> method (<see cref="CallCost.IsTranscendental"/>).</summary>
    public void CountTranscendental(IMethodSymbol method)
    {
        if (CallCost.IsTranscendental(method))
        {
            _hasTranscendental = true;
        }
    }

    /// <summary>
    /// Notes a call of a method declared in source and, when it is pure, adds what it costs: a call is as heavy as what
    /// it runs, so a one-line helper adds a few operations, not a reason to parallelize.
    /// </summary>
    public void CountSourceCall(IOperation call, IMethodSymbol method, bool isPure, PurityCache purity, CancellationToken cancellationToken)
    {
        _callsSourceMethod = true;
        if (!isPure)
        {
            return;
        }

        var cost = CallCost.Of(method, purity, cancellationToken);
        _operations = System.Math.Min(_operations + cost.Operations, int.MaxValue / 2);
        _hasTranscendental |= cost.HasTranscendental;
        _callsRecursiveMethod |= cost.IsRecursive;
        if (!_callsLoopingMethod && CpuWork.Find(call, purity, skip: null, cancellationToken) is not null)
        {
            _callsLoopingMethod = true;
        }
    }

    /// <summary>A <c>new</c> of a BCL collection or string builder from values: an allocation, not a call with effects.</summary>
    public static bool IsKnownAllocation(IObjectCreationOperation creation)
    {
        var type = creation.Type;
        var ns = NamespaceName.Of(type);
        return ns is "System.Collections.Generic" or "System.Text" && creation.Arguments.All(a => a.Value.Type?.IsValueType != false || a.Value.ConstantValue.HasValue);
    }

    private static bool IsChecked(IOperation operation) => operation switch
    {
        IBinaryOperation binary => binary.IsChecked,
        IUnaryOperation unary => unary.IsChecked,
        ICompoundAssignmentOperation compound => compound.IsChecked,
        IIncrementOrDecrementOperation increment => increment.IsChecked,
        IConversionOperation conversion => conversion.IsChecked && !conversion.IsImplicit,
        _ => false,
    };

    /// <summary>
    /// Does the loop compute, rather than only move data? Its body (and a <c>while</c>/<c>do</c> condition; the control of
    /// nested <c>for</c> loops is not work) has arithmetic, a comparison, a call or an object creation. A loop that only
    /// allocates, copies or stores elements (<c>a[i][j] = new T[n]</c>, <c>row[j] = src[j]</c>) is bound by memory and
    /// the allocator, not by a core: on public code such loops were one-time setup (docs/precision.md).
    /// </summary>
    private static bool Computes(ILoopOperation loop, CancellationToken cancellationToken)
    {
        var stack = new Stack<IOperation>();
        PushWork(loop, stack);
        while (stack.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var operation = stack.Pop();
            switch (operation)
            {
                case ILoopOperation nested:
                    PushWork(nested, stack);
                    continue;
                case IBinaryOperation or IUnaryOperation or ICompoundAssignmentOperation or IIncrementOrDecrementOperation
                    or IInvocationOperation or IObjectCreationOperation:
                    return true;
            }

            foreach (var child in operation.ChildOperations)
            {
                stack.Push(child);
            }
        }

        return false;

        static void PushWork(ILoopOperation loop, Stack<IOperation> stack)
        {
            stack.Push(loop.Body);
            if (loop is IWhileLoopOperation { Condition: { } condition })
            {
                stack.Push(condition);
            }
        }
    }

    /// <summary>
    /// A <c>for</c> loop from a constant to a constant, in either direction, of at most <see cref="CpuWork.TrivialLoopBound"/>
    /// iterations (<c>for (int k = 8; k &gt; 0; k--)</c>), or one the code bounds by construction (<see cref="TripBound"/>:
    /// <c>k &lt; Coefficients.Length</c> over a <c>static readonly</c> table of 10): its work is counted, but it does not make
    /// the body heavy.
    /// </summary>
    private static bool IsSmallInnerLoop(ILoopOperation loop)
    {
        if (CpuWork.IsTriviallySmall(loop) || TripBound.IsSmall(loop))
        {
            return true;
        }

        if (loop is not IForLoopOperation { Before.Length: 1, Condition: IBinaryOperation condition } forLoop
            || forLoop.Before[0] is not IVariableDeclarationGroupOperation { Declarations.Length: 1 } group
            || group.Declarations[0].Declarators.Length != 1
            || group.Declarations[0].Declarators[0].GetVariableInitializer()?.Value.ConstantValue is not { HasValue: true } start
            || !LoopHeader.TryToLong(start.Value, out var first)
            || condition.RightOperand.ConstantValue is not { HasValue: true } end
            || !LoopHeader.TryToLong(end.Value, out var last)
            || condition.LeftOperand.UnwrapConversions() is not ILocalReferenceOperation { Local: { } variable }
            || !SymbolEqualityComparer.Default.Equals(variable, group.Declarations[0].Declarators[0].Symbol))
        {
            return false;
        }

        var inclusive = condition.OperatorKind is BinaryOperatorKind.LessThanOrEqual or BinaryOperatorKind.GreaterThanOrEqual;
        var span = System.Math.Abs(last - first) + (inclusive ? 1 : 0);
        return condition.OperatorKind is BinaryOperatorKind.LessThan or BinaryOperatorKind.LessThanOrEqual or BinaryOperatorKind.GreaterThan
                   or BinaryOperatorKind.GreaterThanOrEqual or BinaryOperatorKind.NotEquals
               && span <= CpuWork.TrivialLoopBound;
    }
}
