using System;
using System.Numerics;
using System.Numerics.Tensors;
using BenchmarkDotNet.Attributes;

namespace NoGil.Calibration;

/// <summary>
/// From how many elements does a NOGIL302/NOGIL303 rewrite pay? An element-wise add and a sum over float arrays,
/// as the scalar loop, as the <c>Vector&lt;T&gt;</c> loop with a scalar tail that the fixes write, and as the
/// <c>TensorPrimitives</c> call.
/// </summary>
public class VectorBreakEven
{
    private float[] _a = Array.Empty<float>();
    private float[] _b = Array.Empty<float>();
    private float[] _c = Array.Empty<float>();

    [Params(3, 4, 8, 16, 32, 64, 256, 4096)]
    public int Elements { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        _a = new float[Elements];
        _b = new float[Elements];
        _c = new float[Elements];
        for (var i = 0; i < Elements; i++)
        {
            _a[i] = (float)random.NextDouble();
            _b[i] = (float)random.NextDouble();
        }
    }

    [Benchmark(Baseline = true), BenchmarkCategory("Add")]
    public void AddScalar()
    {
        float[] a = _a, b = _b, c = _c;
        for (var i = 0; i < c.Length; i++)
        {
            c[i] = a[i] + b[i];
        }
    }

    [Benchmark, BenchmarkCategory("Add")]
    public void AddVector()
    {
        float[] a = _a, b = _b, c = _c;
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i <= c.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                (new Vector<float>(a, i) + new Vector<float>(b, i)).CopyTo(c, i);
            }
        }

        for (; i < c.Length; i++)
        {
            c[i] = a[i] + b[i];
        }
    }

    [Benchmark, BenchmarkCategory("Add")]
    public void AddTensorPrimitives() => TensorPrimitives.Add(_a, _b, _c);

    [Benchmark, BenchmarkCategory("Sum")]
    public float SumScalar()
    {
        var a = _a;
        var sum = 0f;
        for (var i = 0; i < a.Length; i++)
        {
            sum += a[i];
        }

        return sum;
    }

    [Benchmark, BenchmarkCategory("Sum")]
    public float SumVector()
    {
        var a = _a;
        var i = 0;
        var sum = 0f;
        if (Vector.IsHardwareAccelerated && a.Length >= Vector<float>.Count)
        {
            var acc = Vector<float>.Zero;
            for (; i <= a.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                acc += new Vector<float>(a, i);
            }

            sum = Vector.Sum(acc);
        }

        for (; i < a.Length; i++)
        {
            sum += a[i];
        }

        return sum;
    }

    [Benchmark, BenchmarkCategory("Sum")]
    public float SumTensorPrimitives() => TensorPrimitives.Sum(_a);
}
