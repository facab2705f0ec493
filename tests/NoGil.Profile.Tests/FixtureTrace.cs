using System;
using System.IO;
using System.IO.Compression;
using System.Threading;

namespace NoGil.Profile.Tests;

/// <summary>The checked-in recordings of the fixture program, unpacked into a directory of their own with its build.</summary>
internal static class FixtureTrace
{
    private static readonly Lazy<string> Directory = new(Unpack, LazyThreadSafetyMode.ExecutionAndPublication);

    public static string FixtureDirectory => Path.Combine(AppContext.BaseDirectory, "Fixtures");

    public static string TracePath => Path.Combine(Directory.Value, "profile-fixture.nettrace");

    public static string IdleTracePath => Path.Combine(Directory.Value, "profile-fixture-idle.nettrace");

    public static string ModulePath => Path.Combine(FixtureDirectory, "ProfileFixture.dll");

    public static string[] SourceLines => File.ReadAllLines(Path.Combine(FixtureDirectory, "ProfileFixture", "Program.cs"));

    /// <summary>The 1-based line of the fixture's source that contains <paramref name="text"/> (exactly one).</summary>
    public static int LineOf(string text)
    {
        string[] lines = SourceLines;
        int found = -1;
        for (int i = 0; i < lines.Length; i++)
        {
            if (lines[i].Contains(text, StringComparison.Ordinal))
            {
                Xunit.Assert.Equal(-1, found);
                found = i + 1;
            }
        }

        Xunit.Assert.True(found > 0, $"'{text}' is not in the fixture's source");
        return found;
    }

    public static Profile Import() => TraceReader.Read(TracePath, "profile-fixture.nettrace", new[] { FixtureDirectory });

    private static string Unpack()
    {
        string directory = Path.Combine(Path.GetTempPath(), "nogil-profile-tests-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(directory);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                System.IO.Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
            }
        };
        foreach (string name in new[] { "profile-fixture.nettrace", "profile-fixture-idle.nettrace" })
        {
            using FileStream packed = File.OpenRead(Path.Combine(FixtureDirectory, name + ".gz"));
            using var gzip = new GZipStream(packed, CompressionMode.Decompress);
            using FileStream unpacked = File.Create(Path.Combine(directory, name));
            gzip.CopyTo(unpacked);
        }

        File.Copy(ModulePath, Path.Combine(directory, "ProfileFixture.dll"));
        return directory;
    }
}
