using System.Runtime.CompilerServices;

namespace NoGil.Analyzers.Analysis.Loops;

/// <summary>
/// What the kernel analysis keeps per loop — its screen, its model, its trip bound, the facts the loops around it ask of
/// it — in one table per function (<see cref="FunctionFacts.Loops"/>, the root of the loop's operation tree) rather than one
/// weak table entry per loop and question: every loop of a large library is screened, and each weak table entry is a GC handle.
/// <para>
/// Each value is computed outside the lock and published once (<see cref="FunctionFacts.Publish{T}"/>): the first value stored wins,
/// so every caller sees the same instance, as with <see cref="ConditionalWeakTable{TKey, TValue}.GetValue"/>.
/// </para>
/// </summary>
internal sealed class LoopFacts
{
    /// <summary><see cref="LoopDependence"/>'s screen.</summary>
    public LoopScreen? Screen;

    /// <summary><see cref="LoopDependence.Analyze"/>'s model (a box: the model may be null).</summary>
    public StrongBox<LoopModel?>? Model;

    /// <summary><see cref="TripBound.Of"/> (a box: the bound may be null).</summary>
    public StrongBox<long?>? TripBound;

    /// <summary>What the loops around this one ask of it (<see cref="CostTally"/>).</summary>
    public CostTally.InnerLoopFacts? AsInnerLoop;

    /// <summary>The facts of <paramref name="loop"/>, created empty on first use.</summary>
    public static LoopFacts Of(ILoopOperation loop)
    {
        var table = FunctionFacts.Of(loop).Loops;
        return table.TryGetValue(loop, out var facts) ? facts : table.GetOrAdd(loop, new LoopFacts());
    }
}
