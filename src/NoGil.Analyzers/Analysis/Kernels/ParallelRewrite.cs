using NoGil.Analyzers.Analysis.Loops;

namespace NoGil.Analyzers.Analysis.Kernels;

/// <summary>Which loops the NOGIL301 fix can write as <c>Parallel.For</c>/<c>Parallel.ForEach</c>, keeping the loop's types.</summary>
internal static class ParallelRewrite
{
    /// <summary>
    /// True for a <c>for</c> loop over an <c>int</c> or <c>long</c> induction variable it declares alone (one
    /// incrementor) whose bounds pick the matching overload, and for a <c>foreach</c> over a one-dimensional array
    /// whose elements it takes as they are; the ranged forms need <c>Partitioner</c>, and a <c>foreach</c> a local or
    /// parameter array that every range can read again.
    /// </summary>
    public static bool CanWrite(LoopModel model, ParallelLoopForm form, KnownTypes types, CancellationToken cancellationToken)
        => model.Loop.Syntax switch
        {
            ForStatementSyntax loop => CanWriteFor(loop, model, form, types),
            ForEachStatementSyntax loop when model.Loop.SemanticModel is { } semanticModel => CanWriteForEach(loop, semanticModel, form, types, cancellationToken),
            _ => false,
        };

    private static bool CanWriteFor(ForStatementSyntax loop, LoopModel model, ParallelLoopForm form, KnownTypes types)
    {
        if (loop.Declaration is not { Variables.Count: 1 } declaration
            || declaration.Variables[0].Initializer is null
            || loop.Initializers.Count != 0
            || loop.Incrementors.Count != 1
            || model.Induction is not { } induction
            || model.LowerBound is not { Syntax: ExpressionSyntax } lower
            || model.UpperBound is not { Syntax: ExpressionSyntax } upper
            || induction.Type.SpecialType is not (SpecialType.System_Int32 or SpecialType.System_Int64))
        {
            return false;
        }

        // Parallel.For(int, int, …) or (long, long, …): the lambda's index must keep the induction variable's type.
        // Partitioner.Create(int, int) or (long, long): the range's ends must fit the induction variable.
        return form == ParallelLoopForm.PerIndex
            ? BoundsSelect(induction.Type.SpecialType, lower, upper)
            : types.Partitioner is not null && BoundsFit(induction.Type.SpecialType, lower, upper);
    }

    private static bool CanWriteForEach(ForEachStatementSyntax loop, SemanticModel model, ParallelLoopForm form, KnownTypes types, CancellationToken cancellationToken)
    {
        if (loop.Type is RefTypeSyntax
            || model.GetForEachStatementInfo(loop) is not { ElementConversion.IsIdentity: true, ElementType: not null }
            || model.GetTypeInfo(loop.Expression, cancellationToken).Type is not IArrayTypeSymbol { Rank: 1 })
        {
            return false;
        }

        // Light body: index ranges over the array, which is read again in every range (so it must be a local or parameter).
        return form == ParallelLoopForm.PerIndex
            || (types.Partitioner is not null && model.GetOperation(loop.Expression, cancellationToken) is ILocalReferenceOperation or IParameterReferenceOperation);
    }

    /// <summary>
    /// True when <c>Parallel.For(lo, hi, …)</c> picks the overload whose index has the induction variable's type:
    /// int bounds for an int index; for a long index, at least one long bound.
    /// </summary>
    private static bool BoundsSelect(SpecialType induction, IOperation lower, IOperation upper)
    {
        var lowerType = lower.UnwrapConversions().Type?.SpecialType ?? SpecialType.None;
        var upperType = upper.UnwrapConversions().Type?.SpecialType ?? SpecialType.None;
        static bool FitsLong(SpecialType t) => FitsInt(t) || t is SpecialType.System_Int64 or SpecialType.System_UInt32;
        return induction == SpecialType.System_Int32
            ? FitsInt(lowerType) && FitsInt(upperType)
            : FitsLong(lowerType) && FitsLong(upperType) && (lowerType == SpecialType.System_Int64 || upperType == SpecialType.System_Int64);
    }

    /// <summary>True when <c>Partitioner.Create(lo, hi)</c> gives ranges whose ends convert implicitly to the induction variable's type.</summary>
    private static bool BoundsFit(SpecialType induction, IOperation lower, IOperation upper)
    {
        var lowerType = lower.UnwrapConversions().Type?.SpecialType ?? SpecialType.None;
        var upperType = upper.UnwrapConversions().Type?.SpecialType ?? SpecialType.None;
        return induction == SpecialType.System_Int64 || (FitsInt(lowerType) && FitsInt(upperType));
    }

    private static bool FitsInt(SpecialType type)
        => type is SpecialType.System_Int32 or SpecialType.System_Int16 or SpecialType.System_UInt16 or SpecialType.System_Byte or SpecialType.System_SByte or SpecialType.System_Char;
}
