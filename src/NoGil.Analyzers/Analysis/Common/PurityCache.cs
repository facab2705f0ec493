using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace NoGil.Analyzers.Analysis.Common;

/// <summary>
/// Per-compilation memory of <see cref="Purity"/>: summaries of source methods and the semantic models
/// needed to read their bodies. Create one in a compilation-start action and share it between actions.
/// </summary>
public sealed class PurityCache
{
    private readonly ConcurrentDictionary<(IMethodSymbol Method, bool ThisWritable, int Depth), bool> _summaries = new(SummaryKeyComparer.Instance);
    private readonly ConcurrentDictionary<SyntaxTree, SemanticModel> _models = new();

    private static readonly ConditionalWeakTable<Compilation, PurityCache> ByCompilation = new();

    public PurityCache(Compilation compilation)
    {
        Compilation = compilation;
    }

    /// <summary>The cache of <paramref name="compilation"/>, shared by every rule that asks about purity or CPU work.</summary>
    public static PurityCache For(Compilation compilation) => ByCompilation.GetValue(compilation, static c => new PurityCache(c));

    public Compilation Compilation { get; }

    /// <summary>
    /// Memo of <see cref="Purity"/>'s call summaries, per call depth: a summary looks at most <see cref="Purity.MaxCallDepth"/>
    /// calls deep from the code that asks, so the same method summarized one call deeper may see less. An answer made
    /// at one depth and read at another would make the result depend on which loop the driver analyzed first.
    /// </summary>
    internal bool TryGetSummary(IMethodSymbol method, bool thisWritable, int depth, out bool pure)
        => _summaries.TryGetValue((method, thisWritable, depth), out pure);

    internal void SetSummary(IMethodSymbol method, bool thisWritable, int depth, bool pure)
        => _summaries[(method, thisWritable, depth)] = pure;

    private readonly ConcurrentDictionary<IMethodSymbol, IOperation?> _cpuWork = new(SymbolEqualityComparer.Default);

    /// <summary>
    /// Memo of <see cref="CpuWork"/>: does a call to the source method run a loop (within the bounded depth)? Answers are
    /// made and read for calls made directly by the code that asks (depth 0) only, so they never depend on analysis order.
    /// </summary>
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

    private readonly ConcurrentDictionary<IMethodSymbol, int>[] _nestDepths =
        Enumerable.Range(0, Purity.MaxCallDepth).Select(_ => new ConcurrentDictionary<IMethodSymbol, int>(SymbolEqualityComparer.Default)).ToArray();

    /// <summary>
    /// Memo of the loop nests' call depths (<c>LoopNest</c>): how deep the nest a call to the source method runs, asked
    /// by code <paramref name="callDepth"/> calls deep. The answer depends on the call depth only through the depth
    /// bound, so each depth has its own memo and an answer never depends on analysis order.
    /// </summary>
    internal bool TryGetNestDepth(IMethodSymbol method, int callDepth, out int depth) => _nestDepths[callDepth].TryGetValue(method, out depth);

    internal void SetNestDepth(IMethodSymbol method, int callDepth, int depth) => _nestDepths[callDepth][method] = depth;

    private readonly ConcurrentDictionary<IMethodSymbol, bool> _staticReads = new(SymbolEqualityComparer.Default);

    /// <summary>Memo of <see cref="SharedStatics"/>: does a call to the source method read mutable static state? Made and read at depth 0 only.</summary>
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

    private sealed class SummaryKeyComparer : IEqualityComparer<(IMethodSymbol Method, bool ThisWritable, int Depth)>
    {
        public static readonly SummaryKeyComparer Instance = new();

        public bool Equals((IMethodSymbol Method, bool ThisWritable, int Depth) x, (IMethodSymbol Method, bool ThisWritable, int Depth) y)
            => x.ThisWritable == y.ThisWritable && x.Depth == y.Depth && SymbolEqualityComparer.Default.Equals(x.Method, y.Method);

        public int GetHashCode((IMethodSymbol Method, bool ThisWritable, int Depth) obj)
            => (((SymbolEqualityComparer.Default.GetHashCode(obj.Method) * 397) ^ (obj.ThisWritable ? 1 : 0)) * 31) + obj.Depth;
    }
}
