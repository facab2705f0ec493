// Benchmark pair for NOGIL201 (use await instead of a blocking wait in async code).
// Before.cs is written by hand; After.cs is exactly what the code fix makes of it. Regenerate After.cs with
// NOGIL_UPDATE_PAIRS=1 dotnet test tests/NoGil.Analyzers.Tests --filter BenchmarkPair
using System.Threading.Tasks;

namespace NoGil.Benchmarks.Pairs.Nogil201.Before;

/// <summary>A request handler with two I/O steps: it awaits the first and blocks on the second.</summary>
public static class OrderService
{
    /// <summary>Latency of each simulated I/O call, in milliseconds.</summary>
    public const int IoLatencyMs = 1;

    public static async Task<int> HandleRequestAsync(int orderId)
    {
        var quantity = await LoadQuantityAsync(orderId);
        var price = FetchPriceAsync(orderId);
        return quantity * price.Result;
    }

    private static async Task<int> LoadQuantityAsync(int orderId)
    {
        await Task.Delay(IoLatencyMs);
        return orderId % 7 + 1;
    }

    private static async Task<int> FetchPriceAsync(int orderId)
    {
        await Task.Delay(IoLatencyMs);
        return 100 + orderId % 13;
    }
}
