namespace NoGil.Showcase;

/// <summary>NOGIL303: a reduction that runs one element at a time where SIMD would take a vector of them.</summary>
public static class Reductions
{
    // NOGIL303: a dot product, one multiply-add per step; the fix accumulates Vector<double> products
    // (the order of the additions changes, which the message says).
    public static double Dot(double[] a, double[] b)
    {
        double dot = 0;
        for (int i = 0; i < a.Length; i++)
        {
            dot += a[i] * b[i];
        }

        return dot;
    }

    // NOGIL303: an exact integer count; the fix counts a vector of comparisons per step.
    public static int CountAbove(int[] values, int threshold)
    {
        int count = 0;
        for (int i = 0; i < values.Length; i++)
        {
            if (values[i] > threshold) count++;
        }

        return count;
    }
}
