using System.Numerics;

namespace NoGil.Scenario;

/// <summary>The numeric work of a request.</summary>
public static class Kernels
{
    /// <summary>Elements in a request's input and in each weight vector.</summary>
    public const int Length = 1 << 15;

    /// <summary>How many weight vectors each request is scored against.</summary>
    public const int Features = 256;

    /// <summary>The request's score against each weight vector: one dot product per feature.</summary>
    public static double[] Score(double[] input, double[][] weights)
    {
        var scores = new double[weights.Length];
        for (var f = 0; f < weights.Length; f++)
        {
            scores[f] = Dot(input, weights[f]);
        }

        return scores;
    }

    /// <summary>The dot product, one element at a time.</summary>
    public static double Dot(double[] a, double[] b)
    {
        double sum = 0;
        int i = 0;
        var vsum = Vector<double>.Zero;
        for (; i <= a.Length - Vector<double>.Count; i += Vector<double>.Count)
        {
            vsum += new Vector<double>(a, i) * new Vector<double>(b, i);
        }
        sum += Vector.Sum(vsum);
        for (; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }
}
