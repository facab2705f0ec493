using Microsoft.CodeAnalysis.FlowAnalysis;

namespace NoGil.Analyzers.Analysis.Blocking;

/// <summary>Branch guards and storage keys of <see cref="TaskCompletionFlow"/>.</summary>
public static partial class TaskCompletionFlow
{
    private sealed partial class Walker
    {
        private Guard GuardOf(IOperation condition, HashSet<CompletionKey> state, GraphState graphState, int depth = 0)
        {
            condition = Resolve(condition, graphState);
            if (depth > MaxGuardDepth)
            {
                return default;
            }

            switch (condition)
            {
                case IPropertyReferenceOperation { Property.Name: "IsCompleted" or "IsCompletedSuccessfully" or "IsFaulted" or "IsCanceled", Instance: { } instance } property
                    when _types.IsTaskLike(property.Property.ContainingType):
                    return KeyOf(instance, graphState) is { } key ? new Guard(new List<CompletionKey> { key }, null) : default;

                case IInvocationOperation { TargetMethod: { Name: "Wait", IsStatic: false, ReturnsVoid: false } wait, Instance: { } waited }
                    when _types.IsTaskType(wait.ContainingType):
                    // `if (t.Wait(timeout))`: true only once the task has completed.
                    return KeyOf(waited, graphState) is { } waitedKey ? new Guard(new List<CompletionKey> { waitedKey }, null) : default;

                case IInvocationOperation { TargetMethod: { Name: "WaitAll", IsStatic: true, ReturnsVoid: false } waitAll } invocation
                    when KnownTypes.Is(waitAll.ContainingType, _types.Task):
                    // `if (Task.WaitAll(tasks, timeout))`: true only once every task has completed.
                    return new Guard(CollectionKeys(invocation, graphState), null);

                case IInvocationOperation { TargetMethod: { Name: "ReferenceEquals", IsStatic: true, ContainingType.SpecialType: SpecialType.System_Object }, Arguments.Length: 2 } referenceEquals:
                    return TaskIdentityGuard(referenceEquals.Arguments[0].Value, referenceEquals.Arguments[1].Value, state, graphState) ?? default;

                case IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } not:
                    return GuardOf(not.Operand, state, graphState, depth + 1).Negate();

                case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd } and:
                    return new Guard(Union(GuardOf(and.LeftOperand, state, graphState, depth + 1).WhenTrue, GuardOf(and.RightOperand, state, graphState, depth + 1).WhenTrue), null);

                case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalOr } or:
                    return new Guard(null, Union(GuardOf(or.LeftOperand, state, graphState, depth + 1).WhenFalse, GuardOf(or.RightOperand, state, graphState, depth + 1).WhenFalse));

                case IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals } binary:
                {
                    var guard = EqualityGuard(binary.LeftOperand, binary.RightOperand, state, graphState, depth + 1)
                                ?? EqualityGuard(binary.RightOperand, binary.LeftOperand, state, graphState, depth + 1)
                                ?? (binary.OperatorMethod is null ? TaskIdentityGuard(binary.LeftOperand, binary.RightOperand, state, graphState) : null);
                    if (guard is not { } g)
                    {
                        return default;
                    }

                    return binary.OperatorKind == BinaryOperatorKind.Equals ? g : g.Negate();
                }

                case IIsPatternOperation isPattern:
                    return PatternGuard(isPattern.Value, isPattern.Pattern, state, graphState, depth + 1);

                default:
                    return default;
            }
        }

        /// <summary>Guard of <c>left == right</c>, where <paramref name="right"/> is a constant.</summary>
        private Guard? EqualityGuard(IOperation left, IOperation right, HashSet<CompletionKey> state, GraphState graphState, int depth)
        {
            right = Resolve(right, graphState);
            if (!right.ConstantValue.HasValue)
            {
                return null;
            }

            var constant = right.ConstantValue.Value;
            if (constant is bool boolean)
            {
                var inner = GuardOf(left, state, graphState, depth + 1);
                return boolean ? inner : inner.Negate();
            }

            if (Resolve(left, graphState) is IPropertyReferenceOperation { Property.Name: "Status", Instance: { } instance } status
                && _types.IsTaskType(status.Property.ContainingType)
                && IsFinalStatus(constant)
                && KeyOf(instance, graphState) is { } key)
            {
                return new Guard(new List<CompletionKey> { key }, null);
            }

            return null;
        }

        private static bool IsFinalStatus(object? constant)
            => constant is int value && value is TaskStatusRanToCompletion or TaskStatusCanceled or TaskStatusFaulted;

        private Guard PatternGuard(IOperation value, IPatternOperation pattern, HashSet<CompletionKey> state, GraphState graphState, int depth)
        {
            if (depth > MaxGuardDepth)
            {
                return default;
            }

            switch (pattern)
            {
                case INegatedPatternOperation negated:
                    return PatternGuard(value, negated.Pattern, state, graphState, depth + 1).Negate();

                case IConstantPatternOperation constant:
                    return EqualityGuard(value, constant.Value, state, graphState, depth + 1) ?? default;

                case IBinaryPatternOperation binary:
                {
                    var left = PatternGuard(value, binary.LeftPattern, state, graphState, depth + 1);
                    var right = PatternGuard(value, binary.RightPattern, state, graphState, depth + 1);
                    return binary.OperatorKind == BinaryOperatorKind.Or
                        ? new Guard(Intersect(left.WhenTrue, right.WhenTrue), Union(left.WhenFalse, right.WhenFalse))
                        : new Guard(Union(left.WhenTrue, right.WhenTrue), Intersect(left.WhenFalse, right.WhenFalse));
                }

                case IRecursivePatternOperation recursive when _types.IsTaskLike(Resolve(value, graphState).Type) && KeyOf(Resolve(value, graphState), graphState) is { } key:
                    foreach (var subpattern in recursive.PropertySubpatterns)
                    {
                        if (subpattern.Member is IPropertyReferenceOperation { Property.Name: "IsCompleted" or "IsCompletedSuccessfully" or "IsFaulted" or "IsCanceled" }
                            && subpattern.Pattern is IConstantPatternOperation { Value.ConstantValue: { HasValue: true, Value: true } })
                        {
                            return new Guard(new List<CompletionKey> { key }, null);
                        }

                        if (subpattern.Member is IPropertyReferenceOperation { Property.Name: "Status" } && ProvesFinalStatus(subpattern.Pattern))
                        {
                            return new Guard(new List<CompletionKey> { key }, null);
                        }
                    }

                    return default;

                default:
                    return default;
            }
        }

        /// <summary>A pattern on <c>Status</c> that matches only final states (<c>RanToCompletion or Faulted</c>, …).</summary>
        private static bool ProvesFinalStatus(IPatternOperation pattern)
            => pattern switch
            {
                IConstantPatternOperation constant => IsFinalStatus(constant.Value.ConstantValue is { HasValue: true } value ? value.Value : null),
                IBinaryPatternOperation { OperatorKind: BinaryOperatorKind.Or } or => ProvesFinalStatus(or.LeftPattern) && ProvesFinalStatus(or.RightPattern),
                IBinaryPatternOperation and => ProvesFinalStatus(and.LeftPattern) || ProvesFinalStatus(and.RightPattern),
                _ => false,
            };

        /// <summary>
        /// Guard of <c>left == right</c> on two task references (reference equality): where one of them is complete
        /// — the result of an awaited <c>Task.WhenAny</c>, say — so is the other when they are equal.
        /// </summary>
        private Guard? TaskIdentityGuard(IOperation left, IOperation right, HashSet<CompletionKey> state, GraphState graphState)
        {
            left = Resolve(left, graphState);
            right = Resolve(right, graphState);
            if (!_types.IsTaskType(left.Type) || !_types.IsTaskType(right.Type))
            {
                return null;
            }

            List<CompletionKey>? keys = null;
            if (KeyOf(right, graphState) is { } rightKey && IsCompletedValue(left, state, graphState))
            {
                (keys ??= new List<CompletionKey>()).Add(rightKey);
            }

            if (KeyOf(left, graphState) is { } leftKey && IsCompletedValue(right, state, graphState))
            {
                (keys ??= new List<CompletionKey>()).Add(leftKey);
            }

            return keys is null ? null : new Guard(keys, null);
        }

        /// <summary>The value a flow capture reference stands for (a switch's value, an operand spilled by the graph).</summary>
        private static IOperation Resolve(IOperation operation, GraphState graphState)
        {
            operation = operation.UnwrapAllConversions();
            for (var i = 0; i < MaxGuardDepth && operation is IFlowCaptureReferenceOperation reference
                            && graphState.CapturedValues.TryGetValue(reference.Id, out var value) && value is not null; i++)
            {
                operation = value.UnwrapAllConversions();
            }

            return operation;
        }

        private static List<CompletionKey>? Intersect(List<CompletionKey>? left, List<CompletionKey>? right)
        {
            if (left is null || right is null)
            {
                return null;
            }

            var result = left.Where(right.Contains).ToList();
            return result.Count > 0 ? result : null;
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
            operation = operation.UnwrapAllConversions();
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

        private IOperation StripConfigureAwait(IOperation operation)
        {
            while (operation is IInvocationOperation { TargetMethod.Name: "ConfigureAwait" or "AsTask", Instance: { } instance }
                   && _types.IsTaskLike(instance.Type))
            {
                operation = instance.UnwrapAllConversions();
            }

            return operation;
        }
    }
}
