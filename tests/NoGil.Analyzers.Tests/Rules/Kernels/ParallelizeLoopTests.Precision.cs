using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using Verify = NoGil.Analyzers.Tests.Infrastructure.CodeFixVerifier<
    NoGil.Analyzers.Rules.Kernels.ParallelizeLoopAnalyzer,
    NoGil.CodeFixes.Rules.Kernels.ParallelizeLoopFixer>;

namespace NoGil.Analyzers.Tests.Rules.Kernels;

/// <summary>
/// Signals from the judged study of five public repositories (docs/precision.md): each minimized snippet of a "not worth
/// taking" report must not be flagged, and a shape next to it that an expert takes still is.
/// </summary>
public sealed partial class ParallelizeLoopTests
{
    private static DiagnosticResult PerIndex(int location) => Verify.Diagnostic().WithLocation(location).WithArguments(string.Empty, "Parallel.For", string.Empty);

    private static DiagnosticResult Ranges(int location) => Verify.Diagnostic().WithLocation(location).WithArguments(string.Empty, "Parallel.ForEach over index ranges", string.Empty);

    // ---------------------------------------------------------------------------------------------------------
    // Copy, convert and fill nests are bound by memory (Math.NET DenseColumnMajorMatrixStorage, SparseCompressedRow;
    // FamiStudio Grid; ImageSharp TIFF predictor and CieLab16 planar decoding)
    // ---------------------------------------------------------------------------------------------------------

    [Fact]
    public Task TransposingCopyNest_IndexArithmeticIsNoWork_NotReported()
        => NotReported("""
                static T[] OfRowMajorArray<T>(int rows, int columns, T[] data)
                {
                    T[] ret = new T[rows * columns];
                    for (int i = 0; i < rows; i++)
                    {
                        int offset = i * columns;
                        for (int j = 0; j < columns; j++)
                        {
                            ret[(j * rows) + i] = data[offset + j];
                        }
                    }

                    return ret;
                }

                static int[] ColumnIndicesOfDense(int rows, int columns)
                {
                    var columnIndices = new int[rows * columns];
                    for (int row = 0; row < rows; row++)
                    {
                        int offset = row * columns;
                        for (int col = 0; col < columns; col++)
                        {
                            columnIndices[offset + col] = col;
                        }
                    }

                    return columnIndices;
                }
            """);

    [Fact]
    public Task CopyGuardedByIndexCompares_NotReported()
        => NotReported("""
                static bool[,] Grow(bool[,] old, int rows, int columns)
                {
                    var grown = new bool[rows, columns];
                    for (var i = 0; i < grown.GetLength(0); i++)
                    {
                        for (var j = 0; j < grown.GetLength(1); j++)
                        {
                            if (i < old.GetLength(0) && j < old.GetLength(1))
                            {
                                grown[i, j] = old[i, j];
                            }
                        }
                    }

                    return grown;
                }
            """);

    [Fact]
    public Task RowCallIntoARunningSumOfLoads_NotReported()
        => NotReported("""
                static void UndoRow(Span<byte> pixelBytes, int width, int y)
                {
                    int rowBytesCount = width * 2;
                    Span<byte> row = pixelBytes.Slice(y * rowBytesCount, rowBytesCount);
                    ushort value = BinaryPrimitives.ReadUInt16BigEndian(row.Slice(0, 2));
                    int offset = 2;
                    for (int x = 1; x < width; x++)
                    {
                        Span<byte> s = row.Slice(offset, 2);
                        value += BinaryPrimitives.ReadUInt16BigEndian(s);
                        BinaryPrimitives.WriteUInt16BigEndian(s, value);
                        offset += 2;
                    }
                }

                static void Undo16Bit(byte[] pixelBytes, int width)
                {
                    int height = pixelBytes.Length / (width * 2);
                    for (int y = 0; y < height; y++)
                    {
                        UndoRow(pixelBytes, width, y);
                    }
                }
            """, "using System;\nusing System.Buffers.Binary;");

    // A loop over rows that calls a dot product is bound by memory whether the dot product is scalar or vectorized: the
    // Vector<T> loop NOGIL303's fix writes reads its elements through vector loads, not element accesses, and must not
    // make the caller look heavy (the samples' scenario: a second dotnet format pass parallelized the caller).
    private const string ScoreCaller = """
                static double[] Score(double[] input, double[][] weights)
                {
                    var scores = new double[weights.Length];
                    for (var f = 0; f < weights.Length; f++)
                    {
                        scores[f] = Dot(input, weights[f]);
                    }

                    return scores;
                }
        """;

    [Fact]
    public Task RowCallIntoAScalarDotProduct_NotReported()
        => NotReported(ScoreCaller + """

                static double Dot(double[] a, double[] b)
                {
                    double sum = 0;
                    for (int i = 0; i < a.Length; i++)
                    {
                        sum += a[i] * b[i];
                    }

                    return sum;
                }
            """);

    [Fact]
    public Task RowCallIntoAVectorizedDotProduct_NotReported()
        => NotReported(ScoreCaller + """

                static double Dot(double[] a, double[] b)
                {
                    double sum = 0;
                    int i = 0;
                    var vsum = Vector<double>.Zero;
                    for (; i <= a.Length - Vector<double>.Count; i += Vector<double>.Count)
                    {
                        vsum += new Vector<double>(a, i) * new Vector<double>(b, i);
                    }
                    sum += Vector.Sum(vsum);
                    for (; i < a.Length; i++)
                    {
                        sum += a[i] * b[i];
                    }

                    return sum;
                }
            """, "using System.Numerics;");

    [Fact]
    public Task RowCallIntoAVectorLoopThatComputesPerLane_Reported()
        => Verify.VerifyAnalyzerAsync("""
            using System.Numerics;
            class C
            {
                static double[] Score(double[] input, double[][] weights)
                {
                    var scores = new double[weights.Length];
                    {|#0:for (var f = 0; f < weights.Length; f++)|}
                    {
                        scores[f] = Polynomial(input, weights[f]);
                    }

                    return scores;
                }

                static double Polynomial(double[] a, double[] b)
                {
                    var vsum = Vector<double>.Zero;
                    for (int i = 0; i <= a.Length - Vector<double>.Count; i += Vector<double>.Count)
                    {
                        var x = new Vector<double>(a, i);
                        var y = new Vector<double>(b, i);
                        vsum += (((((((x * y) + x) * y) + x) * y) + x) * y) + x;
                    }

                    return Vector.Sum(vsum);
                }
            }
            """, PerIndex(0));

    [Fact]
    public Task CopyNestThatComputesOnTheValue_Reported()
        => Verify.VerifyAnalyzerAsync("""
            using System;
            class C
            {
                static double[] Transform(int rows, int columns, double[] data)
                {
                    var ret = new double[rows * columns];
                    {|#0:for (int i = 0; i < rows; i++)|}
                    {
                        int offset = i * columns;
                        for (int j = 0; j < columns; j++)
                        {
                            // A transcendental call per element: with a square root (7 operations) the nest, which reads
                            // each element once, would stream memory like a flat loop (StreamingNest) and not be reported.
                            ret[(j * rows) + i] = Math.Exp(data[offset + j]) * 0.5;
                        }
                    }

                    return ret;
                }
            }
            """, PerIndex(0));

    [Fact]
    public Task RowCallIntoALoopThatComputes_Reported()
        => Verify.VerifyAnalyzerAsync("""
            class C
            {
                static double RowPolynomial(double[] pixels, int width, int y)
                {
                    var s = 0.0;
                    for (int x = 0; x < width; x++)
                    {
                        var v = pixels[(y * width) + x];
                        s += ((((v * 0.3) + 0.2) * v + 0.1) * v + 0.05) * v;
                    }

                    return s;
                }

                static double[] Rows(double[] pixels, int width, int height)
                {
                    var rows = new double[height];
                    {|#0:for (int y = 0; y < height; y++)|}
                    {
                        rows[y] = RowPolynomial(pixels, width, y);
                    }

                    return rows;
                }
            }
            """, PerIndex(0));

    [Fact]
    public Task RowCallIntoARowSum_NotReported()
        => NotReported("""
                static double RowSum(double[] pixels, int width, int y)
                {
                    var s = 0.0;
                    for (int x = 0; x < width; x++)
                    {
                        s += pixels[(y * width) + x];
                    }

                    return s;
                }

                static double[] Rows(double[] pixels, int width, int height)
                {
                    var rows = new double[height];
                    for (int y = 0; y < height; y++)
                    {
                        rows[y] = RowSum(pixels, width, y);
                    }

                    return rows;
                }
            """);

    // ---------------------------------------------------------------------------------------------------------
    // One-line forwarders cost what their callee costs (NumSharp ArrayConvert.ToByte(float[]) and friends)
    // ---------------------------------------------------------------------------------------------------------

    private const string Converts = """
            static class Converts
            {
                public static int ToInt32(double value)
                {
                    if (double.IsNaN(value) || double.IsInfinity(value)) return int.MinValue;
                    double t = Math.Truncate(value);
                    if (t < int.MinValue || t > int.MaxValue) return int.MinValue;
                    return (int)t;
                }

                public static byte ToByte(double value) => unchecked((byte)ToInt32(value));

                public static byte ToByte(float value) => ToByte((double)value);

                public static double Smooth(double value) => Smoothstep(value);

                public static double Smoothstep(double x)
                {
                    var t = x < 0 ? 0 : x > 1 ? 1 : x;
                    var u = t * t * (3 - (2 * t));
                    return (u * u * (3 - (2 * u)) * 0.5) + (t * 0.25) + (u * t * 0.125) + (x * 0.0625);
                }
            }
            """;

    [Fact]
    public Task ConversionThroughOneLineForwarders_CostsWhatTheDirectCallCosts_NotReported()
        => Verify.VerifyAnalyzerAsync("""
            using System;
            class C
            {
                static int[] ToInt32(double[] source)
                {
                    var output = new int[source.Length];
                    for (int i = 0; i < source.Length; i++) output[i] = Converts.ToInt32(source[i]);
                    return output;
                }

                static byte[] ToByte(float[] source)
                {
                    var output = new byte[source.Length];
                    for (int i = 0; i < source.Length; i++) output[i] = Converts.ToByte(source[i]);
                    return output;
                }
            }
            """ + Converts);

    [Fact]
    public Task ForwarderToAHeavyCallee_Reported()
        => Verify.VerifyAnalyzerAsync("""
            using System;
            class C
            {
                static double[] Smooth(double[] source)
                {
                    var output = new double[source.Length];
                    {|#0:for (int i = 0; i < source.Length; i++)|}
                    {
                        output[i] = Converts.Smooth(source[i]);
                    }

                    return output;
                }
            }
            """ + Converts, Ranges(0));

    // ---------------------------------------------------------------------------------------------------------
    // Side loops beside a call that runs a deeper nest (Math.NET ThinQRFactor, Wishart.Density)
    // ---------------------------------------------------------------------------------------------------------

    private const string Factorizations = """
            static class Lu
            {
                public static double Determinant(double[,] a)
                {
                    int n = a.GetLength(0);
                    var lu = (double[,])a.Clone();
                    double det = 1;
                    for (int k = 0; k < n; k++)
                    {
                        det *= lu[k, k];
                        for (int i = k + 1; i < n; i++)
                        {
                            var f = lu[i, k] / lu[k, k];
                            for (int j = k; j < n; j++) lu[i, j] -= f * lu[k, j];
                        }
                    }

                    return det;
                }

                public static double Trace(double[,] a)
                {
                    double t = 0;
                    for (int k = 0; k < a.GetLength(0); k++) t += a[k, k];
                    return t;
                }
            }
            """;

    [Fact]
    public Task LoopBesideACallThatRunsADeeperNest_NotReported()
        => Verify.VerifyAnalyzerAsync("""
            class C
            {
                static int[] Density(double[,] x, long[] seeds)
                {
                    var det = Lu.Determinant(x);
                    var steps = new int[seeds.Length];
                    for (var j = 0; j < seeds.Length; j++)
                    {
                        steps[j] = Steps.Collatz(seeds[j] + (long)det);
                    }

                    return steps;
                }
            }
            """ + Factorizations + StepsClass);

    [Fact]
    public Task LoopBesideACallThatRunsAShallowerNest_Reported()
        => Verify.VerifyAnalyzerAsync("""
            class C
            {
                static int[] Density(double[,] x, long[] seeds)
                {
                    var trace = Lu.Trace(x);
                    var steps = new int[seeds.Length];
                    {|#0:for (var j = 0; j < seeds.Length; j++)|}
                    {
                        steps[j] = Steps.Collatz(seeds[j] + (long)trace);
                    }

                    return steps;
                }
            }
            """ + Factorizations + StepsClass, PerIndex(0));

    [Fact]
    public Task LoopBesideALoopThatCallsADeeperNest_NotReported()
        => Verify.VerifyAnalyzerAsync("""
            class C
            {
                static void Factor(double[][] blocks, long[] seeds, int[] steps)
                {
                    var det = 0.0;
                    for (var b = 0; b < blocks.Length; b++)
                    {
                        det = Lu.Determinant(new double[2, 2] { { blocks[b][0], blocks[b][1] }, { blocks[b][2], blocks[b][3] } }) - det;
                    }

                    for (var j = 0; j < seeds.Length; j++)
                    {
                        for (var k = 0; k < 4; k++)
                        {
                            steps[j] += Steps.Collatz(seeds[j] + k);
                        }
                    }
                }
            }
            """ + Factorizations + StepsClass);

    // ---------------------------------------------------------------------------------------------------------
    // Small by construction: a guard on the bound, a constant trip count of a light body (NumSharp LogFactorial,
    // FamiStudio EncodeAndCenterString)
    // ---------------------------------------------------------------------------------------------------------

    [Fact]
    public Task LoopGuardedBySmallBound_TotalWorkBelowBreakEven_NotReported()
        => NotReported("""
                static double LogFactorial(long k)
                {
                    if (k <= 1)
                        return 0.0;

                    if (k < 20)
                    {
                        double result = 0.0;
                        for (long i = 2; i <= k; i++)
                            result += Math.Log(i);
                        return result;
                    }

                    double kd = k;
                    return kd * Math.Log(kd) - kd + 0.5 * Math.Log(2 * Math.PI * kd);
                }
            """, "using System;");

    [Fact]
    public Task HeavyLoopGuardedBySmallBound_NotReported()
        => NotReported("""
                static void Steps(long[] seeds, int[] steps, int n)
                {
                    if (n <= 16 && n <= seeds.Length)
                    {
                        for (int i = 0; i < n; i++)
                            steps[i] = Collatz(seeds[i]);
                    }
                }
            """);

    [Fact]
    public Task HeavyLoopInTheElseOfASmallBoundGuard_Reported()
        => Verify.VerifyAnalyzerAsync("""
            class C
            {
                static void Run(long[] seeds, int[] steps, int n)
                {
                    if (n < 16)
                    {
                        return;
                    }
                    else
                    {
                        {|#0:for (int i = 0; i < n; i++)|}
                            steps[i] = Steps.Collatz(seeds[i]);
                    }
                }
            }
            """ + StepsClass, PerIndex(0));

    [Fact]
    public Task ConstantTripCountOfALightBody_BelowBreakEven_NotReported()
        => NotReported("""
                static readonly Dictionary<char, byte> SpecialCharMap = new Dictionary<char, byte> { { '.', 62 }, { ' ', 255 } };

                static byte[] EncodeAndCenterString(string s)
                {
                    const int MaxLen = 28;
                    var len = Math.Min(s.Length, MaxLen);
                    var start = (MaxLen - len) / 2;
                    var end = start + len;
                    var encoded = new byte[MaxLen];
                    for (int i = 0; i < MaxLen; i++)
                    {
                        if (i >= start && i < end)
                        {
                            char c = s[i - start];
                            if (c >= 'A' && c <= 'Z')
                                encoded[i] = (byte)(c - 'A');
                            else if (c >= 'a' && c <= 'z')
                                encoded[i] = (byte)(26 + (c - 'a'));
                            else if (c >= '0' && c <= '9')
                                encoded[i] = (byte)(52 + (c - '0'));
                            else if (SpecialCharMap.TryGetValue(c, out var val))
                                encoded[i] = val;
                            else
                                encoded[i] = SpecialCharMap[' '];
                        }
                        else
                        {
                            encoded[i] = SpecialCharMap[' '];
                        }
                    }

                    return encoded;
                }
            """, "using System;\nusing System.Collections.Generic;");

    [Fact]
    public Task ConstantTripCountAboveBreakEven_Reported()
        => Verify.VerifyAnalyzerAsync("""
            using System;
            class C
            {
                static double[] Table(double[] samples)
                {
                    const int Size = 100_000;
                    var table = new double[Size];
                    {|#0:for (int i = 0; i < Size; i++)|}
                    {
                        if (samples[i] > 0)
                            table[i] = Math.Log(samples[i]) * 2.0;
                        else
                            table[i] = Math.Exp(samples[i] * 0.001);
                    }

                    return table;
                }
            }
            """, Ranges(0));
}
