using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace NoGil.Analyzers.Analysis.Common;

/// <summary>
/// Per-compilation memory of <see cref="Purity"/>: summaries of source methods and the semantic models
/// needed to read their bodies. Create one in a compilation-start action and share it between actions.
/// </summary>
public sealed class PurityCache
{
    private readonly ConcurrentDictionary<(IMethodSymbol Method, bool ThisWritable), bool> _summaries = new(SummaryKeyComparer.Instance);
    private readonly ConcurrentDictionary<SyntaxTree, SemanticModel> _models = new();

    private static readonly ConditionalWeakTable<Compilation, PurityCache> ByCompilation = new();

    public PurityCache(Compilation compilation)
    {
        Compilation = compilation;
    }

    /// <summary>The cache of <paramref name="compilation"/>, shared by every rule that asks about purity or CPU work.</summary>
    public static PurityCache For(Compilation compilation) => ByCompilation.GetValue(compilation, static c => new PurityCache(c));

    public Compilation Compilation { get; }

    internal bool TryGetSummary(IMethodSymbol method, bool thisWritable, out bool pure)
        => _summaries.TryGetValue((method, thisWritable), out pure);

    internal void SetSummary(IMethodSymbol method, bool thisWritable, bool pure)
        => _summaries[(method, thisWritable)] = pure;

    private readonly ConcurrentDictionary<IMethodSymbol, IOperation?> _cpuWork = new(SymbolEqualityComparer.Default);

    /// <summary>Memo of <see cref="CpuWork"/>: does a call to the source method run a loop (within the bounded depth)?</summary>
    internal bool TryGetCpuWork(IMethodSymbol method, out bool heavy)
    {
        var found = _cpuWork.TryGetValue(method, out var work);
        heavy = work is not null;
        return found;
    }

    internal void SetCpuWork(IMethodSymbol method, IOperation? work) => _cpuWork[method] = work;

    private readonly ConcurrentDictionary<IMethodSymbol, CallCost> _callCosts = new(SymbolEqualityComparer.Default);

    /// <summary>Memo of <see cref="CallCost"/>: what one call to the source method costs.</summary>
    internal bool TryGetCallCost(IMethodSymbol method, out CallCost cost) => _callCosts.TryGetValue(method, out cost);

    internal void SetCallCost(IMethodSymbol method, CallCost cost) => _callCosts[method] = cost;

    private readonly ConcurrentDictionary<IMethodSymbol, bool> _staticReads = new(SymbolEqualityComparer.Default);

    /// <summary>Memo of <see cref="SharedStatics"/>: does a call to the source method read mutable static state?</summary>
    internal bool TryGetStaticReads(IMethodSymbol method, out bool reads) => _staticReads.TryGetValue(method, out reads);

    internal void SetStaticReads(IMethodSymbol method, bool reads) => _staticReads[method] = reads;

    internal SemanticModel? GetModel(SyntaxTree tree)
    {
        if (!Compilation.ContainsSyntaxTree(tree))
        {
            return null;
        }

#pragma warning disable RS1030 // Callee bodies live in other trees; the model is created once per tree and cached for the compilation.
        return _models.GetOrAdd(tree, t => Compilation.GetSemanticModel(t));
#pragma warning restore RS1030
    }

    private sealed class SummaryKeyComparer : IEqualityComparer<(IMethodSymbol Method, bool ThisWritable)>
    {
        public static readonly SummaryKeyComparer Instance = new();

        public bool Equals((IMethodSymbol Method, bool ThisWritable) x, (IMethodSymbol Method, bool ThisWritable) y)
            => x.ThisWritable == y.ThisWritable && SymbolEqualityComparer.Default.Equals(x.Method, y.Method);

        public int GetHashCode((IMethodSymbol Method, bool ThisWritable) obj)
            => (SymbolEqualityComparer.Default.GetHashCode(obj.Method) * 397) ^ (obj.ThisWritable ? 1 : 0);
    }
}
