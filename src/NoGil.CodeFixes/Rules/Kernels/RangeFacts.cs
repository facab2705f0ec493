namespace NoGil.CodeFixes.Rules.Kernels;

/// <summary>
/// Whether a loop's index range is provably non-empty, from constant folding and obvious facts, so that the kernel fixes
/// write no dead guard (<c>if (1 &lt; p + 1)</c>, <c>if (k + 1 &gt; 0)</c>): a constant; a <c>Length</c>/<c>Count</c>, never
/// negative; the induction variable of an enclosing <c>for</c> loop that starts at a constant, only counts up and is
/// written nowhere else, so it is at least its start; sums, differences by a constant and products of those.
/// </summary>
internal static class RangeFacts
{
    /// <summary>True when <c>lower &lt; upper</c> (or <c>lower &lt;= upper</c> when <paramref name="inclusive"/>) holds whenever the loop runs.</summary>
    public static bool IsNonEmpty(IOperation? lower, IOperation? upper, bool inclusive)
        => lower is not null && upper is not null
           && Constant(lower) is { } lo && AtLeast(upper, depth: 0) is { } hi
           && (inclusive ? lo <= hi : lo < hi);

    /// <summary>A lower bound of the value of <paramref name="operation"/>, or null when none is obvious.</summary>
    private static long? AtLeast(IOperation operation, int depth)
    {
        if (depth > 8)
        {
            return null;
        }

        if (Constant(operation) is { } constant)
        {
            return constant;
        }

        switch (operation)
        {
            case IConversionOperation { Conversion.IsImplicit: true } conversion when IsIntegral(conversion.Operand.Type):
                return AtLeast(conversion.Operand, depth + 1);
            case IParenthesizedOperation parenthesized:
                return AtLeast(parenthesized.Operand, depth + 1);
            case IPropertyReferenceOperation { Property.Name: "Length" or "Count" or "LongLength" } size when IsSizeOfAKnownType(size.Property.ContainingType):
                return 0;
            case ILocalReferenceOperation local:
                return InductionStart(local);
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Add, IsChecked: false } add:
                return AtLeast(add.LeftOperand, depth + 1) is { } a && AtLeast(add.RightOperand, depth + 1) is { } b && Fits(a + b) ? a + b : null;
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Subtract } subtract when Constant(subtract.RightOperand) is { } c:
                return AtLeast(subtract.LeftOperand, depth + 1) is { } left && Fits(left - c) ? left - c : null;
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Multiply } multiply:
                return AtLeast(multiply.LeftOperand, depth + 1) is { } x and >= 0 && AtLeast(multiply.RightOperand, depth + 1) is { } y and >= 0 && x <= int.MaxValue && y <= int.MaxValue ? x * y : null;
            default:
                return null;
        }
    }

    /// <summary>Arrays, strings, spans and the BCL collections: their sizes are never negative.</summary>
    private static bool IsSizeOfAKnownType(INamedTypeSymbol type)
        => type.SpecialType is SpecialType.System_Array or SpecialType.System_String
           || (type.ContainingNamespace?.ToDisplayString() is { } ns
               && ((ns == "System" && type.Name is "Span" or "ReadOnlySpan" or "Memory" or "ReadOnlyMemory")
                   || ns.StartsWith("System.Collections", StringComparison.Ordinal)));

    private static bool IsIntegral(ITypeSymbol? type)
        => type?.SpecialType is SpecialType.System_Int32 or SpecialType.System_Int64 or SpecialType.System_Int16 or SpecialType.System_Byte
            or SpecialType.System_SByte or SpecialType.System_UInt16;

    /// <summary>
    /// Only sums that cannot reach the int range's ends count: the operations are unchecked, and a value that wraps around
    /// is no longer at least the sum of the bounds.
    /// </summary>
    private static bool Fits(long value) => value is > int.MinValue / 2 and < int.MaxValue / 2;

    private static long? Constant(IOperation operation)
        => operation.ConstantValue is { HasValue: true, Value: var value } && value is int or long or short or byte or sbyte or ushort
            ? Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture)
            : null;

    /// <summary>
    /// The start of <paramref name="reference"/>'s variable when it is the induction variable of an enclosing <c>for</c>
    /// loop: declared in its header with a constant start, stepped only by <c>++</c> or <c>+= constant &gt; 0</c> in its
    /// header, and written nowhere in its body — inside the body, the variable is at least its start.
    /// </summary>
    private static long? InductionStart(ILocalReferenceOperation reference)
    {
        var local = reference.Local;
        for (var current = reference.Parent; current is not null; current = current.Parent)
        {
            if (current is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                return null;
            }

            if (current is not IForLoopOperation loop || !loop.Locals.Contains(local, SymbolEqualityComparer.Default))
            {
                continue;
            }

            var start = loop.Before.OfType<IVariableDeclarationGroupOperation>()
                .SelectMany(g => g.Declarations).SelectMany(d => d.Declarators)
                .FirstOrDefault(d => SymbolEqualityComparer.Default.Equals(d.Symbol, local))?.Initializer?.Value;
            if (start is null || Constant(start) is not { } value
                || loop.AtLoopBottom.Length != 1 || !CountsUp(loop.AtLoopBottom[0], local)
                || !IsInBody(reference, loop)
                || loop.Body.DescendantsAndSelf().Any(o => Writes(o, local)))
            {
                return null;
            }

            return value;
        }

        return null;
    }

    private static bool IsInBody(IOperation reference, IForLoopOperation loop)
        => loop.Body.Syntax.Span.Contains(reference.Syntax.Span);

    private static bool CountsUp(IOperation step, ILocalSymbol local)
    {
        var operation = step is IExpressionStatementOperation statement ? statement.Operation : step;
        return operation switch
        {
            IIncrementOrDecrementOperation { Kind: OperationKind.Increment, Target: ILocalReferenceOperation target }
                => SymbolEqualityComparer.Default.Equals(target.Local, local),
            ICompoundAssignmentOperation { OperatorKind: BinaryOperatorKind.Add, Target: ILocalReferenceOperation target } add
                => SymbolEqualityComparer.Default.Equals(target.Local, local) && Constant(add.Value) is > 0,
            _ => false,
        };
    }

    private static bool Writes(IOperation operation, ILocalSymbol local)
    {
        var target = operation switch
        {
            IAssignmentOperation assignment => assignment.Target,
            IIncrementOrDecrementOperation step => step.Target,
            IArgumentOperation { Parameter.RefKind: RefKind.Ref or RefKind.Out } argument => argument.Value,
            _ => null,
        };
        return target is ILocalReferenceOperation written && SymbolEqualityComparer.Default.Equals(written.Local, local);
    }
}
