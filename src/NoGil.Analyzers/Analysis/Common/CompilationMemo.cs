using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace NoGil.Analyzers.Analysis.Common;

/// <summary>
/// Answers kept for one compilation: a table per <see cref="Compilation"/>, dropped with it (a weak table, so a host
/// that keeps no compilation keeps no answers). The tables are shared by every rule and thread that asks about the same
/// compilation; an answer must depend only on the compilation and the key.
/// </summary>
internal sealed class CompilationMemo<TKey, TValue>
    where TKey : notnull
{
    private readonly ConditionalWeakTable<Compilation, ConcurrentDictionary<TKey, TValue>> _tables = new();
    private readonly ConditionalWeakTable<Compilation, ConcurrentDictionary<TKey, TValue>>.CreateValueCallback _create;

    /// <param name="comparer">The keys' comparer (<see cref="SymbolEqualityComparer.Default"/> for symbols); the default comparer when null.</param>
    public CompilationMemo(IEqualityComparer<TKey>? comparer = null)
    {
        _create = _ => new ConcurrentDictionary<TKey, TValue>(comparer ?? EqualityComparer<TKey>.Default);
    }

    /// <summary>The table of <paramref name="compilation"/>.</summary>
    public ConcurrentDictionary<TKey, TValue> For(Compilation compilation) => _tables.GetValue(compilation, _create);
}
