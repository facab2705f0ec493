using System;
using System.Threading.Tasks;
using NoGil.Benchmarks.Harness;

namespace NoGil.Benchmarks.Pairs.Nogil202;

/// <summary>NOGIL202: an async request handler makes its second I/O call through the synchronous API (<c>FetchPrice</c>); the fix awaits its twin <c>FetchPriceAsync</c>.</summary>
[ColdThreadPoolJob]
public class Nogil202Benchmarks : RequestBurstBenchmarks
{
    protected override string Rule => "NOGIL202";

    protected override Func<int, Task<int>> BeforeHandler => Pairs.Nogil202.Before.OrderService.HandleRequestAsync;

    protected override Func<int, Task<int>> AfterHandler => Pairs.Nogil202.After.OrderService.HandleRequestAsync;
}
