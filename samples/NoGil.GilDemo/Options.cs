using System;
using System.Globalization;

namespace NoGil.GilDemo;

/// <summary>Command-line options of the demo.</summary>
public sealed class Options
{
    /// <summary>Worker threads; by default one per core.</summary>
    public int Threads { get; private set; } = Environment.ProcessorCount;

    /// <summary>Work items in total, split evenly across the threads; by default eight per thread.</summary>
    public int Items { get; private set; }

    /// <summary>CPU time of one work item, in milliseconds.</summary>
    public int WorkMilliseconds { get; private set; } = 20;

    /// <summary>Where the PNG timeline goes.</summary>
    public string Output { get; private set; } = "docs/gil-demo.png";

    public static Options Parse(string[] args)
    {
        var options = new Options();
        var items = 0;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--threads":
                    options.Threads = PositiveInt(args, ++i);
                    break;
                case "--items":
                    items = PositiveInt(args, ++i);
                    break;
                case "--work-ms":
                    options.WorkMilliseconds = PositiveInt(args, ++i);
                    break;
                case "--out":
                    options.Output = Value(args, ++i);
                    break;
                default:
                    throw new ArgumentException($"unknown argument '{args[i]}'");
            }
        }

        options.Items = items > 0 ? items : 8 * options.Threads;
        return options;
    }

    private static string Value(string[] args, int index)
        => index < args.Length ? args[index] : throw new ArgumentException($"'{args[index - 1]}' needs a value");

    private static int PositiveInt(string[] args, int index)
        => int.TryParse(Value(args, index), NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw new ArgumentException($"'{args[index - 1]}' needs a positive integer");
}
