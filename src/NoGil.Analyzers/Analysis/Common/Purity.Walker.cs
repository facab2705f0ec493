namespace NoGil.Analyzers.Analysis.Common;

public static partial class Purity
{
    /// <summary>
    /// One walk over the code under analysis: which operations it may contain and which calls and constructors are
    /// pure. The other parts of this class summarize source calls and decide which write targets the code owns.
    /// </summary>
    private sealed partial class Walker
    {
        private readonly PurityCache _cache;
        private readonly IReadOnlyCollection<ISymbol>? _forbidden;
        private readonly CancellationToken _cancellationToken;
        private readonly HashSet<IMethodSymbol> _inProgress = new(SymbolEqualityComparer.Default);

        /// <summary>Set when a result depended on the depth bound or a cycle assumption; such results are not cached.</summary>
        private bool _assumed;

        public Walker(PurityCache cache, IReadOnlyCollection<ISymbol>? forbiddenReads, CancellationToken cancellationToken)
        {
            _cache = cache;
            _forbidden = forbiddenReads is { Count: > 0 } ? forbiddenReads : null;
            _cancellationToken = cancellationToken;
        }

        public bool IsIndependent(IOperation body, Frame frame)
        {
            CollectFreshLocals(body, frame);
            foreach (var operation in body.DescendantsAndSelf())
            {
                _cancellationToken.ThrowIfCancellationRequested();
                if (!IsAllowed(operation, frame))
                {
                    return false;
                }
            }

            return true;
        }

        private bool IsAllowed(IOperation operation, Frame frame)
        {
            switch (operation)
            {
                case IInvalidOperation:
                case ITypeParameterObjectCreationOperation:
                case IDynamicInvocationOperation:
                case IDynamicMemberReferenceOperation:
                case IDynamicIndexerAccessOperation:
                case IDynamicObjectCreationOperation:
                case IFunctionPointerInvocationOperation:
                case IEventAssignmentOperation:
                case IRaiseEventOperation:
                case ILockOperation:
                case IUsingOperation:
                case IUsingDeclarationOperation:
                case IAddressOfOperation:
                case IAwaitOperation:
                    return false;

                case IAnonymousFunctionOperation lambda:
                    return !lambda.Symbol.IsAsync;

                case ILocalFunctionOperation localFunction:
                    return !localFunction.Symbol.IsAsync;

                case IForEachLoopOperation forEach:
                    return !forEach.IsAsynchronous && IsPureEnumeration(forEach.Collection);

                case ISimpleAssignmentOperation assignment:
                    return !assignment.IsRef && IsOwnedTarget(assignment.Target, frame);

                case ICompoundAssignmentOperation compound:
                    return IsOwnedTarget(compound.Target, frame) && (compound.OperatorMethod is null || IsPureCall(compound.OperatorMethod, false, frame.Depth));

                case ICoalesceAssignmentOperation coalesce:
                    return IsOwnedTarget(coalesce.Target, frame);

                case IDeconstructionAssignmentOperation deconstruction:
                    return IsOwnedTarget(deconstruction.Target, frame);

                case IIncrementOrDecrementOperation increment:
                    return IsOwnedTarget(increment.Target, frame) && (increment.OperatorMethod is null || IsPureCall(increment.OperatorMethod, false, frame.Depth));

                case IArgumentOperation { Parameter: { RefKind: RefKind.Ref or RefKind.Out } } argument:
                    return IsOwnedTarget(argument.Value, frame);

                case IInvocationOperation invocation:
                    return IsPureInvocation(invocation, frame);

                case IObjectCreationOperation creation:
                    return creation.Constructor is null ? creation.Type is { IsValueType: true } : IsPureConstructor(creation.Constructor, frame.Depth);

                case IPropertyReferenceOperation property:
                    if (IsForbidden(property.Property))
                    {
                        return false;
                    }

                    // Writes are checked at the assignment; here only the getter runs.
                    return IsWriteTarget(property) || property.Property.GetMethod is not { } getter || IsPureCall(getter, IsOwnedStorage(property.Instance, frame), frame.Depth);

                case IMethodReferenceOperation methodReference:
                    // A method group handed to someone else may be invoked: it must be pure itself.
                    return IsPureCall(methodReference.Method, false, frame.Depth);

                case IUnaryOperation { OperatorMethod: { } unaryOperator }:
                    return IsPureCall(unaryOperator, false, frame.Depth);

                case IBinaryOperation { OperatorMethod: { } binaryOperator }:
                    return IsPureCall(binaryOperator, false, frame.Depth);

                case IConversionOperation { OperatorMethod: { } conversionOperator }:
                    return IsPureCall(conversionOperator, false, frame.Depth);

                case ILocalReferenceOperation local:
                    return !IsForbidden(local.Local);

                case IParameterReferenceOperation parameter:
                    return !IsForbidden(parameter.Parameter);

                case IFieldReferenceOperation field:
                    return !IsForbidden(field.Field);

                default:
                    return true;
            }
        }

        private bool IsForbidden(ISymbol symbol)
        {
            if (_forbidden is null)
            {
                return false;
            }

            foreach (var forbidden in _forbidden)
            {
                if (SymbolEqualityComparer.Default.Equals(forbidden, symbol) || SymbolEqualityComparer.Default.Equals(forbidden, symbol.OriginalDefinition))
                {
                    return true;
                }
            }

            return false;
        }

        private static bool IsWriteTarget(IOperation operation)
            => operation.Parent switch
            {
                IAssignmentOperation assignment => assignment.Target == operation,
                IIncrementOrDecrementOperation increment => increment.Target == operation,
                _ => false,
            };

        /// <summary>foreach over an array, a string or a BCL collection: its enumerator has no side effects.</summary>
        private static bool IsPureEnumeration(IOperation collection)
        {
            return collection.UnwrapConversions().Type switch
            {
                IArrayTypeSymbol => true,
                INamedTypeSymbol named => named.SpecialType == SpecialType.System_String
                                          || (!IsInSource(named) && named.TypeKind != TypeKind.Interface && NamespaceName.Of(named) is { } ns
                                              && (ns.StartsWith("System.Collections", System.StringComparison.Ordinal) || ns == "System")),
                _ => false,
            };
        }

        private bool IsPureInvocation(IInvocationOperation invocation, Frame frame)
        {
            var method = invocation.TargetMethod;
            if (method.MethodKind == MethodKind.DelegateInvoke)
            {
                return false;
            }

            if (method.MethodKind == MethodKind.LocalFunction)
            {
                // A local function declared inside the code under analysis is walked as part of it.
                return IsDeclaredWithin(method, frame.Root);
            }

            var owned = IsOwnedStorage(invocation.Instance, frame);
            if (owned && IsOwnableCollectionType(invocation.Instance!.Type))
            {
                // Mutating a collection this code created itself is invisible to anyone else.
                return true;
            }

            if (method.MethodKind == MethodKind.Constructor && invocation.Instance is IInstanceReferenceOperation)
            {
                // this(...) / base(...) constructor initializer.
                return IsPureConstructor(method, frame.Depth);
            }

            if (method.ContainingType is { Name: "Enumerable" } && !HasOnlyBclSequences(invocation))
            {
                // LINQ over a source-defined sequence runs its (unchecked) enumerator.
                return false;
            }

            return IsPureCall(method, owned, frame.Depth);
        }

        private static bool HasOnlyBclSequences(IInvocationOperation invocation)
        {
            foreach (var argument in invocation.Arguments)
            {
                if (argument.Value.UnwrapConversions().Type is INamedTypeSymbol { TypeKind: not TypeKind.Delegate } type && IsInSource(type))
                {
                    return false;
                }
            }

            return true;
        }

        private bool IsPureConstructor(IMethodSymbol constructor, int depth)
        {
            var type = constructor.ContainingType;
            if (type is null)
            {
                return false;
            }

            if (type.SpecialType == SpecialType.System_Object || IsKnownPureMember(constructor) || IsOwnableCollectionType(type))
            {
                return true;
            }

            if (!IsInSource(type))
            {
                // BCL exceptions only capture their arguments.
                for (var current = type; current is not null; current = current.BaseType)
                {
                    if (FullName(current) == "System.Exception")
                    {
                        return true;
                    }
                }

                return false;
            }

            return IsPureCall(constructor, receiverIsOwned: true, depth);
        }
    }
}
