namespace NoGil.Analyzers.Analysis.Loops;

/// <summary>
/// What the model's walk counts (<see cref="CostTally"/>), kept in walk order and counted only when a rule first reads
/// <see cref="LoopModel.Cost"/>: the vector rules (NOGIL302/303) read a loop's accesses and reductions, not its cost, and
/// the tally needs the function's index arithmetic and the costs of the source methods it calls. The events are replayed
/// in the order the walk met them, so the cost is the one an eager tally would have counted. Checked arithmetic, which
/// every rule reads, is noted at once.
/// </summary>
internal sealed class DeferredCost
{
    private readonly List<(IOperation Operation, IMethodSymbol? Method, bool IsPure, Kind Kind)> _events = new(32);

    private enum Kind
    {
        Operation,
        InnerLoop,
        Transcendental,
        SourceCall,
    }

    /// <summary>The body contains arithmetic in a <c>checked</c> context.</summary>
    public bool HasCheckedArithmetic { get; private set; }

    /// <summary><see cref="CostTally.Count"/>; an operation that weighs nothing is not kept.</summary>
    public void Count(IOperation operation)
    {
        HasCheckedArithmetic |= CostTally.IsChecked(operation);
        if (CallCost.WeightOf(operation) > 0)
        {
            _events.Add((operation, null, false, Kind.Operation));
        }
    }

    /// <summary><see cref="CostTally.CountInnerLoop"/>.</summary>
    public void CountInnerLoop(ILoopOperation inner) => _events.Add((inner, null, false, Kind.InnerLoop));

    /// <summary><see cref="CostTally.CountTranscendental"/>.</summary>
    public void CountTranscendental(IOperation call, IMethodSymbol method) => _events.Add((call, method, false, Kind.Transcendental));

    /// <summary><see cref="CostTally.CountSourceCall"/>.</summary>
    public void CountSourceCall(IOperation call, IMethodSymbol method, bool isPure) => _events.Add((call, method, isPure, Kind.SourceCall));

    /// <summary>The cost, counted on first use (and not kept if the count is cancelled).</summary>
    public Lazy<LoopCost> ToLazyCost(ILoopOperation loop, PurityCache purity, CancellationToken cancellationToken)
        => new(() => Tally(loop, purity, cancellationToken), LazyThreadSafetyMode.PublicationOnly);

    private LoopCost Tally(ILoopOperation loop, PurityCache purity, CancellationToken cancellationToken)
    {
        var cost = new CostTally(loop);
        foreach (var (operation, method, isPure, kind) in _events)
        {
            switch (kind)
            {
                case Kind.Operation:
                    cost.Count(operation);
                    break;
                case Kind.InnerLoop:
                    cost.CountInnerLoop((ILoopOperation)operation, purity, cancellationToken);
                    break;
                case Kind.Transcendental:
                    cost.CountTranscendental(method!);
                    break;
                case Kind.SourceCall:
                    cost.CountSourceCall(operation, method!, isPure, purity, cancellationToken);
                    break;
            }
        }

        return cost.ToLoopCost();
    }
}
