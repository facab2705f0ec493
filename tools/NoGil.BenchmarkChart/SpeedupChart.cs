using System;
using System.Collections.Generic;
using System.Linq;
using ScottPlot;

namespace NoGil.BenchmarkChart;

/// <summary>One bar per rule and parameter combination: the speedup of After over Before, on a log scale.</summary>
public static class SpeedupChart
{
    private static readonly Color Faster = Color.FromHex("#2ca02c");
    private static readonly Color Slower = Color.FromHex("#d62728");

    public static void Save(string path, IReadOnlyList<PairResult> pairs)
    {
        var ordered = pairs.OrderBy(p => p.Rule, StringComparer.Ordinal).ToArray();
        var plot = new Plot();
        var bars = ordered.Select((pair, i) => new Bar
        {
            Position = i,
            Value = Math.Log10(pair.Speedup),
            FillColor = pair.Speedup >= 1 ? Faster : Slower,
            Label = Program.Ratio(pair.Speedup),
        }).ToList();
        var barPlot = plot.Add.Bars(bars);
        barPlot.ValueLabelStyle.FontSize = 14;
        barPlot.ValueLabelStyle.Bold = true;

        // Log scale by hand: bars are log10(speedup), ticks are labelled with the speedup itself.
        var top = Math.Max(1, Math.Ceiling(bars.Max(b => b.Value) + 0.25));
        var bottom = Math.Min(0, Math.Floor(bars.Min(b => b.Value)));
        var decades = Enumerable.Range((int)bottom, (int)(top - bottom) + 1).Select(d => (double)d).ToArray();
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            decades,
            decades.Select(d => Math.Pow(10, d).ToString("0.###", System.Globalization.CultureInfo.InvariantCulture) + "x").ToArray());
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            Enumerable.Range(0, ordered.Length).Select(i => (double)i).ToArray(),
            ordered.Select(p => p.Rule + "\n" + p.Parameters).ToArray());
        plot.Axes.Bottom.MajorTickStyle.Length = 0;
        plot.Axes.SetLimits(-0.6, ordered.Length - 0.4, bottom, top);

        var baseline = plot.Add.HorizontalLine(0);
        baseline.Color = Colors.Black;
        baseline.LineWidth = 1;

        plot.Title("Speedup of each fix: Before median / After median (log scale)");
        plot.YLabel("speedup");
        plot.SavePng(path, Math.Max(900, 160 + 150 * ordered.Length), 520);
    }
}
