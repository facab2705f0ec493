namespace NoGil.Analyzers.Analysis.Loops;

/// <summary>
/// A loop's body and the variables it sees: which locals the body declares, which it assigns once (for index
/// substitution), which it aliases to a row (<c>var row = c[i]</c>), which hold an array it creates, and which
/// expressions stay the same in every iteration.
/// </summary>
internal sealed class LoopScope
{
    private readonly Dictionary<ILocalSymbol, ArrayChain> _rowAliases = new(SymbolEqualityComparer.Default);
    private readonly Dictionary<ILocalSymbol, IOperation?> _singleAssignment = new(SymbolEqualityComparer.Default);
    private readonly HashSet<ILocalSymbol> _freshBodyArrays = new(SymbolEqualityComparer.Default);
    private readonly HashSet<ISymbol> _writtenInBody = new(SymbolEqualityComparer.Default);

    /// <summary>Memo of <see cref="IsBodyLocal(ISymbol)"/> (a scope is used by one model's build, on one thread).</summary>
    private readonly Dictionary<ILocalSymbol, bool> _bodyLocals = new(SymbolEqualityComparer.Default);

    public LoopScope(ILoopOperation loop, IOperation body, ILocalSymbol induction, KnownTypes types)
    {
        Loop = loop;
        Body = body;
        Induction = induction;
        Types = types;
        CollectLocals();
    }

    public ILoopOperation Loop { get; }

    public IOperation Body { get; }

    /// <inheritdoc cref="LoopModel.Induction"/>
    public ILocalSymbol Induction { get; }

    public KnownTypes Types { get; }

    public bool IsInduction(ISymbol? symbol) => SymbolEqualityComparer.Default.Equals(symbol, Induction);

    /// <summary>A local declared in the body (the induction variable is not one): a fresh variable per iteration.</summary>
    public bool IsBodyLocal(ISymbol symbol)
    {
        if (symbol is not ILocalSymbol local)
        {
            return false;
        }

        // Asked for every reference and write of a local during the walk; the answer reads the local's declarations.
        if (!_bodyLocals.TryGetValue(local, out var isBodyLocal))
        {
            _bodyLocals[local] = isBodyLocal = IsBodyLocal(local, Body, Induction);
        }

        return isBodyLocal;
    }

    /// <summary>A local declared in <paramref name="body"/> other than <paramref name="induction"/> (see the instance method).</summary>
    public static bool IsBodyLocal(ISymbol symbol, IOperation body, ILocalSymbol induction)
    {
        if (symbol is not ILocalSymbol local || SymbolEqualityComparer.Default.Equals(local, induction))
        {
            return false;
        }

        foreach (var reference in local.DeclaringSyntaxReferences)
        {
            if (reference.SyntaxTree == body.Syntax.SyntaxTree && body.Syntax.Span.Contains(reference.Span))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The initializer of a body local that is never assigned after its declaration (null when it has none).</summary>
    public bool TryGetSingleAssignment(ILocalSymbol local, out IOperation? initializer) => _singleAssignment.TryGetValue(local, out initializer);

    /// <summary>A body local initialized with an array element that is itself an array (<c>var row = c[i]</c>), and that element.</summary>
    public bool TryGetRowAlias(ILocalSymbol local, out ArrayChain row) => _rowAliases.TryGetValue(local, out row);

    /// <summary>A body local initialized with an array creation and never assigned again: a fresh array per iteration.</summary>
    public bool IsFreshBodyArray(ILocalSymbol local) => _freshBodyArrays.Contains(local);

    /// <summary><c>Span&lt;T&gt;</c> or <c>ReadOnlySpan&lt;T&gt;</c>.</summary>
    public bool IsSpan(ITypeSymbol? type) => IsSpan(type, Types);

    /// <summary><c>Span&lt;T&gt;</c> or <c>ReadOnlySpan&lt;T&gt;</c>.</summary>
    public static bool IsSpan(ITypeSymbol? type, KnownTypes types)
    {
        var definition = type?.OriginalDefinition;
        return KnownTypes.Is(definition, types.SpanOfT) || KnownTypes.Is(definition, types.ReadOnlySpanOfT);
    }

    /// <summary>Loop-invariant: constants, locals/parameters/fields not written in the body, their Length/Count/GetLength, arithmetic of those.</summary>
    public bool IsInvariant(IOperation expression) => IsInvariant(expression, Induction, Types, _writtenInBody);

    /// <summary>
    /// <see cref="IsInvariant(IOperation)"/> for a body that writes the symbols in <paramref name="writtenInBody"/> (none when
    /// null: then false means the expression is not invariant by its form alone, whatever the body writes).
    /// </summary>
    public static bool IsInvariant(IOperation expression, ILocalSymbol induction, KnownTypes types, HashSet<ISymbol>? writtenInBody)
    {
        var operation = expression.UnwrapConversions();
        if (operation.ConstantValue.HasValue)
        {
            return true;
        }

        switch (operation)
        {
            case ILocalReferenceOperation local:
                return writtenInBody?.Contains(local.Local) != true && !SymbolEqualityComparer.Default.Equals(local.Local, induction);
            case IParameterReferenceOperation parameter:
                return writtenInBody?.Contains(parameter.Parameter) != true;
            case IFieldReferenceOperation field:
                return !field.Field.IsVolatile && (field.Instance is null || field.Instance is IInstanceReferenceOperation || IsInvariant(field.Instance, induction, types, writtenInBody));
            case IPropertyReferenceOperation { Property.Name: "Length" or "Count" or "LongLength", Arguments.Length: 0 } property when property.Instance is not null:
                return IsInvariant(property.Instance, induction, types, writtenInBody) && IsStableLength(property, types);
            case IInvocationOperation { TargetMethod.Name: "GetLength" or "GetLongLength", Instance: { } instance } invocation:
                return instance.Type is IArrayTypeSymbol && IsInvariant(instance, induction, types, writtenInBody)
                       && invocation.Arguments.All(a => IsInvariant(a.Value, induction, types, writtenInBody));
            case IBinaryOperation binary when binary.OperatorKind is BinaryOperatorKind.Add or BinaryOperatorKind.Subtract or BinaryOperatorKind.Multiply or BinaryOperatorKind.Divide or BinaryOperatorKind.RightShift:
                return IsInvariant(binary.LeftOperand, induction, types, writtenInBody) && IsInvariant(binary.RightOperand, induction, types, writtenInBody);
            default:
                return false;
        }
    }

    private static bool IsStableLength(IPropertyReferenceOperation property, KnownTypes types)
    {
        var type = property.Instance?.Type;
        if (type is IArrayTypeSymbol || type?.SpecialType == SpecialType.System_String || IsSpan(type, types))
        {
            return true;
        }

        // A collection's Count is stable when the body calls nothing that could change it: every call must be pure,
        // which the walk checks; a List<T> is not otherwise written through.
        return Purity.IsKnownPureMember(property.Property);
    }

    /// <summary>The local, parameter or field is assigned (or passed by <c>ref</c>/<c>out</c>) somewhere in the body.</summary>
    public bool IsWrittenInBody(ISymbol symbol) => _writtenInBody.Contains(symbol);

    /// <summary>
    /// One walk of the body: the symbols it writes (<see cref="IsWrittenInBody"/>), then, of its declarators, the body
    /// locals assigned once (for index substitution), row aliases (<c>var row = c[i]</c>) and fresh arrays.
    /// </summary>
    private void CollectLocals()
    {
        var bodyWrittenLocals = new HashSet<ILocalSymbol>(SymbolEqualityComparer.Default);
        var declarators = new List<IVariableDeclaratorOperation>();
        foreach (var operation in Body.DescendantsAndSelf())
        {
            if (WriteTargets.IsWriteTarget(operation, out var target) && target is not null)
            {
                if (target is ILocalReferenceOperation written)
                {
                    bodyWrittenLocals.Add(written.Local);
                }

                if (WriteTargets.SymbolOf(target) is { } symbol)
                {
                    _writtenInBody.Add(symbol);
                }
            }
            else if (operation is IVariableDeclaratorOperation declarator)
            {
                declarators.Add(declarator);
            }
        }

        foreach (var declarator in declarators)
        {
            if (declarator.Symbol is not { } local || bodyWrittenLocals.Contains(local) || local.IsRef)
            {
                continue;
            }

            var initializer = declarator.GetVariableInitializer()?.Value;
            _singleAssignment[local] = initializer;
            var value = initializer?.UnwrapConversions();
            if (value is IArrayCreationOperation)
            {
                _freshBodyArrays.Add(local);
            }
            else if (value is IArrayElementReferenceOperation element && local.Type is IArrayTypeSymbol)
            {
                _rowAliases[local] = ArrayChain.Of(element);
            }
        }
    }
}
