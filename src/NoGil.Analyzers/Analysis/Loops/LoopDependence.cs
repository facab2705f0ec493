using System.Threading;
using Microsoft.CodeAnalysis.Operations;
using NoGil.Analyzers.Infrastructure;

namespace NoGil.Analyzers.Analysis.Loops;

/// <summary>The loop dependence analysis shared by the NOGIL3xx rules (implementation in progress).</summary>
public static class LoopDependence
{
    /// <summary>A body with at least this many operations pays for range scheduling on several cores.</summary>
    public const int ParallelOperationThreshold = 24;

    /// <summary>
    /// The model of <paramref name="loop"/>, or null when it is not a canonical <c>for</c> loop or a <c>foreach</c> over an
    /// array. The result is cached per loop operation, so every rule may ask.
    /// </summary>
    public static LoopModel? Analyze(ILoopOperation loop, KnownTypes types, PurityCache purity, CancellationToken cancellationToken)
        => null;
}
