using System;
using System.Globalization;
using System.Text;

namespace NoGil.GilDemo;

/// <summary>A run as text: one line per thread, '█' where the thread was computing, '·' where it was not.</summary>
public static class TextTimeline
{
    public const char Busy = '█';
    public const char Idle = '·';

    private const string Prefix = "  thread 00 |";

    /// <param name="run">The run to draw.</param>
    /// <param name="scale">Milliseconds the full width stands for (the longer of the runs being compared).</param>
    /// <param name="columns">Width of the time axis in characters.</param>
    public static string Render(RunResult run, double scale, int columns)
    {
        var builder = new StringBuilder();
        builder.Append(CultureInfo.InvariantCulture, $"{run.Name}: {Program.Format(run.Elapsed)}\n");
        var width = (int)Math.Ceiling(columns * run.Elapsed / scale);
        for (var t = 0; t < run.Threads.Count; t++)
        {
            builder.Append(CultureInfo.InvariantCulture, $"  thread {t,-2}").Append(" |");
            for (var column = 0; column < columns; column++)
            {
                if (column >= width)
                {
                    builder.Append(' ');
                    continue;
                }

                var from = column * scale / columns;
                var to = (column + 1) * scale / columns;
                builder.Append(BusyFraction(run, t, from, to) >= 0.5 ? Busy : Idle);
            }

            builder.Append("|\n");
        }

        builder.Append(' ', Prefix.Length).Append('0').Append(Program.Format(scale).PadLeft(columns - 1)).Append('\n');
        return builder.ToString();
    }

    private static double BusyFraction(RunResult run, int thread, double from, double to)
    {
        var busy = 0.0;
        foreach (var interval in run.Threads[thread])
        {
            busy += Math.Max(0, Math.Min(to, interval.End) - Math.Max(from, interval.Start));
        }

        return busy / (to - from);
    }
}
