using System;
using System.Threading.Tasks;

namespace NoGil.Showcase;

/// <summary>
/// Each file of this program shows one rule family at work. Build it to see the diagnostics;
/// run it to see that the code does what it says.
/// </summary>
internal static class Program
{
    public static int Main()
    {
        var report = BlockingWaits.ReportAsync(new[] { 3, 1, 4, 1, 5 }).GetAwaiter().GetResult();
        Console.WriteLine(report);
        return 0;
    }
}
