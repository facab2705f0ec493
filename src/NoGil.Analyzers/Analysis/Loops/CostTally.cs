using System.Runtime.CompilerServices;

namespace NoGil.Analyzers.Analysis.Loops;

/// <summary>The running cost estimate of one iteration, filled by the walk over the body (<see cref="LoopCost"/>).</summary>
internal sealed class CostTally
{
    /// <summary>The loop whose iteration is counted; null for an upper bound (<see cref="UpperBound"/>).</summary>
    private readonly ILoopOperation? _loop;

    /// <summary>The function's index arithmetic; null for an upper bound that counts every operation at full weight.</summary>
    private readonly IndexArithmetic? _index;
    private int _operations;
    private int _discounted;
    private bool _streamsMemory;
    private int _streamingNestOperations;
    private bool _hasInnerLoop;
    private bool _hasTranscendental;
    private bool _callsLoopingMethod;
    private bool _callsSourceMethod;
    private bool _callsRecursiveMethod;

    /// <summary>The body contains arithmetic in a <c>checked</c> context.</summary>
    public CostTally(ILoopOperation loop)
    {
        _loop = loop;
        _index = IndexArithmetic.Of(loop);
    }

    /// <summary>
    /// A tally without the function's index arithmetic (<see cref="IndexArithmetic"/>, a walk of the whole function): every
    /// operation at its full weight (<see cref="CallCost.WeightOf(IOperation)"/>, never less than the discounted weight) and
    /// every inner loop that is not small as one that computes. What it gives is an upper bound of the exact tally over the
    /// same operations: when even that is not <see cref="LoopCost.IsWorthParallelizing"/>, neither is the exact one
    /// (<see cref="LoopScreen"/>).
    /// </summary>
    public static CostTally UpperBound() => new();

    private CostTally()
    {
    }

    public bool HasCheckedArithmetic { get; private set; }

    public LoopCost ToLoopCost()
        => new(_operations, _hasInnerLoop, _hasTranscendental, _callsLoopingMethod, _callsSourceMethod, _callsRecursiveMethod, _discounted, _streamsMemory, _streamingNestOperations);

    /// <summary>
    /// Counts one operation of the body (<see cref="CallCost.WeightOf(IOperation, IndexArithmetic)"/>: index arithmetic
    /// counts nothing, an element move one) and notes checked arithmetic.
    /// </summary>
    public void Count(IOperation operation)
    {
        var weight = _index is null ? CallCost.WeightOf(operation) : CallCost.WeightOf(operation, _index);
        _operations += weight;
        _discounted += CallCost.WeightOf(operation) - weight;
        HasCheckedArithmetic |= IsChecked(operation);
    }

    /// <summary>
    /// Notes a loop nested in the body: it makes the body heavy unless it is small or does not compute — it only moves,
    /// converts or stores elements, at indices however computed — or, with the loop around it, visits each element once
    /// with a few operations (<see cref="StreamingNest"/>): then the nest is a flat loop over its elements, and its
    /// operations per element count as a flat body's do.
    /// </summary>
    public void CountInnerLoop(ILoopOperation inner, PurityCache purity, CancellationToken cancellationToken)
    {
        if (TripBound.IsSmall(inner))
        {
            return;
        }

        if (_loop is null || _index is null)
        {
            // The upper bound: every inner loop that is not small computes.
            _hasInnerLoop = true;
        }
        else if (!InnerLoopFacts.Of(inner).Computes(_index, cancellationToken))
        {
            _streamsMemory = true;
        }
        else if (!_hasInnerLoop && InnerLoopFacts.Of(inner).OperationsPerElement(_loop, _index, purity, cancellationToken) is { } perElement)
        {
            _streamsMemory = true;
            _streamingNestOperations = System.Math.Max(_streamingNestOperations, System.Math.Max(perElement, 1));
        }
        else
        {
            _hasInnerLoop = true;
        }
    }

    /// <summary>
    /// What <see cref="CountInnerLoop"/> asks of an inner loop, kept per loop: the screen's exact bound and the model's
    /// tally of the loop around it ask the same questions, and so does every loop around that one. Both answers depend
    /// only on the inner loop, the loop around it and their function (whose index arithmetic they are given).
    /// </summary>
    internal sealed class InnerLoopFacts
    {
        private readonly ILoopOperation _inner;
        private readonly Dictionary<ILoopOperation, int?> _perElement = new();
        private bool? _computes;

        private InnerLoopFacts(ILoopOperation inner)
        {
            _inner = inner;
        }

        public static InnerLoopFacts Of(ILoopOperation inner)
        {
            var facts = LoopFacts.Of(inner);
            return Volatile.Read(ref facts.AsInnerLoop) ?? FunctionFacts.Publish(ref facts.AsInnerLoop, new InnerLoopFacts(inner));
        }

        /// <summary><see cref="CostTally.Computes"/> of the inner loop.</summary>
        public bool Computes(IndexArithmetic index, CancellationToken cancellationToken)
        {
            lock (_perElement)
            {
                if (_computes is { } known)
                {
                    return known;
                }
            }

            var computes = CostTally.Computes(_inner, index, cancellationToken);
            lock (_perElement)
            {
                _computes = computes;
            }

            return computes;
        }

        /// <summary><see cref="StreamingNest.OperationsPerElement"/> of the inner loop in <paramref name="outer"/>.</summary>
        public int? OperationsPerElement(ILoopOperation outer, IndexArithmetic index, PurityCache purity, CancellationToken cancellationToken)
        {
            lock (_perElement)
            {
                if (_perElement.TryGetValue(outer, out var known))
                {
                    return known;
                }
            }

            var perElement = StreamingNest.OperationsPerElement(outer, _inner, index, purity, cancellationToken);
            lock (_perElement)
            {
                _perElement[outer] = perElement;
            }

            return perElement;
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
        _discounted = System.Math.Min(_discounted + cost.Discounted, int.MaxValue / 2);
        _hasTranscendental |= cost.HasTranscendental;
        _callsRecursiveMethod |= cost.IsRecursive;
        if (!_callsLoopingMethod && CpuWork.Find(call, purity, skip: null, cancellationToken) is not null)
        {
            // A callee whose every loop streams memory (a copy, a running sum of loads) costs its operations, not a nest.
            if (cost.OnlyLightLoops)
            {
                _streamsMemory = true;
            }
            else
            {
                _callsLoopingMethod = true;
            }
        }
    }

    /// <summary>A <c>new</c> of a BCL collection or string builder from values: an allocation, not a call with effects.</summary>
    public static bool IsKnownAllocation(IObjectCreationOperation creation)
    {
        var type = creation.Type;
        var ns = NamespaceName.Of(type);
        return ns is "System.Collections.Generic" or "System.Text" && creation.Arguments.All(a => a.Value.Type?.IsValueType != false || a.Value.ConstantValue.HasValue);
    }

    internal static bool IsChecked(IOperation operation) => operation switch
    {
        IBinaryOperation binary => binary.IsChecked,
        IUnaryOperation unary => unary.IsChecked,
        ICompoundAssignmentOperation compound => compound.IsChecked,
        IIncrementOrDecrementOperation increment => increment.IsChecked,
        IConversionOperation conversion => conversion.IsChecked && !conversion.IsImplicit,
        _ => false,
    };

    /// <summary>
    /// Does the loop compute, rather than only move data? Its body (and a <c>while</c>/<c>do</c> condition, a <c>for</c>
    /// header that computes its next value rather than adding to it; of nested loops too) has arithmetic, a comparison, a call or an object creation that is not index
    /// arithmetic (<see cref="IndexArithmetic"/>: <c>ret[j * rows + i] = data[offset + j]</c>, a bounds guard
    /// <c>if (i &lt; b.GetLength(0))</c>) and not an element move (<see cref="CallCost.IsElementMove"/>). A loop that only
    /// allocates, copies, converts or stores elements (<c>a[i][j] = new T[n]</c>, <c>row[j] = (T)src[j]</c>,
    /// <c>idx[offset + j] = j</c>) is bound by memory and the allocator, not by a core: on public code such loops were
    /// one-time setup or copies judged not worth a worker (docs/precision.md).
    /// </summary>
    private static bool Computes(ILoopOperation loop, IndexArithmetic index, CancellationToken cancellationToken)
    {
        var stack = new Stack<IOperation>(32);
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
                case IInvocationOperation invocation when CallCost.IsElementMove(invocation.TargetMethod) || index.IsIndexOperation(invocation):
                    break;
                case IBinaryOperation or IUnaryOperation or ICompoundAssignmentOperation or IIncrementOrDecrementOperation when index.IsIndexOperation(operation):
                    break;
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

        static bool CountsByItself(IForLoopOperation loop)
            => loop.AtLoopBottom.Length > 0 && loop.AtLoopBottom.All(step => (step is IExpressionStatementOperation statement ? statement.Operation : step) is IIncrementOrDecrementOperation
                or ICompoundAssignmentOperation { OperatorKind: BinaryOperatorKind.Add or BinaryOperatorKind.Subtract });

        static void PushWork(ILoopOperation loop, Stack<IOperation> stack)
        {
            stack.Push(loop.Body);
            switch (loop)
            {
                case IWhileLoopOperation { Condition: { } condition }:
                    stack.Push(condition);
                    break;
                case IForLoopOperation forLoop when !CountsByItself(forLoop):
                    // A header that steps its variable by addition (j++, offset += 2) only counts; one that computes the
                    // next value (n = n / 2 or 3n + 1) is the loop's work.
                    if (forLoop.Condition is { } test)
                    {
                        stack.Push(test);
                    }

                    foreach (var step in forLoop.AtLoopBottom)
                    {
                        stack.Push(step);
                    }

                    break;
            }
        }
    }
}
