namespace NoGil.Analyzers.Analysis.Common;

public static partial class Purity
{
    /// <summary>The code a walk is about: what it owns (locals, parameters, fresh objects) and how deep in the call chain it is.</summary>
    private sealed class Frame
    {
        public Frame(SyntaxNode root, bool thisWritable, IMethodSymbol? ownParameters, int depth)
        {
            Root = root;
            ThisWritable = thisWritable;
            OwnParameters = ownParameters;
            Depth = depth;
        }

        /// <summary>Symbols declared inside this syntax are owned by the code under analysis.</summary>
        public SyntaxNode Root { get; }

        /// <summary>True inside a constructor (or a method called on an object the caller owns): <c>this.x = …</c> is allowed.</summary>
        public bool ThisWritable { get; }

        /// <summary>The method whose by-value parameters may be written.</summary>
        public IMethodSymbol? OwnParameters { get; }

        public int Depth { get; }

        /// <summary>Locals that only ever hold objects created in this code (arrays, collections).</summary>
        public HashSet<ILocalSymbol> Fresh { get; } = new(SymbolEqualityComparer.Default);
    }

    /// <summary>Which storage the code under analysis owns: the targets it may write without anyone outside noticing.</summary>
    private sealed partial class Walker
    {
        /// <summary>Can this write target be written without anyone outside noticing?</summary>
        private bool IsOwnedTarget(IOperation target, Frame frame)
        {
            switch (target)
            {
                case IDiscardOperation:
                case IDeclarationExpressionOperation:
                    return true;

                case ITupleOperation tuple:
                    foreach (var element in tuple.Elements)
                    {
                        if (!IsOwnedTarget(element, frame))
                        {
                            return false;
                        }
                    }

                    return true;

                case ILocalReferenceOperation local:
                    return !local.Local.IsRef && IsDeclaredWithin(local.Local, frame.Root);

                case IParameterReferenceOperation parameter:
                    return parameter.Parameter.RefKind == RefKind.None
                           && (IsDeclaredWithin(parameter.Parameter, frame.Root)
                               || SymbolEqualityComparer.Default.Equals(parameter.Parameter.ContainingSymbol, frame.OwnParameters));

                case IFieldReferenceOperation field:
                    return !field.Field.IsStatic && IsOwnedStorage(field.Instance, frame, valueOnly: false);

                case IArrayElementReferenceOperation element:
                    return IsFreshLocal(element.ArrayReference, frame);

                case IPropertyReferenceOperation property:
                    // Object initializers on a new object, indexers of collections created here, auto-properties of owned objects.
                    if (property.Property.IsStatic || !IsOwnedStorage(property.Instance, frame, valueOnly: false))
                    {
                        return false;
                    }

                    return IsOwnableCollectionType(property.Instance!.Type)
                           || (property.Property.SetMethod is { } setter
                               ? IsPureCall(setter, receiverIsOwned: true, frame.Depth)
                               : property.Instance is IInstanceReferenceOperation && frame.ThisWritable); // get-only auto-property set in a constructor

                default:
                    return false;
            }
        }

        private bool IsOwnedStorage(IOperation? instance, Frame frame) => IsOwnedStorage(instance, frame, valueOnly: false);

        /// <summary>An object (or struct storage) that belongs to the code under analysis.</summary>
        private bool IsOwnedStorage(IOperation? instance, Frame frame, bool valueOnly)
        {
            switch (instance)
            {
                case IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ImplicitReceiver }:
                    // The object being initialized by an object or collection initializer.
                    return true;

                case IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance }:
                    return frame.ThisWritable;

                case ILocalReferenceOperation local when !local.Local.IsRef && IsDeclaredWithin(local.Local, frame.Root):
                    return local.Local.Type is { IsValueType: true } || (!valueOnly && frame.Fresh.Contains(local.Local));

                case IFieldReferenceOperation field when field.Field.Type is { IsValueType: true } && !field.Field.IsStatic:
                    return IsOwnedStorage(field.Instance, frame, valueOnly: true);

                default:
                    return false;
            }
        }

        private static bool IsFreshLocal(IOperation reference, Frame frame)
            => reference is ILocalReferenceOperation local && !local.Local.IsRef && frame.Fresh.Contains(local.Local) && IsDeclaredWithin(local.Local, frame.Root);

        /// <summary>Locals whose every assignment is a new array or a new collection created right there.</summary>
        private static void CollectFreshLocals(IOperation body, Frame frame)
        {
            var candidates = new HashSet<ILocalSymbol>(SymbolEqualityComparer.Default);
            var spoiled = new HashSet<ILocalSymbol>(SymbolEqualityComparer.Default);
            foreach (var operation in body.DescendantsAndSelf())
            {
                ILocalSymbol? local = null;
                IOperation? value = null;
                switch (operation)
                {
                    case IVariableDeclaratorOperation declarator:
                        local = declarator.Symbol;
                        value = declarator.GetVariableInitializer()?.Value;
                        if (value is null)
                        {
                            continue;
                        }

                        break;
                    case ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } assignment:
                        local = target.Local;
                        value = assignment.Value;
                        break;
                    case IArgumentOperation { Parameter.RefKind: RefKind.Ref or RefKind.Out, Value: ILocalReferenceOperation passed }:
                        spoiled.Add(passed.Local);
                        continue;
                    case IDeconstructionAssignmentOperation or ICompoundAssignmentOperation or ICoalesceAssignmentOperation:
                        foreach (var reference in operation.DescendantsAndSelf())
                        {
                            if (reference is ILocalReferenceOperation written)
                            {
                                spoiled.Add(written.Local);
                            }
                        }

                        continue;
                    default:
                        continue;
                }

                value = value.UnwrapConversions();
                if (value is IArrayCreationOperation || (value is IObjectCreationOperation creation && IsOwnableCollectionType(creation.Type)))
                {
                    candidates.Add(local);
                }
                else
                {
                    spoiled.Add(local);
                }
            }

            foreach (var candidate in candidates)
            {
                if (!spoiled.Contains(candidate))
                {
                    frame.Fresh.Add(candidate);
                }
            }
        }
    }
}
