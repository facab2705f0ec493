using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using Verify = NoGil.Analyzers.Tests.Infrastructure.CodeFixVerifier<
    NoGil.Analyzers.Rules.Kernels.ParallelizeLoopAnalyzer,
    NoGil.CodeFixes.Rules.Kernels.ParallelizeLoopFixer>;
using VerifyReduction = NoGil.Analyzers.Tests.Infrastructure.CodeFixVerifier<
    NoGil.Analyzers.Rules.Kernels.VectorizeReductionAnalyzer,
    NoGil.CodeFixes.Rules.Kernels.VectorizeReductionFixer>;

namespace NoGil.Analyzers.Tests.Profile;

/// <summary>
/// The kernel rules with a valid profile: a loop in a hot method is a warning that says the method's share, a loop in a
/// cold method is not reported (or is a suggestion, with <c>nogil.profile.cold_code = suggestion</c>); methods are matched
/// by documentation ID, across overloads for an entry without a parameter list, and code in a lambda or local function
/// counts toward the method that declares it.
/// </summary>
public sealed class ProfileKernelTests
{
    private const string Advice = "The iterations of this loop are independent and heavy enough to pay for a worker: run them on every core with Parallel.ForEach over index ranges";

    private const string RunId = "M:C.Run(System.Double[],System.Double[])";

    private const string Source = """
        class C
        {
            public static void Run(double[] a, double[] b)
            {
                {|#0:for (int i = 0; i < a.Length; i++)|}
                {
                    b[i] = System.Math.Sin(a[i]) * System.Math.Cos(a[i]) + System.Math.Exp(a[i]);
                }
            }

            public static void Other()
            {
            }
        }
        """;

    [Fact]
    public Task HotMethod_IsAWarning_WithItsShare()
        => RunAsync(Source, Profile(RunId, 0.4123), Hot(0, "Run", "41 %"));

    [Fact]
    public Task ColdMethod_IsNotReported()
        => RunAsync(Source, Profile(RunId, 0.0123));

    [Fact]
    public Task MethodAbsentFromTheProfile_IsNotReported()
        => RunAsync(Source, ProfileText.Of(methods: new[] { ProfileText.Method("M:C.Other", 0.9) }));

    [Fact]
    public Task ColdMethod_IsASuggestion_WithColdCodeSuggestion()
        => RunAsync(
            Source,
            Profile(RunId, 0.0123),
            new DiagnosticResult("NOGIL301", DiagnosticSeverity.Info).WithLocation(0)
                .WithMessage(Advice + " — 'Run' took only 1.2 % of CPU samples in the profile (below nogil.profile.hot_threshold, 2 %)"),
            """
            nogil.profile.cold_code = suggestion
            """);

    [Fact]
    public Task AbsentMethod_IsASuggestion_WithColdCodeSuggestion()
        => RunAsync(
            Source,
            ProfileText.Of(methods: new[] { ProfileText.Method("M:C.Other", 0.9) }),
            new DiagnosticResult("NOGIL301", DiagnosticSeverity.Info).WithLocation(0).WithMessage(Advice + " — 'Run' did not appear in the profile's CPU samples"),
            """
            nogil.profile.cold_code = Suggestion
            """);

    [Fact]
    public Task HotThreshold_DecidesWhatIsHot()
        => Task.WhenAll(
            RunAsync(Source, Profile(RunId, 0.4123), expected: null, """
                nogil.profile.hot_threshold = 0.5
                """),
            RunAsync(Source, Profile(RunId, 0.006), Hot(0, "Run", "0.6 %"), """
                nogil.profile.hot_threshold = 0.005
                """),
            RunAsync(Source, Profile(RunId, 0.02), Hot(0, "Run", "2 %")),
            RunAsync(Source, Profile(RunId, 0.4123), Hot(0, "Run", "41 %"), "nogil.profile.hot_threshold = not a number"));

    // The profile raises the severity of the diagnostic; a severity the project sets for the rule is applied after it and
    // wins (ProfileSeverityTests covers every setting).
    [Fact]
    public Task SeverityFromEditorConfig_WinsOverTheProfile()
        => RunAsync(Source, Profile(RunId, 0.4123), Hot(0, "Run", "41 %", DiagnosticSeverity.Info), "dotnet_diagnostic.NOGIL301.severity = suggestion");

    [Fact]
    public Task ExactEntry_MatchesOnlyItsOverload_NameEntry_MatchesEvery()
    {
        const string overloads = """
            class C
            {
                public static void Run(double[] a, double[] b)
                {
                    {|#0:for (int i = 0; i < a.Length; i++)|}
                    {
                        b[i] = System.Math.Sin(a[i]) * System.Math.Cos(a[i]) + System.Math.Exp(a[i]);
                    }
                }

                public static void Run(float[] a, float[] b)
                {
                    {|#1:for (int i = 0; i < a.Length; i++)|}
                    {
                        b[i] = System.MathF.Sin(a[i]) * System.MathF.Cos(a[i]) + System.MathF.Exp(a[i]);
                    }
                }
            }
            """;
        return Task.WhenAll(
            RunAsync(overloads, Profile(RunId, 0.3), Hot(0, "Run", "30 %")),
            RunAsync(overloads, Profile("M:C.Run(System.Single[],System.Single[])", 0.3), Hot(1, "Run", "30 %")),
            // An entry without a parameter list is every overload's: the message says so.
            RunAsync(overloads, ProfileText.Of(methods: new[] { ProfileText.Method("M:C.Run", 0.25, exact: false) }), new[] { HotByName(0, "Run", "25 %"), HotByName(1, "Run", "25 %") }),
            // Both: each overload takes the larger of its own share and the name's.
            RunAsync(overloads, ProfileText.Of(methods: new[] { ProfileText.Method(RunId, 0.5), ProfileText.Method("M:C.Run", 0.03, exact: false) }), new[] { Hot(0, "Run", "50 %"), HotByName(1, "Run", "3 %") }));
    }

    [Fact]
    public Task GenericMethodOfAGenericType_IsMatchedByItsId_AndByName()
    {
        const string generic = """
            namespace Ns
            {
                class Grid<T>
                {
                    public static void Map<U>(double[] a, double[] b, U tag)
                    {
                        {|#0:for (int i = 0; i < a.Length; i++)|}
                        {
                            b[i] = System.Math.Sin(a[i]) * System.Math.Cos(a[i]) + System.Math.Exp(a[i]);
                        }
                    }
                }
            }
            """;
        return Task.WhenAll(
            RunAsync(generic, Profile("M:Ns.Grid`1.Map``1(System.Double[],System.Double[],``0)", 0.3), Hot(0, "Map", "30 %")),
            RunAsync(generic, ProfileText.Of(methods: new[] { ProfileText.Method("M:Ns.Grid`1.Map", 0.3, exact: false) }), Hot(0, "Map", "30 %")),
            RunAsync(generic, ProfileText.Of(methods: new[] { ProfileText.Method("M:Ns.Grid`1.Map``1", 0.3, exact: false) }), Hot(0, "Map", "30 %")),
            RunAsync(generic, ProfileText.Of(methods: new[] { ProfileText.Method("M:Ns.Grid`1.Map", 0.01, exact: false), ProfileText.Method("M:Ns.Grid`1.#ctor", 0.5) })));
    }

    [Fact]
    public Task LoopInALambdaOrLocalFunction_UsesItsDeclaringMethodsShare()
    {
        const string nested = """
            using System;
            class C
            {
                public static Action<double[], double[]> Outer()
                {
                    Action<double[], double[]> f = (a, b) =>
                    {
                        {|#0:for (int i = 0; i < a.Length; i++)|}
                        {
                            b[i] = Math.Sin(a[i]) * Math.Cos(a[i]) + Math.Exp(a[i]);
                        }
                    };
                    return f;
                }

                public static void Local(double[] a, double[] b)
                {
                    Inner(a, b);

                    static void Inner(double[] x, double[] y)
                    {
                        {|#1:for (int i = 0; i < x.Length; i++)|}
                        {
                            y[i] = Math.Sin(x[i]) * Math.Cos(x[i]) + Math.Exp(x[i]);
                        }
                    }
                }
            }
            """;
        return RunAsync(
            nested,
            ProfileText.Of(methods: new[] { ProfileText.Method("M:C.Outer", 0.2), ProfileText.Method("M:C.Local(System.Double[],System.Double[])", 0.1) }),
            new[] { Hot(0, "Outer", "20 %"), Hot(1, "Local", "10 %") });
    }

    [Fact]
    public async Task Reduction_InAHotMethod_IsAWarning()
    {
        var test = new VerifyReduction.Test
        {
            TestCode = """
                class C
                {
                    public static int Sum(int[] values)
                    {
                        int sum = 0;
                        {|#0:for (int i = 0; i < values.Length; i++)|}
                        {
                            sum += values[i];
                        }

                        return sum;
                    }

                    public static int Cold(int[] values)
                    {
                        int sum = 0;
                        for (int i = 0; i < values.Length; i++)
                        {
                            sum += values[i];
                        }

                        return sum;
                    }
                }
                """,
        };
        test.TestState.AdditionalFiles.Add((ProfileText.Path, ProfileText.Of(methods: new[] { ProfileText.Method("M:C.Sum(System.Int32[])", 0.07), ProfileText.Method("M:C.Cold(System.Int32[])", 0.001) })));
        test.ExpectedDiagnostics.Add(new DiagnosticResult("NOGIL303", DiagnosticSeverity.Warning).WithLocation(0)
            .WithMessage("This loop computes the sum of 'values' one element at a time; vectorize it with Vector<int> — 'Sum' took 7 % of CPU samples in the profile"));
        await test.RunAsync(CancellationToken.None);
    }

    private static string Profile(string id, double share) => ProfileText.Of(methods: new[] { ProfileText.Method(id, share) });

    private static DiagnosticResult Hot(int location, string method, string percent, DiagnosticSeverity severity = DiagnosticSeverity.Warning)
        => new DiagnosticResult("NOGIL301", severity).WithLocation(location).WithMessage(Advice + " — '" + method + "' took " + percent + " of CPU samples in the profile");

    private static DiagnosticResult HotByName(int location, string method, string percent)
        => new DiagnosticResult("NOGIL301", DiagnosticSeverity.Warning).WithLocation(location).WithMessage(Advice + " — '" + method + "' and its overloads took " + percent + " of CPU samples in the profile");

    private static Task RunAsync(string source, string profile, DiagnosticResult expected, string? editorConfig = null)
        => RunAsync(source, profile, new[] { expected }, editorConfig);

    private static async Task RunAsync(string source, string profile, DiagnosticResult[]? expected = null, string? editorConfig = null)
    {
        var test = new Verify.Test { TestCode = source };
        test.TestState.AdditionalFiles.Add((ProfileText.Path, profile));
        if (editorConfig is not null)
        {
            test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", "root = true\n\n[*.cs]\n" + editorConfig + "\n"));
        }

        test.ExpectedDiagnostics.AddRange(expected ?? System.Array.Empty<DiagnosticResult>());
        await test.RunAsync(CancellationToken.None);
    }
}
