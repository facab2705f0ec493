namespace NoGil.Showcase;

/// <summary>NOGIL301: loops whose iterations are independent and heavy, run one after another on one core.</summary>
public static class ParallelLoops
{
    // NOGIL301: every row of the image is computed on its own, and each pixel runs an iteration loop of its own;
    // the fix renders the rows with Parallel.For on every core.
    public static int[] Mandelbrot(int width, int height, int maxIterations)
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
