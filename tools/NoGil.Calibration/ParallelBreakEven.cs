using System;
using System.Collections.Concurrent;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;

namespace NoGil.Calibration;

/// <summary>
/// At how much work per element does the NOGIL301 fix (<c>Parallel.ForEach</c> over <c>Partitioner.Create(0, n)</c>
/// ranges, the form the fix writes for a light body) beat the sequential loop? The body is
/// <c>dst[i] = f(src[i])</c> where <c>f</c> is a chain of multiply-adds; <see cref="Operations"/> is the body's cost
/// in the loop model's units (<c>CallCost.WeightOf</c>: one per element access and per binary operation), so the
/// result reads directly as a threshold on <c>LoopModel.Operations</c>.
/// </summary>
[MemoryDiagnoser(displayGenColumns: false)]
public class ParallelBreakEven
{
    private double[] _source = Array.Empty<double>();
    private double[] _target = Array.Empty<double>();

    [Params(10_000, 100_000, 1_000_000)]
    public int Elements { get; set; }

    /// <summary>Operations per element in the loop model's units: 2 element accesses plus 2 per multiply-add.</summary>
    [Params(2, 4, 8, 16, 24, 32, 64)]
    public int Operations { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        _source = new double[Elements];
        _target = new double[Elements];
        for (var i = 0; i < _source.Length; i++)
        {
            _source[i] = random.NextDouble();
        }

        Sequential();
        var expected = (double[])_target.Clone();
        Array.Clear(_target);
        Parallel();
        if (!expected.AsSpan().SequenceEqual(_target))
        {
            throw new InvalidOperationException("The parallel loop computed other values than the sequential one.");
        }
    }

    [Benchmark(Baseline = true)]
    public void Sequential()
    {
        switch (Operations)
        {
            case 2: RunSequential<Chain0>(); break;
            case 4: RunSequential<Chain1>(); break;
            case 8: RunSequential<Chain3>(); break;
            case 16: RunSequential<Chain7>(); break;
            case 24: RunSequential<Chain11>(); break;
            case 32: RunSequential<Chain15>(); break;
            case 64: RunSequential<Chain31>(); break;
            default: throw new InvalidOperationException(Operations.ToString());
        }
    }

    [Benchmark]
    public void Parallel()
    {
        switch (Operations)
        {
            case 2: RunParallel<Chain0>(); break;
            case 4: RunParallel<Chain1>(); break;
            case 8: RunParallel<Chain3>(); break;
            case 16: RunParallel<Chain7>(); break;
            case 24: RunParallel<Chain11>(); break;
            case 32: RunParallel<Chain15>(); break;
            case 64: RunParallel<Chain31>(); break;
            default: throw new InvalidOperationException(Operations.ToString());
        }
    }

    private void RunSequential<TChain>()
        where TChain : struct, IChain
    {
        var source = _source;
        var target = _target;
        for (var i = 0; i < source.Length; i++)
        {
            target[i] = TChain.Apply(source[i]);
        }
    }

    private void RunParallel<TChain>()
        where TChain : struct, IChain
    {
        var source = _source;
        var target = _target;
        System.Threading.Tasks.Parallel.ForEach(Partitioner.Create(0, source.Length), range =>
        {
            for (var i = range.Item1; i < range.Item2; i++)
            {
                target[i] = TChain.Apply(source[i]);
            }
        });
    }
}

/// <summary>A fixed chain of multiply-adds, inlined by the JIT for each struct type argument.</summary>
public interface IChain
{
    static abstract double Apply(double x);
}

public struct Chain0 : IChain
{
    public static double Apply(double x) => x;
}

public struct Chain1 : IChain
{
    public static double Apply(double x) => (x * 0.999) + 0.5;
}

public struct Chain3 : IChain
{
    public static double Apply(double x) => Chain1.Apply(Chain1.Apply(Chain1.Apply(x)));
}

public struct Chain7 : IChain
{
    public static double Apply(double x) => Chain1.Apply(Chain3.Apply(Chain3.Apply(x)));
}

public struct Chain11 : IChain
{
    public static double Apply(double x) => Chain1.Apply(Chain3.Apply(Chain7.Apply(x)));
}

public struct Chain15 : IChain
{
    public static double Apply(double x) => Chain1.Apply(Chain7.Apply(Chain7.Apply(x)));
}

public struct Chain31 : IChain
{
    public static double Apply(double x) => Chain1.Apply(Chain15.Apply(Chain15.Apply(x)));
}
