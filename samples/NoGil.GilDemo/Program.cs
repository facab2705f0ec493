using System;
using System.Globalization;
using System.IO;
using System.Linq;

namespace NoGil.GilDemo;

/// <summary>
/// Runs the same CPU-bound work on N threads twice: once with the work inside one shared lock (the home-made GIL),
/// once as NOGIL102's fix leaves it (work outside, only the shared update inside), and shows both timelines.
/// Usage: <c>dotnet run -c Release --project samples/NoGil.GilDemo -- [--threads N] [--items M] [--work-ms W] [--out docs/gil-demo.png]</c>.
/// </summary>
public static class Program
{
    private const int TimelineColumns = 80;

    public static int Main(string[] args)
    {
        Options options;
        try
        {
            options = Options.Parse(args);
        }
        catch (ArgumentException exception)
        {
            Console.Error.WriteLine(exception.Message);
            Console.Error.WriteLine("usage: NoGil.GilDemo [--threads N] [--items M] [--work-ms W] [--out path.png]");
            return 2;
        }

        var rounds = Workload.Calibrate(options.WorkMilliseconds);
        var items = Enumerable.Range(0, options.Items).ToArray();
        Console.WriteLine(
            $"{options.Threads} threads, {options.Items} items of ~{options.WorkMilliseconds} ms CPU work each, "
            + $"{Environment.ProcessorCount} cores.");

        // One untimed pass of each so that neither timed run pays for JIT compilation.
        Workload.RunWithSharedLock(Math.Min(options.Threads, 2), items.Take(2).ToArray(), rounds / 20);
        Workload.RunWithLockOnlyAroundTheUpdate(Math.Min(options.Threads, 2), items.Take(2).ToArray(), rounds / 20);

        var gil = Workload.RunWithSharedLock(options.Threads, items, rounds);
        var fixedRun = Workload.RunWithLockOnlyAroundTheUpdate(options.Threads, items, rounds);
        if (gil.Checksum != fixedRun.Checksum || gil.Results != fixedRun.Results)
        {
            Console.Error.WriteLine($"The two runs disagree: {gil.Checksum:x} ({gil.Results} results) vs {fixedRun.Checksum:x} ({fixedRun.Results} results).");
            return 1;
        }

        var speedup = gil.Elapsed / fixedRun.Elapsed;
        var scale = Math.Max(gil.Elapsed, fixedRun.Elapsed);
        Console.WriteLine();
        Console.Write(TextTimeline.Render(gil, scale, TimelineColumns));
        Console.WriteLine();
        Console.Write(TextTimeline.Render(fixedRun, scale, TimelineColumns));
        Console.WriteLine();
        Console.WriteLine($"Speedup: {speedup.ToString("0.00", CultureInfo.InvariantCulture)}x "
            + $"({Format(gil.Elapsed)} -> {Format(fixedRun.Elapsed)}; {options.Threads} threads on {Environment.ProcessorCount} cores).");

        var directory = Path.GetDirectoryName(Path.GetFullPath(options.Output));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        TimelineChart.Save(options.Output, gil, fixedRun, speedup, options);
        Console.WriteLine($"Timeline chart: {options.Output}");
        return 0;
    }

    public static string Format(double milliseconds) => milliseconds.ToString("0", CultureInfo.InvariantCulture) + " ms";
}
