using System;
using System.Threading.Tasks;
using NoGil.Benchmarks.Harness;

namespace NoGil.Benchmarks.Pairs.Nogil203;

/// <summary>NOGIL203: an async request handler calls a synchronous wrapper that blocks on an async API; the fix makes the wrapper async and awaits it.</summary>
[ColdThreadPoolJob]
public class Nogil203Benchmarks : RequestBurstBenchmarks
{
    protected override string Rule => "NOGIL203";

    protected override Func<int, Task<int>> BeforeHandler => Pairs.Nogil203.Before.InventoryService.HandleRequestAsync;

    protected override Func<int, Task<int>> AfterHandler => Pairs.Nogil203.After.InventoryService.HandleRequestAsync;
}
