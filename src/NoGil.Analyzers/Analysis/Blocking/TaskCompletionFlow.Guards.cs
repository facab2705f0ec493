using Microsoft.CodeAnalysis.FlowAnalysis;

namespace NoGil.Analyzers.Analysis.Blocking;

/// <summary>Branch guards and storage keys of <see cref="TaskCompletionFlow"/>.</summary>
public static partial class TaskCompletionFlow
{
    private sealed partial class Walker
    {
        private Guard GuardOf(IOperation condition, GraphState graphState)
        {
            condition = condition.UnwrapAllConversions();
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

            if (left.UnwrapAllConversions() is IPropertyReferenceOperation { Property.Name: "Status", Instance: { } instance } status
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
