using System;
using System.IO;
using System.Text;

namespace NoGil.PerfCorpus;

/// <summary>
/// Writes a deterministic C# corpus that looks like service code: records, generic stores guarded by locks,
/// async methods over streams and tasks, loops over arrays, LINQ pipelines, switch statements, try/finally.
/// A realistic minority of classes break a NOGIL2xx rule, so the analyzers do their full work on some
/// methods and their cheap pre-checks on the rest. Three projects compile the same sources:
/// <c>baseline</c> (no analyzers of ours), <c>nogil</c> (ours) and <c>all</c> (ours and two peers).
/// </summary>
public static class CorpusWriter
{
    public const string DefaultMeziantouVersion = "3.0.321";
    public const string DefaultVsThreadingVersion = "18.12.1";

    private const int GroupsPerFile = 4;

    public static (int Lines, int Files, int Classes) Write(string outputDirectory, int targetLines, string meziantouVersion, string vsThreadingVersion)
    {
        var sources = Path.Combine(outputDirectory, "src");
        if (Directory.Exists(sources))
        {
            Directory.Delete(sources, recursive: true);
        }

        Directory.CreateDirectory(sources);

        // Shield the corpus from any Directory.*.props or .editorconfig above the output folder.
        File.WriteAllText(Path.Combine(outputDirectory, "Directory.Build.props"), "<Project />\n");
        File.WriteAllText(Path.Combine(outputDirectory, "Directory.Build.targets"), "<Project />\n");
        File.WriteAllText(Path.Combine(outputDirectory, "Directory.Packages.props"), "<Project />\n");
        File.WriteAllText(Path.Combine(outputDirectory, ".editorconfig"), "root = true\n");

        var lines = 0;
        var files = 0;
        var group = 0;
        while (lines < targetLines)
        {
            var text = new StringBuilder();
            AppendFileHeader(text, files);
            for (var g = 0; g < GroupsPerFile; g++, group++)
            {
                AppendGroup(text, group);
            }

            var content = text.ToString();
            File.WriteAllText(Path.Combine(sources, $"Module{files:D4}.cs"), content);
            lines += CountLines(content);
            files++;
        }

        WriteProject(outputDirectory, "baseline", string.Empty);
        WriteProject(outputDirectory, "nogil", OurAnalyzers);
        WriteProject(outputDirectory, "all", OurAnalyzers + $"""
              <ItemGroup>
                <PackageReference Include="Meziantou.Analyzer" Version="{meziantouVersion}" PrivateAssets="all" />
                <PackageReference Include="Microsoft.VisualStudio.Threading.Analyzers" Version="{vsThreadingVersion}" PrivateAssets="all" />
              </ItemGroup>

            """);
        return (lines, files, group * 3);
    }

    /// <summary>The text of one class group (as in the corpus), for in-process scaling inputs.</summary>
    public static string FileOfLines(int targetLines)
    {
        var text = new StringBuilder();
        AppendFileHeader(text, 0);
        for (var group = 0; CountLines(text.ToString()) < targetLines; group++)
        {
            AppendGroup(text, group);
        }

        return text.ToString();
    }

    private const string OurAnalyzers = """
          <ItemGroup>
            <!-- NoGilAnalyzerPath: the folder holding NoGil.Analyzers.dll (e.g. src/NoGil.Analyzers/bin/Release/netstandard2.0). -->
            <Analyzer Include="$(NoGilAnalyzerPath)/NoGil.Analyzers.dll" />
          </ItemGroup>

        """;

    private static void WriteProject(string outputDirectory, string name, string analyzers)
    {
        var directory = Path.Combine(outputDirectory, name);
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "Corpus.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>disable</ImplicitUsings>
                <LangVersion>latest</LangVersion>
                <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>
                <EnableDefaultCompileItems>false</EnableDefaultCompileItems>
                <TreatWarningsAsErrors>false</TreatWarningsAsErrors>
                <GenerateDocumentationFile>false</GenerateDocumentationFile>
              </PropertyGroup>
              <ItemGroup>
                <Compile Include="../src/*.cs" />
              </ItemGroup>
            {analyzers}</Project>

            """);
    }

    private static int CountLines(string text)
    {
        var count = 0;
        foreach (var c in text)
        {
            if (c == '\n')
            {
                count++;
            }
        }

        return count;
    }

    private static void AppendFileHeader(StringBuilder text, int file)
        => text.Append($$"""
            using System;
            using System.Collections.Concurrent;
            using System.Collections.Generic;
            using System.Globalization;
            using System.IO;
            using System.Linq;
            using System.Text;
            using System.Threading;
            using System.Threading.Tasks;

            namespace Corpus.Module{{file:D4}};

            """);

    private static void AppendGroup(StringBuilder text, int i)
    {
        text.Append($$"""

            public sealed record Order{{i}}(int Id, string Customer, decimal Amount, DateTime Placed);

            public interface IStore{{i}}<TKey, TValue>
                where TKey : notnull
            {
                Task<TValue?> GetAsync(TKey key, CancellationToken cancellationToken);

                void Put(TKey key, TValue value);
            }

            public sealed class Store{{i}}<TKey, TValue> : IStore{{i}}<TKey, TValue>
                where TKey : notnull
            {
                private readonly object _gate = new();
                private readonly Dictionary<TKey, TValue> _items = new();
                private long _writes;

                public long Writes => Interlocked.Read(ref _writes);

                public Task<TValue?> GetAsync(TKey key, CancellationToken cancellationToken)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    lock (_gate)
                    {
                        return Task.FromResult(_items.TryGetValue(key, out var value) ? value : default);
                    }
                }

                public void Put(TKey key, TValue value)
                {
                    lock (_gate)
                    {
                        _items[key] = value;
                        _writes++;
                    }
                }
            }

            public sealed class OrderService{{i}}
            {
                private readonly IStore{{i}}<int, Order{{i}}> _store;
                private readonly ConcurrentDictionary<string, decimal> _totals = new(StringComparer.Ordinal);
                private readonly SemaphoreSlim _throttle = new(4);

                public OrderService{{i}}(IStore{{i}}<int, Order{{i}}> store) => _store = store;

                public static double Mean(double[] values)
                {
                    if (values.Length == 0)
                    {
                        return 0;
                    }

                    var sum = 0.0;
                    for (var k = 0; k < values.Length; k++)
                    {
                        sum += values[k] * {{(i % 7) + 1}};
                    }

                    return sum / values.Length;
                }

                public static int[] Histogram(int[] samples, int buckets)
                {
                    var counts = new int[buckets];
                    foreach (var sample in samples)
                    {
                        var bucket = Math.Clamp((sample + {{i % 13}}) % buckets, 0, buckets - 1);
                        counts[bucket]++;
                    }

                    return counts;
                }

                public IReadOnlyList<string> TopCustomers(IEnumerable<Order{{i}}> orders, int count)
                    => orders
                        .Where(o => o.Amount > {{i % 100}})
                        .GroupBy(o => o.Customer, StringComparer.Ordinal)
                        .Select(g => (Customer: g.Key, Total: g.Sum(o => o.Amount)))
                        .OrderByDescending(t => t.Total)
                        .Take(count)
                        .Select(t => t.Customer)
                        .ToList();

                public async Task<decimal> TotalAsync(IReadOnlyList<int> ids, CancellationToken cancellationToken)
                {
                    await _throttle.WaitAsync(cancellationToken).ConfigureAwait(false);
                    try
                    {
                        var lookups = ids.Select(id => _store.GetAsync(id, cancellationToken)).ToArray();
                        await Task.WhenAll(lookups).ConfigureAwait(false);
                        var total = 0m;
                        foreach (var lookup in lookups)
                        {
                            if (lookup.Result is { } order)
                            {
                                total += order.Amount;
                                _totals.AddOrUpdate(order.Customer, order.Amount, (_, t) => t + order.Amount);
                            }
                        }

                        return total;
                    }
                    finally
                    {
                        _throttle.Release();
                    }
                }

                public async Task<string> DescribeAsync(int id, CancellationToken cancellationToken)
                {
                    var order = await _store.GetAsync(id, cancellationToken).ConfigureAwait(false);
                    if (order is null)
                    {
                        return "missing";
                    }

                    var builder = new StringBuilder();
                    builder.Append(order.Customer).Append(':').Append(order.Amount.ToString("F2", CultureInfo.InvariantCulture));
                    switch (order.Placed.DayOfWeek)
                    {
                        case DayOfWeek.Saturday:
                        case DayOfWeek.Sunday:
                            builder.Append(" (weekend)");
                            break;
                        default:
                            builder.Append(" (weekday)");
                            break;
                    }

                    return builder.ToString();
                }

                public static async Task<int> CountLinesAsync(Stream stream, CancellationToken cancellationToken)
                {
                    using var reader = new StreamReader(stream, leaveOpen: true);
                    var lines = 0;
                    while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is not null)
                    {
                        lines++;
                    }

                    return lines;
                }

            """);

        // A realistic minority of violations: about one class in eight, ten or twelve.
        if (i % 8 == 0)
        {
            text.Append($$"""

                    public async Task<decimal> FirstAmountAsync(int id, CancellationToken cancellationToken)
                    {
                        var pending = _store.GetAsync(id, cancellationToken);
                        await Task.Yield();
                        return pending.Result?.Amount ?? 0m;
                    }

                """);
        }

        if (i % 12 == 1)
        {
            text.Append($$"""

                    public async Task PauseAsync()
                    {
                        Thread.Sleep(10);
                        await Task.Yield();
                    }

                """);
        }

        if (i % 10 == 2)
        {
            text.Append($$"""

                    public decimal TotalBlocking(IReadOnlyList<int> ids) => TotalAsync(ids, CancellationToken.None).GetAwaiter().GetResult();

                """);
        }

        text.Append("}\n");
    }
}
