namespace NoGil.Analyzers.Infrastructure;

/// <summary>The one registry of rule IDs. IDs are stable once shipped; never reuse one.</summary>
public static class RuleIdentifiers
{
    // NOGIL0xx: the package's own inputs.
    public const string UseCurrentProfile = "NOGIL002";

    // NOGIL1xx: work serialized under a lock.
    public const string MoveWorkOutOfLock = "NOGIL101";
    public const string ComputeOutsideSharedLock = "NOGIL102";
    public const string UseThreadLocalAggregation = "NOGIL103";
    public const string LockOnlySharedState = "NOGIL104";

    // NOGIL2xx: work blocked behind synchronous waits.
    public const string UseAwaitInsteadOfBlockingWait = "NOGIL201";
    public const string UseAsyncTwin = "NOGIL202";
    public const string MakeMethodAsync = "NOGIL203";
    public const string RunOffloadedWorkConcurrently = "NOGIL204";
    public const string UseAwaitUsing = "NOGIL205";

    // NOGIL3xx: kernels: loops that could use every core and every lane.
    public const string ExplainLoop = "NOGIL300";
    public const string ParallelizeLoop = "NOGIL301";
    public const string VectorizeLoop = "NOGIL302";
    public const string VectorizeReduction = "NOGIL303";
}

/// <summary>Diagnostic categories, one per rule family.</summary>
public static class RuleCategories
{
    public const string Locks = "NoGil.Locks";
    public const string Blocking = "NoGil.Blocking";
    public const string Kernels = "NoGil.Kernels";

    /// <summary>The profile the analyzers read (profile-guided mode), not the code.</summary>
    public const string Profile = "NoGil.Profile";
}

/// <summary>Builds the help link of a rule: its page under docs/rules in this repository.</summary>
public static class RuleHelp
{
    public const string DocsBaseUrl = "https://github.com/nogil-analyzers/NoGil.Analyzers/blob/main/docs/rules/";

    public static string GetHelpUri(string ruleId) => DocsBaseUrl + ruleId + ".md";
}
