// Benchmark pair for NOGIL301 (run independent loop iterations in parallel).
// Before.cs is written by hand; After.cs is exactly what the code fix makes of it. Regenerate After.cs with
// NOGIL_UPDATE_PAIRS=1 dotnet test tests/NoGil.Analyzers.Tests --filter BenchmarkPair
namespace NoGil.Benchmarks.Pairs.Nogil301.Before;

/// <summary>Renders the Mandelbrot set: for every pixel, the number of iterations before the orbit escapes.</summary>
public static class Mandelbrot
{
    public static int[] Render(int width, int height, int maxIterations)
    {
        var result = new int[width * height];
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                double cr = -2.0 + (3.0 * x / width), ci = -1.2 + (2.4 * y / height);
                double zr = 0, zi = 0;
                int iteration = 0;
                while (iteration < maxIterations && (zr * zr) + (zi * zi) <= 4.0)
                {
                    double t = (zr * zr) - (zi * zi) + cr;
                    zi = (2 * zr * zi) + ci;
                    zr = t;
                    iteration++;
                }

                result[(y * width) + x] = iteration;
            }
        }

        return result;
    }
}

/// <summary>
/// Multiplies two matrices into a third that the caller provides — which may be one of the inputs: the fix runs rows in
/// parallel only when c is not b, and the original loop otherwise.
/// </summary>
public static class MatrixMultiply
{
    public static void Multiply(double[,] a, double[,] b, double[,] c)
    {
        int n = c.GetLength(0), m = c.GetLength(1), p = a.GetLength(1);
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < m; j++)
            {
                double s = 0;
                for (int k = 0; k < p; k++)
                {
                    s += a[i, k] * b[k, j];
                }

                c[i, j] = s;
            }
        }
    }
}
