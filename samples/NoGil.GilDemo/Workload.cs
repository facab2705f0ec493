using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;

namespace NoGil.GilDemo;

/// <summary>When one thread was busy computing one work item, in milliseconds since the run started.</summary>
public readonly record struct BusyInterval(double Start, double End);

/// <summary>One run: each thread's busy intervals, the wall-clock time, and what the run computed.</summary>
public sealed record RunResult(string Name, IReadOnlyList<IReadOnlyList<BusyInterval>> Threads, double Elapsed, ulong Checksum, int Results);

/// <summary>The CPU-bound work and the two ways of running it on N threads.</summary>
public static class Workload
{
    /// <summary>Pure CPU work: a xorshift chain of <paramref name="rounds"/> steps seeded by the item.</summary>
    public static ulong Work(int item, long rounds)
    {
        var x = (ulong)(item + 1) * 0x9E3779B97F4A7C15UL;
        for (long round = 0; round < rounds; round++)
        {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
        }

        return x;
    }

    /// <summary>The number of rounds of <see cref="Work"/> that take about <paramref name="milliseconds"/> on this machine.</summary>
    public static long Calibrate(int milliseconds)
    {
        const long probeRounds = 2_000_000;
        Work(0, probeRounds);
        var best = double.MaxValue;
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var stopwatch = Stopwatch.StartNew();
            Work(attempt, probeRounds);
            best = Math.Min(best, stopwatch.Elapsed.TotalMilliseconds);
        }

        return Math.Max(1, (long)(probeRounds * milliseconds / best));
    }

    /// <summary>The home-made GIL: every thread computes its items inside one shared lock.</summary>
    public static RunResult RunWithSharedLock(int threadCount, int[] items, long rounds)
        => Run("One shared lock (the home-made GIL)", threadCount, items, (gate, shared, item, record) =>
        {
            lock (gate)
            {
                var start = record.Now();
                var result = Work(item, rounds);
                record.Busy(start);
                shared.Add(result);
            }
        });

    /// <summary>As the fix leaves it: the work outside the lock, only the shared update inside.</summary>
    public static RunResult RunWithLockOnlyAroundTheUpdate(int threadCount, int[] items, long rounds)
        => Run("Work outside the lock (the fix)", threadCount, items, (gate, shared, item, record) =>
        {
            var start = record.Now();
            var result = Work(item, rounds);
            record.Busy(start);
            lock (gate)
            {
                shared.Add(result);
            }
        });

    private delegate void Step(object gate, List<ulong> shared, int item, Recorder record);

    private static RunResult Run(string name, int threadCount, int[] items, Step step)
    {
        var gate = new object();
        var shared = new List<ulong>(items.Length);
        var recorders = new Recorder[threadCount];
        var threads = new Thread[threadCount];
        using var start = new Barrier(threadCount + 1);
        var clock = new Stopwatch();
        for (var t = 0; t < threadCount; t++)
        {
            var index = t;
            recorders[index] = new Recorder(clock);
            threads[index] = new Thread(() =>
            {
                start.SignalAndWait();
                for (var i = index; i < items.Length; i += threadCount)
                {
                    step(gate, shared, items[i], recorders[index]);
                }
            })
            {
                IsBackground = true,
                Name = $"worker {index}",
            };
            threads[index].Start();
        }

        clock.Start();
        start.SignalAndWait();
        foreach (var thread in threads)
        {
            thread.Join();
        }

        var elapsed = clock.Elapsed.TotalMilliseconds;
        ulong checksum = 0;
        foreach (var result in shared)
        {
            checksum += result;
        }

        return new RunResult(name, Array.ConvertAll(recorders, r => (IReadOnlyList<BusyInterval>)r.Intervals), elapsed, checksum, shared.Count);
    }

    /// <summary>One thread's busy intervals; written only by that thread.</summary>
    private sealed class Recorder
    {
        private readonly Stopwatch _clock;

        public Recorder(Stopwatch clock) => _clock = clock;

        public List<BusyInterval> Intervals { get; } = new();

        public double Now() => _clock.Elapsed.TotalMilliseconds;

        public void Busy(double start) => Intervals.Add(new BusyInterval(start, Now()));
    }
}
