using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using NoGil.Analyzers.Infrastructure;
using NoGil.Analyzers.Tests.Infrastructure;
using NoGil.CodeFixes.Infrastructure;
using Xunit;
using Verify = NoGil.Analyzers.Tests.Infrastructure.CodeFixVerifier<
    NoGil.Analyzers.Rules.Kernels.VectorizeLoopAnalyzer,
    NoGil.CodeFixes.Rules.Kernels.VectorizeLoopFixer>;

namespace NoGil.Analyzers.Tests.Rules.Kernels;

public sealed class VectorizeLoopTests
{
    /// <summary>The TensorPrimitives fix is preferred wherever it is offered: its action carries the rule-wide key.</summary>
    private static readonly string TensorPrimitivesKey = NoGilCodeFixProvider.RuleKey(RuleIdentifiers.VectorizeLoop);

    /// <summary>The Vector&lt;T&gt; loop as the alternative to a TensorPrimitives call.</summary>
    private static readonly string VectorKey = NoGilCodeFixProvider.EquivalenceKey(RuleIdentifiers.VectorizeLoop, FixKind.VectorLoop);

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

    // Pinned to netstandard2.0, which has neither Vector<T> nor TensorPrimitives: nothing to vectorize with.
    [Fact]
    public Task Saxpy_IsNotReported_OnNetStandard20()
        => Verify.VerifyAnalyzerOnAsync(TestReferences.NetStandard20, """
            class C
            {
                static void Saxpy(float a, float[] x, float[] y)
                {
                    for (int i = 0; i < y.Length; i++)
                    {
                        y[i] = a * x[i] + y[i];
                    }
                }
            }
            """);

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
            """, TensorPrimitivesKey, Both("float", "MultiplyAdd"));

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
            """, TensorPrimitivesKey, Both("int", "Add"));

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
            """, TensorPrimitivesKey, Both("double", "Sqrt"));

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
            """, TensorPrimitivesKey, Vectorizable("double", "TensorPrimitives.Exp computes several at a time (a vectorized approximation: results may differ from Math.Exp in the last bits)"));

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

    [Fact]
    public Task CompoundSaxpy_TwoLoopsNamedI_FixAllWrapsEachInABlock()
        => Verify.VerifyCodeFixAsync("""
            class C
            {
                static void Update(float a, float[] x, float[] y, float[] z)
                {
                    {|#0:for (int i = 0; i < y.Length; i++)|}
                    {
                        y[i] += a * x[i];
                    }

                    {|#1:for (int i = 0; i < z.Length; i++)|}
                    {
                        z[i] -= x[i] / a;
                    }
                }
            }
            """, """
            using System.Numerics;

            class C
            {
                static void Update(float a, float[] x, float[] y, float[] z)
                {
                    {
                        int i = 0;
                        for (; i <= y.Length - Vector<float>.Count; i += Vector<float>.Count)
                        {
                            var vy = new Vector<float>(y, i);
                            var vx = new Vector<float>(x, i);
                            (vy + a * vx).CopyTo(y, i);
                        }

                        for (; i < y.Length; i++)
                        {
                            y[i] += a * x[i];
                        }
                    }

                    {
                        int i = 0;
                        for (; i <= z.Length - Vector<float>.Count; i += Vector<float>.Count)
                        {
                            var vz = new Vector<float>(z, i);
                            var vx = new Vector<float>(x, i);
                            (vz - vx / a).CopyTo(z, i);
                        }

                        for (; i < z.Length; i++)
                        {
                            z[i] -= x[i] / a;
                        }
                    }
                }
            }
            """, VectorLoop("float"), Verify.Diagnostic().WithLocation(1).WithArguments("float", "a Vector<float> loop computes the same results several at a time"));

    [Fact]
    public Task InclusiveBoundAndStart_VectorLoopWidensTheBound()
        => Verify.VerifyCodeFixAsync("""
            class C
            {
                static void Scale(long[] values, long factor, int first, int last)
                {
                    {|#0:for (int k = first; k <= last; ++k)|}
                    {
                        values[k] = (values[k] << 2) ^ (values[k] * factor) - 1;
                    }
                }
            }
            """, """
            using System.Numerics;

            class C
            {
                static void Scale(long[] values, long factor, int first, int last)
                {
                    int k = first;
                    for (; k <= (long)last - Vector<long>.Count + 1; k += Vector<long>.Count)
                    {
                        var valuesVector = new Vector<long>(values, k);
                        ((valuesVector << 2) ^ (valuesVector * factor - new Vector<long>(1))).CopyTo(values, k);
                    }

                    for (; k <= last; ++k)
                    {
                        values[k] = (values[k] << 2) ^ (values[k] * factor) - 1;
                    }
                }
            }
            """, VectorLoop("long"));

    [Fact]
    public Task BroadcastScalarsAndFieldArrays_VectorLoop()
        => Verify.VerifyCodeFixAsync("""
            class C
            {
                private readonly int[] _source = new int[1024];
                private readonly int[] _target = new int[1024];

                void Blend(int bias, int mask)
                {
                    {|#0:for (int i = 0; i < _target.Length; i++)|}
                    {
                        _target[i] = ((_source[i] + bias) & mask) | ~_target[i];
                    }
                }
            }
            """, """
            using System.Numerics;

            class C
            {
                private readonly int[] _source = new int[1024];
                private readonly int[] _target = new int[1024];

                void Blend(int bias, int mask)
                {
                    var biasVector = new Vector<int>(bias);
                    var maskVector = new Vector<int>(mask);
                    int i = 0;
                    for (; i <= _target.Length - Vector<int>.Count; i += Vector<int>.Count)
                    {
                        var sourceVector = new Vector<int>(_source, i);
                        var targetVector = new Vector<int>(_target, i);
                        (((sourceVector + biasVector) & maskVector) | ~targetVector).CopyTo(_target, i);
                    }

                    for (; i < _target.Length; i++)
                    {
                        _target[i] = ((_source[i] + bias) & mask) | ~_target[i];
                    }
                }
            }
            """, VectorLoop("int"));

    [Fact]
    public Task AutoPropertyScalar_VectorLoop()
        => Verify.VerifyCodeFixAsync("""
            class Gain
            {
                public float Volume { get; set; } = 1f;

                public void Apply(float[] buffer)
                {
                    {|#0:for (int n = 0; n < buffer.Length; n++)|}
                    {
                        buffer[n] *= Volume;
                    }
                }
            }
            """, """
            using System.Numerics;

            class Gain
            {
                public float Volume { get; set; } = 1f;

                public void Apply(float[] buffer)
                {
                    int n = 0;
                    for (; n <= buffer.Length - Vector<float>.Count; n += Vector<float>.Count)
                    {
                        var bufferVector = new Vector<float>(buffer, n);
                        (bufferVector * Volume).CopyTo(buffer, n);
                    }

                    for (; n < buffer.Length; n++)
                    {
                        buffer[n] *= Volume;
                    }
                }
            }
            """, VectorLoop("float"));

    [Fact]
    public Task StaticAutoPropertyScalar_WithTensors_Multiply()
        => VerifyWithTensorsAsync("""
            class Gain
            {
                public static double Level { get; set; }

                public static void Apply(double[] src, double[] dst)
                {
                    {|#0:for (int i = 0; i < dst.Length; i++)|}
                    {
                        dst[i] = src[i] * Level;
                    }
                }
            }
            """, """
            using System;
            using System.Numerics.Tensors;

            class Gain
            {
                public static double Level { get; set; }

                public static void Apply(double[] src, double[] dst)
                {
                    TensorPrimitives.Multiply(src.AsSpan(0, dst.Length), Level, dst);
                }
            }
            """, TensorPrimitivesKey, Both("double", "Multiply"));

    [Fact]
    public Task UnsignedShortMinOfTwoArrays_VectorLoop()
        => Verify.VerifyCodeFixAsync("""
            using System;

            class C
            {
                static void Clamp(ushort[] a, ushort[] b, ushort[] c)
                {
                    {|#0:for (int i = 0; i < c.Length; i++)|}
                    {
                        c[i] = Math.Min(a[i], b[i]);
                    }
                }
            }
            """, """
            using System;
            using System.Numerics;

            class C
            {
                static void Clamp(ushort[] a, ushort[] b, ushort[] c)
                {
                    int i = 0;
                    for (; i <= c.Length - Vector<ushort>.Count; i += Vector<ushort>.Count)
                    {
                        var va = new Vector<ushort>(a, i);
                        var vb = new Vector<ushort>(b, i);
                        Vector.Min(va, vb).CopyTo(c, i);
                    }

                    for (; i < c.Length; i++)
                    {
                        c[i] = Math.Min(a[i], b[i]);
                    }
                }
            }
            """, VectorLoop("ushort"));

    [Fact]
    public Task FloatMax_WithTensors_OnlyTensorPrimitivesMax()
        => VerifyWithTensorsAsync("""
            using System;

            class C
            {
                static void Max(float[] a, float[] b, float[] c)
                {
                    {|#0:for (int i = 0; i < a.Length; i++)|}
                    {
                        c[i] = MathF.Max(a[i], b[i]);
                    }
                }
            }
            """, """
            using System;
            using System.Numerics.Tensors;

            class C
            {
                static void Max(float[] a, float[] b, float[] c)
                {
                    TensorPrimitives.Max(a, b.AsSpan(0, a.Length), c.AsSpan(0, a.Length));
                }
            }
            """, TensorPrimitivesKey, Vectorizable("float", "TensorPrimitives.Max computes the same results several at a time"));

    [Fact]
    public Task Sigmoid_WithTensors_TensorPrimitivesSigmoid()
        => VerifyWithTensorsAsync("""
            using System;

            class C
            {
                static void Activate(float[] x, float[] y)
                {
                    {|#0:for (int i = 0; i < x.Length; i++)|}
                    {
                        y[i] = 1f / (1f + MathF.Exp(-x[i]));
                    }
                }
            }
            """, """
            using System;
            using System.Numerics.Tensors;

            class C
            {
                static void Activate(float[] x, float[] y)
                {
                    if (x.Length > 0)
                    {
                        TensorPrimitives.Sigmoid(x, y.AsSpan(0, x.Length));
                    }
                }
            }
            """, TensorPrimitivesKey, Vectorizable("float", "TensorPrimitives.Sigmoid computes several at a time (a vectorized approximation: results may differ from the sigmoid 1 / (1 + MathF.Exp(-x)) in the last bits)"));

    [Fact]
    public Task AddInt_WithTensors_VectorActionIsOfferedToo()
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
            using System.Numerics;

            class C
            {
                static void Add(int[] a, int[] b, int[] c)
                {
                    int i = 0;
                    for (; i <= c.Length - Vector<int>.Count; i += Vector<int>.Count)
                    {
                        var va = new Vector<int>(a, i);
                        var vb = new Vector<int>(b, i);
                        (va + vb).CopyTo(c, i);
                    }

                    for (; i < c.Length; i++)
                    {
                        c[i] = a[i] + b[i];
                    }
                }
            }
            """, VectorKey, Both("int", "Add"));

    [Fact]
    public Task ScalarMinusSpan_WithTensors_SliceAndSubtract()
        => VerifyWithTensorsAsync("""
            using System;

            class C
            {
                static void Complement(Span<double> p)
                {
                    {|#0:for (int i = 0; i < 1000; i++)|}
                    {
                        p[i] = 1.0 - p[i];
                    }
                }
            }
            """, """
            using System;
            using System.Numerics.Tensors;

            class C
            {
                static void Complement(Span<double> p)
                {
                    TensorPrimitives.Subtract(1.0, p.Slice(0, 1000), p.Slice(0, 1000));
                }
            }
            """, TensorPrimitivesKey, Both("double", "Subtract"));

    [Fact]
    public Task ApproximateMathOff_ExpIsNotReported()
        => VerifyAnalyzerWithTensorsAsync("""
            using System;

            class C
            {
                static void Exps(double[] src, double[] dst)
                {
                    for (int i = 0; i < src.Length; i++)
                    {
                        dst[i] = Math.Exp(src[i]);
                    }
                }
            }
            """, """
            root = true

            [*]
            NOGIL302.allow_approximate_math = false
            """);

    [Fact]
    public Task ApproximateMathOff_ExactFixesStillReported()
        => VerifyAnalyzerWithTensorsAsync("""
            using System;

            class C
            {
                static void Roots(double[] src, double[] dst)
                {
                    {|#0:for (int i = 0; i < src.Length; i++)|}
                    {
                        dst[i] = Math.Sqrt(src[i]);
                    }
                }
            }
            """, """
            root = true

            [*]
            NOGIL302.allow_approximate_math = false
            """, Both("double", "Sqrt"));

    /// <summary>
    /// The name check is answered once per type declaration, except where a method declares a type parameter named
    /// <c>Vector</c>: there the fix would write the type parameter. Methods before and after it in the same type are still
    /// reported, and it is not, whichever the driver analyzes first.
    /// </summary>
    [Fact]
    public Task TypeParameterNamedVector_OnlyThatMethodNotFlagged()
        => Verify.VerifyAnalyzerAsync("""
            class C
            {
                static void Before(float[] x, float[] y)
                {
                    {|#0:for (int i = 0; i < y.Length; i++)|}
                    {
                        y[i] = x[i] * 2f + y[i];
                    }
                }

                static void Generic<Vector>(float[] x, float[] y)
                {
                    for (int i = 0; i < y.Length; i++)
                    {
                        y[i] = x[i] * 2f + y[i];
                    }
                }

                static void After(float[] x, float[] y)
                {
                    {|#1:for (int i = 0; i < y.Length; i++)|}
                    {
                        y[i] = x[i] * 2f + y[i];
                    }
                }
            }
            """, VectorLoop("float"), Verify.Diagnostic().WithLocation(1).WithArguments("float", string.Format(System.Globalization.CultureInfo.InvariantCulture, VectorOnly, "float")));

    // ----- Must not flag -----

    private const string Prelude = """
        using System;
        using System.Collections.Generic;
        using System.Threading.Tasks;

        """;

    private static Task NotFlagged(string members) => Verify.VerifyAnalyzerAsync(Prelude + "class C\n{\n" + members + "\n}\n");

    private static Task NotFlaggedWithTensors(string members) => VerifyAnalyzerWithTensorsAsync(Prelude + "class C\n{\n" + members + "\n}\n");

    [Fact]
    public Task PrefixSum_NotFlagged()
        => NotFlagged("static void K(int[] a, int[] b) { for (int i = 1; i < a.Length; i++) { a[i] = a[i - 1] + b[i]; } }");

    [Fact]
    public Task ShiftLeftByOne_NotFlagged()
        => NotFlagged("static void K(float[] a) { for (int i = 0; i < a.Length - 1; i++) { a[i] = a[i + 1] * 2f; } }");

    [Fact]
    public Task OffsetReadOfParameterThatMayAliasTheDestination_NotFlagged()
        => NotFlagged("static void K(float[] src, float[] dst) { for (int i = 0; i < dst.Length; i++) { dst[i] = src[i + 1] * 0.5f; } }");

    [Fact]
    public Task Break_NotFlagged()
        => NotFlagged("static void K(float[] a, float[] c) { for (int i = 0; i < c.Length; i++) { if (a[i] < 0) break; c[i] = a[i] * 2f; } }");

    [Fact]
    public Task Return_NotFlagged()
        => NotFlagged("static void K(float[] a, float[] c) { for (int i = 0; i < c.Length; i++) { if (a[i] < 0) return; c[i] = a[i] * 2f; } }");

    [Fact]
    public Task StaticFieldWritten_NotFlagged()
        => NotFlagged("static int s_done; static void K(float[] a, float[] c) { for (int i = 0; i < c.Length; i++) { c[i] = a[i] * 2f; s_done = i; } }");

    [Fact]
    public Task InstanceFieldWritten_NotFlagged()
        => NotFlagged("float _last; void K(float[] a, float[] c) { for (int i = 0; i < c.Length; i++) { c[i] = a[i] + (_last = a[i]); } }");

    [Fact]
    public Task RandomCall_NotFlagged()
        => NotFlagged("static void K(float[] a, float[] c, Random random) { for (int i = 0; i < c.Length; i++) { c[i] = a[i] + (float)random.NextDouble(); } }");

    [Fact]
    public Task ConsoleAndListAdd_NotFlagged()
        => NotFlagged("static void K(float[] a, float[] c, List<float> log) { for (int i = 0; i < c.Length; i++) { c[i] = a[i] * 2f; log.Add(c[i]); Console.WriteLine(c[i]); } }");

    [Fact]
    public Task PureSourceHelper_NotAVectorOperation_NotFlagged()
        => NotFlagged("static float Half(float x) => x / 2; static void K(float[] a, float[] c) { for (int i = 0; i < c.Length; i++) { c[i] = Half(a[i]); } }");

    [Fact]
    public Task ConstantTripCountOf16_NotFlagged()
        => NotFlagged("static void K(float[] a, float[] b, float[] c) { for (int i = 0; i < 16; i++) { c[i] = a[i] + b[i]; } }");

    [Fact]
    public Task CheckedStatement_NotFlagged()
        => NotFlagged("static void K(int[] a, int[] b, int[] c) { checked { for (int i = 0; i < c.Length; i++) { c[i] = a[i] + b[i]; } } }");

    [Fact]
    public Task CheckedExpression_NotFlagged()
        => NotFlagged("static void K(int[] a, int[] b, int[] c) { for (int i = 0; i < c.Length; i++) { c[i] = checked(a[i] * b[i]); } }");

    [Fact]
    public Task VolatileFieldRead_NotFlagged()
        => NotFlagged("static volatile float s_scale; static void K(float[] a, float[] c) { for (int i = 0; i < c.Length; i++) { c[i] = a[i] * s_scale; } }");

    [Fact]
    public Task InductionVariableWritten_NotFlagged()
        => NotFlagged("static void K(float[] a, float[] c) { for (int i = 0; i < c.Length; i++) { c[i] = a[i] * 2f; i += 1; } }");

    [Fact]
    public Task ExpWithoutTensors_NotFlagged()
        => NotFlagged("static void K(double[] a, double[] c) { for (int i = 0; i < c.Length; i++) { c[i] = Math.Exp(a[i]); } }");

    [Fact]
    public Task IntegerMathAbs_NotFlagged()
        => NotFlaggedWithTensors("static void K(int[] a, int[] c) { for (int i = 0; i < c.Length; i++) { c[i] = Math.Abs(a[i]); } }");

    [Fact]
    public Task FloatMaxWithoutTensors_NotFlagged()
        => NotFlagged("static void K(double[] a, double[] b, double[] c) { for (int i = 0; i < c.Length; i++) { c[i] = Math.Max(a[i], b[i]); } }");

    [Fact]
    public Task FloatArraysComputedInDouble_NotFlagged()
        => NotFlagged("static void K(float[] a, float[] c) { for (int i = 0; i < c.Length; i++) { c[i] = (float)(a[i] * 0.1); } }");

    [Fact]
    public Task ByteRightShiftOfAWiderSum_NotFlagged()
        => NotFlagged("static void K(byte[] a, byte[] b, byte[] c) { for (int i = 0; i < c.Length; i++) { c[i] = (byte)((a[i] + b[i]) >> 1); } }");

    [Fact]
    public Task IntegerDivision_NotFlagged()
        => NotFlagged("static void K(int[] a, int[] b, int[] c) { for (int i = 0; i < c.Length; i++) { c[i] = a[i] / b[i]; } }");

    [Fact]
    public Task PlainCopy_NotFlagged()
        => NotFlagged("static void K(float[] a, float[] c) { for (int i = 0; i < c.Length; i++) { c[i] = a[i]; } }");

    [Fact]
    public Task InductionVariableAsAValue_NotFlagged()
        => NotFlagged("static void K(float[] a, float[] c) { for (int i = 0; i < c.Length; i++) { c[i] = a[i] * i; } }");

    [Fact]
    public Task PropertyWithAGetterBody_NotFlagged()
        => NotFlagged("float _v; float Volume => _v * 2; void K(float[] a) { for (int i = 0; i < a.Length; i++) { a[i] *= Volume; } }");

    [Fact]
    public Task VirtualAutoProperty_NotFlagged()
        => NotFlagged("public virtual float Volume { get; set; } void K(float[] a) { for (int i = 0; i < a.Length; i++) { a[i] *= Volume; } }");

    [Fact]
    public Task AutoPropertyWrittenInTheBody_NotFlagged()
        => NotFlagged("float Volume { get; set; } void K(float[] a) { for (int i = 0; i < a.Length; i++) { a[i] *= Volume; Volume = a[i]; } }");

    [Fact]
    public Task AutoPropertyOfAnotherObject_NotFlagged()
        => NotFlagged("sealed class G { public float Volume { get; set; } } static void K(float[] a, G g) { for (int i = 0; i < a.Length; i++) { a[i] *= g.Volume; } }");

    [Fact]
    public Task RefParameterScalar_NotFlagged()
        => NotFlagged("static void K(float[] a, float[] c, ref float scale) { for (int i = 0; i < c.Length; i++) { c[i] = a[i] * scale; } }");

    [Fact]
    public Task MixedElementTypes_NotFlagged()
        => NotFlagged("static void K(int[] a, float[] b, float[] c) { for (int i = 0; i < c.Length; i++) { c[i] = a[i] + b[i]; } }");

    [Fact]
    public Task LongInductionVariable_NotFlagged()
        => NotFlagged("static void K(float[] a, float[] c) { for (long i = 0; i < c.Length; i++) { c[i] = a[i] * 2f; } }");

    [Fact]
    public Task TwoStatements_NotFlagged()
        => NotFlagged("static void K(float[] a, float[] c, float[] d) { for (int i = 0; i < c.Length; i++) { c[i] = a[i] * 2f; d[i] = a[i] + 1f; } }");

    [Fact]
    public Task SideLoopBesideADeeperNest_NotFlagged()
        => NotFlagged("""
                // The O(n) scaling runs once beside the O(n²) product that does the method's work.
                static double[] K(double[,] m, double[] v, double[] scaled)
                {
                    int n = v.Length;
                    for (int i = 0; i < n; i++) { scaled[i] = v[i] * 0.5; }
                    var result = new double[n];
                    for (int i = 0; i < n; i++)
                    {
                        double s = 0;
                        for (int j = 0; j < n; j++) { s += m[i, j] * v[j]; }
                        result[i] = s;
                    }

                    return result;
                }
            """);

    [Fact]
    public Task LengthOfASmallLocalArray_NotFlagged()
        => NotFlagged("static float[] K(float[] a, float[] b) { var w = new float[4]; for (int i = 0; i < w.Length; i++) { w[i] = a[i] * b[i]; } return w; }");
}
