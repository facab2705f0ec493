using System;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace ProfileFixture;

// Each phase runs on threads of its own that start at the phase's method (a method group, not a lambda), so Main is not
// on the stacks of the work and the hot kernel is the method with the largest inclusive share.
public static class Program
{
    public static int Main(string[] args)
    {
        // "idle": a run with no CPU work in this module (the tests' empty profile).
        if (args.Length > 0 && args[0] == "idle")
        {
            Thread.Sleep(300);
            return 0;
        }

        // "work N": a fixed amount of work on two threads, timed (the recording overhead in docs/profile-guided.md).
        if (args.Length > 0 && args[0] == "work")
        {
            int passes = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 20000;
            var clock = Stopwatch.StartNew();
            var workers = new[] { new Thread(Kernels.Fixed), new Thread(Kernels.Fixed) };
            foreach (Thread worker in workers)
            {
                worker.Start(passes);
            }

            foreach (Thread worker in workers)
            {
                worker.Join();
            }

            Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "work: {0:0} ms", clock.Elapsed.TotalMilliseconds));
            return 0;
        }

        double scale = args.Length > 0 ? double.Parse(args[0], CultureInfo.InvariantCulture) : 1.0;
        var kernel = new Thread(Kernels.Run);
        kernel.Start(TimeSpan.FromMilliseconds(500 * scale));
        kernel.Join();

        var contenders = new[] { new Thread(Contention.Worker), new Thread(Contention.Worker) };
        foreach (Thread contender in contenders)
        {
            contender.Start(TimeSpan.FromMilliseconds(250 * scale));
        }

        foreach (Thread contender in contenders)
        {
            contender.Join();
        }

        var closures = new Thread(Closures.Run);
        closures.Start(TimeSpan.FromMilliseconds(250 * scale));
        closures.Join();

        Console.WriteLine(Waits.Load(6));
        Console.WriteLine(Kernels.Sink + Contention.Total + Closures.Sink);
        return 0;
    }
}

public static class Kernels
{
    public static double Sink;

    // The hot kernel: the loop runs in this method itself.
    public static void Run(object? state)
    {
        var budget = (TimeSpan)state!;
        var data = new double[4096];
        for (int i = 0; i < data.Length; i++)
        {
            data[i] = i * 0.5;
        }

        var clock = Stopwatch.StartNew();
        double sum = 0;
        while (clock.Elapsed < budget)
        {
            for (int i = 0; i < data.Length; i++)
            {
                sum += Math.Sqrt(data[i]) * data[i];
            }
        }

        Sink = sum;
    }

    private static readonly object FixedGate = new();

    // The same loop a fixed number of times, taking a lock once per pass.
    public static void Fixed(object? state)
    {
        int passes = (int)state!;
        var data = new double[4096];
        for (int i = 0; i < data.Length; i++)
        {
            data[i] = i * 0.5;
        }

        double sum = 0;
        for (int pass = 0; pass < passes; pass++)
        {
            for (int i = 0; i < data.Length; i++)
            {
                sum += Math.Sqrt(data[i]) * data[i];
            }

            lock (FixedGate)
            {
                Sink += 1;
            }
        }

        Sink += sum;
    }
}

public static class Contention
{
    private static readonly object Gate = new();
    public static long Total;

    public static void Worker(object? state)
    {
        var budget = (TimeSpan)state!;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < budget)
        {
            lock (Gate)
            {
                for (int i = 0; i < 20000; i++)
                {
                    Total += i % 7;
                }
            }
        }
    }
}

public static class Closures
{
    public static double Sink;

    public static void Run(object? state)
    {
        var budget = (TimeSpan)state!;
        var clock = Stopwatch.StartNew();
        double total = 0;
        while (clock.Elapsed < budget)
        {
            total += Enumerable.Range(0, 2000).Select(i => Math.Sin(i) * Math.Cos(i)).Sum();
            total += Accumulate(2000);
        }

        Sink = total;

        static double Accumulate(int n)
        {
            double s = 0;
            for (int i = 0; i < n; i++)
            {
                s += Math.Sqrt(i) / (i + 1);
            }

            return s;
        }
    }
}

public static class Waits
{
    // A burst of blocking work items holds the thread pool's threads, so the task this method waits for queues behind them.
    public static int Load(int burst)
    {
        var blockers = Enumerable.Range(0, burst).Select(_ => Task.Run(() => Thread.Sleep(700))).ToArray();
        Task<int> result = Task.Run(() => 42);
        int value = result.Result;
        Task.WaitAll(blockers);
        return value;
    }
}
