// Benchmark pair for NOGIL202 (use the awaitable twin of a thread-blocking call in async code).
// Before.cs is written by hand; After.cs is exactly what the code fix makes of it. Regenerate After.cs with
// NOGIL_UPDATE_PAIRS=1 dotnet test tests/NoGil.Analyzers.Tests --filter BenchmarkPair
using System.Threading;
using System.Threading.Tasks;

namespace NoGil.Benchmarks.Pairs.Nogil202.After;

/// <summary>A client with a synchronous call and its awaitable twin, like many I/O APIs.</summary>
public static class PriceClient
{
    /// <summary>Latency of each simulated I/O call, in milliseconds.</summary>
    public const int IoLatencyMs = 1;

    /// <summary>Synchronous I/O: the calling thread waits for the reply.</summary>
    public static int FetchPrice(int orderId)
    {
        Thread.Sleep(IoLatencyMs);
        return 100 + orderId % 13;
    }

    /// <summary>The same call without holding a thread while the reply is on its way.</summary>
    public static async Task<int> FetchPriceAsync(int orderId)
    {
        await Task.Delay(IoLatencyMs);
        return 100 + orderId % 13;
    }
}

/// <summary>A request handler with two I/O steps: it awaits the first and calls the blocking twin of the second.</summary>
public static class OrderService
{
    public static async Task<int> HandleRequestAsync(int orderId)
    {
        var quantity = await LoadQuantityAsync(orderId);
        var price = await PriceClient.FetchPriceAsync(orderId);
        return quantity * price;
    }

    private static async Task<int> LoadQuantityAsync(int orderId)
    {
        await Task.Delay(PriceClient.IoLatencyMs);
        return orderId % 7 + 1;
    }
}
