using System.Collections.Generic;
using System.Globalization;
using ScottPlot;

namespace NoGil.GilDemo;

/// <summary>Both runs in one PNG: a row per thread and run, a bar per work item computed, on one time axis.</summary>
public static class TimelineChart
{
    private static readonly Color GilColor = Color.FromHex("#d62728");
    private static readonly Color FixedColor = Color.FromHex("#2ca02c");

    public static void Save(string path, RunResult gil, RunResult fixedRun, double speedup, Options options)
    {
        var plot = new Plot();
        var positions = new List<double>();
        var labels = new List<string>();
        var threads = gil.Threads.Count;

        // The GIL run on top, the fixed run below, one gap row between them.
        AddRun(plot, gil, GilColor, firstRow: 2 * threads, positions, labels, "GIL");
        AddRun(plot, fixedRun, FixedColor, firstRow: threads - 1, positions, labels, "fixed");

        AddEnd(plot, gil, GilColor);
        AddEnd(plot, fixedRun, FixedColor);

        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(positions.ToArray(), labels.ToArray());
        plot.Axes.Left.MajorTickStyle.Length = 0;
        // Headroom above the top row keeps the legend off the bars.
        plot.Axes.SetLimits(0, System.Math.Max(gil.Elapsed, fixedRun.Elapsed) * 1.02, -0.7, 2 * threads + 1.9);
        plot.XLabel("time since start (ms)");
        plot.Title(string.Create(
            CultureInfo.InvariantCulture,
            $"{threads} threads, {options.Items} items of ~{options.WorkMilliseconds} ms: one shared lock {Program.Format(gil.Elapsed)}, "
            + $"work outside the lock {Program.Format(fixedRun.Elapsed)} — speedup {speedup:0.00}x"));

        plot.Legend.ManualItems.Add(new LegendItem { LabelText = gil.Name, FillColor = GilColor });
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = fixedRun.Name, FillColor = FixedColor });
        plot.Legend.Alignment = Alignment.UpperRight;
        plot.ShowLegend();

        var height = 220 + 2 * threads * 42;
        plot.SavePng(path, 1200, System.Math.Max(360, height));
    }

    private static void AddRun(Plot plot, RunResult run, Color color, int firstRow, List<double> positions, List<string> labels, string label)
    {
        for (var t = 0; t < run.Threads.Count; t++)
        {
            double row = firstRow - t;
            positions.Add(row);
            labels.Add(string.Create(CultureInfo.InvariantCulture, $"{label} · thread {t}"));
            foreach (var interval in run.Threads[t])
            {
                var bar = plot.Add.Rectangle(interval.Start, interval.End, row - 0.35, row + 0.35);
                bar.FillStyle.Color = color;
                bar.LineStyle.Color = Colors.White;
                bar.LineStyle.Width = 1;
            }
        }
    }

    private static void AddEnd(Plot plot, RunResult run, Color color)
    {
        var line = plot.Add.VerticalLine(run.Elapsed);
        line.Color = color;
        line.LinePattern = LinePattern.Dashed;
        line.Text = Program.Format(run.Elapsed);
    }
}
