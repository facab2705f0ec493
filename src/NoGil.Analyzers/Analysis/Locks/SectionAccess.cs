namespace NoGil.Analyzers.Analysis.Locks;

/// <summary>What one statement of a critical section touches that other threads may also touch.</summary>
public sealed class StatementAccess
{
    internal StatementAccess(IOperation statement, ImmutableArray<ISymbol> sharedReads, ImmutableArray<ISymbol> sharedWrites, bool usesThis, bool referencesLock)
    {
        Statement = statement;
        SharedReads = sharedReads;
        SharedWrites = sharedWrites;
        UsesThis = usesThis;
        ReferencesLock = referencesLock;
    }

    public IOperation Statement { get; }

    /// <summary>Shared storage read: fields, statics, captured variables, objects reached through them.</summary>
    public ImmutableArray<ISymbol> SharedReads { get; }

    /// <summary>Shared storage written (assigned, incremented, passed by ref, or mutated through a call on it).</summary>
    public ImmutableArray<ISymbol> SharedWrites { get; }

    /// <summary>Uses <c>this</c> (an instance member of the containing object).</summary>
    public bool UsesThis { get; }

    /// <summary>Mentions the lock itself or a variable of the locking protocol (<c>lockTaken</c>).</summary>
    public bool ReferencesLock { get; }

    /// <summary>True when the statement reads or writes anything another thread could read or write.</summary>
    public bool TouchesShared => UsesThis || ReferencesLock || SharedReads.Length > 0 || SharedWrites.Length > 0;
}

/// <summary>
/// Classifies the storage a critical section's code reaches.
/// <list type="bullet">
/// <item><b>Thread-private</b>: constants; <c>readonly</c> fields of immutable type (primitives, enums, <c>string</c>);
/// parameters of the enclosing method or lambda passed by value (the caller's inputs are assumed not to be mutated
/// concurrently under this lock); locals of immutable type; reference-type locals every value of which is a new
/// object or the result of a static BCL call over private values; captured variables of immutable type that are
/// never written after their declaration.</item>
/// <item><b>Shared</b>: everything else — other fields and statics, <c>this</c>, captured variables that are
/// written or of mutable type, <c>ref</c> parameters and locals, and any object reached through them.</item>
/// </list>
/// </summary>
public sealed class SectionAccess
{
    private readonly CriticalSection _section;
    private readonly SyntaxNode _functionSyntax;
    private readonly Dictionary<ISymbol, bool> _private = new(SymbolEqualityComparer.Default);

    public SectionAccess(CriticalSection section)
    {
        _section = section;
        _functionSyntax = section.Function.Syntax;
    }

    public StatementAccess Classify(IOperation statement)
    {
        var reads = new List<ISymbol>();
        var writes = new List<ISymbol>();
        var usesThis = false;
        var referencesLock = false;
        var stack = new Stack<IOperation>();
        stack.Push(statement);
        while (stack.Count > 0)
        {
            var operation = stack.Pop();
            var symbol = ReferencedSymbol(operation);
            if (symbol is not null && (SymbolEqualityComparer.Default.Equals(symbol, _section.LockSymbol) || System.Linq.Enumerable.Contains(_section.ProtocolSymbols, symbol, SymbolEqualityComparer.Default)))
            {
                referencesLock = true;
            }

            switch (operation)
            {
                case IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance }:
                    usesThis = true;
                    continue;

                case IFieldReferenceOperation field when IsPrivateField(field):
                    continue;

                case IFieldReferenceOperation field:
                    (IsWritten(field) ? writes : reads).Add(field.Field);
                    continue;

                case ILocalReferenceOperation local when !IsPrivate(local.Local):
                    (IsWritten(local) ? writes : reads).Add(local.Local);
                    continue;

                case IParameterReferenceOperation parameter when !IsPrivate(parameter.Parameter):
                    (IsWritten(parameter) ? writes : reads).Add(parameter.Parameter);
                    continue;

                case IPropertyReferenceOperation { Instance: null } property when !Purity.IsKnownPureMember(property.Property):
                    (IsWritten(property) ? writes : reads).Add(property.Property);
                    break;

                case IEventReferenceOperation eventReference:
                    writes.Add(eventReference.Event);
                    break;

                case IInvocationOperation { Instance: { } receiver } call when SharedRoot(receiver) is { } root:
                    // A call on a shared object may mutate it.
                    writes.Add(root);
                    break;
            }

            foreach (var child in operation.ChildOperations)
            {
                stack.Push(child);
            }
        }

        return new StatementAccess(statement, reads.ToImmutableArray(), writes.ToImmutableArray(), usesThis, referencesLock);
    }

    /// <summary>The shared symbol an object expression is reached through (<c>_list</c> in <c>_list.Add(x)</c>), or null when private.</summary>
    public ISymbol? SharedRoot(IOperation receiver)
    {
        while (true)
        {
            switch (receiver)
            {
                case IConversionOperation conversion:
                    receiver = conversion.Operand;
                    continue;
                case IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance } instance:
                    return instance.Type;
                case IFieldReferenceOperation field:
                    return IsPrivateField(field) ? null : field.Field;
                case ILocalReferenceOperation local:
                    return IsPrivate(local.Local) ? null : local.Local;
                case IParameterReferenceOperation parameter:
                    return IsPrivate(parameter.Parameter) ? null : parameter.Parameter;
                case IPropertyReferenceOperation { Instance: { } instance }:
                    receiver = instance;
                    continue;
                case IArrayElementReferenceOperation element:
                    receiver = element.ArrayReference;
                    continue;
                default:
                    return null;
            }
        }
    }

    private static ISymbol? ReferencedSymbol(IOperation operation) => operation switch
    {
        IFieldReferenceOperation field => field.Field,
        ILocalReferenceOperation local => local.Local,
        IParameterReferenceOperation parameter => parameter.Parameter,
        IPropertyReferenceOperation property => property.Property,
        _ => null,
    };

    private bool IsPrivateField(IFieldReferenceOperation field)
        => field.Field.IsConst
           || (field.Field.IsReadOnly && Purity.IsImmutable(field.Field.Type) && (field.Instance is null or IInstanceReferenceOperation))
           || (field.Instance is ILocalReferenceOperation { Local: { IsRef: false, Type.IsValueType: true } } owner && IsPrivate(owner.Local) && !field.Field.IsStatic);

    /// <summary>Is this local or parameter private to the thread running the section?</summary>
    public bool IsPrivate(ISymbol symbol)
    {
        if (_private.TryGetValue(symbol, out var known))
        {
            return known;
        }

        // Assume shared while deciding (cycles through assignments stay conservative).
        _private[symbol] = false;
        var result = Decide(symbol);
        _private[symbol] = result;
        return result;
    }

    private bool Decide(ISymbol symbol)
    {
        var type = symbol switch
        {
            ILocalSymbol local => local.IsRef ? null : local.Type,
            IParameterSymbol parameter => parameter.RefKind == RefKind.None ? parameter.Type : null,
            _ => null,
        };

        if (type is null)
        {
            return false;
        }

        if (!Purity.IsDeclaredWithin(symbol, _functionSyntax))
        {
            // Captured from an enclosing method: private only when immutable and never written after its declaration.
            return Purity.IsImmutable(type) && !IsWrittenAnywhere(symbol);
        }

        if (symbol is IParameterSymbol || Purity.IsImmutable(type))
        {
            return true;
        }

        // A reference-type local: private when every value it is given is a fresh object or a private value.
        var sawValue = false;
        foreach (var operation in _section.Function.Descendants())
        {
            switch (operation)
            {
                case IVariableDeclaratorOperation declarator when SymbolEqualityComparer.Default.Equals(declarator.Symbol, symbol):
                    if (declarator.GetVariableInitializer()?.Value is { } initializer)
                    {
                        if (!IsPrivateValue(initializer))
                        {
                            return false;
                        }

                        sawValue = true;
                    }

                    break;

                case ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } assignment when SymbolEqualityComparer.Default.Equals(target.Local, symbol):
                    if (assignment.IsRef || !IsPrivateValue(assignment.Value))
                    {
                        return false;
                    }

                    sawValue = true;
                    break;

                case ILocalReferenceOperation reference when SymbolEqualityComparer.Default.Equals(reference.Local, symbol)
                                                             && (reference.Parent is IArgumentOperation { Parameter.RefKind: RefKind.Ref or RefKind.Out }
                                                                 || reference.Parent is IDeconstructionAssignmentOperation or ITupleOperation
                                                                 || reference.Parent is ICompoundAssignmentOperation or ICoalesceAssignmentOperation):
                    return false;

                case IDeclarationExpressionOperation declaration when declaration.Expression is ILocalReferenceOperation declared && SymbolEqualityComparer.Default.Equals(declared.Local, symbol):
                    return false;
            }
        }

        return sawValue;
    }

    /// <summary>A value that cannot be (or reach) shared state: a new object, a literal, or a static BCL call on private values.</summary>
    private bool IsPrivateValue(IOperation value)
    {
        while (value is IConversionOperation conversion && conversion.OperatorMethod is null)
        {
            value = conversion.Operand;
        }

        switch (value)
        {
            case ILiteralOperation:
            case IDefaultValueOperation:
                return true;
            case IObjectCreationOperation or IArrayCreationOperation or IAnonymousObjectCreationOperation:
                foreach (var child in value.Descendants())
                {
                    if (!IsPrivateLeaf(child))
                    {
                        return false;
                    }
                }

                return true;
            case IInvocationOperation { Instance: null, TargetMethod: { } method } call when !Purity.IsInSource(method):
                foreach (var argument in call.Arguments)
                {
                    foreach (var child in argument.DescendantsAndSelf())
                    {
                        if (!IsPrivateLeaf(child))
                        {
                            return false;
                        }
                    }
                }

                return true;
            case ILocalReferenceOperation local:
                return IsPrivate(local.Local);
            case IParameterReferenceOperation parameter:
                return IsPrivate(parameter.Parameter);
            default:
                return false;
        }
    }

    private bool IsPrivateLeaf(IOperation operation) => operation switch
    {
        IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance } => false,
        IFieldReferenceOperation field => IsPrivateField(field),
        ILocalReferenceOperation local => IsPrivate(local.Local),
        IParameterReferenceOperation parameter => IsPrivate(parameter.Parameter),
        IPropertyReferenceOperation { Instance: null } property => Purity.IsKnownPureMember(property.Property),
        IInvocationOperation { Instance: { } receiver } => SharedRoot(receiver) is null,
        _ => true,
    };

    /// <summary>Syntactic, conservative: any assignment, increment or ref/out use of the name in the declaring member.</summary>
    private static bool IsWrittenAnywhere(ISymbol symbol)
    {
        foreach (var reference in symbol.DeclaringSyntaxReferences)
        {
            var declaration = reference.GetSyntax();
            var scope = declaration.FirstAncestorOrSelf<MemberDeclarationSyntax>() ?? declaration.Parent;
            if (scope is null)
            {
                return true;
            }

            foreach (var node in scope.DescendantNodes())
            {
                var written = node switch
                {
                    AssignmentExpressionSyntax assignment => assignment.Left,
                    PostfixUnaryExpressionSyntax postfix when postfix.IsKind(Microsoft.CodeAnalysis.CSharp.SyntaxKind.PostIncrementExpression) || postfix.IsKind(Microsoft.CodeAnalysis.CSharp.SyntaxKind.PostDecrementExpression) => postfix.Operand,
                    PrefixUnaryExpressionSyntax prefix when prefix.IsKind(Microsoft.CodeAnalysis.CSharp.SyntaxKind.PreIncrementExpression) || prefix.IsKind(Microsoft.CodeAnalysis.CSharp.SyntaxKind.PreDecrementExpression) => prefix.Operand,
                    ArgumentSyntax { RefKindKeyword.RawKind: not 0 } argument => argument.Expression,
                    _ => null,
                };

                if (written is not null)
                {
                    foreach (var identifier in written.DescendantNodesAndSelf())
                    {
                        if (identifier is IdentifierNameSyntax { Identifier.ValueText: var name } && name == symbol.Name)
                        {
                            return true;
                        }
                    }
                }
            }
        }

        return false;
    }

    private static bool IsWritten(IOperation reference)
    {
        var parent = reference.Parent;
        return parent switch
        {
            IAssignmentOperation assignment => assignment.Target == reference,
            IIncrementOrDecrementOperation => true,
            IArgumentOperation { Parameter.RefKind: RefKind.Ref or RefKind.Out } => true,
            IMemberReferenceOperation or IArrayElementReferenceOperation => IsWritten(parent),
            _ => false,
        };
    }
}
