using System;

namespace NoGil.Scenario;

/// <summary>Work done once per batch: small next to the requests.</summary>
public static class Setup
{
    /// <summary>The weight vectors, computed once and shared by every request.</summary>
    public static double[][] Weights(int features, int length)
    {
        var weights = new double[features][];
        for (var f = 0; f < features; f++)
        {
            var random = new Random(1000 + f);
            var row = new double[length];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = random.NextDouble() - 0.5;
            }

            weights[f] = row;
        }

        return weights;
    }

    /// <summary>The mean of the requests' summaries, once per batch: a reduction over a few dozen values.</summary>
    public static double Mean(double[] values)
    {
        double sum = 0;
        for (int i = 0; i < values.Length; i++)
        {
            sum += values[i];
        }

        return values.Length == 0 ? 0 : sum / values.Length;
    }
}
