// Benchmark pair for NOGIL302 (vectorize the element-wise loop).
// Before.cs is written by hand; After.cs is exactly what the code fix makes of it ("Vectorize with Vector<T>", the fix
// a project without System.Numerics.Tensors gets). Regenerate After.cs with
// NOGIL_UPDATE_PAIRS=1 dotnet test tests/NoGil.Analyzers.Tests --filter BenchmarkPair

using System.Numerics;

namespace NoGil.Benchmarks.Pairs.Nogil302.After;

/// <summary>Saxpy: y = a·x + y over float arrays.</summary>
public static class Blas
{
    public static void Saxpy(float a, float[] x, float[] y)
    {
        int i = 0;
        for (; i <= y.Length - Vector<float>.Count; i += Vector<float>.Count)
        {
            var vx = new Vector<float>(x, i);
            var vy = new Vector<float>(y, i);
            (a * vx + vy).CopyTo(y, i);
        }

        for (; i < y.Length; i++)
        {
            y[i] = a * x[i] + y[i];
        }
    }
}
