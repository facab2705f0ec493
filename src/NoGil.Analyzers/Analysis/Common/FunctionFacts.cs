using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using NoGil.Analyzers.Analysis.Loops;

namespace NoGil.Analyzers.Analysis.Common;

/// <summary>
/// What the analyses keep per function — the root of an operation tree (<see cref="OperationExtensions.Root"/>): a
/// method, accessor or constructor body, a field initializer — in one weak table entry instead of one table per question:
/// the index arithmetic, the arrays the function creates and writes, the array locals no one else can reach, and the facts
/// of each of its loops. Every loop of a large library is screened, and each of those questions was a lookup (and, the
/// first time, a locked insertion) in a table of its own.
/// <para>
/// Each value is computed outside any lock and published once (<see cref="Publish{T}"/>): the first value stored wins, so
/// every caller sees the same instance, as with <see cref="ConditionalWeakTable{TKey, TValue}.GetValue"/>.
/// </para>
/// </summary>
internal sealed class FunctionFacts
{
    private static readonly ConditionalWeakTable<IOperation, FunctionFacts> ByRoot = new();

    private static readonly ConditionalWeakTable<IOperation, FunctionFacts>.CreateValueCallback Create = static _ => new FunctionFacts();

    /// <summary><see cref="Common.IndexArithmetic.Of"/>.</summary>
    public IndexArithmetic? IndexArithmetic;

    /// <summary><see cref="MethodArrays.Around"/>.</summary>
    public MethodArrays? Arrays;

    /// <summary>The array locals of the function no one else can reach (<see cref="ArrayAliasing"/>).</summary>
    public ArrayAliasing.FreshArrays? FreshArrays;

    /// <summary><see cref="LoopFacts.Of"/>, per loop of the function.</summary>
    public readonly ConcurrentDictionary<ILoopOperation, LoopFacts> Loops = new();

    /// <summary>The facts of the function <paramref name="operation"/> belongs to, created empty on first use.</summary>
    public static FunctionFacts Of(IOperation operation)
    {
        var root = operation.Root();
        return ByRoot.TryGetValue(root, out var facts) ? facts : ByRoot.GetValue(root, Create);
    }

    /// <summary>Stores <paramref name="value"/> in <paramref name="slot"/> unless another thread stored one first; returns the stored one.</summary>
    public static T Publish<T>(ref T? slot, T value)
        where T : class
        => Interlocked.CompareExchange(ref slot, value, null) ?? value;
}
