using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using NoGil.Analyzers.Tests.Infrastructure;
using Xunit;
using Verify = NoGil.Analyzers.Tests.Infrastructure.CodeFixVerifier<
    NoGil.Analyzers.Rules.Kernels.VectorizeReductionAnalyzer,
    NoGil.CodeFixes.Rules.Kernels.VectorizeReductionFixer>;

namespace NoGil.Analyzers.Tests.Rules.Kernels;

public sealed class VectorizeReductionTests
{
    private const string Reorders = " (the order of the floating-point additions changes, so rounding may differ)";

    // ---- Must flag, with the fix each one gets ----

    [Fact]
    public Task IntSum_VectorFix()
        => Verify.VerifyCodeFixAsync("""
            class C
            {
                public static int Total(int[] values)
                {
                    int total = 0;
                    {|#0:for (int i = 0; i < values.Length; i++)|}
                    {
                        total += values[i];
                    }

                    return total;
                }
            }
            """, """
            using System.Numerics;

            class C
            {
                public static int Total(int[] values)
                {
                    int total = 0;
                    int i = 0;
                    var vsum = Vector<int>.Zero;
                    for (; i <= values.Length - Vector<int>.Count; i += Vector<int>.Count)
                    {
                        vsum += new Vector<int>(values, i);
                    }
                    total += Vector.Sum(vsum);
                    for (; i < values.Length; i++)
                    {
                        total += values[i];
                    }

                    return total;
                }
            }
            """, Verify.Diagnostic().WithLocation(0).WithArguments("the sum of 'values'", "vectorize it with Vector<int>", string.Empty));

    // Pinned to netstandard2.0, which has neither Vector<T> nor TensorPrimitives: nothing to vectorize with.
    [Fact]
    public Task IntSum_IsNotReported_OnNetStandard20()
        => Verify.VerifyAnalyzerOnAsync(TestReferences.NetStandard20, """
            class C
            {
                public static int Total(int[] values)
                {
                    int total = 0;
                    for (int i = 0; i < values.Length; i++)
                    {
                        total += values[i];
                    }

                    return total;
                }
            }
            """);

    [Fact]
    public Task IntSum_TensorPrimitivesFix()
        => VerifyWithTensorsAsync("""
            class C
            {
                public static int Total(int[] values)
                {
                    int total = 0;
                    {|#0:for (int i = 0; i < values.Length; i++)|}
                    {
                        total += values[i];
                    }

                    return total;
                }
            }
            """, """
            using System.Numerics.Tensors;

            class C
            {
                public static int Total(int[] values)
                {
                    int total = 0;
                    total += TensorPrimitives.Sum<int>(values);

                    return total;
                }
            }
            """, Verify.Diagnostic().WithLocation(0).WithArguments("the sum of 'values'", "use TensorPrimitives.Sum", string.Empty));

    [Fact]
    public Task LowerBoundWithASideEffect_ReportedWithoutAFix()
    {
        // The fixes write the start in a guard, a slice and a length; 's_next++' must run once, as in the loop.
        const string Source = """
            class C
            {
                private static int s_next;

                public static int Total(int[] values)
                {
                    int total = 0;
                    {|#0:for (int i = s_next++; i < values.Length; i++)|}
                    {
                        total += values[i];
                    }

                    return total;
                }
            }
            """;
        return VerifyWithTensorsAsync(Source, Source, Verify.Diagnostic().WithLocation(0).WithArguments(
            "the sum of 'values'",
            "vectorize it (no automatic fix: the fixed code would evaluate the loop's start 's_next++' more than once)",
            string.Empty));
    }

    [Fact]
    public Task FloatSum_MessageSaysTheOrderOfAdditionsChanges()
        => VerifyInteractiveWithTensorsAsync("""
            class C
            {
                public static float Total(float[] a, int n)
                {
                    float sum = 0;
                    {|#0:for (int i = 0; i < n; i++)|}
                    {
                        sum += a[i];
                    }

                    return sum;
                }
            }
            """, """
            using System;
            using System.Numerics.Tensors;

            class C
            {
                public static float Total(float[] a, int n)
                {
                    float sum = 0;
                    if (n > 0)
                    {
                        sum += TensorPrimitives.Sum(a.AsSpan(0, n));
                    }

                    return sum;
                }
            }
            """, Verify.Diagnostic().WithLocation(0).WithArguments("the sum of 'a'", "use TensorPrimitives.Sum", Reorders));

    [Fact]
    public Task Dot_VectorFix()
        => Verify.VerifyInteractiveCodeFixAsync("""
            class C
            {
                public static double Dot(double[] a, double[] b)
                {
                    double dot = 0;
                    {|#0:for (int i = 0; i < a.Length; i++)|}
                        dot += a[i] * b[i];
                    return dot;
                }
            }
            """, """
            using System.Numerics;

            class C
            {
                public static double Dot(double[] a, double[] b)
                {
                    double dot = 0;
                    int i = 0;
                    var vsum = Vector<double>.Zero;
                    for (; i <= a.Length - Vector<double>.Count; i += Vector<double>.Count)
                    {
                        vsum += new Vector<double>(a, i) * new Vector<double>(b, i);
                    }
                    dot += Vector.Sum(vsum);
                    for (; i < a.Length; i++)
                        dot += a[i] * b[i];
                    return dot;
                }
            }
            """, Verify.Diagnostic().WithLocation(0).WithArguments("the dot product of 'a' and 'b'", "vectorize it with Vector<double>", Reorders));

    [Fact]
    public Task Dot_TensorPrimitivesFix_SlicesTheSecondOperandToTheLoopsRange()
        => VerifyInteractiveWithTensorsAsync("""
            class C
            {
                public static float Dot(float[] a, float[] b)
                {
                    float dot = 0;
                    [|for (int i = 0; i < a.Length; i++)|]
                    {
                        dot += a[i] * b[i];
                    }

                    return dot;
                }
            }
            """, """
            using System;
            using System.Numerics.Tensors;

            class C
            {
                public static float Dot(float[] a, float[] b)
                {
                    float dot = 0;
                    dot += TensorPrimitives.Dot(a, b.AsSpan(0, a.Length));

                    return dot;
                }
            }
            """);

    [Fact]
    public Task SumOfSquares_OverASpan_TensorPrimitivesFix()
        => VerifyInteractiveWithTensorsAsync("""
            using System;

            class C
            {
                public static double Energy(ReadOnlySpan<double> samples, int start)
                {
                    double energy = 0;
                    [|for (int i = start; i < samples.Length; i++)|]
                    {
                        energy += samples[i] * samples[i];
                    }

                    return energy;
                }
            }
            """, """
            using System;
            using System.Numerics.Tensors;

            class C
            {
                public static double Energy(ReadOnlySpan<double> samples, int start)
                {
                    double energy = 0;
                    if (samples.Length > start)
                    {
                        energy += TensorPrimitives.SumOfSquares<double>(samples.Slice(start, samples.Length - start));
                    }

                    return energy;
                }
            }
            """);

    [Fact]
    public Task SumOfSquares_VectorFix()
        => Verify.VerifyCodeFixAsync("""
            class C
            {
                public static long Norm2(long[] v)
                {
                    long s = 0;
                    [|for (int k = 0; k < v.Length; k++)|]
                    {
                        s += v[k] * v[k];
                    }

                    return s;
                }
            }
            """, """
            using System.Numerics;

            class C
            {
                public static long Norm2(long[] v)
                {
                    long s = 0;
                    int k = 0;
                    var vsum = Vector<long>.Zero;
                    for (; k <= v.Length - Vector<long>.Count; k += Vector<long>.Count)
                    {
                        var v2 = new Vector<long>(v, k);
                        vsum += v2 * v2;
                    }
                    s += Vector.Sum(vsum);
                    for (; k < v.Length; k++)
                    {
                        s += v[k] * v[k];
                    }

                    return s;
                }
            }
            """);

    [Fact]
    public Task SumOfMagnitudes_ForEach_TensorPrimitivesFix()
        => VerifyInteractiveWithTensorsAsync("""
            using System;

            class C
            {
                public static double L1(double[] v)
                {
                    double s = 0;
                    [|foreach (var x in v)|]
                    {
                        s += Math.Abs(x);
                    }

                    return s;
                }
            }
            """, """
            using System;
            using System.Numerics.Tensors;

            class C
            {
                public static double L1(double[] v)
                {
                    double s = 0;
                    s += TensorPrimitives.SumOfMagnitudes<double>(v);

                    return s;
                }
            }
            """);

    [Fact]
    public Task MathMax_Float_TensorPrimitivesFix_GuardsTheEmptyRange()
        => VerifyWithTensorsAsync("""
            using System;

            class C
            {
                public static float Peak(float[] a)
                {
                    float max = float.NegativeInfinity;
                    {|#0:for (int i = 0; i < a.Length; i++)|}
                    {
                        max = MathF.Max(max, a[i]);
                    }

                    return max;
                }
            }
            """, """
            using System;
            using System.Numerics.Tensors;

            class C
            {
                public static float Peak(float[] a)
                {
                    float max = float.NegativeInfinity;
                    if (a.Length > 0)
                    {
                        max = MathF.Max(max, TensorPrimitives.Max(a));
                    }

                    return max;
                }
            }
            """, Verify.Diagnostic().WithLocation(0).WithArguments("the maximum of 'a'", "use TensorPrimitives.Max", string.Empty));

    [Fact]
    public Task MathMin_Int_ArgumentsSwapped_VectorFix()
        => Verify.VerifyCodeFixAsync("""
            using System;

            class C
            {
                public static int Lowest(int[] a, int floor)
                {
                    int min = floor;
                    {|#0:for (int i = 0; i < a.Length; i++)|}
                    {
                        min = Math.Min(a[i], min);
                    }

                    return min;
                }
            }
            """, """
            using System;
            using System.Numerics;

            class C
            {
                public static int Lowest(int[] a, int floor)
                {
                    int min = floor;
                    int i = 0;
                    var vmin = new Vector<int>(min);
                    for (; i <= a.Length - Vector<int>.Count; i += Vector<int>.Count)
                    {
                        vmin = Vector.Min(vmin, new Vector<int>(a, i));
                    }
                    for (int lane = 0; lane < Vector<int>.Count; lane++)
                    {
                        min = Math.Min(min, vmin[lane]);
                    }
                    for (; i < a.Length; i++)
                    {
                        min = Math.Min(a[i], min);
                    }

                    return min;
                }
            }
            """, Verify.Diagnostic().WithLocation(0).WithArguments("the minimum of 'a'", "vectorize it with Vector<int>", string.Empty));

    [Fact]
    public Task CompareMax_Int_TensorPrimitivesFix_IsAMathMax()
        => VerifyWithTensorsAsync("""
            class C
            {
                public static int Highest(int[] a)
                {
                    int max = int.MinValue;
                    [|for (int i = 0; i < a.Length; i++)|]
                    {
                        if (a[i] > max)
                        {
                            max = a[i];
                        }
                    }

                    return max;
                }
            }
            """, """
            using System;
            using System.Numerics.Tensors;

            class C
            {
                public static int Highest(int[] a)
                {
                    int max = int.MinValue;
                    if (a.Length > 0)
                    {
                        max = Math.Max(max, TensorPrimitives.Max<int>(a));
                    }

                    return max;
                }
            }
            """);

    [Fact]
    public Task CompareMax_Float_VectorFix_IgnoresNaNAndLetsTheLoopDecideZeros()
        => VerifyWithTensorsAsync("""
            class C
            {
                public static float Highest(float[] a)
                {
                    float max = float.NegativeInfinity;
                    [|for (int i = 0; i < a.Length; i++)|]
                    {
                        if (a[i] > max) max = a[i];
                    }

                    return max;
                }
            }
            """, """
            using System.Numerics;

            class C
            {
                public static float Highest(float[] a)
                {
                    float max = float.NegativeInfinity;
                    int i = 0;
                    var vmax = new Vector<float>(max);
                    for (; i <= a.Length - Vector<float>.Count; i += Vector<float>.Count)
                    {
                        var v = new Vector<float>(a, i);
                        vmax = Vector.ConditionalSelect(Vector.GreaterThan(v, vmax), v, vmax);
                    }
                    var vectorMax = max;
                    for (int lane = 0; lane < Vector<float>.Count; lane++)
                    {
                        if (vmax[lane] > vectorMax)
                        {
                            vectorMax = vmax[lane];
                        }
                    }

                    // Equal non-zero values have the same bits; for a zero, whether +0 or -0 came first decides: let the loop below redo the range.
                    if (vectorMax != 0)
                    {
                        max = vectorMax;
                    }
                    else
                    {
                        i = 0;
                    }
                    for (; i < a.Length; i++)
                    {
                        if (a[i] > max) max = a[i];
                    }

                    return max;
                }
            }
            """);

    [Fact]
    public Task CountAboveThreshold_VectorFix()
        => Verify.VerifyCodeFixAsync("""
            class C
            {
                public static int CountAbove(float[] a, float t)
                {
                    int count = 0;
                    {|#0:for (int i = 0; i < a.Length; i++)|}
                    {
                        if (a[i] > t) count++;
                    }

                    return count;
                }
            }
            """, """
            using System.Numerics;

            class C
            {
                public static int CountAbove(float[] a, float t)
                {
                    int count = 0;
                    int i = 0;
                    var threshold = new Vector<float>(t);
                    var vcount = Vector<int>.Zero;
                    for (; i <= a.Length - Vector<float>.Count; i += Vector<float>.Count)
                    {
                        // A matching lane is -1 (all bits set): subtracting the mask counts it.
                        vcount -= Vector.GreaterThan(new Vector<float>(a, i), threshold);
                    }
                    count += Vector.Sum(vcount);
                    for (; i < a.Length; i++)
                    {
                        if (a[i] > t) count++;
                    }

                    return count;
                }
            }
            """, Verify.Diagnostic().WithLocation(0).WithArguments("how many elements of 'a' are > t", "vectorize it with Vector<float>", string.Empty));

    [Fact]
    public Task HoistedIndex_IsRenamedWhenTheBlockUsesTheNameAgain()
        => Verify.VerifyCodeFixAsync("""
            class C
            {
                public static int Total(int[] a, int[] b)
                {
                    int total = 0;
                    [|for (int i = 0; i < a.Length; i++)|]
                    {
                        total += a[i];
                    }

                    for (int i = 0; i < 4; i++)
                    {
                        b[i] = total;
                    }

                    return total;
                }
            }
            """, """
            using System.Numerics;

            class C
            {
                public static int Total(int[] a, int[] b)
                {
                    int total = 0;
                    int i2 = 0;
                    var vsum = Vector<int>.Zero;
                    for (; i2 <= a.Length - Vector<int>.Count; i2 += Vector<int>.Count)
                    {
                        vsum += new Vector<int>(a, i2);
                    }
                    total += Vector.Sum(vsum);
                    for (; i2 < a.Length; i2++)
                    {
                        total += a[i2];
                    }

                    for (int i = 0; i < 4; i++)
                    {
                        b[i] = total;
                    }

                    return total;
                }
            }
            """);

    [Fact]
    public Task FloatMathMax_WithoutTensorPrimitives_IsReportedWithoutAFix()
        => Verify.VerifyNoCodeFixAsync("""
            using System;

            class C
            {
                public static double Peak(double[] a)
                {
                    double max = double.NegativeInfinity;
                    {|#0:for (int i = 0; i < a.Length; i++)|}
                    {
                        max = Math.Max(max, a[i]);
                    }

                    return max;
                }
            }
            """, Verify.Diagnostic().WithLocation(0).WithArguments("the maximum of 'a'", "TensorPrimitives.Max gives the same NaN and ±0 results as Math.Max (reference System.Numerics.Tensors for the fix)", string.Empty));

    [Fact]
    public Task BoundThatMayBeNegative_WithoutTensorPrimitives_IsReportedWithoutAFix()
        => Verify.VerifyNoCodeFixAsync("""
            class C
            {
                public static int Total(int[] a, int n)
                {
                    int total = 0;
                    [|for (int i = 0; i < n; i++)|]
                    {
                        total += a[i];
                    }

                    return total;
                }
            }
            """);

    [Fact]
    public Task ReassociationOptionFalse_StillReportsExactReductions()
    {
        var test = new Verify.Test
        {
            TestCode = """
                class C
                {
                    public static int Total(int[] a)
                    {
                        int total = 0;
                        [|for (int i = 0; i < a.Length; i++)|]
                        {
                            total += a[i];
                        }

                        return total;
                    }
                }
                """,
            FixedCode = """
                using System.Numerics;

                class C
                {
                    public static int Total(int[] a)
                    {
                        int total = 0;
                        int i = 0;
                        var vsum = Vector<int>.Zero;
                        for (; i <= a.Length - Vector<int>.Count; i += Vector<int>.Count)
                        {
                            vsum += new Vector<int>(a, i);
                        }
                        total += Vector.Sum(vsum);
                        for (; i < a.Length; i++)
                        {
                            total += a[i];
                        }

                        return total;
                    }
                }
                """,
        };
        test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", """
            root = true

            [*]
            NOGIL303.allow_float_reassociation = false
            """));
        return test.RunAsync(CancellationToken.None);
    }

    // ---- Must not flag ----

    [Fact]
    public Task DotOverAParamsArray_SmallByNature_NotFlagged()
        => Verify.VerifyAnalyzerAsync("""
            struct Shape
            {
                private readonly long[] strides;
                private readonly long offset;

                public Shape(long[] strides, long offset) { this.strides = strides; this.offset = offset; }

                // The callers write the indices as an argument list (one per axis): a handful by nature (NumSharp Shape).
                public readonly long GetOffsetSimple(params long[] indices)
                {
                    long off = offset;
                    unchecked
                    {
                        for (int i = 0; i < indices.Length; i++)
                            off += indices[i] * strides[i];
                    }

                    return off;
                }
            }
            """);

    /// <summary>
    /// NumSharp Shape.GetSubshape (judged not worth taking): the params array is replaced by its own copy before the
    /// loop (to change elements without touching the caller's array) — the copy has the argument list's length.
    /// </summary>
    [Fact]
    public Task DotOverAParamsArrayReplacedByItsClone_NotFlagged()
        => Verify.VerifyAnalyzerAsync("""
            struct Shape
            {
                private readonly long[] strides;
                private readonly long[] dimensions;
                private readonly long offset;

                public Shape(long[] strides, long[] dimensions, long offset) { this.strides = strides; this.dimensions = dimensions; this.offset = offset; }

                public readonly long GetSubshape(params long[] indicies)
                {
                    var dim = indicies.Length;
                    indicies = (long[])indicies.Clone();
                    for (int i = 0; i < dim; i++)
                        indicies[i] = indicies[i] % dimensions[i];

                    long off = this.offset;
                    for (int i = 0; i < dim; i++)
                        off += strides[i] * indicies[i];

                    return off;
                }
            }
            """);

    /// <summary>Kept: a params array replaced by another array (here the caller's strides) has that array's length.</summary>
    [Fact]
    public Task DotOverAParamsArrayReplacedByAnother_Flagged()
        => Verify.VerifyAnalyzerAsync("""
            struct Shape
            {
                private readonly long[] strides;
                private readonly long offset;

                public Shape(long[] strides, long offset) { this.strides = strides; this.offset = offset; }

                public readonly long GetOffset(long[] all, params long[] indices)
                {
                    if (indices.Length == 0)
                        indices = all;

                    long off = offset;
                    unchecked
                    {
                        {|#0:for (int i = 0; i < indices.Length; i++)|}
                            off += indices[i] * strides[i];
                    }

                    return off;
                }
            }
            """, Verify.Diagnostic().WithLocation(0).WithArguments("the dot product of 'indices' and 'strides'", "vectorize it with Vector<long>", string.Empty));

    [Fact]
    public Task DotOverAnArrayParameter_Flagged()
        => Verify.VerifyAnalyzerAsync("""
            struct Shape
            {
                private readonly long[] strides;
                private readonly long offset;

                public Shape(long[] strides, long offset) { this.strides = strides; this.offset = offset; }

                public readonly long GetOffset(long[] indices)
                {
                    long off = offset;
                    unchecked
                    {
                        {|#0:for (int i = 0; i < indices.Length; i++)|}
                            off += indices[i] * strides[i];
                    }

                    return off;
                }
            }
            """, Verify.Diagnostic().WithLocation(0).WithArguments("the dot product of 'indices' and 'strides'", "vectorize it with Vector<long>", string.Empty));

    [Fact]
    public Task FloatSum_ReassociationOptionFalse_NotFlagged()
    {
        var test = new Verify.Test
        {
            TestCode = """
                class C
                {
                    public static float Total(float[] a)
                    {
                        float total = 0;
                        for (int i = 0; i < a.Length; i++)
                        {
                            total += a[i];
                        }

                        return total;
                    }
                }
                """,
        };
        test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", """
            root = true

            [*]
            NOGIL303.allow_float_reassociation = false
            """));
        return test.RunAsync(CancellationToken.None);
    }

    [Fact]
    public Task PrefixSum_NotFlagged()
        => Verify.VerifyAnalyzerAsync("""
            class C
            {
                public static void Prefix(int[] a, int[] b)
                {
                    for (int i = 1; i < a.Length; i++)
                    {
                        a[i] = a[i - 1] + b[i];
                    }
                }
            }
            """);

    [Fact]
    public Task RunningSumStoredEveryIteration_NotFlagged()
        => Verify.VerifyAnalyzerAsync("""
            class C
            {
                public static void Running(int[] a, int[] sums)
                {
                    int s = 0;
                    for (int i = 0; i < a.Length; i++)
                    {
                        s += a[i];
                        sums[i] = s;
                    }
                }
            }
            """);

    [Fact]
    public Task Break_NotFlagged()
        => Verify.VerifyAnalyzerAsync("""
            class C
            {
                public static int SumUntilNegative(int[] a)
                {
                    int s = 0;
                    for (int i = 0; i < a.Length; i++)
                    {
                        if (a[i] < 0) break;
                        s += a[i];
                    }

                    return s;
                }
            }
            """);

    [Fact]
    public Task Return_NotFlagged()
        => Verify.VerifyAnalyzerAsync("""
            class C
            {
                public static int SumOrFail(int[] a)
                {
                    int s = 0;
                    for (int i = 0; i < a.Length; i++)
                    {
                        if (a[i] < 0) return -1;
                        s += a[i];
                    }

                    return s;
                }
            }
            """);

    [Fact]
    public Task ImpureCall_NotFlagged()
        => Verify.VerifyAnalyzerAsync("""
            using System;

            class C
            {
                public static double NoisySum(double[] a, Random random)
                {
                    double s = 0;
                    for (int i = 0; i < a.Length; i++)
                    {
                        s += a[i] * random.NextDouble();
                    }

                    return s;
                }
            }
            """);

    [Fact]
    public Task CheckedSum_NotFlagged()
        => Verify.VerifyAnalyzerAsync("""
            class C
            {
                public static int Total(int[] a)
                {
                    int s = 0;
                    for (int i = 0; i < a.Length; i++)
                    {
                        s = checked(s + a[i]);
                    }

                    return s;
                }

                public static long Total(long[] a)
                {
                    long s = 0;
                    checked
                    {
                        for (int i = 0; i < a.Length; i++)
                        {
                            s += a[i];
                        }
                    }

                    return s;
                }
            }
            """);

    [Fact]
    public Task ConstantTripCountOfAtMost16_NotFlagged()
        => Verify.VerifyAnalyzerAsync("""
            class C
            {
                public static int Total(int[] a)
                {
                    int s = 0;
                    for (int i = 0; i < 16; i++)
                    {
                        s += a[i];
                    }

                    return s;
                }
            }
            """);

    [Fact]
    public Task VolatileRead_NotFlagged()
        => Verify.VerifyAnalyzerAsync("""
            class C
            {
                private volatile int _bias;

                public int Total(int[] a)
                {
                    int s = 0;
                    for (int i = 0; i < a.Length; i++)
                    {
                        s += a[i] * _bias;
                    }

                    return s;
                }

                public int CountAbove(int[] a)
                {
                    int count = 0;
                    for (int i = 0; i < a.Length; i++)
                    {
                        if (a[i] > _bias) count++;
                    }

                    return count;
                }
            }
            """);

    [Fact]
    public Task FieldAccumulator_NotFlagged()
        => Verify.VerifyAnalyzerAsync("""
            class C
            {
                private long _total;

                public void Add(long[] a)
                {
                    for (int i = 0; i < a.Length; i++)
                    {
                        _total += a[i];
                    }
                }
            }
            """);

    [Fact]
    public Task WideningSum_NotFlagged()
        => Verify.VerifyAnalyzerAsync("""
            class C
            {
                // Each int is widened before the addition: a Vector<int> sum would wrap where this does not.
                public static long Total(int[] a)
                {
                    long s = 0;
                    for (int i = 0; i < a.Length; i++)
                    {
                        s += a[i];
                    }

                    return s;
                }

                public static int Bytes(byte[] a)
                {
                    int s = 0;
                    for (int i = 0; i < a.Length; i++)
                    {
                        s += a[i];
                    }

                    return s;
                }
            }
            """);

    [Fact]
    public Task IntegerSumOfMagnitudes_NotFlagged()
        => Verify.VerifyAnalyzerAsync("""
            using System;

            class C
            {
                // Math.Abs(int.MinValue) throws: not a vectorizable sum of magnitudes.
                public static int L1(int[] a)
                {
                    int s = 0;
                    for (int i = 0; i < a.Length; i++)
                    {
                        s += Math.Abs(a[i]);
                    }

                    return s;
                }
            }
            """);

    [Fact]
    public Task InductionWritten_NotFlagged()
        => Verify.VerifyAnalyzerAsync("""
            class C
            {
                public static int EveryOther(int[] a)
                {
                    int s = 0;
                    for (int i = 0; i < a.Length; i++)
                    {
                        s += a[i++];
                    }

                    return s;
                }
            }
            """);

    [Fact]
    public Task OffsetIndex_NotFlagged()
        => Verify.VerifyAnalyzerAsync("""
            class C
            {
                public static int Differences(int[] a)
                {
                    int s = 0;
                    for (int i = 0; i < a.Length - 1; i++)
                    {
                        s += a[i + 1];
                    }

                    return s;
                }
            }
            """);

    private static Task VerifyWithTensorsAsync(string source, string fixedSource, params DiagnosticResult[] expected)
        => VerifyWithTensorsAsync(source, fixedSource, interactive: false, expected);

    /// <summary>A floating-point reassociation: the light-bulb fix gives <paramref name="fixedSource"/>, Fix All (by default <c>interactive</c>) leaves the source.</summary>
    private static Task VerifyInteractiveWithTensorsAsync(string source, string fixedSource, params DiagnosticResult[] expected)
        => VerifyWithTensorsAsync(source, fixedSource, interactive: true, expected);

    private static Task VerifyWithTensorsAsync(string source, string fixedSource, bool interactive, DiagnosticResult[] expected)
    {
        var test = new Verify.Test { TestCode = source, FixedCode = fixedSource };
        if (interactive)
        {
            test.BatchFixedCode = source;
            test.BatchFixedState.AdditionalReferences.Add(TestReferences.Tensors);
            test.BatchFixedState.ExpectedDiagnostics.AddRange(expected);
            test.BatchFixedState.MarkupHandling = MarkupMode.Allow;
        }

        test.TestState.AdditionalReferences.Add(TestReferences.Tensors);
        test.FixedState.AdditionalReferences.Add(TestReferences.Tensors);
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync(CancellationToken.None);
    }

    [Fact]
    public Task SideLoopBesideADeeperNest_NotFlagged()
        => Verify.VerifyAnalyzerAsync("""
            class C
            {
                // Math.NET's infinity norm: the O(rows) maximum runs after the O(rows × columns) sums.
                public static double InfinityNorm(int rows, int columns, double[] matrix)
                {
                    var r = new double[rows];
                    for (var j = 0; j < columns; j++)
                    {
                        for (var i = 0; i < rows; i++)
                        {
                            r[i] += System.Math.Abs(matrix[(j * rows) + i]);
                        }
                    }

                    var max = r[0];
                    for (int i = 0; i < r.Length; i++)
                    {
                        if (r[i] > max)
                        {
                            max = r[i];
                        }
                    }

                    return max;
                }
            }
            """);
}
