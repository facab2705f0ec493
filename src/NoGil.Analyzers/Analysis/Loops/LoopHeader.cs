namespace NoGil.Analyzers.Analysis.Loops;

/// <summary>
/// The shape of a loop the model accepts: a canonical <c>for</c> loop (one <c>int</c>/<c>long</c> induction variable,
/// <c>&lt;</c> or <c>&lt;=</c> a bound, a step of +1) or a <c>foreach</c> over a one-dimensional array.
/// </summary>
internal sealed class LoopHeader
{
    private LoopHeader(LoopShape shape, ILocalSymbol induction, IOperation? lower, IOperation upper, bool inclusive, long? tripCount)
    {
        Shape = shape;
        Induction = induction;
        Lower = lower;
        Upper = upper;
        Inclusive = inclusive;
        TripCount = tripCount;
    }

    public LoopShape Shape { get; }

    /// <inheritdoc cref="LoopModel.Induction"/>
    public ILocalSymbol Induction { get; }

    /// <inheritdoc cref="LoopModel.LowerBound"/>
    public IOperation? Lower { get; }

    /// <inheritdoc cref="LoopModel.UpperBound"/>
    public IOperation Upper { get; }

    /// <inheritdoc cref="LoopModel.UpperInclusive"/>
    public bool Inclusive { get; }

    /// <inheritdoc cref="LoopModel.TripCount"/>
    public long? TripCount { get; }

    /// <summary>The header of <paramref name="loop"/>, or null when it is neither a canonical <c>for</c> nor a <c>foreach</c> over an array.</summary>
    public static LoopHeader? Read(ILoopOperation loop)
    {
        switch (loop)
        {
            case IForLoopOperation forLoop:
                if (!TryReadFor(forLoop, out var induction, out var lower, out var upper, out var inclusive))
                {
                    return null;
                }

                long? tripCount = null;
                if (lower.ConstantValue is { HasValue: true } lo && upper.ConstantValue is { HasValue: true } hi
                    && TryToLong(lo.Value, out var low) && TryToLong(hi.Value, out var high))
                {
                    tripCount = System.Math.Max(0, high - low + (inclusive ? 1 : 0));
                }

                return new LoopHeader(LoopShape.For, induction, lower, upper, inclusive, tripCount);

            case IForEachLoopOperation forEach:
                if (forEach.Collection.UnwrapConversions().Type is not IArrayTypeSymbol { Rank: 1 }
                    || forEach.LoopControlVariable is not IVariableDeclaratorOperation { Symbol: { } variable }
                    || forEach.IsAsynchronous)
                {
                    return null;
                }

                return new LoopHeader(LoopShape.ForEachArray, variable, lower: null, forEach.Collection.UnwrapConversions(), inclusive: false, tripCount: null);

            default:
                return null;
        }
    }

    /// <summary>Reads <c>for (T i = lower; i &lt; upper; i++)</c> (also <c>&lt;=</c>, <c>++i</c>, <c>i += 1</c>) with <c>T</c> <c>int</c> or <c>long</c>.</summary>
    public static bool TryReadFor(IForLoopOperation loop, out ILocalSymbol induction, out IOperation lower, out IOperation upper, out bool inclusive)
    {
        induction = null!;
        lower = null!;
        upper = null!;
        inclusive = false;
        if (loop.Before.Length != 1
            || loop.Before[0] is not IVariableDeclarationGroupOperation { Declarations.Length: 1 } group
            || group.Declarations[0].Declarators.Length != 1
            || group.Declarations[0].Declarators[0] is not { Symbol: { } symbol } declarator
            || symbol.Type.SpecialType is not (SpecialType.System_Int32 or SpecialType.System_Int64)
            || symbol.IsRef
            || declarator.GetVariableInitializer() is not { Value: { } initial })
        {
            return false;
        }

        if (loop.Condition is not IBinaryOperation { OperatorKind: BinaryOperatorKind.LessThan or BinaryOperatorKind.LessThanOrEqual } condition
            || condition.LeftOperand.UnwrapConversions() is not ILocalReferenceOperation { Local: { } left }
            || !SymbolEqualityComparer.Default.Equals(left, symbol))
        {
            return false;
        }

        if (loop.AtLoopBottom.Length != 1 || !IsUnitIncrement(loop.AtLoopBottom[0], symbol))
        {
            return false;
        }

        induction = symbol;
        lower = initial;
        upper = condition.RightOperand.UnwrapConversions();
        inclusive = condition.OperatorKind == BinaryOperatorKind.LessThanOrEqual;
        return true;
    }

    /// <summary>The value of an <c>int</c>, <c>long</c>, <c>short</c>, <c>byte</c> or <c>uint</c> constant as a <c>long</c>.</summary>
    public static bool TryToLong(object? value, out long result)
    {
        switch (value)
        {
            case int v: result = v; return true;
            case long v: result = v; return true;
            case short v: result = v; return true;
            case byte v: result = v; return true;
            case uint v: result = v; return true;
            default: result = 0; return false;
        }
    }

    private static bool IsUnitIncrement(IOperation step, ILocalSymbol induction)
    {
        var operation = step is IExpressionStatementOperation statement ? statement.Operation : step;
        switch (operation)
        {
            case IIncrementOrDecrementOperation { Kind: OperationKind.Increment, Target: ILocalReferenceOperation target }:
                return SymbolEqualityComparer.Default.Equals(target.Local, induction);
            case ICompoundAssignmentOperation { OperatorKind: BinaryOperatorKind.Add, Target: ILocalReferenceOperation target } compound:
                return SymbolEqualityComparer.Default.Equals(target.Local, induction)
                       && compound.Value.ConstantValue is { HasValue: true } one && TryToLong(one.Value, out var step1) && step1 == 1;
            default:
                return false;
        }
    }
}
