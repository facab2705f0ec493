namespace NoGil.Analyzers.Analysis.Common;

/// <summary>
/// The wrap-around fix-up after a remainder: <c>h %= 360; while (h &lt; 0) h += 360;</c>. After <c>h %= m</c> (or
/// <c>h = h % m</c>), <c>h</c> lies strictly between <c>-m</c> and <c>m</c> (or is NaN), so a <c>while</c> that adds
/// <c>m</c> while <c>h</c> is below a bound of at most 0, or subtracts <c>m</c> while it is above a bound of at least
/// 0, runs at most once: an <c>if</c> in a loop's clothing, not a loop that repeats work.
/// </summary>
internal static class WrapAroundLoop
{
    /// <summary>True when <paramref name="loop"/> is such a fix-up, directly after the remainder in the same block.</summary>
    public static bool RunsAtMostOnce(ILoopOperation loop)
    {
        if (loop is not IWhileLoopOperation { ConditionIsTop: true, ConditionIsUntil: false, Condition: IBinaryOperation condition } whileLoop
            || Variable(condition.LeftOperand) is not { } variable
            || Constant(condition.RightOperand) is not { } bound
            || SingleStatement(whileLoop.Body) is not ICompoundAssignmentOperation { OperatorKind: BinaryOperatorKind.Add or BinaryOperatorKind.Subtract } step
            || !SymbolEqualityComparer.Default.Equals(Variable(step.Target), variable)
            || Constant(step.Value) is not { } modulus
            || modulus <= 0
            || Remainder(Previous(loop), variable) != modulus)
        {
            return false;
        }

        return condition.OperatorKind switch
        {
            BinaryOperatorKind.LessThan or BinaryOperatorKind.LessThanOrEqual => step.OperatorKind == BinaryOperatorKind.Add && bound <= 0,
            BinaryOperatorKind.GreaterThan or BinaryOperatorKind.GreaterThanOrEqual => step.OperatorKind == BinaryOperatorKind.Subtract && bound >= 0,
            _ => false,
        };
    }

    /// <summary>The modulus of <c>v %= m</c> or <c>v = v % m</c> with a constant <c>m</c>, or null.</summary>
    private static double? Remainder(IOperation? statement, ISymbol variable)
    {
        switch ((statement as IExpressionStatementOperation)?.Operation)
        {
            case ICompoundAssignmentOperation { OperatorKind: BinaryOperatorKind.Remainder } compound
                when SymbolEqualityComparer.Default.Equals(Variable(compound.Target), variable):
                return Constant(compound.Value);
            case ISimpleAssignmentOperation { Value: var value } simple
                when SymbolEqualityComparer.Default.Equals(Variable(simple.Target), variable)
                     && value.UnwrapConversions() is IBinaryOperation { OperatorKind: BinaryOperatorKind.Remainder } remainder
                     && SymbolEqualityComparer.Default.Equals(Variable(remainder.LeftOperand), variable):
                return Constant(remainder.RightOperand);
            default:
                return null;
        }
    }

    /// <summary>The statement just before <paramref name="loop"/> in its block, or null.</summary>
    private static IOperation? Previous(ILoopOperation loop)
    {
        if (loop.Parent is not IBlockOperation block)
        {
            return null;
        }

        var index = block.Operations.IndexOf(loop);
        return index > 0 ? block.Operations[index - 1] : null;
    }

    private static IOperation? SingleStatement(IOperation body) => (body.WithoutSingleStatementBlocks() as IExpressionStatementOperation)?.Operation;

    /// <summary>A local or by-value parameter (nothing else can change it between the statements), or null.</summary>
    private static ISymbol? Variable(IOperation operation) => operation.UnwrapAllConversions() switch
    {
        ILocalReferenceOperation { Local.IsRef: false } local => local.Local,
        IParameterReferenceOperation { Parameter.RefKind: RefKind.None } parameter => parameter.Parameter,
        _ => null,
    };

    private static double? Constant(IOperation operation)
        => operation.ConstantValue is { HasValue: true, Value: { } value } && value is int or long or float or double or short or sbyte
            ? Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture)
            : null;
}
