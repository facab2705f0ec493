namespace NoGil.Analyzers.Analysis.Loops;

/// <summary>The obstacles found in one loop, in the order found; the first few are kept (one is enough to reject the loop).</summary>
internal sealed class ObstacleList
{
    private const int MaxObstacles = 16;

    private readonly List<LoopObstacle> _obstacles = new();

    /// <summary>True when obstacles were found beyond the ones kept.</summary>
    public bool Truncated { get; private set; }

    public void Add(LoopObstacleKind kind, IOperation operation, string reason, AliasCheck? aliasCheck = null)
    {
        if (_obstacles.Count < MaxObstacles)
        {
            _obstacles.Add(new LoopObstacle(kind, operation, reason, aliasCheck));
        }
        else
        {
            Truncated = true;
        }
    }

    /// <summary>
    /// The alias checks that would make the loop independent: every obstacle kept (and none dropped) is a
    /// <see cref="LoopObstacleKind.MayAlias"/> with a check; empty otherwise.
    /// </summary>
    public ImmutableArray<AliasCheck> AliasChecks()
    {
        if (Truncated || _obstacles.Count == 0 || _obstacles.Any(o => o.Kind != LoopObstacleKind.MayAlias || o.AliasCheck is null))
        {
            return ImmutableArray<AliasCheck>.Empty;
        }

        return _obstacles.Select(o => o.AliasCheck!).Distinct().ToImmutableArray();
    }

    public ImmutableArray<LoopObstacle> ToImmutableArray() => _obstacles.ToImmutableArray();
}
