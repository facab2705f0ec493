using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using NoGil.Analyzers.Tests.Infrastructure;
using NoGil.CodeFixes.Rules.Kernels;
using Xunit;
using Verify = NoGil.Analyzers.Tests.Infrastructure.CodeFixVerifier<
    NoGil.Analyzers.Rules.Kernels.VectorizeLoopAnalyzer,
    NoGil.CodeFixes.Rules.Kernels.VectorizeLoopFixer>;

namespace NoGil.Analyzers.Tests.Rules.Kernels;

public sealed class VectorizeLoopTests
{
    private const string VectorOnly = "a Vector<{0}> loop computes the same results several at a time";

    private static DiagnosticResult Vectorizable(string type, string how) => Verify.Diagnostic().WithLocation(0).WithArguments(type, how);

    private static DiagnosticResult VectorLoop(string type) => Vectorizable(type, string.Format(System.Globalization.CultureInfo.InvariantCulture, VectorOnly, type));

    private static DiagnosticResult Both(string type, string method)
        => Vectorizable(type, $"TensorPrimitives.{method} or a Vector<{type}> loop computes the same results several at a time");

    /// <summary>A fix test with System.Numerics.Tensors referenced, applying the action with <paramref name="key"/>.</summary>
    private static Task VerifyWithTensorsAsync(string source, string fixedSource, string key, params DiagnosticResult[] expected)
    {
        var test = new Verify.Test { TestCode = source, FixedCode = fixedSource, CodeActionEquivalenceKey = key };
        test.TestState.AdditionalReferences.Add(TestReferences.Tensors);
        test.FixedState.AdditionalReferences.Add(TestReferences.Tensors);
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync(CancellationToken.None);
    }

    private static Task VerifyAnalyzerWithTensorsAsync(string source, string? editorConfig = null, params DiagnosticResult[] expected)
    {
        var test = new Verify.Test { TestCode = source };
        test.TestState.AdditionalReferences.Add(TestReferences.Tensors);
        if (editorConfig is not null)
        {
            test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", editorConfig));
        }

        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync(CancellationToken.None);
    }

    // ----- Must flag -----

    [Fact]
    public Task Saxpy_VectorLoop()
        => Verify.VerifyCodeFixAsync("""
            class C
            {
                static void Saxpy(float a, float[] x, float[] y)
                {
                    {|#0:for (int i = 0; i < y.Length; i++)|}
                    {
                        y[i] = a * x[i] + y[i];
                    }
                }
            }
            """, """
            using System.Numerics;

            class C
            {
                static void Saxpy(float a, float[] x, float[] y)
                {
                    int i = 0;
                    for (; i <= y.Length - Vector<float>.Count; i += Vector<float>.Count)
                    {
                        var vx = new Vector<float>(x, i);
                        var vy = new Vector<float>(y, i);
                        (a * vx + vy).CopyTo(y, i);
                    }

                    for (; i < y.Length; i++)
                    {
                        y[i] = a * x[i] + y[i];
                    }
                }
            }
            """, VectorLoop("float"));

    [Fact]
    public Task Saxpy_WithTensors_MultiplyAdd()
        => VerifyWithTensorsAsync("""
            class C
            {
                static void Saxpy(float a, float[] x, float[] y)
                {
                    {|#0:for (int i = 0; i < y.Length; i++)|}
                    {
                        y[i] = a * x[i] + y[i];
                    }
                }
            }
            """, """
            using System;
            using System.Numerics.Tensors;

            class C
            {
                static void Saxpy(float a, float[] x, float[] y)
                {
                    TensorPrimitives.MultiplyAdd(x.AsSpan(0, y.Length), a, y, y);
                }
            }
            """, VectorizeLoopFixer.TensorPrimitivesKey, Both("float", "MultiplyAdd"));

    [Fact]
    public Task AddFloat_VectorLoop()
        => Verify.VerifyCodeFixAsync("""
            class C
            {
                static void Add(float[] a, float[] b, float[] c)
                {
                    {|#0:for (int i = 0; i < c.Length; i++)|}
                    {
                        c[i] = a[i] + b[i];
                    }
                }
            }
            """, """
            using System.Numerics;

            class C
            {
                static void Add(float[] a, float[] b, float[] c)
                {
                    int i = 0;
                    for (; i <= c.Length - Vector<float>.Count; i += Vector<float>.Count)
                    {
                        var va = new Vector<float>(a, i);
                        var vb = new Vector<float>(b, i);
                        (va + vb).CopyTo(c, i);
                    }

                    for (; i < c.Length; i++)
                    {
                        c[i] = a[i] + b[i];
                    }
                }
            }
            """, VectorLoop("float"));

    [Fact]
    public Task AddInt_VectorLoop()
        => Verify.VerifyCodeFixAsync("""
            using System.Numerics;

            class C
            {
                static void Add(int[] a, int[] b, int[] c, int n)
                {
                    {|#0:for (int i = 0; i < n; i++)|}
                        c[i] = a[i] + b[i];
                }
            }
            """, """
            using System.Numerics;

            class C
            {
                static void Add(int[] a, int[] b, int[] c, int n)
                {
                    int i = 0;
                    for (; i <= (long)n - Vector<int>.Count; i += Vector<int>.Count)
                    {
                        var va = new Vector<int>(a, i);
                        var vb = new Vector<int>(b, i);
                        (va + vb).CopyTo(c, i);
                    }

                    for (; i < n; i++)
                        c[i] = a[i] + b[i];
                }
            }
            """, VectorLoop("int"));

    [Fact]
    public Task AddByte_TruncatedIntArithmetic_VectorLoop()
        => Verify.VerifyCodeFixAsync("""
            class C
            {
                static void Add(byte[] a, byte[] b, byte[] c)
                {
                    {|#0:for (int i = 0; i < a.Length; i++)|}
                    {
                        c[i] = (byte)(a[i] + b[i]);
                    }
                }
            }
            """, """
            using System.Numerics;

            class C
            {
                static void Add(byte[] a, byte[] b, byte[] c)
                {
                    int i = 0;
                    for (; i <= a.Length - Vector<byte>.Count; i += Vector<byte>.Count)
                    {
                        var va = new Vector<byte>(a, i);
                        var vb = new Vector<byte>(b, i);
                        (va + vb).CopyTo(c, i);
                    }

                    for (; i < a.Length; i++)
                    {
                        c[i] = (byte)(a[i] + b[i]);
                    }
                }
            }
            """, VectorLoop("byte"));

    [Fact]
    public Task AddInt_WithTensors_Add()
        => VerifyWithTensorsAsync("""
            class C
            {
                static void Add(int[] a, int[] b, int[] c)
                {
                    {|#0:for (int i = 0; i < c.Length; i++)|}
                    {
                        c[i] = a[i] + b[i];
                    }
                }
            }
            """, """
            using System;
            using System.Numerics.Tensors;

            class C
            {
                static void Add(int[] a, int[] b, int[] c)
                {
                    TensorPrimitives.Add<int>(a.AsSpan(0, c.Length), b.AsSpan(0, c.Length), c);
                }
            }
            """, VectorizeLoopFixer.TensorPrimitivesKey, Both("int", "Add"));

    [Fact]
    public Task Sqrt_VectorLoop()
        => Verify.VerifyCodeFixAsync("""
            using System;

            class C
            {
                static void Roots(double[] src, double[] dst)
                {
                    {|#0:for (int i = 0; i < dst.Length; i++)|}
                    {
                        dst[i] = Math.Sqrt(src[i]);
                    }
                }
            }
            """, """
            using System;
            using System.Numerics;

            class C
            {
                static void Roots(double[] src, double[] dst)
                {
                    int i = 0;
                    for (; i <= dst.Length - Vector<double>.Count; i += Vector<double>.Count)
                    {
                        var srcVector = new Vector<double>(src, i);
                        Vector.SquareRoot(srcVector).CopyTo(dst, i);
                    }

                    for (; i < dst.Length; i++)
                    {
                        dst[i] = Math.Sqrt(src[i]);
                    }
                }
            }
            """, VectorLoop("double"));

    [Fact]
    public Task Sqrt_WithTensors_Sqrt()
        => VerifyWithTensorsAsync("""
            using System;

            class C
            {
                static void Roots(double[] src, double[] dst)
                {
                    {|#0:for (int i = 0; i < dst.Length; i++)|}
                    {
                        dst[i] = Math.Sqrt(src[i]);
                    }
                }
            }
            """, """
            using System;
            using System.Numerics.Tensors;

            class C
            {
                static void Roots(double[] src, double[] dst)
                {
                    TensorPrimitives.Sqrt<double>(src.AsSpan(0, dst.Length), dst);
                }
            }
            """, VectorizeLoopFixer.TensorPrimitivesKey, Both("double", "Sqrt"));

    [Fact]
    public Task Exp_WithTensors_ApproximateTensorPrimitivesExp()
        => VerifyWithTensorsAsync("""
            using System;

            class C
            {
                static void Exps(double[] src, double[] dst)
                {
                    {|#0:for (int i = 0; i < src.Length; i++)|}
                    {
                        dst[i] = Math.Exp(src[i]);
                    }
                }
            }
            """, """
            using System;
            using System.Numerics.Tensors;

            class C
            {
                static void Exps(double[] src, double[] dst)
                {
                    TensorPrimitives.Exp(src, dst.AsSpan(0, src.Length));
                }
            }
            """, VectorizeLoopFixer.TensorPrimitivesKey, Vectorizable("double", "TensorPrimitives.Exp computes several at a time (a vectorized approximation: results may differ from Math.Exp in the last bits)"));

    [Fact]
    public Task AddSpans_VectorLoopGuardedAgainstOverlap()
        => Verify.VerifyCodeFixAsync("""
            using System;

            class C
            {
                static void Add(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c)
                {
                    {|#0:for (int i = 0; i < c.Length; i++)|}
                    {
                        c[i] = a[i] + b[i];
                    }
                }
            }
            """, """
            using System;
            using System.Numerics;

            class C
            {
                static void Add(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c)
                {
                    int i = 0;
                    if (!c.Overlaps(a) && !c.Overlaps(b))
                    {
                        for (; i <= c.Length - Vector<float>.Count; i += Vector<float>.Count)
                        {
                            var va = new Vector<float>(a.Slice(i));
                            var vb = new Vector<float>(b.Slice(i));
                            (va + vb).CopyTo(c.Slice(i));
                        }
                    }

                    for (; i < c.Length; i++)
                    {
                        c[i] = a[i] + b[i];
                    }
                }
            }
            """, VectorLoop("float"));
}
