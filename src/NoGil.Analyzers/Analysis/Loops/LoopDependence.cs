using System.Runtime.CompilerServices;

namespace NoGil.Analyzers.Analysis.Loops;

/// <summary>
/// The loop dependence analysis shared by the NOGIL3xx rules: for any loop, are its iterations independent, and if
/// not, why not?
/// <para>
/// Accepted shapes: <c>for (int i = lo; i &lt; hi; i++)</c> (also <c>&lt;=</c>, <c>++i</c>, <c>i += 1</c>, <c>long</c>
/// induction variables) whose bound is loop-invariant (a constant, a local, parameter or field not written in the body,
/// their <c>.Length</c>/<c>.Count</c>/<c>GetLength(d)</c>, and arithmetic over those), and <c>foreach</c> over a
/// one-dimensional array. Iterations are independent when every write goes to a body-local variable, to a recognized
/// reduction variable (<see cref="LoopReduction"/>), or to an array or span element owned by the iteration: 1-D
/// <c>a[i + c]</c>, a flattened row <c>a[i * w + j]</c> whose <c>j</c> is an inner loop over <c>[0, w)</c>, or
/// dimension 0 of <c>T[,]</c> and jagged arrays (<c>c[i, j]</c>, <c>c[i][j]</c>, also through <c>var row = c[i]</c>);
/// a written array is read only at the writing iteration's elements; arrays that may be the same object (same type,
/// neither created fresh in the method) are accessed only at the same elements; spans that may partially overlap
/// are reported as <see cref="LoopObstacleKind.SpanOverlap"/>; every call is pure (<see cref="Purity"/>); no exits,
/// exception handling, field/static writes or volatile reads. Rows of a jagged array are assumed to be distinct arrays
/// (as every row-by-row allocation makes them).
/// </para>
/// <para>
/// The parts, one concern each: <see cref="LoopHeader"/> (the loop's shape), <see cref="LoopScope"/> (the body's
/// variables and invariance), <see cref="LoopWalk"/> (the walk over the body that records everything),
/// <see cref="ElementAccesses"/> and <see cref="LinearIndex"/> (element accesses and the iteration that owns each),
/// <see cref="ArrayAliasing"/> (which arrays may be one object), <see cref="OuterVariables"/> and
/// <see cref="ReductionUpdates"/> (writes of outer variables, reductions), <see cref="CostTally"/> (the cost).
/// </para>
/// </summary>
public static class LoopDependence
{
    /// <summary>
    /// A body with at least this many operations pays for range scheduling on several cores. Calibrated
    /// (docs/calibration.md): on 2 cores the break-even lies between 8 and 16 operations per element; 24 wins at 10K, 100K
    /// and 1M elements with a margin.
    /// </summary>
    public const int ParallelOperationThreshold = 24;

    /// <summary>
    /// Total work (iterations × operations per iteration) below which a loop loses to the start of a parallel loop
    /// whatever it does: calibrated (docs/calibration.md), 10,000 iterations of 8 operations ran slower in parallel
    /// (ratio 2.14). A loop whose trip count is bounded by construction and whose light body stays below it is not
    /// reported by NOGIL301.
    /// </summary>
    public const long ParallelBreakEvenWork = 80_000;

    /// <summary>
    /// What a transcendental <c>Math</c> call (<see cref="CallCost.IsTranscendental"/>) weighs in
    /// <see cref="ParallelBreakEvenWork"/>: tens of nanoseconds, about 40 simple operations.
    /// </summary>
    public const int TranscendentalOperations = 40;

    /// <summary>
    /// True when NOGIL301 certainly does not report <paramref name="loop"/>, found without building the model
    /// (<see cref="LoopScreen"/>): no model, an obstacle no kernel rule accepts, or too little work even if every source
    /// call were pure. False when only the model can tell. Cached per loop operation, with <see cref="CannotBeVectorKernel"/>.
    /// </summary>
    public static bool CannotBeParallelLoop(ILoopOperation loop, KnownTypes types, PurityCache purity, CancellationToken cancellationToken)
        => Screen(loop, types, purity, cancellationToken) is not { Blocked: false, MayBeWorthParallelizing: true };

    /// <summary>
    /// True when NOGIL302 and NOGIL303 certainly do not report <paramref name="loop"/>, found without building the model
    /// (<see cref="LoopScreen"/>): no model, an obstacle no kernel rule accepts, or a body of more than one statement.
    /// </summary>
    public static bool CannotBeVectorKernel(ILoopOperation loop, KnownTypes types, PurityCache purity, CancellationToken cancellationToken)
        => Screen(loop, types, purity, cancellationToken) is not { Blocked: false, MayBeVectorKernel: true };

    /// <summary>
    /// True when NOGIL302 certainly does not report <paramref name="loop"/>: as <see cref="CannotBeVectorKernel"/>, or a loop
    /// whose header or statement is not of the syntax the elementwise kernel reads (<see cref="LoopScreen.MayBeElementwise"/>).
    /// </summary>
    public static bool CannotBeElementwiseKernel(ILoopOperation loop, KnownTypes types, PurityCache purity, CancellationToken cancellationToken)
        => Screen(loop, types, purity, cancellationToken) is not { Blocked: false, MayBeElementwise: true };

    /// <summary>
    /// True when NOGIL303 certainly does not report <paramref name="loop"/>: as <see cref="CannotBeVectorKernel"/>, or a body
    /// whose one statement is neither an assignment nor an <c>if</c> without <c>else</c> (<see cref="LoopScreen.MayBeReduction"/>).
    /// </summary>
    public static bool CannotBeReductionKernel(ILoopOperation loop, KnownTypes types, PurityCache purity, CancellationToken cancellationToken)
        => Screen(loop, types, purity, cancellationToken) is not { Blocked: false, MayBeReduction: true };

    private static LoopScreen? Screen(ILoopOperation loop, KnownTypes types, PurityCache purity, CancellationToken cancellationToken)
    {
        if (loop is null || types is null || purity is null)
        {
            return null;
        }

        var facts = LoopFacts.Of(loop);
        return Volatile.Read(ref facts.Screen) ?? FunctionFacts.Publish(ref facts.Screen, LoopScreen.Of(loop, types, purity, cancellationToken));
    }

    /// <summary>
    /// The model of <paramref name="loop"/>, or null when it is not a canonical <c>for</c> loop or a <c>foreach</c> over an
    /// array. The result is cached per loop operation, so every rule may ask.
    /// </summary>
    public static LoopModel? Analyze(ILoopOperation loop, KnownTypes types, PurityCache purity, CancellationToken cancellationToken)
    {
        if (loop is null || types is null || purity is null)
        {
            return null;
        }

        var facts = LoopFacts.Of(loop);
        return (Volatile.Read(ref facts.Model) ?? FunctionFacts.Publish(ref facts.Model, new StrongBox<LoopModel?>(LoopWalk.Build(loop, types, purity, cancellationToken)))).Value;
    }
}
