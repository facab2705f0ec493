using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using Verify = NoGil.Analyzers.Tests.Infrastructure.CodeFixVerifier<
    NoGil.Analyzers.Rules.Kernels.ParallelizeLoopAnalyzer,
    NoGil.CodeFixes.Rules.Kernels.ParallelizeLoopFixer>;

namespace NoGil.Analyzers.Tests.Rules.Kernels;

/// <summary>
/// NOGIL301 reports what carries a method's work and may run in parallel: not inside a body that already runs
/// concurrently (also through the project's own helpers), not beside a deeper nest, not for trip counts small by
/// construction, not where the body or a callee throws; and the project's own <c>Parallel.For</c> in the fix.
/// </summary>
public sealed partial class ParallelizeLoopTests
{
    /// <summary>The project's own parallel helper, shaped like Math.NET's <c>CommonParallel</c>: two overloads, the second forwards to Parallel.ForEach.</summary>
    private const string CommonParallel = """
        static class CommonParallel
        {
            public static void For(int fromInclusive, int toExclusive, Action<int, int> body)
                => For(fromInclusive, toExclusive, Math.Max(1, (toExclusive - fromInclusive) / 4), body);

            public static void For(int fromInclusive, int toExclusive, int rangeSize, Action<int, int> body)
            {
                if (body == null)
                {
                    throw new ArgumentNullException(nameof(body));
                }

                if (rangeSize * 2 > toExclusive - fromInclusive)
                {
                    body(fromInclusive, toExclusive);
                    return;
                }

                Parallel.ForEach(Partitioner.Create(fromInclusive, toExclusive, rangeSize), range => body(range.Item1, range.Item2));
            }

            /// <summary>Runs the blocks one after another: not a parallel helper.</summary>
            public static void Sequential(int fromInclusive, int toExclusive, Action<int, int> body) => body(fromInclusive, toExclusive);
        }
        """;

    /// <summary>The Collatz helper as a public method of a static class <c>Steps</c>, for sources with several classes.</summary>
    private static string StepsClass => "\nstatic class Steps\n{\n" + Collatz.Replace("static int Collatz", "public static int Collatz") + "\n}\n";

    private static Task Analyze(string source, params DiagnosticResult[] expected)
        => Verify.VerifyAnalyzerAsync(source + StepsClass, expected);

    private static async Task AnalyzeWithOptions(string source, string options, params DiagnosticResult[] expected)
    {
        var test = new Verify.Test { TestCode = source + StepsClass };
        test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", "root = true\n\n[*]\n" + options + "\n"));
        test.ExpectedDiagnostics.AddRange(expected);
        await test.RunAsync(CancellationToken.None);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Parallel context
    // ---------------------------------------------------------------------------------------------------------

    [Fact]
    public Task ParallelForBody_TheLoopInsideIsNotReported()
        => Analyze("""
            using System.Threading.Tasks;

            class C
            {
                static void Blocks(long[][] src, int[][] dst)
                {
                    Parallel.For(0, src.Length, b =>
                    {
                        long[] s = src[b];
                        int[] d = dst[b];
                        for (int i = 0; i < s.Length; i++)
                        {
                            d[i] = Steps.Collatz(s[i]);
                        }
                    });
                }
            }
            """);

    [Fact]
    public Task ParallelInvokeAndTaskRunBodies_TheLoopsInsideAreNotReported()
        => Analyze("""
            using System.Threading.Tasks;

            class C
            {
                static void Halves(long[] src, int[] dst)
                {
                    int half = src.Length / 2;
                    Parallel.Invoke(
                        () =>
                        {
                            for (int i = 0; i < half; i++)
                            {
                                dst[i] = Steps.Collatz(src[i]);
                            }
                        },
                        () =>
                        {
                            for (int i = half; i < src.Length; i++)
                            {
                                dst[i] = Steps.Collatz(src[i]);
                            }
                        });
                }

                static Task Background(long[] src, int[] dst)
                    => Task.Run(() =>
                    {
                        for (int i = 0; i < src.Length; i++)
                        {
                            dst[i] = Steps.Collatz(src[i]);
                        }
                    });
            }
            """);

    [Fact]
    public Task ProjectHelperThatForwardsToParallelForEach_TheLoopInItsLambdaIsNotReported()
        => Analyze($$"""
            using System;
            using System.Collections.Concurrent;
            using System.Threading.Tasks;

            {{CommonParallel}}

            class C
            {
                // Math.NET's shape: the helper hands the lambda to Parallel.ForEach over ranges.
                static void Blocks(long[] src, int[] dst)
                {
                    CommonParallel.For(0, src.Length, 4096, (a, b) =>
                    {
                        for (int i = a; i < b; i++)
                        {
                            dst[i] = Steps.Collatz(src[i]);
                        }
                    });
                }

                // Through the overload that forwards to the one above: followed more than one helper deep.
                static void Blocks3(long[] src, int[] dst)
                {
                    CommonParallel.For(0, src.Length, (a, b) =>
                    {
                        for (int i = a; i < b; i++)
                        {
                            dst[i] = Steps.Collatz(src[i]);
                        }
                    });
                }
            }
            """);

    [Fact]
    public Task ProjectHelperThatRunsItsDelegateInPlace_TheLoopIsStillReported()
        => Analyze($$"""
            using System;
            using System.Collections.Concurrent;
            using System.Threading.Tasks;

            {{CommonParallel}}

            class C
            {
                static void Blocks(long[] src, int[] dst)
                {
                    CommonParallel.Sequential(0, src.Length, (a, b) =>
                    {
                        {|#0:for (int i = a; i < b; i++)|}
                        {
                            dst[i] = Steps.Collatz(src[i]);
                        }
                    });
                }
            }
            """,
            Verify.Diagnostic().WithLocation(0).WithArguments(string.Empty, "Parallel.For", string.Empty));

    private const string OpaqueScheduler = """
        namespace Scheduling
        {
            public interface IScheduler
            {
                void For(int fromInclusive, int toExclusive, System.Action<int, int> body);
            }
        }

        class C
        {
            static void Blocks(Scheduling.IScheduler scheduler, long[] src, int[] dst)
            {
                scheduler.For(0, src.Length, (a, b) =>
                {
                    {|#0:for (int i = a; i < b; i++)|}
                    {
                        dst[i] = Steps.Collatz(src[i]);
                    }
                });
            }
        }
        """;

    [Fact]
    public Task HelperTheAnalysisCannotFollow_IsReportedWithoutTheOption()
        => Analyze(OpaqueScheduler, Verify.Diagnostic().WithLocation(0).WithArguments(string.Empty, "Parallel.For", string.Empty));

    [Fact]
    public Task ParallelHelpersOption_NamesAHelperByTypeAndMethod()
        => AnalyzeWithOptions(OpaqueScheduler.Replace("{|#0:", string.Empty).Replace(")|}", ")"), """
            NOGIL301.parallel_helpers = Scheduling.IScheduler.For
            """);

    [Fact]
    public Task ParallelHelpersOption_NamesAHelperByDocumentationId()
        => AnalyzeWithOptions(OpaqueScheduler.Replace("{|#0:", string.Empty).Replace(")|}", ")"), """
            NOGIL301.parallel_helpers = Other.Type, M:Scheduling.IScheduler.For(System.Int32,System.Int32,System.Action{System.Int32,System.Int32})
            """);

    // ---------------------------------------------------------------------------------------------------------
    // Dominant work
    // ---------------------------------------------------------------------------------------------------------

    [Fact]
    public Task SideLoopBesideADeeperNest_OnlyTheNestIsReported()
        => Analyze("""
            using System;

            class C
            {
                static double[] Apply(double[,] m, double[] v)
                {
                    int n = v.Length;
                    var scaled = new double[n];

                    // O(n): heavy per element, but beside the O(n²) product below.
                    for (int i = 0; i < n; i++)
                    {
                        double e = Math.Exp(v[i]);
                        scaled[i] = e * Math.Log(e + 2);
                    }

                    var result = new double[n];
                    {|#0:for (int i = 0; i < n; i++)|}
                    {
                        double sum = 0;
                        for (int j = 0; j < n; j++)
                        {
                            sum += m[i, j] * scaled[j];
                        }

                        result[i] = sum;
                    }

                    return result;
                }
            }
            """,
            Verify.Diagnostic().WithLocation(0).WithArguments(string.Empty, "Parallel.For", string.Empty));

    [Fact]
    public Task LoopsInTheTwoArmsOfAnIf_AreComparedOnlyWithinTheirArm()
        => Analyze("""
            using System;

            class C
            {
                static double[] Apply(bool diagonal, double[,] m, double[] v)
                {
                    int n = v.Length;
                    var result = new double[n];
                    if (diagonal)
                    {
                        {|#0:for (int i = 0; i < n; i++)|}
                        {
                            double e = Math.Exp(v[i]);
                            result[i] = m[i, i] * Math.Log(e + 2);
                        }
                    }
                    else
                    {
                        {|#1:for (int i = 0; i < n; i++)|}
                        {
                            double sum = 0;
                            for (int j = 0; j < n; j++)
                            {
                                sum += m[i, j] * v[j];
                            }

                            result[i] = sum;
                        }
                    }

                    return result;
                }
            }
            """,
            Verify.Diagnostic().WithLocation(0).WithArguments(string.Empty, "Parallel.ForEach over index ranges", string.Empty),
            Verify.Diagnostic().WithLocation(1).WithArguments(string.Empty, "Parallel.For", string.Empty));

    /// <summary>
    /// The nest a call runs is counted two calls deep: 'Scale' loops once and calls 'Norm', whose double nest makes the
    /// call beside the first loop O(n²), so the first loop is a side loop; 'Shift', one loop deep, leaves its neighbour
    /// reported. A search that stops short of the callee's callee (or bounds it too low) reports the side loop.
    /// </summary>
    [Fact]
    public Task SideLoopBesideACallWhoseCalleeRunsTheNest_IsNotReported()
        => Analyze("""
            using System;

            class C
            {
                static double[] Apply(double[,] m, double[] v)
                {
                    int n = v.Length;
                    var scaled = new double[n];
                    for (int i = 0; i < n; i++)
                    {
                        double e = Math.Exp(v[i]);
                        scaled[i] = e * Math.Log(e + 2);
                    }

                    scaled[0] += Scale(m, v);
                    return scaled;
                }

                static double[] ApplyShifted(double[] v)
                {
                    int n = v.Length;
                    var scaled = new double[n];
                    {|#0:for (int i = 0; i < n; i++)|}
                    {
                        double e = Math.Exp(v[i]);
                        scaled[i] = e * Math.Log(e + 2);
                    }

                    scaled[0] += Shift(v);
                    return scaled;
                }

                static double Scale(double[,] m, double[] v)
                {
                    double s = 0;
                    int k = 0;
                    while (k < v.Length)
                    {
                        s += v[k];
                        k++;
                    }

                    return s + Norm(m);
                }

                static double Shift(double[] v)
                {
                    double s = 0;
                    int k = 0;
                    while (k < v.Length)
                    {
                        s += v[k];
                        k++;
                    }

                    return s + First(v);
                }

                static double Norm(double[,] m)
                {
                    double norm = 0;
                    int i = 0;
                    while (i < m.GetLength(0))
                    {
                        int j = 0;
                        while (j < m.GetLength(1))
                        {
                            norm = Math.Max(norm, Math.Abs(m[i, j]));
                            j++;
                        }

                        i++;
                    }

                    return norm;
                }

                static double First(double[] v)
                {
                    int k = 0;
                    while (k < v.Length && v[k] == 0)
                    {
                        k++;
                    }

                    return k;
                }
            }
            """,
            Verify.Diagnostic().WithLocation(0).WithArguments(string.Empty, "Parallel.ForEach over index ranges", string.Empty));

    [Fact]
    public Task SideLoopBesideAnIterativeSolver_IsNotReported()
        => NotReported("""
                // The norm is O(n²); the eigenvalue iteration beside it is a while loop around an O(n²) sweep.
                static double Reduce(double[,] h, int order)
                {
                    double norm = 0;
                    for (int i = 0; i < order; i++)
                    {
                        for (int j = 0; j < order; j++)
                        {
                            norm = norm + Math.Abs(h[i, j]);
                        }
                    }

                    int n = order - 1;
                    while (n >= 0)
                    {
                        for (int i = 0; i < order; i++)
                        {
                            for (int j = 0; j < order; j++)
                            {
                                h[i, j] = (h[i, j] * 0.5) + h[(i + 1) % order, j] + norm;
                            }
                        }

                        n--;
                    }

                    return norm;
                }
            """, "using System;");

    // ---------------------------------------------------------------------------------------------------------
    // Trip counts small by construction
    // ---------------------------------------------------------------------------------------------------------

    [Fact]
    public Task LengthOfASmallLocalArray_IsNotReported()
        => NotReported("""
                static int[] Three(long seed)
                {
                    var w = new int[3];
                    for (int i = 0; i < w.Length; i++)
                    {
                        w[i] = Collatz(seed + i);
                    }

                    return w;
                }
            """);

    [Fact]
    public Task SmallStaticReadonlyTableAndMathMinBound_AreNotReported()
        => NotReported("""
                static readonly long[] Seeds = { 27, 97, 871, 6171 };
                static readonly long[] MoreSeeds = new long[] { 27, 97, 871, 6171 };

                static int[] Table()
                {
                    var result = new int[Seeds.Length];
                    for (int i = 0; i < Seeds.Length; i++)
                    {
                        result[i] = Collatz(Seeds[i]);
                    }

                    return result;
                }

                static int Longest()
                {
                    int longest = 0;
                    foreach (var seed in MoreSeeds)
                    {
                        longest = Math.Max(longest, Collatz(seed));
                    }

                    return longest;
                }

                static void FirstFew(long[] src, int[] dst)
                {
                    int count = Math.Min(src.Length, 8);
                    for (int i = 0; i < count; i++)
                    {
                        dst[i] = Collatz(src[i]);
                    }
                }
            """, "using System;");

    [Fact]
    public Task TableThatMayChangeOrGrow_IsStillReported()
        => Verify.VerifyAnalyzerAsync($$"""
            class C
            {
                static long[] seeds = { 27, 97, 871, 6171 };

                // Not readonly: any code may put a larger array there.
                static int[] Table()
                {
                    var result = new int[seeds.Length];
                    {|#0:for (int i = 0; i < seeds.Length; i++)|}
                    {
                        result[i] = Collatz(seeds[i]);
                    }

                    return result;
                }

            {{Collatz}}
            }
            """,
            Verify.Diagnostic().WithLocation(0).WithArguments(string.Empty, "Parallel.For", string.Empty));

    // ---------------------------------------------------------------------------------------------------------
    // Exceptions
    // ---------------------------------------------------------------------------------------------------------

    [Fact]
    public Task BodyThatThrows_StatementOrExpression_IsNotReported()
        => NotReported("""
                static void Validate(long[] src, int[] dst)
                {
                    for (int i = 0; i < src.Length; i++)
                    {
                        if (src[i] <= 0)
                        {
                            throw new ArgumentOutOfRangeException(nameof(src));
                        }

                        dst[i] = Collatz(src[i]);
                    }
                }

                static void ValidateInline(long[] src, int[] dst)
                {
                    for (int i = 0; i < src.Length; i++)
                    {
                        dst[i] = Collatz(src[i] > 0 ? src[i] : throw new ArgumentOutOfRangeException(nameof(src)));
                    }
                }
            """, "using System;");

    [Fact]
    public Task CalleeThatValidatesItsArgument_IsNotReported()
        => NotReported("""
                static int CheckedSteps(long n)
                {
                    if (n <= 0)
                    {
                        throw new ArgumentOutOfRangeException(nameof(n), "Value must be positive.");
                    }

                    return Collatz(n);
                }

                static void Steps(long[] src, int[] dst)
                {
                    for (int i = 0; i < src.Length; i++)
                    {
                        dst[i] = CheckedSteps(src[i]);
                    }
                }
            """, "using System;");

    [Fact]
    public Task CalleeThatThrowsThroughAValidatorAndAThrowHelper_IsNotReported()
        => Analyze("""
            using System;

            static class ThrowHelper
            {
                public static void ThrowArgumentOutOfRange(string name) => throw new ArgumentOutOfRangeException(name);
            }

            static class Guard
            {
                public static void Positive(long value, string name)
                {
                    if (value <= 0)
                    {
                        ThrowHelper.ThrowArgumentOutOfRange(name);
                    }
                }
            }

            class C
            {
                static int CheckedSteps(long n)
                {
                    Guard.Positive(n, nameof(n));
                    return Steps.Collatz(n);
                }

                static void Run(long[] src, int[] dst)
                {
                    for (int i = 0; i < src.Length; i++)
                    {
                        dst[i] = CheckedSteps(src[i]);
                    }
                }
            }
            """);

    [Fact]
    public Task BodyThatCallsABclThrowHelper_IsNotReported()
        => NotReported("""
                static void Steps(long[] src, int[] dst)
                {
                    for (int i = 0; i < src.Length; i++)
                    {
                        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(src[i]);
                        dst[i] = Collatz(src[i]);
                    }
                }
            """, "using System;");

    [Fact]
    public Task CalleeThatReportsBadInputWithoutThrowing_IsReported()
        => Verify.VerifyAnalyzerAsync($$"""
            class C
            {
                static int SafeSteps(long n) => n <= 0 ? -1 : Collatz(n);

                static void Steps(long[] src, int[] dst)
                {
                    {|#0:for (int i = 0; i < src.Length; i++)|}
                    {
                        dst[i] = SafeSteps(src[i]);
                    }
                }

            {{Collatz}}
            }
            """,
            Verify.Diagnostic().WithLocation(0).WithArguments(string.Empty, "Parallel.For", string.Empty));

    // ---------------------------------------------------------------------------------------------------------
    // NOGIL301.parallel_for_method
    // ---------------------------------------------------------------------------------------------------------

    private const string Pool = """
        namespace Scheduling
        {
            public static class Pool
            {
                public static void For(int fromInclusive, int toExclusive, System.Action<int> body)
                    => System.Threading.Tasks.Parallel.For(fromInclusive, toExclusive, body);

                public static void ForLong(long fromInclusive, long toExclusive, System.Action<long> body)
                    => System.Threading.Tasks.Parallel.For(fromInclusive, toExclusive, body);
            }
        }
        """;

    private static async Task FixWithOptions(string source, string fixedSource, string options, params DiagnosticResult[] expected)
    {
        var test = new Verify.Test { TestCode = source, FixedCode = fixedSource };
        var config = "root = true\n\n[*]\n" + options + "\n";
        test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", config));
        test.FixedState.AnalyzerConfigFiles.Add(("/.editorconfig", config));
        test.ExpectedDiagnostics.AddRange(expected);
        await test.RunAsync(CancellationToken.None);
    }

    [Fact]
    public Task ParallelForMethodOption_TheFixCallsTheProjectsHelper()
        => FixWithOptions($$"""
            {{Pool}}

            class C
            {
                static void Run(long[] src, int[] dst)
                {
                    {|#0:for (int i = 0; i < src.Length; i++)|}
                    {
                        dst[i] = Collatz(src[i]);
                    }
                }

            {{Collatz}}
            }
            """, $$"""
            using Scheduling;

            {{Pool}}

            class C
            {
                static void Run(long[] src, int[] dst)
                {
                    Pool.For(0, src.Length, i =>
                    {
                        dst[i] = Collatz(src[i]);
                    });
                }

            {{Collatz}}
            }
            """,
            """
            NOGIL301.parallel_for_method = Scheduling.Pool.For
            """,
            Verify.Diagnostic().WithLocation(0).WithArguments(string.Empty, "Pool.For", string.Empty));

    [Theory]
    [InlineData("Scheduling.Pool.ForLong")] // another signature
    [InlineData("Scheduling.Pool.Missing")] // no such method
    [InlineData("Scheduling.Nowhere.For")] // no such type
    [InlineData("For")] // not a qualified name
    [InlineData("Scheduling..For")] // not even well-formed
    public Task ParallelForMethodOption_AValueThatNamesNoSuchHelper_FallsBackToParallelFor(string value)
        => FixWithOptions($$"""
            {{Pool}}

            class C
            {
                static void Run(long[] src, int[] dst)
                {
                    {|#0:for (int i = 0; i < src.Length; i++)|}
                    {
                        dst[i] = Collatz(src[i]);
                    }
                }

            {{Collatz}}
            }
            """, $$"""
            using System.Threading.Tasks;

            {{Pool}}

            class C
            {
                static void Run(long[] src, int[] dst)
                {
                    Parallel.For(0, src.Length, i =>
                    {
                        dst[i] = Collatz(src[i]);
                    });
                }

            {{Collatz}}
            }
            """,
            "NOGIL301.parallel_for_method = " + value,
            Verify.Diagnostic().WithLocation(0).WithArguments(string.Empty, "Parallel.For", string.Empty));

    [Fact]
    public Task ParallelForMethodOption_TheHelpersOwnLambdasAreParallelContext()
        => AnalyzeWithOptions("""
            namespace Scheduling
            {
                public static class Pool
                {
                    // Stands for a scheduler the analysis cannot see into: the option says it runs the body in parallel.
                    public static void For(int fromInclusive, int toExclusive, System.Action<int> body)
                    {
                        for (int i = fromInclusive; i < toExclusive; i++)
                        {
                            body(i);
                        }
                    }
                }
            }

            class C
            {
                static void Rows(long[][] src, int[][] dst)
                {
                    Scheduling.Pool.For(0, src.Length, r =>
                    {
                        long[] s = src[r];
                        int[] d = dst[r];
                        for (int i = 0; i < s.Length; i++)
                        {
                            d[i] = Steps.Collatz(s[i]);
                        }
                    });
                }
            }
            """,
            "NOGIL301.parallel_for_method = Scheduling.Pool.For");
}
