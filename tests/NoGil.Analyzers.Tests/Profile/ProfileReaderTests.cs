using System;
using System.Diagnostics;
using System.Linq;
using System.Text;
using System.Threading;
using NoGil.Analyzers.Analysis.Profile;
using Xunit;

namespace NoGil.Analyzers.Tests.Profile;

/// <summary>
/// The profile reader (<see cref="ProfileDocument.Read"/> over the hand-written <see cref="JsonReader"/>): it reads what
/// the tool writes, ignores members it does not know, and gives a reason and an offset — never an exception — for
/// anything else: truncated, wrong types, deep nesting, huge, empty, a byte-order mark, undecodable bytes.
/// </summary>
public sealed class ProfileReaderTests
{
    private const string Documented = """
        {
          "format": "nogil-profile",
          "version": 1,
          "command": "dotnet bin/Release/net10.0/Scenario.dll",
          "durationMs": 5123.4,
          "samples": 10240,
          "modules": [
            { "name": "Scenario", "mvid": "5b0e3c1e-8d5e-4f6e-9a55-3c6f0e2a1b7d", "pdbId": "1f2e" }
          ],
          "methods": [
            { "module": "Scenario", "id": "M:Scenario.Kernels.Multiply(System.Double[0:,0:],System.Double[0:,0:],System.Double[0:,0:])",
              "exact": true, "inclusive": 0.4123, "exclusive": 0.4011, "samples": 4222 }
          ],
          "contention": [
            { "module": "Scenario", "method": "M:Scenario.Cache.Add(System.String,System.Double[])", "file": "/src/Scenario/Cache.cs",
              "line": 42, "ms": 1903.2, "count": 12400 }
          ],
          "waits": [
            { "module": "Scenario", "method": "M:Scenario.Loader.Load(System.String)", "file": "/src/Scenario/Loader.cs",
              "line": 57, "ms": 812.3, "count": 64 }
          ],
          "threadPool": { "starvation": 3, "blocking": 12 }
        }
        """;

    [Fact]
    public void TheDocumentedExample_IsRead()
    {
        var document = Valid(Documented);
        Assert.Equal("Scenario", Assert.Single(document.Modules).Name);
        var method = Assert.Single(document.Methods);
        Assert.Equal(("Scenario", "M:Scenario.Kernels.Multiply(System.Double[0:,0:],System.Double[0:,0:],System.Double[0:,0:])", true, 0.4123), (method.Module, method.Id, method.Exact, method.Inclusive));
        var contention = Assert.Single(document.Contention);
        Assert.Equal(("M:Scenario.Cache.Add(System.String,System.Double[])", "/src/Scenario/Cache.cs", 42, 1903.2, 12400L), (contention.Method, contention.File, contention.Line, contention.Milliseconds, contention.Count));
        var wait = Assert.Single(document.Waits);
        Assert.Equal((57, 812.3, 64L), (wait.Line, wait.Milliseconds, wait.Count));
        Assert.Equal(3, document.Starvation);
        Assert.Equal(12, document.Blocking);
    }

    [Fact]
    public void AnEntryWithoutASourceLine_IsRead()
    {
        // nogil-profile writes "file": "" and "line": 0 for contention or a wait in a module without a PDB (a test
        // framework's queue, in a profile of Math.NET's tests): the profile stays valid.
        var document = Valid("""
            { "format": "nogil-profile", "version": 1, "modules": [ { "name": "nunit.framework" } ],
              "contention": [ { "module": "nunit.framework", "method": "M:NUnit.Framework.Internal.Execution.EventQueue.Dequeue(System.Boolean)", "file": "", "line": 0, "ms": 12.5, "count": 3 } ] }
            """);
        var entry = Assert.Single(document.Contention);
        Assert.Equal((string.Empty, 0, 12.5, 3L), (entry.File, entry.Line, entry.Milliseconds, entry.Count));
    }

    [Fact]
    public void UnknownMembers_AreIgnored_AtEveryLevel()
    {
        var document = Valid("""
            { "format": "nogil-profile", "version": 1, "future": { "deep": [1, [2, {"x": null}]] },
              "modules": [ { "name": "A", "extra": true } ],
              "methods": [ { "module": "A", "id": "M:A.B", "inclusive": 0.5, "new": "x" } ],
              "threadPool": { "starvation": 0, "other": 1 } }
            """);
        Assert.Equal("M:A.B", Assert.Single(document.Methods).Id);
        Assert.True(document.Methods[0].Exact); // 'exact' absent: the strict reading
    }

    [Fact]
    public void OptionalSections_MayBeAbsentOrNull()
    {
        var document = Valid("{ \"version\": 1, \"format\": \"nogil-profile\", \"contention\": null }");
        Assert.Empty(document.Modules);
        Assert.Empty(document.Methods);
        Assert.Empty(document.Contention);
        Assert.Empty(document.Waits);
        Assert.Equal(0, document.Starvation);
    }

    [Fact]
    public void ByteOrderMark_AndEscapes_AreRead()
    {
        var document = Valid("\uFEFF{ \"format\": \"nogil\\u002Dprofile\", \"version\": 1.0, \"modules\": [ { \"name\": \"A\\\\B\\t\\\"C\\\"\\/\" } ] }");
        Assert.Equal("A\\B\t\"C\"/", Assert.Single(document.Modules).Name);
    }

    [Fact]
    public void UndecodableBytes_InsideAString_AreKept_OutsideOne_AreMalformed()
    {
        // A file that is not UTF-8 reaches the analyzers with U+FFFD where its bytes did not decode.
        Assert.Equal("Sc\uFFFDnario", Valid("{ \"format\": \"nogil-profile\", \"version\": 1, \"modules\": [ { \"name\": \"Sc\uFFFDnario\" } ] }").Modules[0].Name);
        Malformed("{ \"format\": \"nogil-profile\", \"version\": 1 \uFFFD}", "expected ',' or '}' after a member", 42);
    }

    [Theory]
    [InlineData("", "the file is empty", 0)]
    [InlineData("  \r\n\t ", "the file is empty", 0)]
    [InlineData("\uFEFF", "the file is empty", 0)]
    [InlineData("[]", "the file is not a JSON object", 0)]
    [InlineData("null", "the file is not a JSON object", 0)]
    [InlineData("{}", "'format' is not \"nogil-profile\"", 0)]
    [InlineData("{ \"format\": \"speedscope\", \"version\": 1 }", "'format' is not \"nogil-profile\"", 12)]
    [InlineData("{ \"format\": \"nogil-profile\" }", "'version' is not a whole number from 1", 0)]
    [InlineData("{ \"format\": \"nogil-profile\", \"version\": \"1\" }", "'version' is not a whole number from 1", 40)]
    [InlineData("{ \"format\": \"nogil-profile\", \"version\": 1.5 }", "'version' is not a whole number from 1", 40)]
    [InlineData("{ \"format\": \"nogil-profile\", \"version\": 0 }", "'version' is not a whole number from 1", 40)]
    [InlineData("{ \"format\": \"nogil-profile\", \"version\": 2 }", "'version' 2 is newer than the version these analyzers read (1)", 40)]
    [InlineData("{ \"format\": \"nogil-profile\", \"version\": 1, \"methods\": {} }", "'methods' is not an array", 54)]
    [InlineData("{ \"format\": \"nogil-profile\", \"version\": 1, \"methods\": [ 1 ] }", "an item of 'methods' is not an object", 56)]
    [InlineData("{ \"format\": \"nogil-profile\", \"version\": 1, \"methods\": [ { \"module\": \"A\" } ] }", "'id' is missing or not a string", 56)]
    [InlineData("{ \"format\": \"nogil-profile\", \"version\": 1, \"methods\": [ { \"module\": \"A\", \"id\": \"M:A.B\", \"exact\": 1 } ] }", "'exact' is not true or false", 97)]
    [InlineData("{ \"format\": \"nogil-profile\", \"version\": 1, \"methods\": [ { \"module\": \"A\", \"id\": \"M:A.B\", \"inclusive\": 1.5 } ] }", "'inclusive' is not between 0 and 1", 101)]
    [InlineData("{ \"format\": \"nogil-profile\", \"version\": 1, \"waits\": [ { \"module\": \"A\", \"method\": \"M:A.B\", \"file\": \"a.cs\", \"line\": -1 } ] }", "'line' is not a line number", 114)]
    [InlineData("{ \"format\": \"nogil-profile\", \"version\": 1, \"waits\": [ { \"module\": \"A\", \"method\": \"M:A.B\", \"file\": \"a.cs\" } ] }", "'line' is not a line number", 54)]
    [InlineData("{ \"format\": \"nogil-profile\", \"version\": 1, \"contention\": [ { \"module\": \"A\", \"method\": \"M:A.B\", \"file\": \"a.cs\", \"line\": 3, \"ms\": -1 } ] }", "'ms' is negative", 128)]
    [InlineData("{ \"format\": \"nogil-profile\", \"version\": 1, \"contention\": [ { \"module\": \"A\", \"method\": \"M:A.B\", \"file\": \"a.cs\", \"line\": 3, \"count\": 2.5 } ] }", "'count' is not a whole number from 0", 131)]
    [InlineData("{ \"format\": \"nogil-profile\", \"version\": 1, \"threadPool\": 3 }", "'threadPool' is not an object", 57)]
    [InlineData("{ \"format\": \"nogil-profile\", \"version\": 1e999 }", "a number out of range", 40)]
    [InlineData("{ \"format\": \"nogil-profile\", \"version\": 01 }", "an invalid number", 40)]
    [InlineData("{ \"format\": \"nogil-profile\", \"version\": 1. }", "an invalid number", 40)]
    [InlineData("{ \"format\": \"nogil-profile\", \"version\": -x }", "an invalid number", 40)]
    [InlineData("{ \"format\": \"nogil-profile\", \"version\": NaN }", "expected a value (an object, array, string, number, true, false or null)", 40)]
    [InlineData("{ \"format\": \"nogil-profile\", \"version\": 1, }", "expected a member name in double quotes", 43)]
    [InlineData("{ \"format\": \"nogil-profile\" \"version\": 1 }", "expected ',' or '}' after a member", 28)]
    [InlineData("{ \"format\" \"nogil-profile\" }", "expected ':' after the member name", 11)]
    [InlineData("{ \"format\": \"nogil-\nprofile\" }", "a control character inside a string (write it as an escape)", 19)]
    [InlineData("{ \"format\": \"nogil\\xprofile\" }", "an invalid escape in a string", 18)]
    [InlineData("{ \"format\": \"nogil\\u00Gx\" }", "an invalid escape in a string", 18)]
    [InlineData("{ \"format\": \"nogil-profile", "a string that is never closed", 12)]
    [InlineData("{ \"format\": \"nogil-profile\", \"version\": 1 } {}", "unexpected text after the JSON value", 44)]
    [InlineData("{ \"format\": \"nogil-profile\", \"version\": 1, \"methods\": [ tru ] }", "expected a value (an object, array, string, number, true, false or null)", 56)]
    [InlineData("{ \"format\": \"nogil-profile\", \"version\": 1, \"methods\": [", "the file ends where a value was expected", 55)]
    [InlineData("{ \"format\": \"nogil-profile\", \"version\": 1, \"methods\": [ {}", "the file ends inside an array", 58)]
    public void MalformedShapes_GiveTheReasonAndOffset(string text, string reason, int offset) => Malformed(text, reason, offset);

    [Fact]
    public void EveryPrefixOfAValidProfile_IsReadWithoutAnException()
    {
        var text = ProfileText.Of(
            methods: new[] { ProfileText.Method("M:A.B(System.Int32)", 0.5), ProfileText.Method("M:A.C", 0.25, exact: false) },
            contention: new[] { ProfileText.Line("M:A.B(System.Int32)", 12, 1903.2, 12400) },
            waits: new[] { ProfileText.Line("M:A.C", 20, 3.5, 2) },
            starvation: 2);
        Assert.NotNull(ProfileDocument.Read(text, CancellationToken.None).Document);
        for (var length = 0; length < text.TrimEnd().Length; length++)
        {
            var read = ProfileDocument.Read(text.Substring(0, length), CancellationToken.None);
            Assert.Null(read.Document);
            Assert.False(string.IsNullOrEmpty(read.Error));
            Assert.InRange(read.ErrorOffset, 0, length);
        }
    }

    [Fact]
    public void DeepNesting_IsMalformed_WithoutOverflowingTheStack()
    {
        foreach (var open in new[] { "[", "{\"a\":" })
        {
            var text = "{ \"format\": \"nogil-profile\", \"version\": 1, \"x\": " + string.Concat(Enumerable.Repeat(open, 100_000));
            var read = ProfileDocument.Read(text, CancellationToken.None);
            Assert.Equal("objects and arrays are nested deeper than 64 levels", read.Error);
        }

        // 64 levels are read.
        Assert.NotNull(ProfileDocument.Read("{ \"format\": \"nogil-profile\", \"version\": 1, \"x\": " + new string('[', 63) + new string(']', 63) + " }", CancellationToken.None).Document);
    }

    [Fact]
    public void TooLarge_IsMalformed_BeforeItIsRead()
    {
        var read = JsonReader.Read(new string(' ', JsonReader.MaxLength + 1), CancellationToken.None);
        Assert.Equal("the file is larger than 64 MB", read.Error);
    }

    [Fact]
    public void FiftyThousandMethods_AreReadQuickly()
    {
        var methods = Enumerable.Range(0, 50_000).Select(i => ProfileText.Method("M:Ns.Type" + (i % 500) + ".Method" + i + "(System.Int32,System.Double[])", 0.0001));
        var text = ProfileText.Of(methods: methods);
        var stopwatch = Stopwatch.StartNew();
        var document = Valid(text);
        stopwatch.Stop();
        Assert.Equal(50_000, document.Methods.Count);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(5), "read in " + stopwatch.Elapsed);
    }

    [Fact]
    public void Null_IsMalformed() => Assert.Equal("the file could not be read", ProfileDocument.Read(null, CancellationToken.None).Error);

    [Fact]
    public void RandomBytes_NeverThrow()
    {
        var random = new Random(15);
        var valid = Encoding.UTF8.GetBytes(Documented);
        for (var i = 0; i < 2_000; i++)
        {
            var bytes = (byte[])valid.Clone();
            for (var k = 0; k < 1 + random.Next(8); k++)
            {
                bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
            }

            var read = ProfileDocument.Read(Encoding.UTF8.GetString(bytes, 0, random.Next(bytes.Length + 1)), CancellationToken.None);
            Assert.True(read.Document is not null || read.Error is not null);
        }
    }

    private static ProfileDocument Valid(string text)
    {
        var read = ProfileDocument.Read(text, CancellationToken.None);
        Assert.True(read.Document is not null, read.Error);
        return read.Document!;
    }

    private static void Malformed(string text, string reason, int offset)
    {
        var read = ProfileDocument.Read(text, CancellationToken.None);
        Assert.Null(read.Document);
        Assert.Equal(reason, read.Error);
        Assert.Equal(offset, read.ErrorOffset);
    }
}
