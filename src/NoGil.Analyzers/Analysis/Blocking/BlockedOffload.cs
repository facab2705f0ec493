namespace NoGil.Analyzers.Analysis.Blocking;

/// <summary>NOGIL204 case A: <c>Task.Run(work).Result</c>, <c>.Wait()</c> or <c>.GetAwaiter().GetResult()</c>.</summary>
public sealed class BlockedOffload
{
    private BlockedOffload(BlockingWait wait, OffloadCall offload)
    {
        Wait = wait;
        Offload = offload;
    }

    public BlockingWait Wait { get; }

    public OffloadCall Offload { get; }

    /// <summary>Finds the blocking wait applied directly to <paramref name="offload"/>.</summary>
    public static BlockedOffload? TryCreate(OffloadCall offload, KnownTypes types)
    {
        var current = offload.Invocation.Parent;
        for (var i = 0; i < 4 && current is IInvocationOperation or IPropertyReferenceOperation; i++, current = current.Parent)
        {
            if (BlockingWait.TryCreate(current, types) is { Kind: BlockingWaitKind.Result or BlockingWaitKind.Wait or BlockingWaitKind.GetResult, IsPlain: true } wait
                && wait.Task == offload.Invocation)
            {
                return new BlockedOffload(wait, offload);
            }
        }

        return null;
    }

    /// <summary>Finds the offload under a blocking wait operation (for <see cref="DirectCallRewrite.Find"/>, the fixer's entry point).</summary>
    public static BlockedOffload? TryCreateFromWait(IOperation waitOperation, KnownTypes types)
        => BlockingWait.TryCreate(waitOperation, types) is { Task: { } task } && OffloadCall.TryCreate(task, types) is { } offload
            ? TryCreate(offload, types)
            : null;

    /// <summary>Text shown in messages: <c>Task.Run(...).Result</c>.</summary>
    public string DisplayText => Offload.DisplayName + "(...)." + Wait.DisplayText;
}
