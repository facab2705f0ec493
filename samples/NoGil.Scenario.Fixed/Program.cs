using System;
using System.Diagnostics;
using System.Globalization;

namespace NoGil.Scenario;

/// <summary>
/// Runs the batch a few times and prints how long each run took. Arguments: <c>[runs] [requests]</c>.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        var runs = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 3;
        var requests = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 64;
        var checksum = 0.0;
        for (var run = 0; run < runs; run++)
        {
            var clock = Stopwatch.StartNew();
            checksum = Batch.Run(requests);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"run {run + 1}: {clock.Elapsed.TotalMilliseconds:F0} ms (checksum {checksum:R})"));
        }

        return 0;
    }
}
