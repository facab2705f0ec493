// Benchmark pair for NOGIL302 (vectorize the element-wise loop).
// Before.cs is written by hand; After.cs is exactly what the code fix makes of it ("Vectorize with Vector<T>", the fix
// a project without System.Numerics.Tensors gets). Regenerate After.cs with
// NOGIL_UPDATE_PAIRS=1 dotnet test tests/NoGil.Analyzers.Tests --filter BenchmarkPair

namespace NoGil.Benchmarks.Pairs.Nogil302.Before;

/// <summary>Saxpy: y = a·x + y over float arrays.</summary>
public static class Blas
{
    public static void Saxpy(float a, float[] x, float[] y)
    {
        for (int i = 0; i < y.Length; i++)
        {
            y[i] = a * x[i] + y[i];
        }
    }
}
