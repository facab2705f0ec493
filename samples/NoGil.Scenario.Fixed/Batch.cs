using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;

namespace NoGil.Scenario;

/// <summary>
/// A batch of requests, each handled on the thread pool: load its input (an asynchronous read, waited on), score it
/// (a numeric kernel), and file the result in a shared cache (under a lock).
/// </summary>
public static class Batch
{
    /// <summary>Handles <paramref name="requests"/> requests at once and returns the mean of their summaries.</summary>
    public static double Run(int requests)
    {
        var cache = new ResultCache();
        var weights = Setup.Weights(Kernels.Features, Kernels.Length);
        var tasks = new List<Task>(requests);
        for (var id = 0; id < requests; id++)
        {
            var request = id;
            tasks.Add(Task.Run(() => HandleAsync(request, weights, cache)));
        }

        Task.WaitAll(tasks.ToArray());
        return Setup.Mean(cache.Summaries());
    }

    private static async Task HandleAsync(int request, double[][] weights, ResultCache cache)
    {
        // The input arrives asynchronously, after a delay.
        var input = await Input.LoadAsync(request);
        var scores = Kernels.Score(input, weights);
        await Task.Yield();
        cache.Add(request, scores);
    }
}
