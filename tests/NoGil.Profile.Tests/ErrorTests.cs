using System;
using System.IO;
using Xunit;

namespace NoGil.Profile.Tests;

/// <summary>Every error exits 2 with a one-line message and writes no file.</summary>
public sealed class ErrorTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("nogil-profile-errors-").FullName;

    private string Output => Path.Combine(_directory, "nogil.profile.json");

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private (int Exit, string Message) Run(params string[] args)
    {
        var error = new StringWriter();
        int exit = Program.Run(args, error);
        return (exit, error.ToString());
    }

    [Fact]
    public void RunWithoutACommand()
    {
        (int exit, string message) = Run("run", "-o", Output, "--");
        Assert.Equal(2, exit);
        Assert.StartsWith("nogil-profile: error: run needs a command after '--'", message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(_directory));
    }

    [Fact]
    public void RunACommandThatDoesNotExist()
    {
        string missing = Path.Combine(_directory, "no-such-command");
        (int exit, string message) = Run("run", "-o", Output, "--", missing, "--flag");
        Assert.Equal(2, exit);
        Assert.StartsWith($"nogil-profile: error: cannot start '{missing}'", message, StringComparison.Ordinal);
        Assert.Single(message.TrimEnd().Split('\n'));
        Assert.Empty(Directory.GetFileSystemEntries(_directory));
    }

    [Fact]
    public void ImportATraceThatDoesNotExist()
    {
        (int exit, string message) = Run("import", Path.Combine(_directory, "missing.nettrace"), "-o", Output);
        Assert.Equal(2, exit);
        Assert.Contains("does not exist", message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(_directory));
    }

    [Fact]
    public void ImportATraceThatCannotBeRead()
    {
        string trace = Path.Combine(_directory, "garbage.nettrace");
        File.WriteAllBytes(trace, new byte[] { 0x4E, 0x65, 0x74, 0x74, 0x72, 0x61, 0x63, 0x65, 1, 2, 3 });
        (int exit, string message) = Run("import", trace, "-o", Output);
        Assert.Equal(2, exit);
        Assert.StartsWith($"nogil-profile: error: cannot read the trace '{trace}'", message, StringComparison.Ordinal);
        Assert.Single(message.TrimEnd().Split('\n'));
        Assert.False(File.Exists(Output));
    }

    [Fact]
    public void ATruncatedTraceCannotBeRead()
    {
        string trace = Path.Combine(_directory, "truncated.nettrace");
        byte[] whole = File.ReadAllBytes(FixtureTrace.TracePath);
        File.WriteAllBytes(trace, whole.AsSpan(0, whole.Length / 3).ToArray());
        (int exit, _) = Run("import", trace, "-o", Output);
        Assert.Equal(2, exit);
        Assert.False(File.Exists(Output));
    }

    [Fact]
    public void AProfileWithNoSamplesInTheApplicationsCodeWritesNothing()
    {
        // The fixture's idle mode sleeps on its main thread: every CPU sample is in the runtime and the framework.
        File.WriteAllText(Output, "left from before");
        (int exit, string message) = Run("import", FixtureTrace.IdleTracePath, "-o", Output);
        Assert.Equal(2, exit);
        Assert.Equal("nogil-profile: error: the trace has no CPU samples in the application's own code (only in the runtime's and framework's modules)", message.TrimEnd());
        Assert.Equal("left from before", File.ReadAllText(Output));
    }

    [Fact]
    public void UnknownCommandAndMissingArguments()
    {
        Assert.Equal(2, Run("record").Exit);
        Assert.Equal(2, Run().Exit);
        Assert.Equal(2, Run("import").Exit);
        Assert.Equal(2, Run("import", "a.nettrace", "-o").Exit);
        Assert.Empty(Directory.GetFileSystemEntries(_directory));
    }
}
