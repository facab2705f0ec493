using System;
using System.Threading.Tasks;

namespace NoGil.Scenario;

/// <summary>The requests' input: produced after an asynchronous delay, as a read from a store would be.</summary>
public static class Input
{
    public static async Task<double[]> LoadAsync(int request)
    {
        await Task.Delay(20).ConfigureAwait(false);
        var random = new Random(request);
        var values = new double[Kernels.Length];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = random.NextDouble();
        }

        return values;
    }
}
