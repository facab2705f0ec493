using System;
using System.Threading.Tasks;
using NoGil.Benchmarks.Harness;

namespace NoGil.Benchmarks.Pairs.Nogil201;

/// <summary>NOGIL201: an async request handler blocks on its second I/O call (<c>.Result</c>); the fix awaits it.</summary>
[ColdThreadPoolJob]
public class Nogil201Benchmarks : RequestBurstBenchmarks
{
    protected override string Rule => "NOGIL201";

    protected override Func<int, Task<int>> BeforeHandler => Pairs.Nogil201.Before.OrderService.HandleRequestAsync;

    protected override Func<int, Task<int>> AfterHandler => Pairs.Nogil201.After.OrderService.HandleRequestAsync;
}
