namespace NoGil.CodeFixes.Infrastructure;

/// <summary>The light-bulb title of each fix shape, where it does not depend on the diagnostic.</summary>
internal static class FixTitles
{
    public static string Of(FixKind kind) => kind switch
    {
        FixKind.AwaitTask => "Await the task",
        FixKind.AwaitWhenAll => "Use 'await Task.WhenAll'",
        FixKind.AwaitWhenAny => "Use 'await Task.WhenAny'",
        FixKind.AwaitTwin => "Await the asynchronous twin",
        FixKind.MakeMethodAsync => "Make method async",
        FixKind.AwaitInTopLevelCode => "Await the task",
        FixKind.CallDirectly => "Call the work directly",
        FixKind.RunConcurrently => "Start all items, then await Task.WhenAll",
        FixKind.AwaitUsing => "Use 'await using'",
        FixKind.AwaitUsingAsyncScope => "Use 'await using' with 'CreateAsyncScope'",
        FixKind.HoistOutOfLock => "Move the work out of the lock",
        FixKind.ThreadLocalAggregation => "Aggregate per worker (localInit/localFinally)",
        FixKind.PrivateLock => "Lock a private object around the shared-state part",
        FixKind.ParallelFor => "Run iterations in parallel (Parallel.For)",
        FixKind.GuardedParallelFor => "Run iterations in parallel when the arrays are distinct (Parallel.For)",
        FixKind.TensorPrimitives => "Use TensorPrimitives",
        FixKind.VectorLoop => "Vectorize with Vector<T>",
        _ => kind.ToString(),
    };
}
