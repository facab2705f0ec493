using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text.Json;
using Xunit;

namespace NoGil.Profile.Tests;

/// <summary>The profile of the checked-in recording of the fixture program.</summary>
public class FixtureProfileTests
{
    private const string Kernel = "M:ProfileFixture.Kernels.Run(System.Object)";
    private const string Closures = "M:ProfileFixture.Closures.Run(System.Object)";
    private const string Worker = "M:ProfileFixture.Contention.Worker(System.Object)";
    private const string Load = "M:ProfileFixture.Waits.Load(System.Int32)";

    private static readonly Lazy<Profile> Imported = new(FixtureTrace.Import);

    private static Profile Profile => Imported.Value;

    [Fact]
    public void TheHotKernelIsFirstWithAPlausibleShare()
    {
        MethodEntry first = Profile.Methods[0];
        Assert.Equal(Kernel, first.Id);
        Assert.True(first.Exact);
        Assert.Equal("ProfileFixture", first.Module);
        // The kernel runs alone for half of the fixture's CPU-bound time; the loop is in the method itself.
        Assert.InRange(first.Inclusive, 0.3, 0.9);
        Assert.Equal(first.Inclusive, first.Exclusive);
        Assert.Equal(Math.Round((double)first.Samples / Profile.Samples, 4), first.Inclusive);
    }

    [Fact]
    public void TheLambdaAndTheLocalFunctionCountTowardTheirDeclaringMethod()
    {
        // Closures.Run itself only loops around a Select lambda and a local function: its samples are theirs.
        MethodEntry run = Assert.Single(Profile.Methods, m => m.Id == Closures);
        Assert.True(run.Exact);
        Assert.True(run.Exclusive > 0.05, $"Closures.Run exclusive {run.Exclusive}");
        Assert.True(run.Exclusive > 0.5 * run.Inclusive);
        Assert.DoesNotContain(Profile.Methods, m => m.Id.Contains('<', StringComparison.Ordinal));

        // And the generated methods themselves resolve to it.
        using UserModule module = UserModule.TryOpen(FixtureTrace.ModulePath)!;
        string[] generated = GeneratedMethodNames().Where(n => n.Name.StartsWith("<Run>", StringComparison.Ordinal) && n.Type.Contains("Closures", StringComparison.Ordinal)).Select(n => n.Name).ToArray();
        Assert.Contains(generated, n => n.StartsWith("<Run>b__", StringComparison.Ordinal));
        Assert.Contains(generated, n => n.StartsWith("<Run>g__Accumulate|", StringComparison.Ordinal));
        foreach ((int token, string type, string name) in GeneratedMethodNames().Where(n => n.Name.StartsWith("<Run>", StringComparison.Ordinal) && n.Type.Contains("Closures", StringComparison.Ordinal)))
        {
            Assert.Equal(new SourceMethod(Closures, true), module.GetSourceMethod(token));
        }
    }

    [Fact]
    public void ContentionIsOnTheLockLine()
    {
        // The two workers contend for the lock; the run's other contention is brief (the wait's own synchronization).
        LineEntry entry = Assert.Single(Profile.Contention, c => c.Method == Worker);
        Assert.Equal(entry, Profile.Contention[0]);
        Assert.Equal("ProfileFixture", entry.Module);
        Assert.Equal("Program.cs", Path.GetFileName(entry.File.Replace('\\', '/')));
        Assert.Equal(FixtureTrace.LineOf("lock (Gate)"), entry.Line);
        Assert.True(entry.Ms > 0);
        Assert.True(entry.Count > 0);
    }

    [Fact]
    public void TheWaitIsOnTheWaitingLine()
    {
        LineEntry result = Assert.Single(Profile.Waits, w => w.Method == Load && w.Line == FixtureTrace.LineOf("result.Result"));
        Assert.Equal(1, result.Count);
        // The task waited for queues behind the burst of blocking work items: it waits at least as long as one of them.
        Assert.True(result.Ms >= 600, $"waited {result.Ms} ms");

        // Thread.Join waits in Main are on their own lines.
        Assert.Contains(Profile.Waits, w => w.Method == "M:ProfileFixture.Program.Main(System.String[])" && w.Line == FixtureTrace.LineOf("kernel.Join()"));
        Assert.All(Profile.Waits, w => Assert.True(w.Line > 0 && w.File.EndsWith("Program.cs", StringComparison.Ordinal)));

        // The contended lock's own waiting is contention, not a wait.
        Assert.DoesNotContain(Profile.Waits, w => w.Method == Worker);
    }

    [Fact]
    public void TheBurstStarvedTheThreadPool()
    {
        Assert.True(Profile.Starvation >= 1);
    }


    [Fact]
    public void TheModuleIsTheBuildThatRan()
    {
        ModuleEntry module = Assert.Single(Profile.Modules);
        Assert.Equal("ProfileFixture", module.Name);
        using var pe = new PEReader(File.OpenRead(FixtureTrace.ModulePath));
        MetadataReader metadata = pe.GetMetadataReader();
        Assert.Equal(metadata.GetGuid(metadata.GetModuleDefinition().Mvid), module.Mvid);
        DebugDirectoryEntry embedded = pe.ReadDebugDirectory().Single(e => e.Type == DebugDirectoryEntryType.EmbeddedPortablePdb);
        using MetadataReaderProvider pdb = pe.ReadEmbeddedPortablePdbDebugDirectoryData(embedded);
        Assert.Equal(Convert.ToHexString(pdb.GetMetadataReader().DebugMetadataHeader!.Id.ToArray()).ToLowerInvariant(), module.PdbId);
    }

    [Fact]
    public void TheSameTraceGivesTheSameBytes()
    {
        byte[] first = ProfileJson.Write(FixtureTrace.Import());
        byte[] second = ProfileJson.Write(FixtureTrace.Import());
        Assert.Equal(first, second);
        Assert.DoesNotContain((byte)'\r', first);
    }

    [Fact]
    public void TheFileHasTheFormatsMembersInOrder()
    {
        using JsonDocument document = JsonDocument.Parse(ProfileJson.Write(Profile));
        JsonElement root = document.RootElement;
        Assert.Equal(
            new[] { "format", "version", "command", "durationMs", "samples", "modules", "methods", "contention", "waits", "threadPool" },
            root.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal("nogil-profile", root.GetProperty("format").GetString());
        Assert.Equal(1, root.GetProperty("version").GetInt32());
        Assert.Equal("profile-fixture.nettrace", root.GetProperty("command").GetString());
        Assert.True(root.GetProperty("durationMs").GetDouble() > 500);
        Assert.Equal(Profile.Samples, root.GetProperty("samples").GetInt32());

        JsonElement module = root.GetProperty("modules")[0];
        Assert.Equal(new[] { "name", "mvid", "pdbId" }, module.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Matches("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", module.GetProperty("mvid").GetString());
        Assert.Matches("^[0-9a-f]{40}$", module.GetProperty("pdbId").GetString());

        JsonElement[] methods = root.GetProperty("methods").EnumerateArray().ToArray();
        Assert.All(methods, m => Assert.Equal(new[] { "module", "id", "exact", "inclusive", "exclusive", "samples" }, m.EnumerateObject().Select(p => p.Name).ToArray()));
        for (int i = 1; i < methods.Length; i++)
        {
            double previous = methods[i - 1].GetProperty("inclusive").GetDouble();
            double current = methods[i].GetProperty("inclusive").GetDouble();
            Assert.True(previous > current || (previous == current && string.CompareOrdinal(methods[i - 1].GetProperty("id").GetString(), methods[i].GetProperty("id").GetString()) < 0));
        }

        Assert.All(methods, m =>
        {
            foreach (string share in new[] { "inclusive", "exclusive" })
            {
                double value = m.GetProperty(share).GetDouble();
                Assert.InRange(value, 0, 1);
                Assert.Equal(Math.Round(value, 4), value);
            }
        });
        Assert.InRange(methods.Sum(m => m.GetProperty("exclusive").GetDouble()), 0.5, 1.0001);

        foreach (string list in new[] { "contention", "waits" })
        {
            JsonElement[] entries = root.GetProperty(list).EnumerateArray().ToArray();
            Assert.NotEmpty(entries);
            Assert.All(entries, e =>
            {
                Assert.Equal(new[] { "module", "method", "file", "line", "ms", "count" }, e.EnumerateObject().Select(p => p.Name).ToArray());
                double ms = e.GetProperty("ms").GetDouble();
                Assert.Equal(Math.Round(ms, 1), ms);
            });
            for (int i = 1; i < entries.Length; i++)
            {
                Assert.True(entries[i - 1].GetProperty("ms").GetDouble() >= entries[i].GetProperty("ms").GetDouble());
            }
        }

        Assert.Equal(Profile.Starvation, root.GetProperty("threadPool").GetProperty("starvation").GetInt32());
        Assert.Equal(Profile.CooperativeBlocking, root.GetProperty("threadPool").GetProperty("blocking").GetInt32());
        Assert.Equal(new[] { "starvation", "blocking" }, root.GetProperty("threadPool").EnumerateObject().Select(p => p.Name).ToArray());
    }

    [Fact]
    public void ImportWritesTheFile()
    {
        string output = Path.Combine(Path.GetTempPath(), "nogil-profile-test-" + Guid.NewGuid().ToString("N") + ".json");
        try
        {
            var error = new StringWriter();
            int exit = Program.Run(new[] { "import", FixtureTrace.TracePath, "-o", output }, error);
            Assert.True(exit == 0, error.ToString());
            Assert.Equal(ProfileJson.Write(Profile), File.ReadAllBytes(output));
        }
        finally
        {
            File.Delete(output);
        }
    }

    private static IEnumerable<(int Token, string Type, string Name)> GeneratedMethodNames()
    {
        using var pe = new PEReader(File.OpenRead(FixtureTrace.ModulePath));
        MetadataReader metadata = pe.GetMetadataReader();
        var result = new List<(int, string, string)>();
        foreach (MethodDefinitionHandle handle in metadata.MethodDefinitions)
        {
            MethodDefinition method = metadata.GetMethodDefinition(handle);
            TypeDefinition type = metadata.GetTypeDefinition(method.GetDeclaringType());
            string typeName = metadata.GetString(type.Name);
            TypeDefinitionHandle outer = type.GetDeclaringType();
            if (!outer.IsNil)
            {
                typeName = metadata.GetString(metadata.GetTypeDefinition(outer).Name) + "/" + typeName;
            }

            result.Add((System.Reflection.Metadata.Ecma335.MetadataTokens.GetToken(handle), typeName, metadata.GetString(method.Name)));
        }

        return result;
    }
}
