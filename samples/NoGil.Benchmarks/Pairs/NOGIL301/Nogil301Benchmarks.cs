using System;
using BenchmarkDotNet.Attributes;

namespace NoGil.Benchmarks.Pairs.Nogil301;

/// <summary>
/// NOGIL301: a Mandelbrot image of <see cref="Width"/> × <see cref="Height"/> pixels (at most
/// <see cref="MaxIterations"/> iterations each), rendered row after row; the fix renders the rows with Parallel.For on
/// every core. Before is the baseline.
/// </summary>
[SimpleJob(warmupCount: 3, iterationCount: 10)]
public class Nogil301Benchmarks
{
    [Params(1024)]
    public int Width { get; set; }

    [Params(768)]
    public int Height { get; set; }

    [Params(256)]
    public int MaxIterations { get; set; }

    [GlobalSetup]
    public void CheckBothHalvesComputeTheSameResult()
    {
        var before = Pairs.Nogil301.Before.Mandelbrot.Render(Width, Height, MaxIterations);
        var after = Pairs.Nogil301.After.Mandelbrot.Render(Width, Height, MaxIterations);
        if (!before.AsSpan().SequenceEqual(after))
        {
            throw new InvalidOperationException("NOGIL301: Before and After rendered different images; the pair is not equivalent.");
        }
    }

    [Benchmark(Baseline = true)]
    public int[] Before() => Pairs.Nogil301.Before.Mandelbrot.Render(Width, Height, MaxIterations);

    [Benchmark]
    public int[] After() => Pairs.Nogil301.After.Mandelbrot.Render(Width, Height, MaxIterations);
}
