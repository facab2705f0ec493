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
    private BlockingWait(BlockingWaitKind kind, IOperation operation, IOperation? task, IOperation? awaitable)
    {
        Kind = kind;
        Operation = operation;
        Task = task;
        Awaitable = awaitable;
    }

    public BlockingWaitKind Kind { get; }

    /// <summary>The whole blocking expression (<c>t.Result</c>, <c>t.GetAwaiter().GetResult()</c>, …).</summary>
    public IOperation Operation { get; }

    /// <summary>The task (or value task) that is waited on, with any <c>ConfigureAwait</c> removed.</summary>
    public IOperation? Task { get; }

    /// <summary>What an <c>await</c> would be applied to: the task, or <c>task.ConfigureAwait(x)</c>.</summary>
    public IOperation? Awaitable { get; }

    /// <summary>Text shown in messages.</summary>
    public string DisplayText => Kind switch
    {
        BlockingWaitKind.Wait => "Wait()",
        BlockingWaitKind.Result => "Result",
        BlockingWaitKind.GetResult => "GetAwaiter().GetResult()",
        BlockingWaitKind.WaitAll => "Task.WaitAll",
        _ => "Task.WaitAny",
    };

    /// <summary>
    /// Recognizes a blocking wait. Only the forms an <c>await</c> can replace one for one are recognized:
    /// overloads with time-outs or cancellation tokens return something else and are left alone.
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
                                && (method.Parameters.Length == 0 || IsInfiniteTimeout(invocation)):
                return new BlockingWait(BlockingWaitKind.Wait, invocation, instance, instance);

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

            case "WaitAll" when method.IsStatic && KnownTypes.Is(method.ContainingType, types.Task) && OnlyTaskCollections(method, types):
                return new BlockingWait(BlockingWaitKind.WaitAll, invocation, null, null);

            case "WaitAny" when method.IsStatic && KnownTypes.Is(method.ContainingType, types.Task) && OnlyTaskCollections(method, types):
                return new BlockingWait(BlockingWaitKind.WaitAny, invocation, null, null);

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

    /// <summary><c>Wait(-1)</c>, <c>Wait(Timeout.Infinite)</c>, <c>Wait(Timeout.InfiniteTimeSpan)</c>: the same as <c>Wait()</c>.</summary>
    private static bool IsInfiniteTimeout(IInvocationOperation invocation)
    {
        if (invocation.Arguments.Length != 1 || invocation.TargetMethod.Parameters.Length != 1)
        {
            return false;
        }

        var value = invocation.Arguments[0].Value.UnwrapAllConversions();

        return value.ConstantValue is { HasValue: true, Value: -1 }
               || value is IFieldReferenceOperation { Field: { Name: "InfiniteTimeSpan", IsStatic: true, ContainingType: { Name: "Timeout", ContainingNamespace.Name: "Threading" } } };
    }

    /// <summary>True for <c>Wait(…)</c> overloads that return whether the task completed (a <c>bool</c>).</summary>
    public bool ReturnsCompletionFlag => Kind == BlockingWaitKind.Wait && Operation is IInvocationOperation { TargetMethod.ReturnsVoid: false };

    private static bool IsGenericTaskLike(INamedTypeSymbol? type, KnownTypes types)
    {
        var definition = type?.OriginalDefinition;
        return KnownTypes.Is(definition, types.TaskOfT) || KnownTypes.Is(definition, types.ValueTaskOfT);
    }

    /// <summary>WaitAll/WaitAny overloads whose only parameter is a collection of tasks.</summary>
    private static bool OnlyTaskCollections(IMethodSymbol method, KnownTypes types)
    {
        if (method.Parameters.Length != 1)
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
