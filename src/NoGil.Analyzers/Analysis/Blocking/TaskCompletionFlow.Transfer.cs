using Microsoft.CodeAnalysis.FlowAnalysis;

namespace NoGil.Analyzers.Analysis.Blocking;

/// <summary>The transfer functions of <see cref="TaskCompletionFlow"/>: what each operation proves or kills.</summary>
public static partial class TaskCompletionFlow
{
    private sealed partial class Walker
    {
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

                    graphState.CapturedValues[capture.Id] = graphState.CapturedValues.TryGetValue(capture.Id, out var previousValue) && previousValue != capture.Value
                        ? null
                        : capture.Value;

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

            // After a wait returns, the task is complete: later waits on it do not block. A timed wait may have
            // returned false: only its `true` branch proves completion (a guard).
            if (!wait.WaitsForCompletion)
            {
                return;
            }

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
            var operand = StripConfigureAwait(awaited.UnwrapAllConversions());

            // `await t.WaitAsync(timeout or token)` returns normally only once t has completed.
            while (operand is IInvocationOperation { TargetMethod: { Name: "WaitAsync", IsStatic: false } waitAsync, Instance: { } waitedTask }
                   && _types.IsTaskType(waitAsync.ContainingType))
            {
                operand = StripConfigureAwait(waitedTask.UnwrapAllConversions());
            }

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
            if (CollectionKeys(invocation, graphState) is { } keys)
            {
                state.UnionWith(keys);
            }
        }

        /// <summary>
        /// The tasks passed as the collection of <c>WhenAll</c>/<c>WaitAll</c> (the first parameter, never a time-out
        /// or token): each element written out, or every element of a collection variable.
        /// </summary>
        private List<CompletionKey>? CollectionKeys(IInvocationOperation invocation, GraphState graphState)
        {
            List<CompletionKey>? keys = null;
            foreach (var argument in invocation.Arguments)
            {
                if (argument.Parameter is not { Ordinal: 0 })
                {
                    continue;
                }

                var value = argument.Value.UnwrapAllConversions();
                if (value.ElementsWritten() is { IsDefault: false } elements)
                {
                    foreach (var element in elements)
                    {
                        if (KeyOf(element, graphState) is { } elementKey)
                        {
                            (keys ??= new List<CompletionKey>()).Add(elementKey);
                        }
                    }
                }
                else if (KeyOf(value, graphState) is { Elements: false } collection)
                {
                    (keys ??= new List<CompletionKey>()).Add(new CompletionKey(collection.Symbol, elements: true));
                }
            }

            return keys;
        }

        private bool AllArgumentsComplete(IInvocationOperation invocation, HashSet<CompletionKey> state, GraphState graphState)
        {
            foreach (var argument in invocation.Arguments)
            {
                if (argument.Parameter is not { Ordinal: 0 })
                {
                    continue;
                }

                var value = argument.Value.UnwrapAllConversions();
                if (value.ElementsWritten() is { IsDefault: false } elements)
                {
                    foreach (var element in elements)
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
            task = StripConfigureAwait(task.UnwrapAllConversions());
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
            value = Resolve(value, graphState);
            switch (value)
            {
                case IAwaitOperation awaitOperation:
                    // await Task.WhenAny(…) returns a task that has completed.
                    return StripConfigureAwait(awaitOperation.Operation.UnwrapAllConversions()) is IInvocationOperation { TargetMethod: { Name: "WhenAny", IsStatic: true } whenAny }
                           && KnownTypes.Is(whenAny.ContainingType, _types.Task);

                case IPropertyReferenceOperation { Property: { Name: "CompletedTask", IsStatic: true } property }:
                    return _types.IsTaskLike(property.ContainingType);

                case IInvocationOperation { TargetMethod: { IsStatic: true, Name: "FromResult" or "FromException" or "FromCanceled" } factory }:
                    return _types.IsTaskLike(factory.ContainingType);

                case IInvocationOperation call when SynchronousCompletion.IsCompleteByConstruction(call, _types, _cancellationToken):
                    // `DoAsync(buffer, isAsync: false)`: every await of the callee is under a condition the arguments make
                    // false, or hands the synchronous mode on; `XxxAsync(IOBehavior.Synchronous)` of the library's own convention.
                    return true;

                default:
                    return KeyOf(value, graphState) is { } key && state.Contains(key);
            }
        }

        private bool IsOffloadedWork(IOperation task)
        {
            task = StripConfigureAwait(task.UnwrapAllConversions());
            return task is IInvocationOperation { TargetMethod: { } target }
                   && ((target.Name == "Run" && target.IsStatic && KnownTypes.Is(target.ContainingType, _types.Task))
                       || (target.Name == "StartNew" && (KnownTypes.Is(target.ContainingType.OriginalDefinition, _types.TaskFactory) || KnownTypes.Is(target.ContainingType.OriginalDefinition, _types.TaskFactoryOfT))));
        }
    }
}
