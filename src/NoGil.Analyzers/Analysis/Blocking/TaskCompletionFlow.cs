using Microsoft.CodeAnalysis.FlowAnalysis;

namespace NoGil.Analyzers.Analysis.Blocking;

/// <summary>
/// A forward "must" data-flow analysis over Roslyn's control-flow graph that proves which tasks are
/// already complete at a point: awaited before on every path, part of an awaited <c>Task.WhenAll</c>,
/// the result of an awaited <c>Task.WhenAny</c> or equal to it, guarded by <c>IsCompleted</c>/<c>IsCompletedSuccessfully</c>/
/// <c>Status == TaskStatus.RanToCompletion</c> (also as patterns, switch cases and switch-expression arms), by a timed
/// wait that returned <c>true</c>, the antecedent inside its own <c>ContinueWith</c> continuation, or complete by
/// construction (<see cref="SynchronousCompletion"/>). A wait on such a task does not block and is not reported.
/// </summary>
public static partial class TaskCompletionFlow
{
    /// <summary>
    /// Cheap pre-check on the original operation tree: is there anything to analyze at all, and is the tree small
    /// enough? <paramref name="maxOperations"/> bounds the trees worth a control-flow graph (0: no bound).
    /// </summary>
    public static CandidateScan Scan(IOperation root, KnownTypes types, int maxOperations, CancellationToken cancellationToken)
    {
        var count = 0;
        var found = false;
        foreach (var operation in root.DescendantsAndSelf())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (maxOperations > 0 && ++count > maxOperations)
            {
                return CandidateScan.TooLarge;
            }

            if (found)
            {
                continue;
            }

            var name = operation switch
            {
                IInvocationOperation invocation => invocation.TargetMethod.Name,
                IPropertyReferenceOperation property => property.Property.Name,
                _ => null,
            };

            if (name is not null && BlockingWait.IsCandidateName(name) && BlockingWait.TryCreate(operation, types) is not null)
            {
                found = true;
                if (maxOperations <= 0)
                {
                    break;
                }
            }
        }

        return found ? CandidateScan.Candidate : CandidateScan.NoCandidate;
    }

    /// <summary>Finds every blocking wait in <paramref name="graph"/> and in the functions nested in it.</summary>
    public static IReadOnlyList<BlockingWaitSite> Analyze(
        ControlFlowGraph graph,
        IOperation originalRoot,
        IMethodSymbol? function,
        KnownTypes types,
        CancellationToken cancellationToken)
    {
        var walker = new Walker(types, originalRoot, cancellationToken);
        walker.AnalyzeGraph(graph, function, new HashSet<CompletionKey>());
        return walker.Sites;
    }

    private readonly struct CompletionKey : IEquatable<CompletionKey>
    {
        public CompletionKey(ISymbol symbol, bool elements)
        {
            Symbol = symbol;
            Elements = elements;
        }

        public ISymbol Symbol { get; }

        /// <summary>True: every element of the collection held by <see cref="Symbol"/>.</summary>
        public bool Elements { get; }

        public bool Equals(CompletionKey other)
            => Elements == other.Elements && SymbolEqualityComparer.Default.Equals(Symbol, other.Symbol);

        public override bool Equals(object? obj) => obj is CompletionKey other && Equals(other);

        public override int GetHashCode() => SymbolEqualityComparer.Default.GetHashCode(Symbol) * 2 + (Elements ? 1 : 0);
    }

    private readonly struct Guard
    {
        public Guard(List<CompletionKey>? whenTrue, List<CompletionKey>? whenFalse)
        {
            WhenTrue = whenTrue;
            WhenFalse = whenFalse;
        }

        public List<CompletionKey>? WhenTrue { get; }

        public List<CompletionKey>? WhenFalse { get; }

        public Guard Negate() => new(WhenFalse, WhenTrue);
    }

    private sealed partial class Walker
    {
        private const int TaskStatusRanToCompletion = 5;
        private const int TaskStatusCanceled = 6;
        private const int TaskStatusFaulted = 7;

        /// <summary>Bounds the recursion of guard reading over nested conditions, patterns and captures.</summary>
        private const int MaxGuardDepth = 32;

        private readonly KnownTypes _types;
        private readonly CancellationToken _cancellationToken;
        private readonly Dictionary<ILocalSymbol, CompletionKey> _foreachElements = new(SymbolEqualityComparer.Default);
        private readonly HashSet<SyntaxNode> _reported = new();
        private readonly Stack<(IOperation Operation, bool ChildrenDone)> _stack = new();

        public Walker(KnownTypes types, IOperation originalRoot, CancellationToken cancellationToken)
        {
            _types = types;
            _cancellationToken = cancellationToken;
            foreach (var operation in originalRoot.DescendantsAndSelf())
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (operation is IForEachLoopOperation { LoopControlVariable: IVariableDeclaratorOperation declarator } loop
                    && KeyOf(loop.Collection, null) is { Elements: false } collection)
                {
                    _foreachElements[declarator.Symbol] = new CompletionKey(collection.Symbol, elements: true);
                }
            }
        }

        public List<BlockingWaitSite> Sites { get; } = new();

        public void AnalyzeGraph(ControlFlowGraph graph, IMethodSymbol? function, HashSet<CompletionKey> initial)
        {
            var blocks = graph.Blocks;
            var count = blocks.Length;
            var inStates = new HashSet<CompletionKey>?[count];
            var fallOut = new HashSet<CompletionKey>?[count];
            var conditionalOut = new HashSet<CompletionKey>?[count];
            var captures = new Dictionary<CaptureId, CompletionKey?>();
            var graphState = new GraphState(captures, new Dictionary<IFlowAnonymousFunctionOperation, List<CompletionKey>>());

            // Iterate to a fixed point. The lattice is finite and the transfer functions are monotone,
            // so this terminates; the pass limit is a safety net for pathological graphs.
            var maxPasses = 8 + count;
            var changed = true;
            for (var pass = 0; changed && pass < maxPasses; pass++)
            {
                _cancellationToken.ThrowIfCancellationRequested();
                changed = false;
                for (var i = 0; i < count; i++)
                {
                    _cancellationToken.ThrowIfCancellationRequested();
                    var input = i == 0 ? initial : Join(blocks, i, inStates, fallOut, conditionalOut);
                    if (input is null || (inStates[i] is { } previous && previous.SetEquals(input) && fallOut[i] is not null))
                    {
                        continue;
                    }

                    inStates[i] = input;
                    var state = new HashSet<CompletionKey>(input);
                    ProcessBlock(blocks[i], state, graphState, function, report: false, nested: null, out var fall, out var conditional);
                    fallOut[i] = fall;
                    conditionalOut[i] = conditional;
                    changed = true;
                }
            }

            var nestedFunctions = new List<(IFlowAnonymousFunctionOperation Function, HashSet<CompletionKey> State)>();
            for (var i = 0; i < count; i++)
            {
                _cancellationToken.ThrowIfCancellationRequested();
                var state = new HashSet<CompletionKey>(inStates[i] ?? initial);
                ProcessBlock(blocks[i], state, graphState, function, report: true, nestedFunctions, out _, out _);
            }

            foreach (var (lambda, state) in nestedFunctions)
            {
                if (graphState.Continuations.TryGetValue(lambda, out var extra))
                {
                    state.UnionWith(extra);
                }

                AnalyzeGraph(graph.GetAnonymousFunctionControlFlowGraph(lambda, _cancellationToken), lambda.Symbol, state);
            }

            foreach (var localFunction in graph.LocalFunctions)
            {
                AnalyzeGraph(graph.GetLocalFunctionControlFlowGraph(localFunction, _cancellationToken), localFunction, new HashSet<CompletionKey>());
            }
        }

        private static HashSet<CompletionKey>? Join(
            System.Collections.Immutable.ImmutableArray<BasicBlock> blocks,
            int index,
            HashSet<CompletionKey>?[] inStates,
            HashSet<CompletionKey>?[] fallOut,
            HashSet<CompletionKey>?[] conditionalOut)
        {
            var block = blocks[index];
            if (block.Predecessors.IsEmpty)
            {
                // The first block of a catch/filter/finally handler: entered from anywhere in its try region.
                // Use what was known when the try region was entered.
                for (var region = block.EnclosingRegion; region is not null; region = region.EnclosingRegion)
                {
                    if (region.Kind is ControlFlowRegionKind.Catch or ControlFlowRegionKind.Filter or ControlFlowRegionKind.Finally
                        && region.EnclosingRegion is { } parent)
                    {
                        var tryAndHandlers = parent.Kind == ControlFlowRegionKind.FilterAndHandler ? parent.EnclosingRegion : parent;
                        var tryRegion = tryAndHandlers is { NestedRegions.Length: > 0 } ? tryAndHandlers.NestedRegions[0] : null;
                        if (tryRegion is not null && tryRegion.FirstBlockOrdinal != index && inStates[tryRegion.FirstBlockOrdinal] is { } tryState)
                        {
                            return new HashSet<CompletionKey>(tryState);
                        }

                        return null;
                    }
                }

                return null;
            }

            HashSet<CompletionKey>? result = null;
            foreach (var branch in block.Predecessors)
            {
                var source = branch.Source.Ordinal;
                var state = branch.IsConditionalSuccessor ? conditionalOut[source] : fallOut[source];
                if (state is null)
                {
                    continue;
                }

                if (result is null)
                {
                    result = new HashSet<CompletionKey>(state);
                }
                else
                {
                    result.IntersectWith(state);
                }
            }

            return result;
        }

        private sealed class GraphState
        {
            public GraphState(Dictionary<CaptureId, CompletionKey?> captures, Dictionary<IFlowAnonymousFunctionOperation, List<CompletionKey>> continuations)
            {
                Captures = captures;
                Continuations = continuations;
            }

            public Dictionary<CaptureId, CompletionKey?> Captures { get; }

            /// <summary>The value each flow capture holds (null: captured more than one value), for reading guards.</summary>
            public Dictionary<CaptureId, IOperation?> CapturedValues { get; } = new();

            public Dictionary<IFlowAnonymousFunctionOperation, List<CompletionKey>> Continuations { get; }
        }

        private void ProcessBlock(
            BasicBlock block,
            HashSet<CompletionKey> state,
            GraphState graphState,
            IMethodSymbol? function,
            bool report,
            List<(IFlowAnonymousFunctionOperation, HashSet<CompletionKey>)>? nested,
            out HashSet<CompletionKey> fall,
            out HashSet<CompletionKey> conditional)
        {
            foreach (var operation in block.Operations)
            {
                Walk(operation, state, graphState, function, report, nested);
            }

            if (block.BranchValue is not { } branchValue || block.ConditionKind == ControlFlowConditionKind.None)
            {
                if (block.BranchValue is { } value)
                {
                    Walk(value, state, graphState, function, report, nested);
                }

                fall = state;
                conditional = state;
                return;
            }

            Walk(branchValue, state, graphState, function, report, nested);
            var guard = GuardOf(branchValue, state, graphState);
            var whenTrue = new HashSet<CompletionKey>(state);
            var whenFalse = new HashSet<CompletionKey>(state);
            if (guard.WhenTrue is { } t)
            {
                whenTrue.UnionWith(t);
            }

            if (guard.WhenFalse is { } f)
            {
                whenFalse.UnionWith(f);
            }

            if (block.ConditionKind == ControlFlowConditionKind.WhenTrue)
            {
                conditional = whenTrue;
                fall = whenFalse;
            }
            else
            {
                conditional = whenFalse;
                fall = whenTrue;
            }
        }

        /// <summary>Post-order walk (operands before the operation that uses them), without recursion.</summary>
        private void Walk(
            IOperation root,
            HashSet<CompletionKey> state,
            GraphState graphState,
            IMethodSymbol? function,
            bool report,
            List<(IFlowAnonymousFunctionOperation, HashSet<CompletionKey>)>? nested)
        {
            _stack.Clear();
            _stack.Push((root, false));
            var steps = 0;
            while (_stack.Count > 0)
            {
                // Cheap enough per step, but a block's expression can be huge (a 5,000-term sum): poll every 256 steps.
                if ((++steps & 0xFF) == 0)
                {
                    _cancellationToken.ThrowIfCancellationRequested();
                }

                var (operation, childrenDone) = _stack.Pop();
                if (operation is IFlowAnonymousFunctionOperation lambda)
                {
                    nested?.Add((lambda, new HashSet<CompletionKey>(state)));
                    continue;
                }

                if (!childrenDone)
                {
                    _stack.Push((operation, true));
                    var children = new List<IOperation>(operation.ChildOperations);
                    for (var i = children.Count - 1; i >= 0; i--)
                    {
                        _stack.Push((children[i], false));
                    }

                    continue;
                }

                Transfer(operation, state, graphState, function, report);
            }
        }
    }
}
