using System;
using System.Threading;
using System.Threading.Tasks;

namespace NoGil.Benchmarks.Harness;

/// <summary>
/// The load of the async-rule benchmarks: a burst of requests started together on the thread pool, the way a
/// server receives them, timed until the last one completes.
/// </summary>
public static class ConcurrentRequests
{
    /// <summary>
    /// Pool threads the burst starts with: one per core, the .NET default, set explicitly so that a
    /// DOTNET_ThreadPool_MinThreads setting on the machine cannot change the experiment. Beyond this minimum the pool
    /// grows only through its starvation detection, a few threads at a time.
    /// </summary>
    public static int MinPoolThreads => Environment.ProcessorCount;

    /// <summary>Sets the pool's minimum to <see cref="MinPoolThreads"/> worker threads.</summary>
    public static void UseMinimalThreadPool()
    {
        ThreadPool.GetMinThreads(out _, out var completionPorts);
        if (!ThreadPool.SetMinThreads(MinPoolThreads, completionPorts))
        {
            throw new InvalidOperationException("The thread pool refused its minimum thread count.");
        }
    }

    /// <summary>Starts <paramref name="count"/> requests on pool threads at once and sums their results.</summary>
    public static long Run(int count, Func<int, Task<int>> handleRequestAsync) => Run(0, count, handleRequestAsync);

    private static long Run(int firstId, int count, Func<int, Task<int>> handleRequestAsync)
    {
        var requests = new Task<int>[count];
        for (var i = 0; i < count; i++)
        {
            var id = firstId + i;
            requests[i] = Task.Run(() => handleRequestAsync(id));
        }

        long total = 0;
        foreach (var result in Task.WhenAll(requests).GetAwaiter().GetResult())
        {
            total += result;
        }

        return total;
    }

    /// <summary>
    /// The same requests as <see cref="Run"/>, one at a time: the same sum, computed without a burst, so the check
    /// (and the JIT compilation it triggers) does not grow the thread pool before the measured burst.
    /// </summary>
    public static long RunOneByOne(int count, Func<int, Task<int>> handleRequestAsync)
    {
        long total = 0;
        for (var i = 0; i < count; i++)
        {
            total += Run(i, 1, handleRequestAsync);
        }

        return total;
    }

    /// <summary>Throws unless the Before and After halves of a pair computed the same result.</summary>
    public static void CheckSameResult(string pair, long before, long after)
    {
        if (before != after)
        {
            throw new InvalidOperationException($"{pair}: Before computed {before} but After computed {after}; the pair is not equivalent.");
        }
    }
}
