namespace NoGil.Analyzers.Analysis.Loops;

/// <summary>The obstacles found in one loop, in the order found; the first few are kept (one is enough to reject the loop).</summary>
internal sealed class ObstacleList
{
    private const int MaxObstacles = 16;

    private readonly List<LoopObstacle> _obstacles = new();

    public void Add(LoopObstacleKind kind, IOperation operation, string reason)
    {
        if (_obstacles.Count < MaxObstacles)
        {
            _obstacles.Add(new LoopObstacle(kind, operation, reason));
        }
    }

    public ImmutableArray<LoopObstacle> ToImmutableArray() => _obstacles.ToImmutableArray();
}
