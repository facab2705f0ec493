namespace NoGil.Analyzers.Analysis.Blocking;

/// <summary>What <see cref="TaskCompletionFlow.Scan"/> found in an operation tree.</summary>
public enum CandidateScan
{
    /// <summary>No blocking wait: nothing to analyze.</summary>
    NoCandidate,

    /// <summary>At least one blocking wait, in a tree small enough to analyze.</summary>
    Candidate,

    /// <summary>More operations than the bound: not analyzed.</summary>
    TooLarge,
}

/// <summary>A blocking wait found in a function body, with what the flow analysis proved about it.</summary>
public sealed class BlockingWaitSite
{
    internal BlockingWaitSite(BlockingWait wait, IMethodSymbol? function, bool isTaskKnownComplete, bool isOffloadedWork)
    {
        Wait = wait;
        Function = function;
        IsTaskKnownComplete = isTaskKnownComplete;
        IsOffloadedWork = isOffloadedWork;
    }

    public BlockingWait Wait { get; }

    /// <summary>The innermost function (method, accessor, local function or lambda) that executes the wait.</summary>
    public IMethodSymbol? Function { get; }

    /// <summary>True when every path to the wait has already completed the task, so it does not block.</summary>
    public bool IsTaskKnownComplete { get; }

    /// <summary>
    /// True when the task is work created right there by <c>Task.Run</c> / <c>Task.Factory.StartNew</c> and blocked on
    /// at once, and — in the sites <see cref="BlockingWaitScanner"/> hands out — NOGIL204 reports it (call the work
    /// directly), so NOGIL201/203 stay quiet. An offload NOGIL204 leaves alone is an ordinary wait.
    /// </summary>
    public bool IsOffloadedWork { get; }

    public SyntaxNode Syntax => Wait.Operation.Syntax;

    /// <summary>
    /// The <c>await</c> that replaces the wait, decided on the original operation tree by <see cref="BlockingWaitScanner"/>;
    /// null when the wait has no faithful <c>await</c> form (or the flow analysis ran without a semantic model).
    /// </summary>
    public AwaitForm? AwaitForm { get; private set; }

    public bool IsInAsyncFunction => Function is { IsAsync: true };

    public bool IsInAnonymousFunction => Function is { MethodKind: MethodKind.AnonymousFunction };

    /// <summary>The wait blocks (the task is not proven complete) and is not left to NOGIL204.</summary>
    public bool IsBlocking => !IsTaskKnownComplete && !IsOffloadedWork;

    /// <summary>NOGIL201 reports the site: an async function blocks.</summary>
    public bool IsBlockingInAsyncCode => IsInAsyncFunction && IsBlocking;

    /// <summary>
    /// NOGIL203 reports the site: a synchronous function (not a lambda) blocks, on a plain wait — a timed or
    /// cancellable wait in synchronous code is bounded or cancellable by design, and no <c>await</c> replaces it one for one.
    /// </summary>
    public bool IsSyncOverAsync => !IsInAsyncFunction && !IsInAnonymousFunction && IsBlocking && Wait.IsPlain;

    /// <summary>The site with the scanner's refinements: NOGIL204's decision on offloaded work, and the await form.</summary>
    internal BlockingWaitSite Refine(bool isOffloadedWork, AwaitForm? awaitForm)
        => new(Wait, Function, IsTaskKnownComplete, isOffloadedWork) { AwaitForm = awaitForm };
}
