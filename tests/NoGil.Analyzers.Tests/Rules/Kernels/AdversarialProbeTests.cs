using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;
using NoGil.Analyzers.Infrastructure;
using NoGil.Analyzers.Rules.Kernels;
using NoGil.Analyzers.Tests.Infrastructure;
using NoGil.CodeFixes.Infrastructure;
using NoGil.CodeFixes.Rules.Kernels;
using Xunit;

namespace NoGil.Analyzers.Tests.Rules.Kernels;

/// <summary>
/// Adversarial review probes of the kernel fixes (NOGIL301/302/303). Each probe is a class P with a static
/// <c>object Run(int n)</c> that builds its own inputs; the source is fixed by the real fixer, both versions are
/// compiled and run, and the results compared. A probe passes when the rule declines the loop (nothing to fix) or
/// when every fixed loop computes what the original did; a failure prints the diagnostics and the fixed source.
/// Probes that once failed and were repaired: 303_sum_tp_lo_sideeffect (the TensorPrimitives fix evaluated a start
/// with a side effect three times), 301_jagged_param_rows_alias (writes into rows of a jagged parameter that holds
/// one row at several indices), 302_user_Vector_type / 302_using_alias_vector / 302_user_TensorPrimitives /
/// 303_label_before_loop (reported as fixable where the fixer could not write the fix).
/// </summary>
public sealed partial class AdversarialProbeTests
{
    public enum Rule { Parallel, Vector, VectorTensors, Reduction, ReductionTensors }

    private static readonly int[] DefaultSizes = { 0, 1, 7, 8, 9, 16, 17, 33, 100, 1001 };

    private static async Task<string> Probe(string name, Rule rule, string source, int[]? sizes = null, double tolerance = 0, int runs = 1)
    {
        var tensors = rule is Rule.VectorTensors or Rule.ReductionTensors;
        var references = tensors ? TestReferences.Runtime.Add(TestReferences.TensorsRuntime) : TestReferences.Runtime;
        DiagnosticAnalyzer analyzer;
        CodeFixProvider fixer;
        Func<Diagnostic, bool> fixable;
        string? key = null;
        switch (rule)
        {
            case Rule.Parallel:
                analyzer = new ParallelizeLoopAnalyzer();
                fixer = new ParallelizeLoopFixer();
                fixable = d => DiagnosticProperties.Announces(d, FixKind.ParallelFor) || DiagnosticProperties.Announces(d, FixKind.GuardedParallelFor);
                break;
            case Rule.Vector:
            case Rule.VectorTensors:
                analyzer = new VectorizeLoopAnalyzer();
                fixer = new VectorizeLoopFixer();
                var kind = rule == Rule.VectorTensors ? FixKind.TensorPrimitives : FixKind.VectorLoop;
                key = NoGilCodeFixProvider.EquivalenceKey(RuleIdentifiers.VectorizeLoop, kind);
                fixable = d => DiagnosticProperties.Announces(d, kind);
                break;
            default:
                analyzer = new VectorizeReductionAnalyzer();
                fixer = new VectorizeReductionFixer();
                fixable = d => DiagnosticProperties.GetFixes(d).Any();
                break;
        }

        var log = new System.Text.StringBuilder();
        log.AppendLine("== " + name + " (" + rule + ")");
        FixRunner.Result result;
        try
        {
            result = await FixRunner.FixAllAsync(source, analyzer, fixer, references, fixable, key);
        }
        catch (Exception e)
        {
            Assert.Fail("the fix failed: " + e + "\n" + log);
            throw;
        }

        foreach (var d in result.Initial)
        {
            log.AppendLine("diag " + d.Id + " line " + (d.Location.GetLineSpan().StartLinePosition.Line + 1) + ": " + d.GetMessage() + " {" + string.Join(",", d.Properties.Select(p => p.Key + "=" + p.Value)) + "}");
        }

        log.AppendLine("fixed " + result.FixedCount + ", unfixed " + result.Unfixed.Length);
        log.AppendLine(result.FixedSource);
        if (result.Initial.Length == 0)
        {
            // Declined: a probe of precision, not recall; there is no fixed code to compare.
            return result.FixedSource;
        }

        var extra = tensors ? new[] { TestReferences.TensorsRuntime } : Array.Empty<MetadataReference>();
        using var before = CompileAndRun.Load(source, extra);
        using var after = CompileAndRun.Load(result.FixedSource, extra);
        foreach (var n in sizes ?? DefaultSizes)
        {
            object? expected, actual = null;
            try
            {
                expected = before.Invoke("P", "Run", n);
            }
            catch (Exception e)
            {
                expected = "THROWS"; log.AppendLine("before n=" + n + " throws " + e.GetType().Name);
            }

            for (var r = 0; r < runs; r++)
            {
                try
                {
                    actual = after.Invoke("P", "Run", n);
                }
                catch (Exception e)
                {
                    actual = "THROWS"; log.AppendLine("after n=" + n + " throws " + e.GetType().Name + ": " + e.Message);
                }

                try
                {
                    KernelData.AssertSame(expected, actual, tolerance, name + " n=" + n);
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    Assert.Fail("mismatch at n=" + n + ": " + e.Message + "\n" + log);
                }
            }
        }

        return result.FixedSource;
    }
}

public sealed partial class AdversarialProbeTests
{
    private const string Gen = """

        public static class G
        {
            public static float[] F(int n, int seed)
            {
                var r = new System.Random(seed);
                var a = new float[n];
                for (int k = 0; k < n; k++) { a[k] = (float)(r.NextDouble() * 200 - 100); if (r.Next(10) == 0) a[k] = r.Next(5) switch { 0 => float.NaN, 1 => 0f, 2 => -0f, 3 => float.PositiveInfinity, _ => float.NegativeInfinity }; }
                return a;
            }

            public static double[] D(int n, int seed)
            {
                var r = new System.Random(seed);
                var a = new double[n];
                for (int k = 0; k < n; k++) { a[k] = r.NextDouble() * 200 - 100; if (r.Next(10) == 0) a[k] = r.Next(5) switch { 0 => double.NaN, 1 => 0d, 2 => -0d, 3 => double.PositiveInfinity, _ => double.NegativeInfinity }; }
                return a;
            }

            public static int[] I(int n, int seed)
            {
                var r = new System.Random(seed);
                var a = new int[n];
                for (int k = 0; k < n; k++) { a[k] = r.Next(int.MinValue, int.MaxValue); }
                return a;
            }

            public static byte[] B(int n, int seed)
            {
                var r = new System.Random(seed);
                var a = new byte[n];
                r.NextBytes(a);
                return a;
            }

            public static short[] S(int n, int seed)
            {
                var r = new System.Random(seed);
                var a = new short[n];
                for (int k = 0; k < n; k++) { a[k] = (short)r.Next(); }
                return a;
            }
        }
        """;

    private static string Src(string body, string usings = "using System;") => usings + "\n" + body + "\n" + Gen;

    // ---------- NOGIL302: aliasing ----------

    [Fact]
    public Task AdversarialProbe_302_FreshArrayEscapesThroughIsPattern() => Probe("302_fresh_is_pattern", Rule.Vector, Src("""
        public static class P
        {
            public static object Run(int n)
            {
                var dst = new float[n];
                for (int k = 0; k < n; k++) dst[k] = new System.Random(k).Next(100);
                object o = dst;
                var src = o as float[] ?? new float[n];
                for (int i = 1; i < dst.Length; i++)
                {
                    dst[i] = src[i - 1] + 1f;
                }
                return dst;
            }
        }
        """));

    [Fact]
    public Task AdversarialProbe_302_FreshArrayEscapesThroughLambda() => Probe("302_fresh_lambda", Rule.Vector, Src("""
        public static class P
        {
            public static object Run(int n)
            {
                var dst = new float[n];
                System.Func<float[]> get = () => dst;
                var src = get();
                for (int i = 1; i < dst.Length; i++)
                {
                    dst[i] = src[i - 1] + 1f;
                }
                return dst;
            }
        }
        """));

    [Fact]
    public Task AdversarialProbe_302_FreshArrayEscapesThroughTuple() => Probe("302_fresh_tuple", Rule.Vector, Src("""
        public static class P
        {
            public static object Run(int n)
            {
                var dst = new float[n];
                float[] src;
                (src, _) = (dst, 0);
                for (int i = 1; i < dst.Length; i++)
                {
                    dst[i] = src[i - 1] + 1f;
                }
                return dst;
            }
        }
        """));

    [Fact]
    public Task AdversarialProbe_302_FreshArrayEscapesThroughConditional() => Probe("302_fresh_conditional", Rule.Vector, Src("""
        public static class P
        {
            public static object Run(int n)
            {
                var dst = new float[n];
                var src = n >= 0 ? dst : null!;
                for (int i = 1; i < dst.Length; i++)
                {
                    dst[i] = src[i - 1] + 1f;
                }
                return dst;
            }
        }
        """));

    [Fact]
    public Task AdversarialProbe_302_FreshArrayEscapesThroughRefLocal() => Probe("302_fresh_ref_local", Rule.Vector, Src("""
        public static class P
        {
            public static object Run(int n)
            {
                var dst = new float[n];
                ref float[] alias = ref dst;
                float[] src = alias;
                for (int i = 1; i < dst.Length; i++)
                {
                    dst[i] = src[i - 1] + 1f;
                }
                return dst;
            }
        }
        """));

    [Fact]
    public Task AdversarialProbe_302_FreshArrayEscapesThroughArrayInitializer() => Probe("302_fresh_array_init", Rule.Vector, Src("""
        public static class P
        {
            public static object Run(int n)
            {
                var dst = new float[n];
                var holder = new[] { dst };
                var src = holder[0];
                for (int i = 1; i < dst.Length; i++)
                {
                    dst[i] = src[i - 1] + 1f;
                }
                return dst;
            }
        }
        """));

    [Fact]
    public Task AdversarialProbe_302_FreshArrayEscapesThroughOutVar() => Probe("302_fresh_out", Rule.Vector, Src("""
        public static class P
        {
            static void Same(float[] x, out float[] y) => y = x;
            public static object Run(int n)
            {
                var dst = new float[n];
                Same(dst, out var src);
                for (int i = 1; i < dst.Length; i++)
                {
                    dst[i] = src[i - 1] + 1f;
                }
                return dst;
            }
        }
        """));

    [Fact]
    public Task AdversarialProbe_302_FreshSourceIsTheOffsetRead() => Probe("302_fresh_src_field_dst", Rule.Vector, Src("""
        public static class P
        {
            static float[] s_buf = new float[0];
            public static object Run(int n)
            {
                var src = new float[n];
                s_buf = src;
                Shift(src);
                return src;
            }
            static void Shift(float[] dst)
            {
                for (int i = 1; i < dst.Length; i++)
                {
                    dst[i] = s_buf[i - 1] + 1f;
                }
            }
        }
        """));

    [Fact]
    public Task AdversarialProbe_302_InstanceFieldsAlias() => Probe("302_instance_fields", Rule.Vector, Src("""
        public sealed class P
        {
            float[] _dst, _src;
            P(float[] a) { _dst = a; _src = a; }
            void Shift()
            {
                for (int i = 1; i < _dst.Length; i++)
                {
                    _dst[i] = _src[i - 1] + 1f;
                }
            }
            public static object Run(int n)
            {
                var p = new P(new float[n]);
                p.Shift();
                return p._dst;
            }
        }
        """));

    [Fact]
    public Task AdversarialProbe_302_PropertyAlias() => Probe("302_property", Rule.Vector, Src("""
        public sealed class P
        {
            float[] _buf = new float[0];
            float[] Buf => _buf;
            void Shift(float[] dst)
            {
                for (int i = 1; i < dst.Length; i++)
                {
                    dst[i] = Buf[i - 1] + 1f;
                }
            }
            public static object Run(int n)
            {
                var p = new P();
                p._buf = new float[n];
                p.Shift(p._buf);
                return p._buf;
            }
        }
        """));

    [Fact]
    public Task AdversarialProbe_302_JaggedRowsAlias() => Probe("302_jagged_rows", Rule.Vector, Src("""
        public static class P
        {
            static void Shift(float[][] m)
            {
                for (int i = 1; i < m[0].Length; i++)
                {
                    m[0][i] = m[1][i - 1] + 1f;
                }
            }
            public static object Run(int n)
            {
                var row = new float[n];
                var m = new[] { row, row };
                Shift(m);
                return row;
            }
        }
        """));

    [Fact]
    public Task AdversarialProbe_302_SpanDstFieldArraySrc() => Probe("302_span_field_array", Rule.Vector, Src("""
        public static class P
        {
            static float[] s_buf = new float[0];
            static void Step(System.Span<float> dst)
            {
                for (int i = 0; i < dst.Length; i++)
                {
                    dst[i] = s_buf[i] + 1f;
                }
            }
            public static object Run(int n)
            {
                s_buf = new float[n + 1];
                Step(s_buf.AsSpan(1));
                return s_buf;
            }
        }
        """));

    [Fact]
    public Task AdversarialProbe_302_ArrayDstSpanSrc() => Probe("302_array_dst_span_src", Rule.Vector, Src("""
        public static class P
        {
            static void Step(float[] dst, System.ReadOnlySpan<float> src)
            {
                for (int i = 0; i < dst.Length; i++)
                {
                    dst[i] = src[i] + 1f;
                }
            }
            public static object Run(int n)
            {
                var buf = new float[n + 1];
                Step(buf, buf.AsSpan(0, n));
                return buf;
            }
        }
        """));

    [Fact]
    public Task AdversarialProbe_302_IntUintSpansViaCast() => Probe("302_int_uint_spans", Rule.Vector, Src("""
        public static class P
        {
            static void Step(System.Span<int> dst, System.ReadOnlySpan<int> a, System.ReadOnlySpan<int> b)
            {
                for (int i = 0; i < dst.Length; i++)
                {
                    dst[i] = a[i] + b[i];
                }
            }
            public static object Run(int n)
            {
                var buf = new int[n + 1];
                for (int k = 0; k < buf.Length; k++) buf[k] = new System.Random(k).Next(10);
                Step(buf.AsSpan(1), buf.AsSpan(0, n), System.Runtime.InteropServices.MemoryMarshal.Cast<uint, int>(new uint[n]));
                return buf;
            }
        }
        """));

    [Fact]
    public Task AdversarialProbe_302_byte_shl9() => Probe("302_byte_shl9", Rule.Vector, Src("""
        public static class P
        {
        
        static void K(byte[] a, byte[] c) { for (int i = 0; i < c.Length; i++) { c[i] = (byte)(a[i] << 9); } }
        public static object Run(int n) { var a = G.B(n, 1); var c = new byte[n]; K(a, c); return c; }
        }
        """, """using System;"""));

    [Fact]
    public Task AdversarialProbe_302_short_shr20() => Probe("302_short_shr20", Rule.Vector, Src("""
        public static class P
        {
        
        static void K(short[] a, short[] c) { for (int i = 0; i < c.Length; i++) { c[i] = (short)(a[i] >> 20); } }
        public static object Run(int n) { var a = G.S(n, 1); var c = new short[n]; K(a, c); return c; }
        }
        """, """using System;"""));

    [Fact]
    public Task AdversarialProbe_302_int_shl33() => Probe("302_int_shl33", Rule.Vector, Src("""
        public static class P
        {
        
        static void K(int[] a, int[] c) { for (int i = 0; i < c.Length; i++) { c[i] = a[i] << 33; } }
        public static object Run(int n) { var a = G.I(n, 1); var c = new int[n]; K(a, c); return c; }
        }
        """, """using System;"""));

    [Fact]
    public Task AdversarialProbe_302_int_shl_var() => Probe("302_int_shl_var", Rule.Vector, Src("""
        public static class P
        {
        
        static void K(int[] a, int[] c, int s) { for (int i = 0; i < c.Length; i++) { c[i] = a[i] << s; } }
        public static object Run(int n) { var a = G.I(n, 1); var c = new int[n]; K(a, c, 35); return c; }
        }
        """, """using System;"""));

    [Fact]
    public Task AdversarialProbe_302_byte_shr_value() => Probe("302_byte_shr_value", Rule.Vector, Src("""
        public static class P
        {
        
        static void K(byte[] a, byte[] c) { for (int i = 0; i < c.Length; i++) { c[i] = (byte)(a[i] >> 1); } }
        public static object Run(int n) { var a = G.B(n, 1); var c = new byte[n]; K(a, c); return c; }
        }
        """, """using System;"""));

    [Fact]
    public Task AdversarialProbe_302_short_neg_shr() => Probe("302_short_neg_shr", Rule.Vector, Src("""
        public static class P
        {
        
        static void K(short[] a, short[] c) { for (int i = 0; i < c.Length; i++) { c[i] = (short)(-a[i] >> 1); } }
        public static object Run(int n) { var a = G.S(n, 1); var c = new short[n]; K(a, c); return c; }
        }
        """, """using System;"""));

    [Fact]
    public Task AdversarialProbe_302_byte_compound_shr() => Probe("302_byte_compound_shr", Rule.Vector, Src("""
        public static class P
        {
        
        static void K(byte[] a, byte[] c) { for (int i = 0; i < c.Length; i++) { c[i] >>= 1; c[i] += a[i]; } }
        public static object Run(int n) { var a = G.B(n, 1); var c = G.B(n, 2); K(a, c); return c; }
        }
        """, """using System;"""));

    [Fact]
    public Task AdversarialProbe_302_byte_compound_shr_single() => Probe("302_byte_compound_shr_single", Rule.Vector, Src("""
        public static class P
        {
        
        static void K(byte[] a, byte[] c) { for (int i = 0; i < c.Length; i++) { c[i] = (byte)((a[i] + c[i]) >> 1); } }
        public static object Run(int n) { var a = G.B(n, 1); var c = G.B(n, 2); K(a, c); return c; }
        }
        """, """using System;"""));

    [Fact]
    public Task AdversarialProbe_302_float_int_literal() => Probe("302_float_int_literal", Rule.Vector, Src("""
        public static class P
        {
        
        static void K(float[] a, float[] c) { for (int i = 0; i < c.Length; i++) { c[i] = a[i] + 16777217; } }
        public static object Run(int n) { var a = G.F(n, 1); var c = new float[n]; K(a, c); return c; }
        }
        """, """using System;"""));

    [Fact]
    public Task AdversarialProbe_302_float_long_local() => Probe("302_float_long_local", Rule.Vector, Src("""
        public static class P
        {
        
        static void K(float[] a, float[] c, long k) { for (int i = 0; i < c.Length; i++) { c[i] = a[i] * k; } }
        public static object Run(int n) { var a = G.F(n, 1); var c = new float[n]; K(a, c, 16777217L); return c; }
        }
        """, """using System;"""));

    [Fact]
    public Task AdversarialProbe_302_double_float_scalar() => Probe("302_double_float_scalar", Rule.Vector, Src("""
        public static class P
        {
        
        static void K(double[] a, double[] c, float k) { for (int i = 0; i < c.Length; i++) { c[i] = a[i] * k + 0.1f; } }
        public static object Run(int n) { var a = G.D(n, 1); var c = new double[n]; K(a, c, 0.3f); return c; }
        }
        """, """using System;"""));

    [Fact]
    public Task AdversarialProbe_302_name_clash_va_vb() => Probe("302_name_clash_va_vb", Rule.Vector, Src("""
        public static class P
        {
        
        static void K(float[] va, float[] vb, float[] c) { for (int i = 0; i < c.Length; i++) { c[i] = va[i] * vb[i]; } }
        public static object Run(int n) { var a = G.F(n, 1); var b = G.F(n, 2); var c = new float[n]; K(a, b, c); return c; }
        }
        """, """using System;"""));

    [Fact]
    public Task AdversarialProbe_302_name_clash_vc_field() => Probe("302_name_clash_vc_field", Rule.Vector, Src("""
        public static class P
        {
        
        static float vc = 2f;
        static void K(float[] a, float[] c) { for (int i = 0; i < c.Length; i++) { c[i] = a[i] * vc; } }
        public static object Run(int n) { var a = G.F(n, 1); var c = new float[n]; K(a, c); return c; }
        }
        """, """using System;"""));

    [Fact]
    public Task AdversarialProbe_302_name_clash_biasVector() => Probe("302_name_clash_biasVector", Rule.Vector, Src("""
        public static class P
        {
        
        static float biasVector = 3f;
        static void K(float[] a, float[] c, float bias) { for (int i = 0; i < c.Length; i++) { c[i] = a[i] + bias + biasVector; } }
        public static object Run(int n) { var a = G.F(n, 1); var c = new float[n]; K(a, c, 2f); return c; }
        }
        """, """using System;"""));

    [Fact]
    public Task AdversarialProbe_302_field_i_after() => Probe("302_field_i_after", Rule.Vector, Src("""
        public static class P
        {
        
        static int i = 42;
        static int K(float[] a, float[] c) { for (int i = 0; i < c.Length; i++) { c[i] = a[i] * 2f; } return i; }
        public static object Run(int n) { var a = G.F(n, 1); var c = new float[n]; return K(a, c); }
        }
        """, """using System;"""));

    [Fact]
    public Task AdversarialProbe_302_negative_bounds() => Probe("302_negative_bounds", Rule.Vector, Src("""
        public static class P
        {
        
        static void K(float[] a, float[] c, int lo, int hi) { for (int i = lo; i < hi; i++) { c[i + 5] = a[i + 5] * 2f; } }
        public static object Run(int n) { var a = G.F(n + 5, 1); var c = new float[n + 5]; K(a, c, -5, n); return c; }
        }
        """, """using System;"""));

    [Fact]
    public Task AdversarialProbe_302_lo_gt_hi() => Probe("302_lo_gt_hi", Rule.Vector, Src("""
        public static class P
        {
        
        static void K(float[] a, float[] c, int lo, int hi) { for (int i = lo; i <= hi; i++) { c[i] = a[i] * 2f; } }
        public static object Run(int n) { var a = G.F(n, 1); var c = new float[n]; K(a, c, n, n - 3); K(a, c, 0, n - 1); return c; }
        }
        """, """using System;"""));

    [Fact]
    public Task AdversarialProbe_302_hi_min() => Probe("302_hi_min", Rule.Vector, Src("""
        public static class P
        {
        
        static int K(float[] a, float[] c, int lo, int hi) { for (int i = lo; i < hi; i++) { c[i] = a[i] * 2f; } return 1; }
        public static object Run(int n) { var a = G.F(n, 1); var c = new float[n]; K(a, c, int.MinValue, int.MinValue + 3); return c; }
        }
        """, """using System;"""));

    [Fact]
    public Task AdversarialProbe_302_tp_lo_sideeffect() => Probe("302_tp_lo_sideeffect", Rule.VectorTensors, Src("""
        public static class P
        {
        
        static int s_k;
        static void K(float[] a, float[] c) { for (int i = 0; i < c.Length; i++) { c[i] = a[i] * 2f + c[i]; } }
        public static object Run(int n) { var a = G.F(n, 1); var c = G.F(n, 2); K(a, c); return c; }
        }
        """, """using System;"""));

    [Fact]
    public Task AdversarialProbe_302_tp_sigmoid() => Probe("302_tp_sigmoid", Rule.VectorTensors, tolerance: 1e-14, source: Src("""
        public static class P
        {
        
        static void K(double[] a, double[] c) { for (int i = 0; i < 20; i++) { c[i] = 1 / (1 + Math.Exp(-a[i])); } }
        public static object Run(int n) { var a = G.D(40, 1); var c = new double[40]; K(a, c); return c; }
        }
        """, """using System;"""));

    [Fact]
    public Task AdversarialProbe_302_tp_const_bound_short_dst() => Probe("302_tp_const_bound_short_dst", Rule.VectorTensors, Src("""
        public static class P
        {
        
        static void K(float[] a, float[] b, float[] c) { for (int i = 0; i < 20; i++) { c[i] = a[i] + b[i]; } }
        public static object Run(int n) { var a = G.F(40, 1); var b = G.F(30, 2); var c = new float[25]; K(a, b, c); return c; }
        }
        """, """using System;"""));

    [Fact]
    public Task AdversarialProbe_302_tp_minmax_args() => Probe("302_tp_minmax_args", Rule.VectorTensors, Src("""
        public static class P
        {
        
        static void K(float[] a, float[] b, float[] c) { for (int i = 0; i < c.Length; i++) { c[i] = MathF.Max(b[i], a[i]); } }
        public static object Run(int n) { var a = G.F(n, 1); var b = G.F(n, 2); var c = new float[n]; K(a, b, c); return c; }
        }
        """, """using System;"""));

    [Fact]
    public Task AdversarialProbe_302_tp_min_scalar() => Probe("302_tp_min_scalar", Rule.VectorTensors, Src("""
        public static class P
        {
        
        static void K(double[] a, double[] c, double t) { for (int i = 0; i < c.Length; i++) { c[i] = Math.Min(t, a[i]); } }
        static double s_t = -0.0;
        public static object Run(int n) { var a = G.D(n, 1); var c = new double[n]; K(a, c, s_t); return c; }
        }
        """, """using System;"""));

    [Fact]
    public Task AdversarialProbe_302_using_alias_vector() => Probe("302_using_alias_vector", Rule.Vector, Src("""
        public static class P
        {
        
        static void K(float[] a, float[] c) { for (int i = 0; i < c.Length; i++) { c[i] = a[i] * 2f - 1f; } }
        public static object Run(int n) { var a = G.F(n, 1); var c = new float[n]; K(a, c); return c; }
        }
        """, "using System;\nusing Vector = System.Collections.Generic.List<int>;"));

    [Fact]
    public Task AdversarialProbe_302_user_Vector_type() => Probe("302_user_Vector_type", Rule.Vector, Src("""
        public static class P
        {
        
        static void K(float[] a, float[] c) { for (int i = 0; i < c.Length; i++) { c[i] = a[i] * 2f - 1f; } }
        public static object Run(int n) { var a = G.F(n, 1); var c = new float[n]; K(a, c); return c; }
        }
        public class Vector<T> { }
        public static class Vector { 
        }
        """, """using System;"""));

    [Fact]
    public Task AdversarialProbe_302_user_TensorPrimitives() => Probe("302_user_TensorPrimitives", Rule.VectorTensors, Src("""
        public static class P
        {
        
        static void K(float[] a, float[] b, float[] c) { for (int i = 0; i < c.Length; i++) { c[i] = a[i] + b[i]; } }
        public static object Run(int n) { var a = G.F(n, 1); var b = G.F(n, 2); var c = new float[n]; K(a, b, c); return c; }
        }
        public static class TensorPrimitives { public static void Add(float[] a, float[] b, float[] c) { } 
        }
        """, """using System;"""));

    [Fact]
    public Task AdversarialProbe_302_expression_body_not_block() => Probe("302_expression_body_not_block", Rule.Vector, Src("""
        public static class P
        {
        
        static void K(float[] a, float[] c, bool f) { if (f) for (int i = 0; i < c.Length; i++) c[i] = a[i] * 3f; }
        public static object Run(int n) { var a = G.F(n, 1); var c = new float[n]; K(a, c, true); return c; }
        }
        """, """using System;"""));

    [Fact]
    public Task AdversarialProbe_302_switch_section() => Probe("302_switch_section", Rule.Vector, Src("""
        public static class P
        {
        
        static void K(float[] a, float[] c, int f) { switch (f) { case 1: for (int i = 0; i < c.Length; i++) c[i] = a[i] * 3f; int i2 = 0; break; default: break; } }
        public static object Run(int n) { var a = G.F(n, 1); var c = new float[n]; K(a, c, 1); return c; }
        }
        """, """using System;"""));

    [Fact]
    public Task AdversarialProbe_302_i_used_in_later_lambda() => Probe("302_i_used_in_later_lambda", Rule.Vector, Src("""
        public static class P
        {
        
        static int K(float[] a, float[] c) { for (int i = 0; i < c.Length; i++) { c[i] = a[i] * 3f; } Func<int, int> f = i => i + 1; return f(1); }
        public static object Run(int n) { var a = G.F(n, 1); var c = new float[n]; K(a, c); return c; }
        }
        """, """using System;"""));


    [Fact]
    public Task AdversarialProbe_302_uint_neg() => Probe("302_uint_neg", Rule.Vector, Src("""
        public static class P
        {
        
        static void K(uint[] a, uint[] c) { for (int i = 0; i < c.Length; i++) { c[i] = (uint)-a[i]; } }
        public static object Run(int n) { var a = new uint[n]; for (int k = 0; k < n; k++) a[k] = (uint)new Random(k).Next(); var c = new uint[n]; K(a, c); return c; }
        }
        """, """using System;"""));

    [Fact]
    public Task AdversarialProbe_302_generic() => Probe("302_generic", Rule.Vector, Src("""
        public static class P
        {
        
        static void K<T>(T[] a, T[] c) where T : struct, System.Numerics.INumber<T> { for (int i = 0; i < c.Length; i++) { c[i] = a[i] + a[i]; } }
        public static object Run(int n) { var a = G.F(n, 1); var c = new float[n]; K(a, c); return c; }
        }
        """, """using System;"""));

    [Fact]
    public Task AdversarialProbe_302_top_level_like_local_fn() => Probe("302_top_level_like_local_fn", Rule.Vector, Src("""
        public static class P
        {
        
        public static object Run(int n) { var a = G.F(n, 1); var c = new float[n]; K(a, c); return c;
          static void K(float[] a, float[] c) { for (int i = 0; i < c.Length; i++) { c[i] = a[i] * 3f; } } }
        }
        """, """using System;"""));

    [Fact]
    public Task AdversarialProbe_302_sqrt_abs() => Probe("302_sqrt_abs", Rule.Vector, Src("""
        public static class P
        {
        
        static void K(double[] a, double[] c) { for (int i = 0; i < c.Length; i++) { c[i] = Math.Sqrt(Math.Abs(a[i])) - a[i] / 3; } }
        public static object Run(int n) { var a = G.D(n, 1); var c = new double[n]; K(a, c); return c; }
        }
        """, """using System;"""));

    [Fact]
    public Task AdversarialProbe_302_same_array_twice_offsets() => Probe("302_same_array_twice_offsets", Rule.Vector, Src("""
        public static class P
        {
        
        static void K(float[] a, float[] c) { for (int i = 1; i < c.Length - 1; i++) { c[i] = a[i - 1] + a[i + 1]; } }
        public static object Run(int n) { var a = G.F(n, 1); var c = new float[n]; K(a, c); return c; }
        }
        """, """using System;"""));

    [Fact]
    public Task AdversarialProbe_302_offset_write() => Probe("302_offset_write", Rule.Vector, Src("""
        public static class P
        {
        
        static void K(float[] a, float[] c) { for (int i = 0; i < a.Length - 1; i++) { c[i + 1] = a[i] * 2f; } }
        public static object Run(int n) { var a = G.F(n, 1); var c = new float[n]; K(a, c); return c; }
        }
        """, """using System;"""));

    [Fact]
    public Task AdversarialProbe_302_two_writes() => Probe("302_two_writes", Rule.Vector, Src("""
        public static class P
        {
        
        static void K(float[] a, float[] c, float[] d) { for (int i = 0; i < a.Length; i++) { c[i] = a[i] * 2f; d[i] = c[i] + a[i]; } }
        public static object Run(int n) { var a = G.F(n, 1); var c = new float[n]; K(a, c, c); return c; }
        }
        """, """using System;"""));

    [Fact]
    public Task AdversarialProbe_302_two_writes_b() => Probe("302_two_writes_b", Rule.Vector, Src("""
        public static class P
        {
        
        static void K(float[] a, float[] c, double[] d) { for (int i = 0; i < a.Length; i++) { c[i] = a[i] * 2f; a[i] = c[i] + 1f; } }
        public static object Run(int n) { var a = G.F(n, 1); var c = new float[n]; K(a, c, null!); return c; }
        }
        """, """using System;"""));

    [Fact]
    public Task AdversarialProbe_303_sub_reversed() => Probe("303_sub_reversed", Rule.Reduction, source: Src("""
        public static class P
        {
        
        static int K(int[] a) { int s = 5; for (int i = 0; i < a.Length; i++) { s = a[i] - s; } return s; }
        public static object Run(int n) => K(G.I(n, 1));
        }
        """));

    [Fact]
    public Task AdversarialProbe_303_sub() => Probe("303_sub", Rule.Reduction, source: Src("""
        public static class P
        {
        
        static int K(int[] a) { int s = 5; for (int i = 0; i < a.Length; i++) { s -= a[i]; } return s; }
        public static object Run(int n) => K(G.I(n, 1));
        }
        """));

    [Fact]
    public Task AdversarialProbe_303_sum_reversed() => Probe("303_sum_reversed", Rule.Reduction, source: Src("""
        public static class P
        {
        
        static int K(int[] a) { int s = 5; for (int i = 0; i < a.Length; i++) { s = a[i] + s; } return s; }
        public static object Run(int n) => K(G.I(n, 1));
        }
        """));

    [Fact]
    public Task AdversarialProbe_303_count_dec() => Probe("303_count_dec", Rule.Reduction, source: Src("""
        public static class P
        {
        
        static int K(int[] a, int t) { int c = 0; for (int i = 0; i < a.Length; i++) { if (a[i] > t) c--; } return c; }
        public static object Run(int n) => K(G.I(n, 1), 0);
        }
        """));

    [Fact]
    public Task AdversarialProbe_303_count_reversed_operands() => Probe("303_count_reversed_operands", Rule.Reduction, source: Src("""
        public static class P
        {
        
        static int K(float[] a, float t) { int c = 0; for (int i = 0; i < a.Length; i++) { if (t < a[i]) c++; } return c; }
        public static object Run(int n) => K(G.F(n, 1), 3f);
        }
        """));

    [Fact]
    public Task AdversarialProbe_303_count_ne_nan() => Probe("303_count_ne_nan", Rule.Reduction, source: Src("""
        public static class P
        {
        
        static long K(float[] a, float t) { long c = 0; for (int i = 0; i < a.Length; i++) { if (a[i] != t) c++; } return c; }
        static float s_t = float.NaN;
        public static object Run(int n) => K(G.F(n, 1), s_t);
        }
        """));

    [Fact]
    public Task AdversarialProbe_303_count_ne_nan_double() => Probe("303_count_ne_nan_double", Rule.Reduction, source: Src("""
        public static class P
        {
        
        static int K(double[] a) { int c = 0; for (int i = 0; i < a.Length; i++) { if (a[i] != double.NaN) c++; } return c; }
        public static object Run(int n) => K(G.D(n, 1));
        }
        """));

    [Fact]
    public Task AdversarialProbe_303_count_le_nan() => Probe("303_count_le_nan", Rule.Reduction, source: Src("""
        public static class P
        {
        
        static int K(double[] a, double t) { int c = 0; for (int i = 0; i < a.Length; i++) { if (!(a[i] > t)) c++; } return c; }
        public static object Run(int n) => K(G.D(n, 1), 1.0);
        }
        """));

    [Fact]
    public Task AdversarialProbe_303_count_plus_eq_1() => Probe("303_count_plus_eq_1", Rule.Reduction, source: Src("""
        public static class P
        {
        
        static int K(int[] a, int t) { int c = 0; for (int i = 0; i < a.Length; i++) { if (a[i] >= t) c += 1; } return c; }
        public static object Run(int n) => K(G.I(n, 1), 0);
        }
        """));

    [Fact]
    public Task AdversarialProbe_303_count_short() => Probe("303_count_short", Rule.Reduction, source: Src("""
        public static class P
        {
        
        static short K(int[] a, int t) { short c = 0; for (int i = 0; i < a.Length; i++) { if (a[i] >= t) c++; } return c; }
        public static object Run(int n) => K(G.I(n, 1), 0);
        }
        """));

    [Fact]
    public Task AdversarialProbe_303_count_byte_elems() => Probe("303_count_byte_elems", Rule.Reduction, source: Src("""
        public static class P
        {
        
        static int K(byte[] a, byte t) { int c = 0; for (int i = 0; i < a.Length; i++) { if (a[i] > t) c++; } return c; }
        public static object Run(int n) => K(G.B(n, 1), 100);
        }
        """));

    [Fact]
    public Task AdversarialProbe_303_count_else() => Probe("303_count_else", Rule.Reduction, source: Src("""
        public static class P
        {
        
        static int K(int[] a, int t) { int c = 0; for (int i = 0; i < a.Length; i++) { if (a[i] > t) c++; else { } } return c; }
        public static object Run(int n) => K(G.I(n, 1), 0);
        }
        """));

    [Fact]
    public Task AdversarialProbe_303_cmp_ge_float() => Probe("303_cmp_ge_float", Rule.Reduction, source: Src("""
        public static class P
        {
        
        static float K(float[] a) { float m = float.NegativeInfinity; for (int i = 0; i < a.Length; i++) { if (a[i] >= m) m = a[i]; } return m; }
        public static object Run(int n) => K(G.F(n, 1));
        }
        """));

    [Fact]
    public Task AdversarialProbe_303_cmp_max_reversed() => Probe("303_cmp_max_reversed", Rule.Reduction, source: Src("""
        public static class P
        {
        
        static float K(float[] a, float m) { for (int i = 0; i < a.Length; i++) { if (m < a[i]) m = a[i]; } return m; }
        static float s_init = float.NaN;
        public static object Run(int n) { var a = G.F(n, 1); return K(a, -0f).ToString("R") + "|" + BitConverter.SingleToInt32Bits(K(a, 0f)) + "|" + K(a, s_init); }
        }
        """));

    [Fact]
    public Task AdversarialProbe_303_cmp_min_gt_form() => Probe("303_cmp_min_gt_form", Rule.Reduction, source: Src("""
        public static class P
        {
        
        static double K(double[] a, double m) { for (int i = 0; i < a.Length; i++) { if (m > a[i]) m = a[i]; } return m; }
        public static object Run(int n) { var a = G.D(n, 1); for (int k = 0; k < a.Length; k++) if (a[k] < 0 || double.IsNegativeInfinity(a[k])) a[k] = (k % 2 == 0) ? 0.0 : -0.0; return BitConverter.DoubleToInt64Bits(K(a, 1.0)); }
        }
        """));

    [Fact]
    public Task AdversarialProbe_303_cmp_max_zeros_only() => Probe("303_cmp_max_zeros_only", Rule.Reduction, source: Src("""
        public static class P
        {
        
        static float K(float[] a) { float m = -1f; for (int i = 0; i < a.Length; i++) { if (a[i] > m) m = a[i]; } return m; }
        public static object Run(int n) { var a = new float[n]; for (int k = 0; k < n; k++) a[k] = (k * 7919 % 3) switch { 0 => -0f, 1 => 0f, _ => -5f }; return BitConverter.SingleToInt32Bits(K(a)); }
        }
        """));

    [Fact]
    public Task AdversarialProbe_303_cmp_max_assign_other() => Probe("303_cmp_max_assign_other", Rule.Reduction, source: Src("""
        public static class P
        {
        
        static int K(int[] a, int[] b) { int m = int.MinValue; for (int i = 0; i < a.Length; i++) { if (a[i] > m) m = b[i]; } return m; }
        public static object Run(int n) => K(G.I(n, 1), G.I(n, 2));
        }
        """));

    [Fact]
    public Task AdversarialProbe_303_mathmax_int_tensors() => Probe("303_mathmax_int_tensors", Rule.ReductionTensors, source: Src("""
        public static class P
        {
        
        static int K(int[] a, int lo, int hi) { int m = 7; for (int i = lo; i < hi; i++) { m = Math.Max(a[i], m); } return m; }
        public static object Run(int n) { var a = G.I(n, 1); return K(a, n, n / 2) + K(a, 0, n) + K(a, 10, int.MinValue + 5); }
        }
        """));

    [Fact]
    public Task AdversarialProbe_303_sum_tp_lo_gt_hi() => Probe("303_sum_tp_lo_gt_hi", Rule.ReductionTensors, source: Src("""
        public static class P
        {
        
        static int K(int[] a, int lo, int hi) { int s = 3; for (int i = lo; i < hi; i++) { s += a[i]; } return s; }
        public static object Run(int n) { var a = G.I(n, 1); return K(a, n, n / 2) + "|" + K(a, 1, n) + "|" + K(a, 10, int.MinValue + 5); }
        }
        """));

    [Fact]
    public Task AdversarialProbe_303_sum_tp_le() => Probe("303_sum_tp_le", Rule.ReductionTensors, source: Src("""
        public static class P
        {
        
        static int K(int[] a, int lo, int hi) { int s = 3; for (int i = lo; i <= hi; i++) { s += a[i]; } return s; }
        public static object Run(int n) { var a = G.I(n, 1); return K(a, n, n / 2) + "|" + K(a, 1, n - 1) + "|" + K(a, 10, int.MinValue + 5) + "|" + K(a, int.MaxValue, int.MinValue); }
        }
        """));

    [Fact]
    public Task AdversarialProbe_303_sum_tp_lo_sideeffect() => Probe("303_sum_tp_lo_sideeffect", Rule.ReductionTensors, source: Src("""
        public static class P
        {
        
        static int s_k;
        static int K(int[] a) { int s = 0; for (int i = s_k++; i < a.Length; i++) { s += a[i]; } return s; }
        public static object Run(int n) { s_k = 1; var a = G.I(n, 1); return K(a) + "|" + s_k; }
        }
        """));

    [Fact]
    public Task AdversarialProbe_303_sum_vec_lo_sideeffect() => Probe("303_sum_vec_lo_sideeffect", Rule.Reduction, source: Src("""
        public static class P
        {
        
        static int s_k;
        static int K(int[] a) { int s = 0; for (int i = s_k++; i < a.Length; i++) { s += a[i]; } return s; }
        public static object Run(int n) { s_k = 1; var a = G.I(n, 1); return K(a) + "|" + s_k; }
        }
        """));

    [Fact]
    public Task AdversarialProbe_303_name_clash_vsum_field() => Probe("303_name_clash_vsum_field", Rule.Reduction, source: Src("""
        public static class P
        {
        
        static int vsum = 100;
        static int K(int[] a) { int s = 0; for (int i = 0; i < a.Length; i++) { s += a[i]; } return s + vsum; }
        public static object Run(int n) => K(G.I(n, 1));
        }
        """));

    [Fact]
    public Task AdversarialProbe_303_name_clash_i_field() => Probe("303_name_clash_i_field", Rule.Reduction, source: Src("""
        public static class P
        {
        
        static int i = 100;
        static int K(int[] a) { int s = 0; for (int i = 0; i < a.Length; i++) { s += a[i]; } return s + i; }
        public static object Run(int n) => K(G.I(n, 1));
        }
        """));

    [Fact]
    public Task AdversarialProbe_303_name_clash_param_vsum() => Probe("303_name_clash_param_vsum", Rule.Reduction, source: Src("""
        public static class P
        {
        
        static int K(int[] vsum) { int s = 0; for (int i = 0; i < vsum.Length; i++) { s += vsum[i]; } return s; }
        public static object Run(int n) => K(G.I(n, 1));
        }
        """));

    [Fact]
    public Task AdversarialProbe_303_name_clash_acc_named_vsum() => Probe("303_name_clash_acc_named_vsum", Rule.Reduction, source: Src("""
        public static class P
        {
        
        static int K(int[] a) { int vsum = 0; for (int i = 0; i < a.Length; i++) { vsum += a[i]; } return vsum; }
        public static object Run(int n) => K(G.I(n, 1));
        }
        """));

    [Fact]
    public Task AdversarialProbe_303_name_clash_i_local_func() => Probe("303_name_clash_i_local_func", Rule.Reduction, source: Src("""
        public static class P
        {
        
        static int K(int[] a) { int s = 0; for (int i = 0; i < a.Length; i++) { s += a[i]; } return s + F(1); static int F(int i) => i; }
        public static object Run(int n) => K(G.I(n, 1));
        }
        """));

    [Fact]
    public Task AdversarialProbe_303_two_loops_same_block() => Probe("303_two_loops_same_block", Rule.Reduction, source: Src("""
        public static class P
        {
        
        static int K(int[] a, int[] b) { int s = 0; for (int i = 0; i < a.Length; i++) { s += a[i]; } int t = 0; for (int i = 0; i < b.Length; i++) { t += b[i]; } return s * 31 + t; }
        public static object Run(int n) => K(G.I(n, 1), G.I(n + 3, 2));
        }
        """));

    [Fact]
    public Task AdversarialProbe_303_nested_inner_reduction() => Probe("303_nested_inner_reduction", Rule.Reduction, source: Src("""
        public static class P
        {
        
        static int K(int[][] m) { int total = 0; for (int r = 0; r < m.Length; r++) { int s = 0; for (int i = 0; i < m[r].Length; i++) { s += m[r][i]; } total ^= s * (r + 1); } return total; }
        public static object Run(int n) => K(new[] { G.I(n, 1), G.I(n / 2, 2), G.I(n + 9, 3) });
        }
        """));

    [Fact]
    public Task AdversarialProbe_303_byte_sum() => Probe("303_byte_sum", Rule.Reduction, source: Src("""
        public static class P
        {
        
        static byte K(byte[] a) { byte s = 200; for (int i = 0; i < a.Length; i++) { s += a[i]; } return s; }
        public static object Run(int n) => K(G.B(n, 1));
        }
        """));

    [Fact]
    public Task AdversarialProbe_303_short_dot() => Probe("303_short_dot", Rule.Reduction, source: Src("""
        public static class P
        {
        
        static short K(short[] a, short[] b) { short s = 1; for (int i = 0; i < a.Length; i++) { s += (short)(a[i] * b[i]); } return s; }
        public static object Run(int n) => K(G.S(n, 1), G.S(n, 2));
        }
        """));

    [Fact]
    public Task AdversarialProbe_303_short_dot_plain() => Probe("303_short_dot_plain", Rule.Reduction, source: Src("""
        public static class P
        {
        
        static short K(short[] a, short[] b) { short s = 1; for (int i = 0; i < a.Length; i++) { s = (short)(s + a[i] * b[i]); } return s; }
        public static object Run(int n) => K(G.S(n, 1), G.S(n, 2));
        }
        """));

    [Fact]
    public Task AdversarialProbe_303_dot_b_shorter() => Probe("303_dot_b_shorter", Rule.Reduction, source: Src("""
        public static class P
        {
        
        static int K(int[] a, int[] b) { int s = 0; for (int i = 0; i < a.Length; i++) { s += a[i] * b[i]; } return s; }
        public static object Run(int n) => K(G.I(n, 1), G.I(n + 5, 2));
        }
        """));

    [Fact]
    public Task AdversarialProbe_303_dot_tp_b_longer() => Probe("303_dot_tp_b_longer", Rule.ReductionTensors, tolerance: 1e-3, source: Src("""
        public static class P
        {
        
        static float K(float[] a, float[] b) { float s = 0; for (int i = 0; i < a.Length; i++) { s += a[i] * b[i]; } return s; }
        public static object Run(int n) { var a = G.F(n, 1); for (int k = 0; k < n; k++) if (!float.IsFinite(a[k])) a[k] = 1; var b = G.F(n + 5, 2); for (int k = 0; k < b.Length; k++) if (!float.IsFinite(b[k])) b[k] = 1; return (double)K(a, b); }
        }
        """));

    [Fact]
    public Task AdversarialProbe_303_foreach_sum() => Probe("303_foreach_sum", Rule.Reduction, source: Src("""
        public static class P
        {
        
        static long K(long[] a) { long s = -1; foreach (var x in a) { s += x; } return s; }
        public static object Run(int n) { var a = new long[n]; for (int k = 0; k < n; k++) a[k] = new Random(k).NextInt64(); return K(a); }
        }
        """));

    [Fact]
    public Task AdversarialProbe_303_foreach_cmp_float() => Probe("303_foreach_cmp_float", Rule.Reduction, source: Src("""
        public static class P
        {
        
        static double K(double[] a) { double m = double.NaN; foreach (var x in a) { if (x > m) m = x; } return m; }
        public static object Run(int n) => K(G.D(n, 1));
        }
        """));

    [Fact]
    public Task AdversarialProbe_303_uint_count() => Probe("303_uint_count", Rule.Reduction, source: Src("""
        public static class P
        {
        
        static int K(uint[] a, uint t) { int c = 0; for (int i = 0; i < a.Length; i++) { if (a[i] > t) c++; } return c; }
        public static object Run(int n) { var a = new uint[n]; for (int k = 0; k < n; k++) a[k] = (uint)new Random(k).NextInt64(); return K(a, 0x7FFFFFFF); }
        }
        """));

    [Fact]
    public Task AdversarialProbe_303_ulong_max_cmp() => Probe("303_ulong_max_cmp", Rule.Reduction, source: Src("""
        public static class P
        {
        
        static ulong K(ulong[] a) { ulong m = 0; for (int i = 0; i < a.Length; i++) { if (a[i] > m) m = a[i]; } return m; }
        public static object Run(int n) { var a = new ulong[n]; for (int k = 0; k < n; k++) a[k] = (ulong)new Random(k).NextInt64() * 3; return K(a); }
        }
        """));

    [Fact]
    public Task AdversarialProbe_303_sbyte_min() => Probe("303_sbyte_min", Rule.Reduction, source: Src("""
        public static class P
        {
        
        static sbyte K(sbyte[] a) { sbyte m = 0; for (int i = 0; i < a.Length; i++) { m = Math.Min(m, a[i]); } return m; }
        public static object Run(int n) { var a = new sbyte[n]; for (int k = 0; k < n; k++) a[k] = (sbyte)new Random(k).Next(); return K(a); }
        }
        """));

    [Fact]
    public Task AdversarialProbe_303_count_field_threshold_long_elems() => Probe("303_count_field_threshold_long_elems", Rule.Reduction, source: Src("""
        public static class P
        {
        
        static long s_t = long.MinValue;
        static int K(long[] a) { int c = 0; for (int i = 0; i < a.Length; i++) { if (a[i] > s_t) c++; } return c; }
        public static object Run(int n) { var a = new long[n]; for (int k = 0; k < n; k++) a[k] = new Random(k).NextInt64() - (k % 3 == 0 ? long.MaxValue : 0); return K(a); }
        }
        """));

    [Fact]
    public Task AdversarialProbe_303_count_int_threshold_long_conv() => Probe("303_count_int_threshold_long_conv", Rule.Reduction, source: Src("""
        public static class P
        {
        
        static int K(int[] a, long t) { int c = 0; for (int i = 0; i < a.Length; i++) { if (a[i] > t) c++; } return c; }
        public static object Run(int n) => K(G.I(n, 1), 3_000_000_000L) + K(G.I(n, 1), -3_000_000_000L) * 1000;
        }
        """));

    [Fact]
    public Task AdversarialProbe_303_count_float_threshold_double() => Probe("303_count_float_threshold_double", Rule.Reduction, source: Src("""
        public static class P
        {
        
        static int K(float[] a, double t) { int c = 0; for (int i = 0; i < a.Length; i++) { if (a[i] > t) c++; } return c; }
        public static object Run(int n) => K(G.F(n, 1), 1.0000000001);
        }
        """));

    [Fact]
    public Task AdversarialProbe_303_count_int_elems_float_threshold() => Probe("303_count_int_elems_float_threshold", Rule.Reduction, source: Src("""
        public static class P
        {
        
        static int K(int[] a, float t) { int c = 0; for (int i = 0; i < a.Length; i++) { if (a[i] > t) c++; } return c; }
        public static object Run(int n) { var a = G.I(n, 1); for (int k = 0; k < n; k += 2) a[k] = 16777217; return K(a, 16777216f); }
        }
        """));

    [Fact]
    public Task AdversarialProbe_303_count_byte_int_threshold() => Probe("303_count_byte_int_threshold", Rule.Reduction, source: Src("""
        public static class P
        {
        
        static int K(byte[] a, int t) { int c = 0; for (int i = 0; i < a.Length; i++) { if (a[i] > t) c++; } return c; }
        public static object Run(int n) => K(G.B(n, 1), -1) + 1000 * K(G.B(n, 1), 300);
        }
        """));

    [Fact]
    public Task AdversarialProbe_303_sum_long_of_int_cast() => Probe("303_sum_long_of_int_cast", Rule.Reduction, source: Src("""
        public static class P
        {
        
        static long K(int[] a) { long s = 0; for (int i = 0; i < a.Length; i++) { s += (long)a[i]; } return s; }
        public static object Run(int n) => K(G.I(n, 1));
        }
        """));

    [Fact]
    public Task AdversarialProbe_303_sum_float_into_double() => Probe("303_sum_float_into_double", Rule.Reduction, tolerance: 1e-9, source: Src("""
        public static class P
        {
        
        static double K(float[] a) { double s = 0; for (int i = 0; i < a.Length; i++) { s += a[i]; } return s; }
        public static object Run(int n) => K(G.F(n, 1));
        }
        """));

    [Fact]
    public Task AdversarialProbe_303_mathmax_double_of_float() => Probe("303_mathmax_double_of_float", Rule.ReductionTensors, source: Src("""
        public static class P
        {
        
        static double K(float[] a) { double m = double.NegativeInfinity; for (int i = 0; i < a.Length; i++) { m = Math.Max(m, a[i]); } return m; }
        public static object Run(int n) => K(G.F(n, 1));
        }
        """));

    [Fact]
    public Task AdversarialProbe_303_sumabs_int() => Probe("303_sumabs_int", Rule.Reduction, source: Src("""
        public static class P
        {
        
        static int K(int[] a) { int s = 0; for (int i = 0; i < a.Length; i++) { s += Math.Abs(a[i]); } return s; }
        public static object Run(int n) { var a = G.I(n, 1); for (int k = 0; k < n; k++) if (a[k] == int.MinValue) a[k] = 0; return K(a); }
        }
        """));

    [Fact]
    public Task AdversarialProbe_303_sumsq_mixed() => Probe("303_sumsq_mixed", Rule.Reduction, source: Src("""
        public static class P
        {
        
        static int K(int[] a, int[] b) { int s = 0; for (int i = 0; i < a.Length; i++) { s += a[i] * a[i] * b[i]; } return s; }
        public static object Run(int n) => K(G.I(n, 1), G.I(n, 2));
        }
        """));

    [Fact]
    public Task AdversarialProbe_303_sum_plus_const() => Probe("303_sum_plus_const", Rule.Reduction, source: Src("""
        public static class P
        {
        
        static int K(int[] a) { int s = 0; for (int i = 0; i < a.Length; i++) { s += a[i] + 1; } return s; }
        public static object Run(int n) => K(G.I(n, 1));
        }
        """));

    [Fact]
    public Task AdversarialProbe_303_sum_param_acc_ref_read_later() => Probe("303_sum_param_acc_ref_read_later", Rule.Reduction, source: Src("""
        public static class P
        {
        
        static int K(int[] a, int s) { for (int i = 0; i < a.Length; i++) { s += a[i]; } return s; }
        public static object Run(int n) => K(G.I(n, 1), 77);
        }
        """));

    [Fact]
    public Task AdversarialProbe_303_sum_array_read_at_i_plus1() => Probe("303_sum_array_read_at_i_plus1", Rule.Reduction, source: Src("""
        public static class P
        {
        
        static int K(int[] a) { int s = 0; for (int i = 0; i < a.Length - 1; i++) { s += a[i + 1]; } return s; }
        public static object Run(int n) => K(G.I(n, 1));
        }
        """));

    [Fact]
    public Task AdversarialProbe_303_sum_span_slice() => Probe("303_sum_span_slice", Rule.ReductionTensors, source: Src("""
        public static class P
        {
        
        static int K(ReadOnlySpan<int> a, int lo) { int s = 0; for (int i = lo; i < a.Length; i++) { s += a[i]; } return s; }
        public static object Run(int n) { var a = G.I(n, 1); return K(a, 3) + "|" + K(a, n + 2) + "|" + K(a, n); }
        }
        """));

    [Fact]
    public Task AdversarialProbe_303_sum_const_bound() => Probe("303_sum_const_bound", Rule.ReductionTensors, source: Src("""
        public static class P
        {
        
        static int K(int[] a) { int s = 0; for (int i = 0; i <= 20; i++) { s += a[i]; } return s; }
        public static object Run(int n) => K(G.I(30, n));
        }
        """));

    [Fact]
    public Task AdversarialProbe_303_sum_generic() => Probe("303_sum_generic", Rule.Reduction, source: Src("""
        public static class P
        {
        
        static T K<T>(T[] a) where T : System.Numerics.INumber<T> { T s = T.Zero; for (int i = 0; i < a.Length; i++) { s += a[i]; } return s; }
        public static object Run(int n) => K(G.I(n, 1));
        }
        """));

    [Fact]
    public Task AdversarialProbe_303_decimal() => Probe("303_decimal", Rule.Reduction, source: Src("""
        public static class P
        {
        
        static decimal K(decimal[] a) { decimal s = 0; for (int i = 0; i < a.Length; i++) { s += a[i]; } return s; }
        public static object Run(int n) { var a = new decimal[n]; for (int k = 0; k < n; k++) a[k] = k * 0.1m; return K(a); }
        }
        """));

    [Fact]
    public Task AdversarialProbe_303_nullable() => Probe("303_nullable", Rule.Reduction, source: Src("""
        public static class P
        {
        
        static int? K(int?[] a) { int? s = 0; for (int i = 0; i < a.Length; i++) { s += a[i]; } return s; }
        public static object Run(int n) { var a = new int?[n]; for (int k = 0; k < n; k++) a[k] = k == 5 ? null : k; return K(a) ?? -1; }
        }
        """));

    [Fact]
    public Task AdversarialProbe_303_in_param_array() => Probe("303_in_param_array", Rule.Reduction, source: Src("""
        public static class P
        {
        
        static int K(in int[] a) { int s = 0; for (int i = 0; i < a.Length; i++) { s += a[i]; } return s; }
        public static object Run(int n) { var a = G.I(n, 1); return K(in a); }
        }
        """));


    [Fact]
    public Task AdversarialProbe_303_expression_switch_arm_loop_not_in_block() => Probe("303_expression_switch_arm_loop_not_in_block", Rule.Reduction, source: Src("""
        public static class P
        {
        
        static int K(int[] a, bool f) { int s = 0; if (f) for (int i = 0; i < a.Length; i++) s += a[i]; return s; }
        public static object Run(int n) => K(G.I(n, 1), true);
        }
        """));

    [Fact]
    public Task AdversarialProbe_303_label_before_loop() => Probe("303_label_before_loop", Rule.Reduction, source: Src("""
        public static class P
        {
        
        static int K(int[] a) { int s = 0; L: for (int i = 0; i < a.Length; i++) { s += a[i]; } if (s == 12345) goto L; return s; }
        public static object Run(int n) => K(G.I(n, 1));
        }
        """));

    [Fact]
    public Task AdversarialProbe_303_acc_declared_in_for_outer() => Probe("303_acc_declared_in_for_outer", Rule.Reduction, source: Src("""
        public static class P
        {
        
        static int K(int[] a) { int s = 0; { for (int i = 0; i < a.Length; i++) { s += a[i]; } } int i2 = 0; return s + i2; }
        public static object Run(int n) => K(G.I(n, 1));
        }
        """));

    [Fact]
    public Task AdversarialProbe_303_sum_ulong() => Probe("303_sum_ulong", Rule.Reduction, source: Src("""
        public static class P
        {
        
        static ulong K(ulong[] a) { ulong s = ulong.MaxValue; for (int i = 0; i < a.Length; i++) { s += a[i]; } return s; }
        public static object Run(int n) { var a = new ulong[n]; for (int k = 0; k < n; k++) a[k] = (ulong)new Random(k).NextInt64() * 5; return K(a); }
        }
        """));

    [Fact]
    public Task AdversarialProbe_301_lo_sideeffect_ranged() => Probe("301_lo_sideeffect_ranged", Rule.Parallel, runs: 3, source: Src("""
        public static class P
        {
        
        static int s_k;
        static void K(double[] a, double[] c) { for (int i = s_k++; i < c.Length; i++) { c[i] = a[i] * a[i] + a[i] * 3 - a[i] / 7 + a[i] * a[i] * a[i] - 1 + a[i] * 2 + a[i] * 5 + a[i] * a[i] * 4 + a[i] * 9 - a[i] * 11; } }
        public static object Run(int n) { s_k = 1; var a = G.D(n, 1); var c = new double[n]; K(a, c); return c[0] + "|" + s_k + "|" + string.Join(",", c); }
        }
        """));

    [Fact]
    public Task AdversarialProbe_301_lo_sideeffect_heavy() => Probe("301_lo_sideeffect_heavy", Rule.Parallel, runs: 3, source: Src("""
        public static class P
        {
        static long Heavy(long x) { long c = 0; while (x > 1 && c < 500) { x = (x % 2 == 0) ? x / 2 : 3 * x + 1; c++; } return c; }
        static int s_k;
        static void K(long[] c) { for (int i = s_k++; i < c.Length; i++) { c[i] = Heavy(i + 1); } }
        public static object Run(int n) { s_k = 1; var c = new long[n]; K(c); return s_k + "|" + string.Join(",", c); }
        }
        """));

    [Fact]
    public Task AdversarialProbe_301_le_maxvalue() => Probe("301_le_maxvalue", Rule.Parallel, runs: 3, source: Src("""
        public static class P
        {
        static long Heavy(long x) { long c = 0; while (x > 1 && c < 500) { x = (x % 2 == 0) ? x / 2 : 3 * x + 1; c++; } return c; }
        static long K(int lo, int hi) { long total = 0; for (int i = lo; i <= hi; i++) { total += Heavy(i); } return total; }
        public static object Run(int n) => K(int.MaxValue - n, int.MaxValue - 1) + "|" + K(5, 4) + "|" + K(n, n);
        }
        """));

    [Fact]
    public Task AdversarialProbe_301_sub_reduction() => Probe("301_sub_reduction", Rule.Parallel, runs: 3, source: Src("""
        public static class P
        {
        static long Heavy(long x) { long c = 0; while (x > 1 && c < 500) { x = (x % 2 == 0) ? x / 2 : 3 * x + 1; c++; } return c; }
        static long K(int n) { long total = 1000; for (int i = 1; i <= n; i++) { total -= Heavy(i); } return total; }
        public static object Run(int n) => K(n);
        }
        """));

    [Fact]
    public Task AdversarialProbe_301_reversed_sub() => Probe("301_reversed_sub", Rule.Parallel, runs: 3, source: Src("""
        public static class P
        {
        static long Heavy(long x) { long c = 0; while (x > 1 && c < 500) { x = (x % 2 == 0) ? x / 2 : 3 * x + 1; c++; } return c; }
        static long K(int n) { long total = 1000; for (int i = 1; i <= n; i++) { total = Heavy(i) - total; } return total; }
        public static object Run(int n) => K(n);
        }
        """));

    [Fact]
    public Task AdversarialProbe_301_and_byte() => Probe("301_and_byte", Rule.Parallel, runs: 3, source: Src("""
        public static class P
        {
        static long Heavy(long x) { long c = 0; while (x > 1 && c < 500) { x = (x % 2 == 0) ? x / 2 : 3 * x + 1; c++; } return c; }
        static byte K(int n) { byte acc = 0xF7; for (int i = 1; i <= n; i++) { acc &= (byte)(Heavy(i) | 0xC0); } return acc; }
        public static object Run(int n) => K(n);
        }
        """));

    [Fact]
    public Task AdversarialProbe_301_and_ulong() => Probe("301_and_ulong", Rule.Parallel, runs: 3, source: Src("""
        public static class P
        {
        static long Heavy(long x) { long c = 0; while (x > 1 && c < 500) { x = (x % 2 == 0) ? x / 2 : 3 * x + 1; c++; } return c; }
        static ulong K(int n) { ulong acc = ulong.MaxValue - 8; for (int i = 1; i <= n; i++) { acc &= (ulong)Heavy(i) | 0xFFFF_FFFF_FFFF_FF00UL; } return acc; }
        public static object Run(int n) => K(n);
        }
        """));

    [Fact]
    public Task AdversarialProbe_301_product_int() => Probe("301_product_int", Rule.Parallel, runs: 3, source: Src("""
        public static class P
        {
        static long Heavy(long x) { long c = 0; while (x > 1 && c < 500) { x = (x % 2 == 0) ? x / 2 : 3 * x + 1; c++; } return c; }
        static int K(int n) { int p = 3; for (int i = 1; i <= n; i++) { p *= (int)Heavy(i) | 1; } return p; }
        public static object Run(int n) => K(n);
        }
        """));

    [Fact]
    public Task AdversarialProbe_301_min_init_used() => Probe("301_min_init_used", Rule.Parallel, runs: 3, source: Src("""
        public static class P
        {
        static long Heavy(long x) { long c = 0; while (x > 1 && c < 500) { x = (x % 2 == 0) ? x / 2 : 3 * x + 1; c++; } return c; }
        static long K(int n) { long m = -5; for (int i = 1; i <= n; i++) { m = Math.Max(m, Heavy(i)); } return m; }
        public static object Run(int n) => K(n);
        }
        """));

    [Fact]
    public Task AdversarialProbe_301_cmp_max_long() => Probe("301_cmp_max_long", Rule.Parallel, runs: 3, source: Src("""
        public static class P
        {
        static long Heavy(long x) { long c = 0; while (x > 1 && c < 500) { x = (x % 2 == 0) ? x / 2 : 3 * x + 1; c++; } return c; }
        static long K(int n) { long m = long.MinValue; for (int i = 1; i <= n; i++) { long h = Heavy(i); if (h > m) m = h; } return m; }
        public static object Run(int n) => K(n);
        }
        """));

    [Fact]
    public Task AdversarialProbe_301_count_short() => Probe("301_count_short", Rule.Parallel, runs: 3, source: Src("""
        public static class P
        {
        static long Heavy(long x) { long c = 0; while (x > 1 && c < 500) { x = (x % 2 == 0) ? x / 2 : 3 * x + 1; c++; } return c; }
        static short K(int n) { short c = 0; for (int i = 1; i <= n; i++) { if (Heavy(i) > 20) c++; } return c; }
        public static object Run(int n) => K(n);
        }
        """));

    [Fact]
    public Task AdversarialProbe_301_sum_int_param() => Probe("301_sum_int_param", Rule.Parallel, runs: 3, source: Src("""
        public static class P
        {
        static long Heavy(long x) { long c = 0; while (x > 1 && c < 500) { x = (x % 2 == 0) ? x / 2 : 3 * x + 1; c++; } return c; }
        static int K(int n, int total) { for (int i = 1; i <= n; i++) { total += (int)Heavy(i); } return total; }
        public static object Run(int n) => K(n, 17);
        }
        """));

    [Fact]
    public Task AdversarialProbe_301_name_clash_range() => Probe("301_name_clash_range", Rule.Parallel, runs: 3, source: Src("""
        public static class P
        {
        
        static void K(double[] a, double[] c, double range) { for (int i = 0; i < c.Length; i++) { c[i] = a[i] * a[i] + a[i] * 3 - a[i] / 7 + a[i] * a[i] * a[i] - 1 + a[i] * 2 + a[i] * 5 + a[i] * a[i] * 4 + a[i] * 9 - a[i] * range; } }
        public static object Run(int n) { var a = G.D(n, 1); var c = new double[n]; K(a, c, 0.5); return c; }
        }
        """));

    [Fact]
    public Task AdversarialProbe_301_name_clash_loopState_gate() => Probe("301_name_clash_loopState_gate", Rule.Parallel, runs: 3, source: Src("""
        public static class P
        {
        static long Heavy(long x) { long c = 0; while (x > 1 && c < 500) { x = (x % 2 == 0) ? x / 2 : 3 * x + 1; c++; } return c; }
        static long K(int n, long loopState, long gate) { long m = 0; for (int i = 1; i <= n; i++) { m = Math.Max(m, Heavy(i) + loopState + gate); } return m; }
        public static object Run(int n) => K(n, 3, 4);
        }
        """));

    [Fact]
    public Task AdversarialProbe_301_name_clash_localTotal() => Probe("301_name_clash_localTotal", Rule.Parallel, runs: 3, source: Src("""
        public static class P
        {
        static long Heavy(long x) { long c = 0; while (x > 1 && c < 500) { x = (x % 2 == 0) ? x / 2 : 3 * x + 1; c++; } return c; }
        static long K(int n, long localTotal) { long total = 0; for (int i = 1; i <= n; i++) { total += Heavy(i) * localTotal; } return total; }
        public static object Run(int n) => K(n, 3);
        }
        """));

    [Fact]
    public Task AdversarialProbe_301_name_clash_gate_field() => Probe("301_name_clash_gate_field", Rule.Parallel, runs: 3, source: Src("""
        public static class P
        {
        static long Heavy(long x) { long c = 0; while (x > 1 && c < 500) { x = (x % 2 == 0) ? x / 2 : 3 * x + 1; c++; } return c; }
        static double gate = 2;
        static double K(double[] a) { double m = double.NegativeInfinity; for (int i = 0; i < a.Length; i++) { m = Math.Max(m, Math.Sin(a[i]) * gate); } return m; }
        public static object Run(int n) => K(G.D(n, 1));
        }
        """));

    [Fact]
    public Task AdversarialProbe_301_continue_in_switch() => Probe("301_continue_in_switch", Rule.Parallel, runs: 3, source: Src("""
        public static class P
        {
        static long Heavy(long x) { long c = 0; while (x > 1 && c < 500) { x = (x % 2 == 0) ? x / 2 : 3 * x + 1; c++; } return c; }
        static void K(long[] c) { for (int i = 0; i < c.Length; i++) { switch (i % 3) { case 0: c[i] = -1; continue; case 1: break; } c[i] = Heavy(i); } }
        public static object Run(int n) { var c = new long[n]; K(c); return c; }
        }
        """));

    [Fact]
    public Task AdversarialProbe_301_user_Partitioner() => Probe("301_user_Partitioner", Rule.Parallel, runs: 3, source: Src("""
        public static class P
        {
        
        static void K(double[] a, double[] c) { for (int i = 0; i < c.Length; i++) { c[i] = a[i] * a[i] + a[i] * 3 - a[i] / 7 + a[i] * a[i] * a[i] - 1 + a[i] * 2 + a[i] * 5 + a[i] * a[i] * 4 + a[i] * 9 - a[i] * 11; } }
        public static object Run(int n) { var a = G.D(n, 1); var c = new double[n]; K(a, c); return c; }
        }
        public static class Partitioner { public static int Create(int a, int b) => 0; }
        public static class Interlocked { 
        }
        """));

    [Fact]
    public Task AdversarialProbe_301_user_Parallel() => Probe("301_user_Parallel", Rule.Parallel, runs: 3, source: Src("""
        public static class P
        {
        static long Heavy(long x) { long c = 0; while (x > 1 && c < 500) { x = (x % 2 == 0) ? x / 2 : 3 * x + 1; c++; } return c; }
        static long K(int n) { long total = 0; for (int i = 1; i <= n; i++) { total += Heavy(i); } return total; }
        public static object Run(int n) => K(n);
        }
        public static class Parallel { 
        }
        """));

    [Fact]
    public Task AdversarialProbe_301_jagged_param_rows_alias() => Probe("301_jagged_param_rows_alias", Rule.Parallel, runs: 5, source: Src("""
        public static class P
        {
        static long Heavy(long x) { long c = 0; while (x > 1 && c < 500) { x = (x % 2 == 0) ? x / 2 : 3 * x + 1; c++; } return c; }
        static void K(long[][] c) { for (int i = 0; i < c.Length; i++) { for (int j = 0; j < c[i].Length; j++) { c[i][j] = Heavy(i * 31 + j); } } }
        public static object Run(int n) { var row = new long[4]; var c = new long[n][]; for (int k = 0; k < n; k++) c[k] = row; K(c); return row; }
        }
        """));

    // ---------- NOGIL301: loop versioning (ReferenceEquals) and column partitions ----------

    [Fact]
    public async Task AdversarialProbe_301_guard_shift_aliased() => Assert.Contains("ReferenceEquals(dst, src)", await Probe("301_guard_shift_aliased", Rule.Parallel, runs: 3, source: Src("""
        public static class P
        {
        static long Heavy(long x) { long c = 0; while (x > 1 && c < 500) { x = (x % 2 == 0) ? x / 2 : 3 * x + 1; c++; } return c; }
        static void K(long[] dst, long[] src) { for (int i = 0; i < dst.Length - 1; i++) { dst[i] = Heavy(src[i + 1]) + src[i + 1]; } }
        public static object Run(int n) { var a = new long[n + 1]; for (int k = 0; k < a.Length; k++) a[k] = k * 7 + 3; var b = (long[])a.Clone(); var c = new long[n + 1]; K(a, a); K(c, b); return new[] { a, c }; }
        }
        """)), StringComparison.Ordinal);

    [Fact]
    public async Task AdversarialProbe_301_guard_fields_made_one() => Assert.Contains("ReferenceEquals(_a, _b)", await Probe("301_guard_fields_made_one", Rule.Parallel, runs: 3, source: Src("""
        public sealed class P
        {
        long[] _a = new long[0], _b = new long[0];
        static long Heavy(long x) { long c = 0; while (x > 1 && c < 500) { x = (x % 2 == 0) ? x / 2 : 3 * x + 1; c++; } return c; }
        void K() { for (int i = 1; i < _a.Length; i++) { _a[i] = Heavy(_b[i - 1]) + _b[i - 1]; } }
        public static object Run(int n) { var p = new P(); p._a = new long[n]; for (int k = 0; k < n; k++) p._a[k] = k + 2; p._b = p._a; p.K(); return p._a; }
        }
        """)), StringComparison.Ordinal);

    [Fact]
    public async Task AdversarialProbe_301_guard_locals_of_one_array() => Assert.Contains("ReferenceEquals(x, y)", await Probe("301_guard_locals_of_one_array", Rule.Parallel, runs: 3, source: Src("""
        public static class P
        {
        static long Heavy(long x) { long c = 0; while (x > 1 && c < 500) { x = (x % 2 == 0) ? x / 2 : 3 * x + 1; c++; } return c; }
        public static object Run(int n) { var arr = new long[n + 1]; for (int k = 0; k < arr.Length; k++) arr[k] = 3 * k + 1; long[] x = arr; long[] y = Pick(arr); for (int i = 0; i < n; i++) { x[i] = Heavy(y[i + 1]) + y[i + 1]; } return arr; }
        static long[] Pick(long[] a) => a;
        }
        """)), StringComparison.Ordinal);

    [Fact]
    public async Task AdversarialProbe_301_guard_matrix_multiply_aliased() => Assert.Contains("ReferenceEquals(c, b)", await Probe("301_guard_matrix_multiply_aliased", Rule.Parallel, runs: 3, source: Src("""
        public static class P
        {
        static void Multiply(double[,] a, double[,] b, double[,] c) { int n = c.GetLength(0), m = c.GetLength(1), p = a.GetLength(1); for (int i = 0; i < n; i++) { for (int j = 0; j < m; j++) { double s = 0; for (int k = 0; k < p; k++) { s += a[i, k] * b[k, j]; } c[i, j] = s; } } }
        public static object Run(int n) { int s = Math.Min(n, 40); var a = new double[s, s]; for (int i = 0; i < s; i++) for (int j = 0; j < s; j++) a[i, j] = ((i * 7 + j * 3) % 11) - 5; var b = (double[,])a.Clone(); var c = (double[,])a.Clone(); Multiply(a, a, a); Multiply(b, c, c); return new[] { a, c }; }
        }
        """)), StringComparison.Ordinal);

    [Fact]
    public async Task AdversarialProbe_301_column_partition_aliased() => Assert.Contains("Parallel.For(0, order, i =>", await Probe("301_column_partition_aliased", Rule.Parallel, runs: 3, source: Src("""
        public static class P
        {
        static long Heavy(long x) { long c = 0; while (x > 1 && c < 500) { x = (x % 2 == 0) ? x / 2 : 3 * x + 1; c++; } return c; }
        static void K(long[] a, long[] r, int order) { for (int i = 0; i < order; i++) { for (int j = 0; j < order; j++) { r[j * order + i] = Heavy(a[j * order + i]) + a[j * order + i]; } } }
        public static object Run(int n) { int s = Math.Min(n, 30); var a = new long[s * s]; for (int k = 0; k < a.Length; k++) a[k] = k + 5; K(a, a, s); return a; }
        }
        """)), StringComparison.Ordinal);

    [Fact]
    public Task AdversarialProbe_301_foreach_heavy() => Probe("301_foreach_heavy", Rule.Parallel, runs: 3, source: Src("""
        public static class P
        {
        static long Heavy(long x) { long c = 0; while (x > 1 && c < 500) { x = (x % 2 == 0) ? x / 2 : 3 * x + 1; c++; } return c; }
        static long K(int[] a) { long t = 0; foreach (var x in a) { t += Heavy(x & 0xFFFF); } return t; }
        public static object Run(int n) => K(G.I(n, 1));
        }
        """));

    [Fact]
    public Task AdversarialProbe_301_inner_induction_read_after() => Probe("301_inner_induction_read_after", Rule.Parallel, runs: 3, source: Src("""
        public static class P
        {
        static long Heavy(long x) { long c = 0; while (x > 1 && c < 500) { x = (x % 2 == 0) ? x / 2 : 3 * x + 1; c++; } return c; }
        static void K(long[] c) { for (int i = 0; i < c.Length; i++) { int j; for (j = 0; j < 10; j++) { if (Heavy(i + j) > 30) break; } c[i] = j; } }
        public static object Run(int n) { var c = new long[n]; K(c); return c; }
        }
        """));

    [Fact]
    public Task AdversarialProbe_301_long_index() => Probe("301_long_index", Rule.Parallel, runs: 3, source: Src("""
        public static class P
        {
        static long Heavy(long x) { long c = 0; while (x > 1 && c < 500) { x = (x % 2 == 0) ? x / 2 : 3 * x + 1; c++; } return c; }
        static long K(long n) { long total = 0; for (long i = 1; i <= n; i++) { total += Heavy(i); } return total; }
        public static object Run(int n) => K(n);
        }
        """));

    [Fact]
    public Task AdversarialProbe_301_ranged_le() => Probe("301_ranged_le", Rule.Parallel, runs: 3, source: Src("""
        public static class P
        {
        
        static void K(double[] a, double[] c, int lo, int hi) { for (int i = lo; i <= hi; i++) { c[i] = a[i] * a[i] + a[i] * 3 - a[i] / 7 + a[i] * a[i] * a[i] - 1 + a[i] * 2 + a[i] * 5 + a[i] * a[i] * 4 + a[i] * 9 - a[i] * 11; } }
        public static object Run(int n) { var a = G.D(n, 1); var c = new double[n]; K(a, c, 0, n - 1); K(a, c, n, n - 5); return c; }
        }
        """));

    [Fact]
    public Task AdversarialProbe_301_sum_float_lock() => Probe("301_sum_float_lock", Rule.Parallel, runs: 3, tolerance: 1e-4, source: Src("""
        public static class P
        {
        
        static float K(float[] a) { float s = 0; for (int i = 0; i < a.Length; i++) { s += MathF.Sin(a[i]) * MathF.Exp(-a[i] * a[i]); } return s; }
        public static object Run(int n) { var a = G.F(n, 1); for (int k = 0; k < n; k++) if (!float.IsFinite(a[k])) a[k] = 1; return (double)K(a); }
        }
        """));

    [Fact]
    public Task AdversarialProbe_301_expression_bodied_not_block() => Probe("301_expression_bodied_not_block", Rule.Parallel, runs: 3, source: Src("""
        public static class P
        {
        static long Heavy(long x) { long c = 0; while (x > 1 && c < 500) { x = (x % 2 == 0) ? x / 2 : 3 * x + 1; c++; } return c; }
        static void K(long[] c, bool f) { if (f) for (int i = 0; i < c.Length; i++) c[i] = Heavy(i); }
        public static object Run(int n) { var c = new long[n]; K(c, true); return c; }
        }
        """));
}
