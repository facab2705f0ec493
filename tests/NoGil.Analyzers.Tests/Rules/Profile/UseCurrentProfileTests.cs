using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using NoGil.Analyzers.Tests.Profile;
using Xunit;
using Verify = NoGil.Analyzers.Tests.Infrastructure.AnalyzerVerifier<NoGil.Analyzers.Rules.Profile.UseCurrentProfileAnalyzer>;

namespace NoGil.Analyzers.Tests.Rules.Profile;

/// <summary>NOGIL002: a malformed or stale profile is reported once, in the profile file, with the reason and the position.</summary>
public sealed class UseCurrentProfileTests
{
    private const string Source = """
        namespace Scenario
        {
            public class Kernels
            {
                public static void Multiply(double[] a, double[] b) { }
                public static void Multiply(float[] a, float[] b) { }
                public void Run() { }
            }
        }
        """;

    private const string Prefix = "The profile 'nogil.profile.json' is not used, so every rule reports as without one: ";

    [Fact]
    public Task ValidProfile_IsNotReported()
        => RunAsync(ProfileText.Of(
            methods: new[]
            {
                ProfileText.Method("M:Scenario.Kernels.Multiply(System.Double[],System.Double[])", 0.41),
                ProfileText.Method("M:Scenario.Kernels.Multiply", 0.2, exact: false),
                ProfileText.Method("M:Scenario.Kernels.Run", 0.1),
                ProfileText.Method("M:Other.Gone", 0.1, module: "Other"),
            },
            modules: new[] { "Other", ProfileText.Module }));

    [Fact]
    public Task NoModuleForThisAssembly_IsStale()
        => RunAsync(
            ProfileText.Of(methods: new[] { ProfileText.Method("M:Scenario.Kernels.Run", 0.5, module: "Scenario") }, modules: new[] { "Scenario" }),
            Expected(7, 14, "it has no module 'TestProject', so it was recorded from another project or build; record it again from this one"));

    [Fact]
    public Task OneMissingMethod_IsStale_AndNamed()
        => RunAsync(
            ProfileText.Of(methods: new[]
            {
                ProfileText.Method("M:Scenario.Kernels.Run", 0.5),
                ProfileText.Method("M:Scenario.Kernels.Multiply(System.Int32[],System.Int32[])", 0.3),
            }),
            Expected(12, 5, "1 method it names no longer exists in 'TestProject' ('M:Scenario.Kernels.Multiply(System.Int32[],System.Int32[])'), so it was recorded from an older build; record it again"));

    [Fact]
    public Task SeveralMissingMethods_AreCounted_AndTheFirstIsNamed()
        => RunAsync(
            ProfileText.Of(
                methods: new[]
                {
                    ProfileText.Method("M:Scenario.Kernels.Renamed", 0.5),
                    ProfileText.Method("M:Scenario.Kernels.Run", 0.5),
                    ProfileText.Method("M:Scenario.Kernels.Gone", 0.3, exact: false),
                },
                waits: new[] { ProfileText.Line("M:Scenario.Loader.Load(System.String)", 57, 812.3, 64) }),
            Expected(11, 5, "3 methods it names no longer exist in 'TestProject' (one is 'M:Scenario.Kernels.Renamed'), so it was recorded from an older build; record it again"));

    [Fact]
    public Task NotJson_IsMalformed_WithThePosition()
        => RunAsync("{\n  \"format\": \"nogil-profile\",\n  \"version\": 1,\n  \"methods\": [ { \"id\": 'M:X' } ]\n}\n", Expected(4, 24, "it is malformed: expected a value (an object, array, string, number, true, false or null) (line 4, column 24)"));

    [Fact]
    public Task Truncated_IsMalformed()
        => RunAsync("{ \"format\": \"nogil-profile\", \"version\": 1, \"methods\": [", Expected(1, 56, "it is malformed: the file ends where a value was expected (line 1, column 56)", endColumn: 56));

    [Fact]
    public Task WrongType_IsMalformed_AtTheValue()
        => RunAsync("{ \"format\": \"nogil-profile\", \"version\": 1, \"modules\": [ { \"name\": 42 } ] }", Expected(1, 67, "it is malformed: 'name' is missing or not a string (line 1, column 67)"));

    [Fact]
    public Task OtherFormat_IsMalformed()
        => RunAsync("{ \"format\": \"speedscope\", \"version\": 1 }", Expected(1, 13, "it is malformed: 'format' is not \"nogil-profile\" (line 1, column 13)"));

    [Fact]
    public Task NewerVersion_IsMalformed()
        => RunAsync("{ \"format\": \"nogil-profile\", \"version\": 2 }", Expected(1, 41, "it is malformed: 'version' 2 is newer than the version these analyzers read (1) (line 1, column 41)"));

    [Fact]
    public Task EmptyFile_IsMalformed()
        => RunAsync(string.Empty, Expected(1, 1, "it is malformed: the file is empty (line 1, column 1)", endColumn: 1));

    [Fact]
    public Task AFileWithAnotherName_IsNotAProfile()
    {
        var test = new Verify.Test { TestCode = Source };
        test.TestState.AdditionalFiles.Add(("/0/other.json", "not json"));
        return test.RunAsync(CancellationToken.None);
    }

    [Fact]
    public Task TheFileNoGilProfileNames_IsTheProfile()
    {
        var test = new Verify.Test { TestCode = Source };
        test.TestState.AdditionalFiles.Add(("/0/profiles/run1.json", "not json"));
        test.TestState.AdditionalFiles.Add((ProfileText.Path, ProfileText.Of()));
        test.TestState.AnalyzerConfigFiles.Add(("/.globalconfig", "is_global = true\nbuild_property.NoGilProfile = /0/profiles/run1.json\n"));
        test.ExpectedDiagnostics.Add(new DiagnosticResult("NOGIL002", DiagnosticSeverity.Info)
            .WithSpan("/0/profiles/run1.json", 1, 1, 1, 2)
            .WithMessage("The profile 'run1.json' is not used, so every rule reports as without one: it is malformed: expected a value (an object, array, string, number, true, false or null) (line 1, column 1)"));
        return test.RunAsync(CancellationToken.None);
    }

    // A NoGilProfile set relative to the project reaches the analyzers as written; the compiler's path is full.
    [Fact]
    public Task ARelativeNoGilProfile_IsMatchedByTheEndOfThePath()
    {
        var test = new Verify.Test { TestCode = Source };
        test.TestState.AdditionalFiles.Add(("/0/profiles/run1.json", "{}"));
        test.TestState.AnalyzerConfigFiles.Add(("/.globalconfig", "is_global = true\nbuild_property.NoGilProfile = ./profiles/run1.json\n"));
        test.ExpectedDiagnostics.Add(new DiagnosticResult("NOGIL002", DiagnosticSeverity.Info)
            .WithSpan("/0/profiles/run1.json", 1, 1, 1, 2)
            .WithMessage("The profile 'run1.json' is not used, so every rule reports as without one: it is malformed: 'format' is not \"nogil-profile\" (line 1, column 1)"));
        return test.RunAsync(CancellationToken.None);
    }

    [Fact]
    public Task AProfileWithAByteOrderMark_IsRead()
        => RunAsync("\uFEFF" + ProfileText.Of(methods: new[] { ProfileText.Method("M:Scenario.Kernels.Run", 0.5) }));

    private static DiagnosticResult Expected(int line, int column, string reason, int? endColumn = null)
        => new DiagnosticResult("NOGIL002", DiagnosticSeverity.Info)
            .WithSpan(ProfileText.Path, line, column, line, endColumn ?? column + 1)
            .WithMessage(Prefix + reason);

    private static Task RunAsync(string profile, params DiagnosticResult[] expected)
    {
        var test = new Verify.Test { TestCode = Source };
        test.TestState.AdditionalFiles.Add((ProfileText.Path, profile));
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync(CancellationToken.None);
    }
}
