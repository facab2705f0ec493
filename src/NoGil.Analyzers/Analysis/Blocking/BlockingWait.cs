namespace NoGil.Analyzers.Analysis.Blocking;

public enum BlockingWaitKind
{
    /// <summary><c>task.Wait()</c>, or <c>task.Wait(-1)</c> / <c>Wait(Timeout.Infinite)</c>, which wait just as long.</summary>
    Wait,

    /// <summary><c>task.Result</c>.</summary>
    Result,

    /// <summary><c>task.GetAwaiter().GetResult()</c>, optionally through <c>ConfigureAwait(…)</c>.</summary>
    GetResult,

    /// <summary><c>Task.WaitAll(…)</c>.</summary>
    WaitAll,

    /// <summary><c>Task.WaitAny(…)</c>.</summary>
    WaitAny,
}

/// <summary>
/// A synchronous wait on async work: the operation that blocks, and the task expression it blocks on
/// (for <see cref="BlockingWaitKind.WaitAll"/>/<see cref="BlockingWaitKind.WaitAny"/>, none).
/// </summary>
public sealed class BlockingWait
{
    private BlockingWait(BlockingWaitKind kind, IOperation operation, IOperation? task, IOperation? awaitable, WaitBound bound = default)
    {
        Kind = kind;
        Operation = operation;
        Task = task;
        Awaitable = awaitable;
        Timeout = bound.Timeout;
        Token = bound.Token;
    }

    public BlockingWaitKind Kind { get; }

    /// <summary>The whole blocking expression (<c>t.Result</c>, <c>t.GetAwaiter().GetResult()</c>, …).</summary>
    public IOperation Operation { get; }

    /// <summary>The task (or value task) that is waited on, with any <c>ConfigureAwait</c> removed.</summary>
    public IOperation? Task { get; }

    /// <summary>What an <c>await</c> would be applied to: the task, or <c>task.ConfigureAwait(x)</c>.</summary>
    public IOperation? Awaitable { get; }

    /// <summary>
    /// The finite, non-zero time-out argument of a timed wait (<c>t.Wait(1000)</c>, <c>Task.WaitAll(ts, timeout)</c>);
    /// null for a wait without one or with an infinite one. A zero time-out is a probe, never a blocking wait.
    /// </summary>
    public IOperation? Timeout { get; }

    /// <summary>The cancellation-token argument (<c>t.Wait(ct)</c>, <c>Task.WaitAll(ts, ct)</c>), or null.</summary>
    public IOperation? Token { get; }

    /// <summary>
    /// True for a wait that returns only once the task completed (or throws): no finite time-out. After it, the
    /// task is complete. A timed wait proves completion only where it returned <c>true</c>.
    /// </summary>
    public bool WaitsForCompletion => Timeout is null;

    /// <summary>
    /// A wait an <c>await</c> of the task replaces one for one (no time-out, no token): the only kind a synchronous
    /// function is asked to become async for (NOGIL203). Timed and cancellable waits are bounded or cancellable by
    /// design there.
    /// </summary>
    public bool IsPlain => Timeout is null && Token is null;

    /// <summary>Text shown in messages.</summary>
    public string DisplayText => Kind switch
    {
        BlockingWaitKind.Wait => Timeout is not null || Token is not null ? "Wait(" + BoundText + ")" : "Wait()",
        BlockingWaitKind.Result => "Result",
        BlockingWaitKind.GetResult => "GetAwaiter().GetResult()",
        BlockingWaitKind.WaitAll => Timeout is not null || Token is not null ? "Task.WaitAll(…, " + BoundText + ")" : "Task.WaitAll",
        _ => Timeout is not null || Token is not null ? "Task.WaitAny(…, " + BoundText + ")" : "Task.WaitAny",
    };

    private string BoundText => (Timeout, Token) switch
    {
        ({ }, { }) => "timeout, token",
        ({ }, null) => "timeout",
        _ => "token",
    };

    /// <summary>
    /// Recognizes a blocking wait: <c>.Result</c>, <c>GetAwaiter().GetResult()</c>, and <c>Wait</c>/<c>WaitAll</c>/<c>WaitAny</c>
    /// with or without a time-out or cancellation token. A zero time-out (<c>Wait(0)</c>, <c>Wait(TimeSpan.Zero)</c>)
    /// is a non-blocking probe and is not a wait; an infinite one (<c>-1</c>, <c>Timeout.Infinite</c>,
    /// <c>Timeout.InfiniteTimeSpan</c>) is a plain wait.
    /// </summary>
    public static BlockingWait? TryCreate(IOperation operation, KnownTypes types)
    {
        switch (operation)
        {
            case IPropertyReferenceOperation { Property.Name: "Result", Instance: { } instance } property
                when !property.Property.IsStatic && IsGenericTaskLike(property.Property.ContainingType, types):
                return new BlockingWait(BlockingWaitKind.Result, operation, instance, instance);

            case IInvocationOperation invocation:
                return TryCreate(invocation, types);

            default:
                return null;
        }
    }

    private static BlockingWait? TryCreate(IInvocationOperation invocation, KnownTypes types)
    {
        var method = invocation.TargetMethod;
        switch (method.Name)
        {
            case "Wait" when !method.IsStatic && invocation.Instance is { } instance && types.IsTaskType(method.ContainingType)
                                && WaitBound.TryRead(invocation, firstBound: 0, types) is { } bound:
                return new BlockingWait(BlockingWaitKind.Wait, invocation, instance, instance, bound);

            case "GetResult" when method.Parameters.Length == 0
                                  && invocation.Instance is IInvocationOperation { TargetMethod.Name: "GetAwaiter", Arguments.Length: 0 } getAwaiter
                                  && getAwaiter.Instance is { } awaitable:
                if (types.IsTaskLike(awaitable.Type))
                {
                    return new BlockingWait(BlockingWaitKind.GetResult, invocation, awaitable, awaitable);
                }

                if (types.IsConfiguredAwaitable(awaitable.Type)
                    && awaitable is IInvocationOperation { TargetMethod.Name: "ConfigureAwait", Instance: { } configured }
                    && types.IsTaskLike(configured.Type))
                {
                    return new BlockingWait(BlockingWaitKind.GetResult, invocation, configured, awaitable);
                }

                return null;

            case "WaitAll" when method.IsStatic && KnownTypes.Is(method.ContainingType, types.Task) && IsTaskCollection(method, types)
                                   && WaitBound.TryRead(invocation, firstBound: 1, types) is { } allBound:
                return new BlockingWait(BlockingWaitKind.WaitAll, invocation, null, null, allBound);

            case "WaitAny" when method.IsStatic && KnownTypes.Is(method.ContainingType, types.Task) && IsTaskCollection(method, types)
                                   && WaitBound.TryRead(invocation, firstBound: 1, types) is { } anyBound:
                return new BlockingWait(BlockingWaitKind.WaitAny, invocation, null, null, anyBound);

            default:
                return null;
        }
    }

    /// <summary>
    /// Quick syntactic pre-filter for a member name: can an operation with this name be a blocking wait?
    /// <see cref="CandidateSyntax.Fragments"/> must occur in every name accepted here.
    /// </summary>
    public static bool IsCandidateName(string name)
        => name is "Result" or "Wait" or "GetResult" or "WaitAll" or "WaitAny";

    /// <summary>True for <c>Wait(…)</c>/<c>WaitAll(…)</c> overloads that return whether the tasks completed (a <c>bool</c>).</summary>
    public bool ReturnsCompletionFlag => Kind is BlockingWaitKind.Wait or BlockingWaitKind.WaitAll && Operation is IInvocationOperation { TargetMethod.ReturnsVoid: false };

    private static bool IsGenericTaskLike(INamedTypeSymbol? type, KnownTypes types)
    {
        var definition = type?.OriginalDefinition;
        return KnownTypes.Is(definition, types.TaskOfT) || KnownTypes.Is(definition, types.ValueTaskOfT);
    }

    /// <summary>WaitAll/WaitAny overloads whose first parameter is a collection of tasks (the rest: <see cref="WaitBound"/>).</summary>
    private static bool IsTaskCollection(IMethodSymbol method, KnownTypes types)
    {
        if (method.Parameters.Length == 0)
        {
            return false;
        }

        var type = method.Parameters[0].Type;
        ITypeSymbol? element = type switch
        {
            IArrayTypeSymbol array => array.ElementType,
            INamedTypeSymbol { TypeArguments.Length: 1 } named => named.TypeArguments[0],
            _ => null,
        };

        return types.IsTaskType(element);
    }
}
