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
