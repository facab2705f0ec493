using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using Xunit;

namespace NoGil.Profile.Tests;

/// <summary>The one real recording: `run` starts the fixture program under EventPipe and writes its profile.</summary>
public sealed class RunEndToEndTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("nogil-profile-run-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void RunRecordsTheFixtureAndWritesItsProfile()
    {
        // The checked-in build of the fixture with a runtime configuration of its own: it runs on the test's runtime.
        string module = Path.Combine(_directory, "ProfileFixture.dll");
        File.Copy(FixtureTrace.ModulePath, module);
        string version = Environment.Version.ToString(2);
        File.WriteAllText(
            Path.Combine(_directory, "ProfileFixture.runtimeconfig.json"),
            "{ \"runtimeOptions\": { \"tfm\": \"net" + version + "\", \"rollForward\": \"Major\", \"framework\": { \"name\": \"Microsoft.NETCore.App\", \"version\": \"" + version + ".0\" } } }");
        string host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } path && File.Exists(path) ? path : "dotnet";
        string output = Path.Combine(_directory, "nogil.profile.json");
        string trace = Path.Combine(_directory, "kept.nettrace");

        var error = new StringWriter();
        int exit = Program.Run(new[] { "run", "-o", output, "--trace", trace, "--", host, module, "0.4" }, error);

        Assert.True(exit == 0, error.ToString());
        Assert.Contains("nogil-profile: wrote " + output, error.ToString(), StringComparison.Ordinal);
        Assert.True(new FileInfo(trace).Length > 0);
        using JsonDocument document = JsonDocument.Parse(File.ReadAllBytes(output));
        JsonElement root = document.RootElement;
        Assert.Equal("nogil-profile", root.GetProperty("format").GetString());
        Assert.EndsWith("ProfileFixture.dll 0.4", root.GetProperty("command").GetString(), StringComparison.Ordinal);
        Assert.True(root.GetProperty("samples").GetInt32() > 0);
        Assert.Equal("ProfileFixture", root.GetProperty("modules")[0].GetProperty("name").GetString());
        Assert.Contains(
            root.GetProperty("methods").EnumerateArray(),
            m => m.GetProperty("id").GetString() == "M:ProfileFixture.Kernels.Run(System.Object)" && m.GetProperty("exact").GetBoolean() && m.GetProperty("samples").GetInt32() > 0);
        Assert.DoesNotContain(root.GetProperty("methods").EnumerateArray(), m => m.GetProperty("id").GetString()!.Contains('<', StringComparison.Ordinal));

        // The kept trace imports to the same profile but for the command.
        string imported = Path.Combine(_directory, "imported.json");
        Assert.Equal(0, Program.Run(new[] { "import", trace, "-o", imported }, new StringWriter()));
        string Strip(string file) => string.Join("\n", File.ReadAllLines(file).Where(l => !l.TrimStart().StartsWith("\"command\"", StringComparison.Ordinal)));
        Assert.Equal(Strip(output), Strip(imported));
    }
}
