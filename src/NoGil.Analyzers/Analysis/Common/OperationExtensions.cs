namespace NoGil.Analyzers.Analysis.Common;

/// <summary>
/// The one home of the small operation helpers every family uses. Where two helpers look alike their names say how
/// they differ (which conversions they look through).
/// </summary>
internal static class OperationExtensions
{
    /// <summary>
    /// The operation under its implicit conversions (and parentheses, which only Visual Basic represents): what was
    /// written. User-defined implicit conversions are looked through too; use
    /// <see cref="UnwrapBuiltInConversions(IOperation)"/> where the conversion's own code matters.
    /// </summary>
    public static IOperation UnwrapConversions(this IOperation operation)
    {
        while (operation is IConversionOperation { IsImplicit: true } || operation is IParenthesizedOperation)
        {
            operation = operation is IConversionOperation c ? c.Operand : ((IParenthesizedOperation)operation).Operand;
        }

        return operation;
    }

    /// <summary><see cref="UnwrapConversions(IOperation)"/> of an operation that may be missing.</summary>
    public static IOperation? UnwrapConversionsOrNull(this IOperation? operation) => operation?.UnwrapConversions();

    /// <summary>The operation under its implicit built-in conversions only: a user-defined conversion runs code and stays.</summary>
    public static IOperation UnwrapBuiltInConversions(this IOperation operation)
    {
        while (operation is IConversionOperation { IsImplicit: true, OperatorMethod: null } conversion)
        {
            operation = conversion.Operand;
        }

        return operation;
    }

    /// <summary>The operation under every conversion, explicit casts included: the value's origin, not its type.</summary>
    public static IOperation UnwrapAllConversions(this IOperation operation)
    {
        while (operation is IConversionOperation conversion)
        {
            operation = conversion.Operand;
        }

        return operation;
    }

    /// <summary>
    /// The statement under blocks of one statement (<c>{ { s += a[i]; } }</c> is <c>s += a[i];</c>): what a loop body or an
    /// <c>if</c> arm of one statement runs. A block of several statements, or an empty one, is returned as it is.
    /// </summary>
    public static IOperation WithoutSingleStatementBlocks(this IOperation operation)
    {
        while (operation is IBlockOperation { Operations.Length: 1 } block)
        {
            operation = block.Operations[0];
        }

        return operation;
    }

    /// <summary>The outermost operation of the tree <paramref name="operation"/> belongs to (the body the driver analyzes).</summary>
    public static IOperation Root(this IOperation operation)
    {
        var root = operation;
        while (root.Parent is { } parent)
        {
            root = parent;
        }

        return root;
    }

    /// <summary>
    /// The operation that uses <paramref name="operation"/>'s value: its nearest ancestor that is not an implicit
    /// conversion (or parentheses) wrapping it, the upward twin of <see cref="UnwrapConversions(IOperation)"/>; null at
    /// the root. <paramref name="wrapped"/> is that ancestor's child on the way: <paramref name="operation"/> itself or
    /// its outermost wrapping conversion.
    /// </summary>
    public static IOperation? ParentThroughConversions(this IOperation operation, out IOperation wrapped)
    {
        wrapped = operation;
        var parent = operation.Parent;
        while (parent is IConversionOperation { IsImplicit: true } or IParenthesizedOperation)
        {
            wrapped = parent;
            parent = parent.Parent;
        }

        return parent;
    }

    /// <summary>
    /// True when <paramref name="operation"/> sits in a lambda or local function nested inside <paramref name="function"/>
    /// (it then runs when that nested function runs, not when <paramref name="function"/>'s body does).
    /// </summary>
    public static bool IsInNestedFunction(this IOperation operation, IOperation function)
    {
        for (var current = operation.Parent; current is not null && current != function; current = current.Parent)
        {
            if (current is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// True when <paramref name="operation"/> is a reference to the local or parameter <paramref name="variable"/> as
    /// written (no conversion looked through); a field reference is not one.
    /// </summary>
    public static bool IsReferenceToLocalOrParameter(this IOperation? operation, ISymbol variable) => operation switch
    {
        ILocalReferenceOperation local => SymbolEqualityComparer.Default.Equals(local.Local, variable),
        IParameterReferenceOperation parameter => SymbolEqualityComparer.Default.Equals(parameter.Parameter, variable),
        _ => false,
    };

    // The compiler API the package is built against (Roslyn 4.8) predates ICollectionExpressionOperation: a 4.8 host
    // represents a collection expression as an operation of kind None, newer hosts as ICollectionExpressionOperation
    // (C# 12 collection expressions, and since .NET 9 the params ReadOnlySpan<T> overloads). Either way its
    // ChildOperations are its elements; the newer kind is recognized by its name.
    private static readonly OperationKind? CollectionExpressionKind = Enum.TryParse<OperationKind>("CollectionExpression", out var kind) ? kind : null;
    private static readonly OperationKind? SpreadKind = Enum.TryParse<OperationKind>("Spread", out var kind) ? kind : null;

    /// <summary>
    /// The values written in place as one collection: an array creation with an initializer (<c>params T[]</c>,
    /// <c>new[] { a, b }</c>) or a collection expression without spreads (<c>[a, b]</c>, and the arguments of a
    /// <c>params ReadOnlySpan&lt;T&gt;</c> overload). Default for anything else.
    /// </summary>
    public static ImmutableArray<IOperation> ElementsWritten(this IOperation value)
    {
        if (value is IArrayCreationOperation { Initializer: { } initializer })
        {
            return initializer.ElementValues;
        }

        if ((CollectionExpressionKind is { } collection && value.Kind == collection)
            || (value.Kind == OperationKind.None && value.Syntax is CollectionExpressionSyntax))
        {
            var elements = value.ChildOperations.ToImmutableArray();
            return elements.Any(e => e.Kind == SpreadKind) ? default : elements;
        }

        return default;
    }
}
