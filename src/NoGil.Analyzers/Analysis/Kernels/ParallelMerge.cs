using System.Globalization;
using NoGil.Analyzers.Analysis.Loops;

namespace NoGil.Analyzers.Analysis.Kernels;

/// <summary>
/// How the NOGIL301 fix folds a reduction on several workers: each starts a partial result at the fold's identity and
/// merges it into the accumulator once, with <c>Interlocked.Add</c> (<c>int</c> and <c>long</c> sums) or under a lock.
/// </summary>
public sealed class ParallelMerge
{
    private ParallelMerge(string identity, string? function, bool usesInterlocked)
    {
        Identity = identity;
        Function = function;
        UsesInterlocked = usesInterlocked;
    }

    /// <summary>The partial result's start value, the identity of the fold, typed like the accumulator (<c>0L</c>, <c>int.MaxValue</c>, <c>(short)0</c> …).</summary>
    public string Identity { get; }

    /// <summary>For <c>Math.Min</c>/<c>Math.Max</c> folds: the function as the update writes it (<c>Math.Max</c>, <c>MathF.Min</c>); else null.</summary>
    public string? Function { get; }

    /// <summary>True for <c>int</c> and <c>long</c> sums, merged with <c>Interlocked.Add</c>; every other fold merges under a lock.</summary>
    public bool UsesInterlocked { get; }

    /// <summary>The merge of <paramref name="reduction"/>, or null when it cannot be written (no identity, no <c>Interlocked</c>, no function as written).</summary>
    public static ParallelMerge? For(LoopReduction reduction, KnownTypes types)
    {
        if (IdentityOf(reduction.Operator, reduction.Type) is not { } identity)
        {
            return null;
        }

        if (reduction.Operator == ReductionOperator.Add && reduction.Type.SpecialType is SpecialType.System_Int32 or SpecialType.System_Int64)
        {
            return types.Interlocked is null ? null : new ParallelMerge(identity, null, usesInterlocked: true);
        }

        if (reduction.Operator is ReductionOperator.MathMin or ReductionOperator.MathMax)
        {
            return KernelText.MinMaxFunction(reduction.Update) is { } function ? new ParallelMerge(identity, function, usesInterlocked: false) : null;
        }

        return new ParallelMerge(identity, null, usesInterlocked: false);
    }

    private static string? IdentityOf(ReductionOperator kind, ITypeSymbol type)
    {
        var special = type.SpecialType;
        var keyword = type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat);
        var isFloat = NumericTypes.IsFloatingPoint(type);
        return kind switch
        {
            ReductionOperator.Add or ReductionOperator.Or or ReductionOperator.Xor => special == SpecialType.System_Boolean ? "false" : Typed(0, special),
            ReductionOperator.Multiply => Typed(1, special),
            ReductionOperator.And => special == SpecialType.System_Boolean ? "true" : NumericTypes.IsUnsignedInteger(type) ? keyword + ".MaxValue" : Typed(-1, special),
            ReductionOperator.MathMax or ReductionOperator.CompareMax => isFloat ? keyword + ".NegativeInfinity" : keyword + ".MinValue",
            ReductionOperator.MathMin or ReductionOperator.CompareMin => isFloat ? keyword + ".PositiveInfinity" : keyword + ".MaxValue",
            _ => null,
        };
    }

    /// <summary>A literal of <paramref name="type"/>: <c>0</c>, <c>0L</c>, <c>0.0</c>, <c>(short)0</c>….</summary>
    private static string? Typed(int value, SpecialType type)
    {
        var text = value.ToString(CultureInfo.InvariantCulture);
        return type switch
        {
            SpecialType.System_Int32 => text,
            SpecialType.System_Int64 => text + "L",
            SpecialType.System_UInt32 => text + "U",
            SpecialType.System_UInt64 => text + "UL",
            SpecialType.System_Single => text + "f",
            SpecialType.System_Double => text + ".0",
            SpecialType.System_Int16 => "(short)" + (value < 0 ? "(" + text + ")" : text),
            SpecialType.System_UInt16 => "(ushort)" + text,
            SpecialType.System_Byte => "(byte)" + text,
            SpecialType.System_SByte => "(sbyte)" + (value < 0 ? "(" + text + ")" : text),
            _ => null,
        };
    }
}
