namespace NoGil.Analyzers.Analysis.Loops;

/// <summary>
/// The reads and writes of locals and parameters declared outside the loop, and which of those variables are
/// reductions (<see cref="LoopReduction"/>): written only by updates of one kind (<see cref="ReductionUpdates"/>) and
/// read only inside them.
/// </summary>
internal sealed class OuterVariables
{
    private readonly Dictionary<ISymbol, List<IOperation>> _writes = new(SymbolEqualityComparer.Default);

    /// <summary>
    /// Every read, in walk order, in one list: only the reads of written variables are ever looked at (most loops write
    /// none), so a read is not filed by variable when it is met.
    /// </summary>
    private readonly List<(ISymbol Variable, IOperation Reference)> _reads = new();

    public void RecordWrite(ISymbol variable, IOperation writer)
    {
        if (!_writes.TryGetValue(variable, out var list))
        {
            _writes[variable] = list = new List<IOperation>();
        }

        list.Add(writer);
    }

    public void RecordRead(ISymbol variable, IOperation reference) => _reads.Add((variable, reference));

    /// <summary>The reductions, in source order; every other written variable becomes an obstacle.</summary>
    public ImmutableArray<LoopReduction> ClassifyWrites(ObstacleList obstacles)
    {
        if (_writes.Count == 0)
        {
            return ImmutableArray<LoopReduction>.Empty;
        }

        var reductions = ImmutableArray.CreateBuilder<LoopReduction>();
        foreach (var pair in _writes)
        {
            if (Classify(pair.Key, pair.Value, obstacles) is { } reduction)
            {
                reductions.Add(reduction);
            }
        }

        return reductions.Count <= 1 ? reductions.ToImmutable() : reductions.OrderBy(r => r.Update.Syntax.SpanStart).ToImmutableArray();
    }

    /// <summary>The reduction of <paramref name="variable"/> (its first update), or null after adding the obstacle.</summary>
    private LoopReduction? Classify(ISymbol variable, List<IOperation> writers, ObstacleList obstacles)
    {
        var updates = new List<LoopReduction>();
        foreach (var writer in writers)
        {
            if (ReductionUpdates.Recognize(variable, writer) is not { } update)
            {
                obstacles.Add(LoopObstacleKind.OuterVariableWrite, writer, "'" + variable.Name + "' is declared outside the loop and written in the body");
                return null;
            }

            updates.Add(update);
        }

        var first = updates[0];
        if (updates.Any(u => u.Operator != first.Operator || u.Update != first.Update && updates.Count > 1 && u.Operator is not (ReductionOperator.Add or ReductionOperator.Multiply or ReductionOperator.And or ReductionOperator.Or or ReductionOperator.Xor)))
        {
            obstacles.Add(LoopObstacleKind.OuterVariableWrite, first.Update, "'" + variable.Name + "' is updated in different ways");
            return null;
        }

        // The accumulator may be read only inside its own updates.
        foreach (var (read, stray) in _reads)
        {
            if (SymbolEqualityComparer.Default.Equals(read, variable) && !updates.Any(u => u.Update.Syntax.Span.Contains(stray.Syntax.Span)))
            {
                obstacles.Add(LoopObstacleKind.OuterVariableWrite, stray, "'" + variable.Name + "' is read in the body, where other iterations update it");
                return null;
            }
        }

        return first;
    }
}
