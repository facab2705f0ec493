using System;
using System.Threading.Tasks;
using NoGil.Benchmarks.Harness;

namespace NoGil.Benchmarks.Pairs.Nogil205;

/// <summary>
/// NOGIL205: an async request handler disposes its buffered reply stream with a synchronous <c>using</c>, so the
/// final flush (one 1 ms round trip) holds a pool thread; the fix disposes it with <c>await using</c>.
/// </summary>
[ColdThreadPoolJob]
public class Nogil205Benchmarks : RequestBurstBenchmarks
{
    protected override string Rule => "NOGIL205";

    protected override Func<int, Task<int>> BeforeHandler => Pairs.Nogil205.Before.ReplyService.HandleRequestAsync;

    protected override Func<int, Task<int>> AfterHandler => Pairs.Nogil205.After.ReplyService.HandleRequestAsync;
}
