// Benchmark pair for NOGIL203 (make the method async instead of blocking on a task).
// Before.cs is written by hand; After.cs is exactly what the code fix makes of it. Regenerate After.cs with
// NOGIL_UPDATE_PAIRS=1 dotnet test tests/NoGil.Analyzers.Tests --filter BenchmarkPair
using System.Threading.Tasks;

namespace NoGil.Benchmarks.Pairs.Nogil203.Before;

/// <summary>An async request handler that calls a synchronous wrapper over an async API.</summary>
public static class InventoryService
{
    /// <summary>Latency of each simulated I/O call, in milliseconds.</summary>
    public const int IoLatencyMs = 1;

    public static async Task<int> HandleRequestAsync(int itemId)
    {
        var reserved = await ReserveAsync(itemId);
        return reserved + CountInStock(itemId);
    }

    internal static int CountInStock(int itemId)
    {
        return QueryStockAsync(itemId).GetAwaiter().GetResult();
    }

    private static async Task<int> ReserveAsync(int itemId)
    {
        await Task.Delay(IoLatencyMs);
        return itemId % 3;
    }

    private static async Task<int> QueryStockAsync(int itemId)
    {
        await Task.Delay(IoLatencyMs);
        return 40 + itemId % 11;
    }
}
