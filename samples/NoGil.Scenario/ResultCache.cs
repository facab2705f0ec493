using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;

namespace NoGil.Scenario;

/// <summary>The results of a batch, shared by every request.</summary>
public sealed class ResultCache
{
    private readonly Lock _gate = new();
    private readonly Dictionary<int, double> _summaries = new();

    /// <summary>Files a request's summary.</summary>
    public void Add(int request, double[] scores)
    {
        lock (_gate)
        {
            var summary = Summarize(scores);
            _summaries[request] = summary;
        }
    }

    /// <summary>The summaries in request order.</summary>
    public double[] Summaries()
    {
        lock (_gate)
        {
            return _summaries.OrderBy(pair => pair.Key).Select(pair => pair.Value).ToArray();
        }
    }

    /// <summary>The middle score after smoothing the scores many times over (a three-point filter).</summary>
    private static double Summarize(double[] scores)
    {
        var smoothed = new double[scores.Length];
        for (var i = 0; i < scores.Length; i++)
        {
            smoothed[i] = scores[i];
        }

        for (var pass = 0; pass < 4000; pass++)
        {
            for (var i = 1; i < smoothed.Length - 1; i++)
            {
                smoothed[i] = (smoothed[i - 1] + (2 * smoothed[i]) + smoothed[i + 1]) / 4;
            }
        }

        return smoothed.Length == 0 ? 0 : smoothed[smoothed.Length / 2];
    }
}
