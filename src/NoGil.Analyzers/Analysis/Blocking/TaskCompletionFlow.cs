using System;
using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using NoGil.Analyzers.Infrastructure;

namespace NoGil.Analyzers.Analysis.Blocking;

/// <summary>What <see cref="TaskCompletionFlow.Scan"/> found in an operation tree.</summary>
public enum CandidateScan
{
    /// <summary>No blocking wait: nothing to analyze.</summary>
    NoCandidate,

    /// <summary>At least one blocking wait, in a tree small enough to analyze.</summary>
    Candidate,

    /// <summary>More operations than the bound: not analyzed.</summary>
    TooLarge,
}

/// <summary>A blocking wait found in a function body, with what the flow analysis proved about it.</summary>
public sealed class BlockingWaitSite
{
    internal BlockingWaitSite(BlockingWait wait, IMethodSymbol? function, bool isTaskKnownComplete, bool isOffloadedWork)
    {
        Wait = wait;
        Function = function;
        IsTaskKnownComplete = isTaskKnownComplete;
        IsOffloadedWork = isOffloadedWork;
    }

    public BlockingWait Wait { get; }

    /// <summary>The innermost function (method, accessor, local function or lambda) that executes the wait.</summary>
    public IMethodSymbol? Function { get; }

    /// <summary>True when every path to the wait has already completed the task, so it does not block.</summary>
    public bool IsTaskKnownComplete { get; }

    /// <summary>
    /// True when the task is synchronous work created right there by <c>Task.Run</c> / <c>Task.Factory.StartNew</c>
    /// and blocked on at once: NOGIL204 reports it (call the work directly), so NOGIL201/203 stay quiet.
    /// </summary>
    public bool IsOffloadedWork { get; }

    public SyntaxNode Syntax => Wait.Operation.Syntax;

    internal BlockingWaitSite WithOffloadedWork(bool isOffloadedWork)
        => isOffloadedWork == IsOffloadedWork ? this : new BlockingWaitSite(Wait, Function, IsTaskKnownComplete, isOffloadedWork);

    public bool IsInAsyncFunction => Function is { IsAsync: true };

    public bool IsInAnonymousFunction => Function is { MethodKind: MethodKind.AnonymousFunction };
}

/// <summary>
/// A forward "must" data-flow analysis over Roslyn's control-flow graph that proves which tasks are
/// already complete at a point: awaited before on every path, part of an awaited <c>Task.WhenAll</c>,
/// the result of an awaited <c>Task.WhenAny</c>, guarded by <c>IsCompleted</c>/<c>IsCompletedSuccessfully</c>/
/// <c>Status == TaskStatus.RanToCompletion</c>, or the antecedent inside its own <c>ContinueWith</c>
/// continuation. A wait on such a task does not block and is not reported.
/// </summary>
public static class TaskCompletionFlow
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

    private sealed class Walker
    {
        private const int TaskStatusRanToCompletion = 5;
        private const int TaskStatusCanceled = 6;
        private const int TaskStatusFaulted = 7;

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
            var guard = GuardOf(branchValue, graphState);
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

        private void Transfer(IOperation operation, HashSet<CompletionKey> state, GraphState graphState, IMethodSymbol? function, bool report)
        {
            switch (operation)
            {
                case IAwaitOperation awaitOperation:
                    MarkAwaited(awaitOperation.Operation, state, graphState);
                    break;

                case IPropertyReferenceOperation { Property.Name: "Result" }:
                    OnPossibleWait(operation, state, graphState, function, report);
                    break;

                case IInvocationOperation invocation:
                    if (BlockingWait.IsCandidateName(invocation.TargetMethod.Name))
                    {
                        OnPossibleWait(operation, state, graphState, function, report);
                    }

                    OnInvocation(invocation, state, graphState);
                    break;

                case IFlowCaptureOperation capture:
                    var captured = KeyOf(capture.Value, graphState);
                    if (graphState.Captures.TryGetValue(capture.Id, out var existing) && !Nullable.Equals(existing, captured))
                    {
                        graphState.Captures[capture.Id] = null;
                    }
                    else
                    {
                        graphState.Captures[capture.Id] = captured;
                    }

                    break;

                case ISimpleAssignmentOperation assignment:
                    if (KeyOf(assignment.Target, graphState) is { } target)
                    {
                        Kill(state, target);
                        if (!target.Elements && IsCompletedValue(assignment.Value, state, graphState))
                        {
                            state.Add(target);
                        }
                    }

                    break;

                case ICompoundAssignmentOperation compound:
                    KillTarget(compound.Target, state, graphState);
                    break;

                case ICoalesceAssignmentOperation coalesce:
                    KillTarget(coalesce.Target, state, graphState);
                    break;

                case IIncrementOrDecrementOperation increment:
                    KillTarget(increment.Target, state, graphState);
                    break;

                case IDeconstructionAssignmentOperation deconstruction:
                    foreach (var part in deconstruction.Target.DescendantsAndSelf())
                    {
                        KillTarget(part, state, graphState);
                    }

                    break;

                case IArgumentOperation { Parameter.RefKind: RefKind.Ref or RefKind.Out } argument:
                    KillTarget(argument.Value, state, graphState);
                    break;
            }
        }

        private void OnPossibleWait(IOperation operation, HashSet<CompletionKey> state, GraphState graphState, IMethodSymbol? function, bool report)
        {
            if (BlockingWait.TryCreate(operation, _types) is not { } wait)
            {
                return;
            }

            if (report && _reported.Add(operation.Syntax))
            {
                var complete = wait.Task is { } task
                    ? IsComplete(task, state, graphState)
                    : wait.Kind == BlockingWaitKind.WaitAll && AllArgumentsComplete((IInvocationOperation)operation, state, graphState);
                Sites.Add(new BlockingWaitSite(wait, function, complete, wait.Task is { } t && IsOffloadedWork(t)));
            }

            // After a wait returns, the task is complete: later waits on it do not block.
            if (wait.Task is { } waited)
            {
                if (KeyOf(waited, graphState) is { } key)
                {
                    state.Add(key);
                }
            }
            else if (wait.Kind == BlockingWaitKind.WaitAll)
            {
                MarkAllArguments((IInvocationOperation)operation, state, graphState);
            }
        }

        private void OnInvocation(IInvocationOperation invocation, HashSet<CompletionKey> state, GraphState graphState)
        {
            var method = invocation.TargetMethod;
            if (method.Name is "ContinueWith" && invocation.Instance is { } antecedent && _types.IsTaskLike(antecedent.Type))
            {
                foreach (var argument in invocation.Arguments)
                {
                    if (UnwrapDelegate(argument.Value) is { } lambda)
                    {
                        var keys = new List<CompletionKey>();
                        if (KeyOf(antecedent, graphState) is { } antecedentKey)
                        {
                            keys.Add(antecedentKey);
                        }

                        if (lambda.Symbol.Parameters.Length > 0)
                        {
                            keys.Add(new CompletionKey(lambda.Symbol.Parameters[0], elements: false));
                        }

                        graphState.Continuations[lambda] = keys;
                    }
                }
            }

            if (invocation.Instance is { } instance
                && method.Name is "Add" or "AddRange" or "Insert" or "InsertRange" or "Clear" or "Remove" or "RemoveAt" or "RemoveAll" or "RemoveRange" or "Push" or "Enqueue" or "Reverse" or "Sort"
                && KeyOf(instance, graphState) is { Elements: false } collection)
            {
                state.Remove(new CompletionKey(collection.Symbol, elements: true));
            }
        }

        private static IFlowAnonymousFunctionOperation? UnwrapDelegate(IOperation operation)
        {
            while (true)
            {
                switch (operation)
                {
                    case IDelegateCreationOperation creation:
                        operation = creation.Target;
                        continue;
                    case IConversionOperation conversion:
                        operation = conversion.Operand;
                        continue;
                    case IFlowAnonymousFunctionOperation lambda:
                        return lambda;
                    default:
                        return null;
                }
            }
        }

        private void MarkAwaited(IOperation awaited, HashSet<CompletionKey> state, GraphState graphState)
        {
            var operand = StripConfigureAwait(Unwrap(awaited));
            if (operand is IInvocationOperation { TargetMethod: { Name: "WhenAll", IsStatic: true } method } whenAll
                && KnownTypes.Is(method.ContainingType, _types.Task))
            {
                MarkAllArguments(whenAll, state, graphState);
                return;
            }

            if (KeyOf(operand, graphState) is { } key)
            {
                state.Add(key);
            }
        }

        private void MarkAllArguments(IInvocationOperation invocation, HashSet<CompletionKey> state, GraphState graphState)
        {
            foreach (var argument in invocation.Arguments)
            {
                var value = Unwrap(argument.Value);
                if (value is IArrayCreationOperation { Initializer: { } initializer })
                {
                    foreach (var element in initializer.ElementValues)
                    {
                        if (KeyOf(element, graphState) is { } elementKey)
                        {
                            state.Add(elementKey);
                        }
                    }
                }
                else if (KeyOf(value, graphState) is { Elements: false } collection)
                {
                    state.Add(new CompletionKey(collection.Symbol, elements: true));
                }
            }
        }

        private bool AllArgumentsComplete(IInvocationOperation invocation, HashSet<CompletionKey> state, GraphState graphState)
        {
            foreach (var argument in invocation.Arguments)
            {
                var value = Unwrap(argument.Value);
                if (value is IArrayCreationOperation { Initializer: { } initializer })
                {
                    foreach (var element in initializer.ElementValues)
                    {
                        if (!IsComplete(element, state, graphState))
                        {
                            return false;
                        }
                    }
                }
                else if (KeyOf(value, graphState) is not { Elements: false } collection
                         || !state.Contains(new CompletionKey(collection.Symbol, elements: true)))
                {
                    return false;
                }
            }

            return invocation.Arguments.Length > 0;
        }

        private bool IsComplete(IOperation task, HashSet<CompletionKey> state, GraphState graphState)
        {
            task = StripConfigureAwait(Unwrap(task));
            if (IsCompletedValue(task, state, graphState))
            {
                return true;
            }

            if (KeyOf(task, graphState) is { } key)
            {
                if (state.Contains(key))
                {
                    return true;
                }

                if (!key.Elements && key.Symbol is ILocalSymbol local
                    && _foreachElements.TryGetValue(local, out var elements) && state.Contains(elements))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>A value that is a completed task by construction.</summary>
        private bool IsCompletedValue(IOperation value, HashSet<CompletionKey> state, GraphState graphState)
        {
            value = Unwrap(value);
            switch (value)
            {
                case IAwaitOperation awaitOperation:
                    // await Task.WhenAny(…) returns a task that has completed.
                    return StripConfigureAwait(Unwrap(awaitOperation.Operation)) is IInvocationOperation { TargetMethod: { Name: "WhenAny", IsStatic: true } whenAny }
                           && KnownTypes.Is(whenAny.ContainingType, _types.Task);

                case IPropertyReferenceOperation { Property: { Name: "CompletedTask", IsStatic: true } property }:
                    return _types.IsTaskLike(property.ContainingType);

                case IInvocationOperation { TargetMethod: { IsStatic: true, Name: "FromResult" or "FromException" or "FromCanceled" } factory }:
                    return _types.IsTaskLike(factory.ContainingType);

                default:
                    return KeyOf(value, graphState) is { } key && state.Contains(key);
            }
        }

        private bool IsOffloadedWork(IOperation task)
        {
            task = StripConfigureAwait(Unwrap(task));
            return task is IInvocationOperation { TargetMethod: { } target }
                   && ((target.Name == "Run" && target.IsStatic && KnownTypes.Is(target.ContainingType, _types.Task))
                       || (target.Name == "StartNew" && (KnownTypes.Is(target.ContainingType.OriginalDefinition, _types.TaskFactory) || KnownTypes.Is(target.ContainingType.OriginalDefinition, _types.TaskFactoryOfT))));
        }

        private Guard GuardOf(IOperation condition, GraphState graphState)
        {
            condition = Unwrap(condition);
            switch (condition)
            {
                case IPropertyReferenceOperation { Property.Name: "IsCompleted" or "IsCompletedSuccessfully" or "IsFaulted" or "IsCanceled", Instance: { } instance } property
                    when _types.IsTaskLike(property.Property.ContainingType):
                    return KeyOf(instance, graphState) is { } key ? new Guard(new List<CompletionKey> { key }, null) : default;

                case IInvocationOperation { TargetMethod: { Name: "Wait", IsStatic: false, ReturnsVoid: false } wait, Instance: { } waited }
                    when _types.IsTaskType(wait.ContainingType):
                    // `if (t.Wait(timeout))`: true only once the task has completed.
                    return KeyOf(waited, graphState) is { } waitedKey ? new Guard(new List<CompletionKey> { waitedKey }, null) : default;

                case IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } not:
                    return GuardOf(not.Operand, graphState).Negate();

                case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd } and:
                    return new Guard(Union(GuardOf(and.LeftOperand, graphState).WhenTrue, GuardOf(and.RightOperand, graphState).WhenTrue), null);

                case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalOr } or:
                    return new Guard(null, Union(GuardOf(or.LeftOperand, graphState).WhenFalse, GuardOf(or.RightOperand, graphState).WhenFalse));

                case IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals } binary:
                {
                    var guard = EqualityGuard(binary.LeftOperand, binary.RightOperand, graphState)
                                ?? EqualityGuard(binary.RightOperand, binary.LeftOperand, graphState);
                    if (guard is not { } g)
                    {
                        return default;
                    }

                    return binary.OperatorKind == BinaryOperatorKind.Equals ? g : g.Negate();
                }

                case IIsPatternOperation isPattern:
                    return PatternGuard(isPattern.Value, isPattern.Pattern, graphState);

                default:
                    return default;
            }
        }

        /// <summary>Guard of <c>left == right</c>, where <paramref name="right"/> is a constant.</summary>
        private Guard? EqualityGuard(IOperation left, IOperation right, GraphState graphState)
        {
            if (!right.ConstantValue.HasValue)
            {
                return null;
            }

            var constant = right.ConstantValue.Value;
            if (constant is bool boolean)
            {
                var inner = GuardOf(left, graphState);
                return boolean ? inner : inner.Negate();
            }

            if (Unwrap(left) is IPropertyReferenceOperation { Property.Name: "Status", Instance: { } instance } status
                && _types.IsTaskType(status.Property.ContainingType)
                && constant is int value && value is TaskStatusRanToCompletion or TaskStatusCanceled or TaskStatusFaulted
                && KeyOf(instance, graphState) is { } key)
            {
                return new Guard(new List<CompletionKey> { key }, null);
            }

            return null;
        }

        private Guard PatternGuard(IOperation value, IPatternOperation pattern, GraphState graphState)
        {
            switch (pattern)
            {
                case INegatedPatternOperation negated:
                    return PatternGuard(value, negated.Pattern, graphState).Negate();

                case IConstantPatternOperation constant:
                    return EqualityGuard(value, constant.Value, graphState) ?? default;

                case IRecursivePatternOperation recursive when KeyOf(value, graphState) is { } key && _types.IsTaskLike(value.Type):
                    foreach (var subpattern in recursive.PropertySubpatterns)
                    {
                        if (subpattern.Member is IPropertyReferenceOperation { Property.Name: "IsCompleted" or "IsCompletedSuccessfully" or "IsFaulted" or "IsCanceled" }
                            && subpattern.Pattern is IConstantPatternOperation { Value.ConstantValue: { HasValue: true, Value: true } })
                        {
                            return new Guard(new List<CompletionKey> { key }, null);
                        }
                    }

                    return default;

                default:
                    return default;
            }
        }

        private static List<CompletionKey>? Union(List<CompletionKey>? left, List<CompletionKey>? right)
        {
            if (left is null)
            {
                return right;
            }

            if (right is null)
            {
                return left;
            }

            var result = new List<CompletionKey>(left);
            result.AddRange(right);
            return result;
        }

        private void KillTarget(IOperation target, HashSet<CompletionKey> state, GraphState graphState)
        {
            if (KeyOf(target, graphState) is { } key)
            {
                Kill(state, key);
            }
        }

        private static void Kill(HashSet<CompletionKey> state, CompletionKey key)
        {
            state.Remove(key);
            state.Remove(new CompletionKey(key.Symbol, elements: true));
        }

        /// <summary>Identity of a task-holding storage location: a local, parameter, field, property or their elements.</summary>
        private CompletionKey? KeyOf(IOperation operation, GraphState? graphState)
        {
            operation = Unwrap(operation);
            switch (operation)
            {
                case ILocalReferenceOperation local:
                    return new CompletionKey(local.Local, elements: false);
                case IParameterReferenceOperation parameter:
                    return new CompletionKey(parameter.Parameter, elements: false);
                case IFieldReferenceOperation field when field.Instance is null or IInstanceReferenceOperation:
                    return new CompletionKey(field.Field, elements: false);
                case IPropertyReferenceOperation property when property.Arguments.Length == 0 && property.Instance is null or IInstanceReferenceOperation:
                    return new CompletionKey(property.Property, elements: false);
                case IArrayElementReferenceOperation element when element.Indices.Length == 1:
                    return KeyOf(element.ArrayReference, graphState) is { Elements: false } array ? new CompletionKey(array.Symbol, elements: true) : null;
                case IPropertyReferenceOperation { Property.IsIndexer: true, Instance: { } instance }:
                    return KeyOf(instance, graphState) is { Elements: false } list ? new CompletionKey(list.Symbol, elements: true) : null;
                case IFlowCaptureReferenceOperation reference when graphState is not null:
                    return graphState.Captures.TryGetValue(reference.Id, out var captured) ? captured : null;
                default:
                    return null;
            }
        }

        private static IOperation Unwrap(IOperation operation)
        {
            while (operation is IConversionOperation conversion)
            {
                operation = conversion.Operand;
            }

            return operation;
        }

        private IOperation StripConfigureAwait(IOperation operation)
        {
            while (operation is IInvocationOperation { TargetMethod.Name: "ConfigureAwait" or "AsTask", Instance: { } instance }
                   && _types.IsTaskLike(instance.Type))
            {
                operation = Unwrap(instance);
            }

            return operation;
        }
    }
}
