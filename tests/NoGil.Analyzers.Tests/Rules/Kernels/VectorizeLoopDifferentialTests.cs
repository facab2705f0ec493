using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Reflection;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using NoGil.Analyzers.Infrastructure;
using NoGil.Analyzers.Rules.Kernels;
using NoGil.Analyzers.Tests.Infrastructure;
using NoGil.CodeFixes.Infrastructure;
using NoGil.CodeFixes.Rules.Kernels;
using Xunit;
using Xunit.Abstractions;

namespace NoGil.Analyzers.Tests.Rules.Kernels;

/// <summary>
/// NOGIL302 differential tests: kernels over every supported element type are fixed by running the fixer, the code
/// before and after the fix is compiled into separate assemblies and run on the same random inputs (NaN, ±0 and ±∞
/// included for floating point) at every size of <see cref="KernelData.Sizes"/>; every output array must be
/// bit-identical — except for the transcendental TensorPrimitives functions, which are declared approximate and are
/// compared within <see cref="ApproximateFloatTolerance"/> and <see cref="ApproximateDoubleTolerance"/>.
/// </summary>
public sealed class VectorizeLoopDifferentialTests
{
    /// <summary>
    /// The tolerance declared for TensorPrimitives.Exp/Log/Sin/Cos/Tanh/Sigmoid against Math/MathF on float:
    /// |difference| ≤ 1e-6 · max(1, |result|), about 8 units in the last place of 1f. Measured (System.Numerics.Tensors
    /// 10.0.0, x64 AVX-512): at most 1.7e-7 — e.g. TensorPrimitives.Tanh(0f) is -6e-8 where MathF.Tanh(0f) is 0.
    /// </summary>
    public const double ApproximateFloatTolerance = 1e-6;

    /// <summary>The same for double: 1e-14 · max(1, |result|), about 45 units in the last place of 1.0. Measured: at most 4.2e-16.</summary>
    public const double ApproximateDoubleTolerance = 1e-14;

    private static readonly string TensorPrimitivesKey = NoGilCodeFixProvider.EquivalenceKey(RuleIdentifiers.VectorizeLoop, FixKind.TensorPrimitives);
    private static readonly string VectorKey = NoGilCodeFixProvider.EquivalenceKey(RuleIdentifiers.VectorizeLoop, FixKind.VectorLoop);
    private static readonly string[] FloatingTypes = { "float", "double" };
    private static readonly string[] WideIntegerTypes = { "int", "uint", "long", "ulong" };
    private static readonly string[] SmallIntegerTypes = { "short", "ushort", "byte", "sbyte" };

    private readonly ITestOutputHelper _output;

    public VectorizeLoopDifferentialTests(ITestOutputHelper output) => _output = output;

    public static TheoryData<string> AllTypes => new(FloatingTypes.Concat(WideIntegerTypes).Concat(SmallIntegerTypes));

    public static TheoryData<string> Floating => new(FloatingTypes);

    // ----- Vector<T> fix -----

    [Theory]
    [MemberData(nameof(AllTypes))]
    public async Task VectorFix_ComputesTheSameElements(string type)
    {
        var source = Source(type, VectorKernels(type));
        var (fixedSource, fixedLoops) = await ApplyFixAsync(source, VectorKey, tensors: false);
        Assert.Equal(CountLoops(source), fixedLoops);
        Assert.Contains("Vector<" + type + ">.Count", fixedSource, StringComparison.Ordinal);
        await AssertNotReportedAsync(fixedSource, tensors: false);
        RunBoth(source, fixedSource, tensors: false, tolerance: 0);
    }

    // ----- TensorPrimitives fix, exact operations -----

    [Theory]
    [MemberData(nameof(AllTypes))]
    public async Task TensorPrimitivesFix_ComputesTheSameElements(string type)
    {
        var source = Source(type, TensorKernels(type));
        var (fixedSource, fixedLoops) = await ApplyFixAsync(source, TensorPrimitivesKey, tensors: true);
        Assert.Equal(CountLoops(source), fixedLoops);
        Assert.DoesNotContain("for (", fixedSource, StringComparison.Ordinal);
        await AssertNotReportedAsync(fixedSource, tensors: true);
        RunBoth(source, fixedSource, tensors: true, tolerance: 0);
    }

    // ----- TensorPrimitives fix, approximate transcendental functions -----

    [Theory]
    [MemberData(nameof(Floating))]
    public async Task TensorPrimitivesFix_TranscendentalsWithinTheDeclaredTolerance(string type)
    {
        var math = type == "float" ? "MathF" : "Math";
        var one = type == "float" ? "1f" : "1.0";
        var kernels = new StringBuilder();
        foreach (var function in new[] { "Exp", "Log", "Sin", "Cos", "Tanh" })
        {
            kernels.Append(Loop(function, $"{type}[] a, {type}[] c", $"c[i] = {math}.{function}(a[i]);"));
        }

        kernels.Append(Loop("Sigmoid", $"{type}[] a, {type}[] c", $"c[i] = {one} / ({one} + {math}.Exp(-a[i]));"));
        if (type == "float")
        {
            // A float kernel written with the double Math functions, rounded back to float.
            kernels.Append(Loop("ExpThroughDouble", "float[] a, float[] c", "c[i] = (float)Math.Exp(a[i]);"));
        }

        var source = Source(type, kernels.ToString());
        var (fixedSource, fixedLoops) = await ApplyFixAsync(source, TensorPrimitivesKey, tensors: true);
        Assert.Equal(CountLoops(source), fixedLoops);
        foreach (var (kernel, error) in RunBoth(source, fixedSource, tensors: true, tolerance: type == "float" ? ApproximateFloatTolerance : ApproximateDoubleTolerance))
        {
            _output.WriteLine($"{type} {kernel}: largest |difference| / max(1, |result|) = {error:R}");
        }
    }

    // ----- Kernels -----

    private static string VectorKernels(string t)
    {
        var k = new StringBuilder();
        if (FloatingTypes.Contains(t))
        {
            var math = t == "float" ? "MathF" : "Math";
            k.Append(Loop("Add", $"{t}[] a, {t}[] b, {t}[] c", "c[i] = a[i] + b[i];"));
            k.Append(Loop("Expression", $"{t}[] a, {t}[] b, {t}[] c, {t} s", "c[i] = (a[i] - s) * b[i] / (b[i] + 2) + -a[i];"));
            k.Append(Loop("Saxpy", $"{t} s, {t}[] x, {t}[] y", "y[i] = s * x[i] + y[i];"));
            k.Append(Loop("CompoundDivide", $"{t}[] a, {t}[] c, {t} s", "c[i] -= a[i] / s;"));
            k.Append(Loop("ScalarOverElement", $"{t}[] a, {t}[] c, {t} s", "c[i] = s / a[i] - s;"));
            k.Append(Loop("Sqrt", $"{t}[] a, {t}[] c", $"c[i] = {math}.Sqrt(a[i]);"));
            k.Append(Loop("AbsTimesScalar", $"{t}[] a, {t}[] c, {t} s", $"c[i] = {math}.Abs(a[i]) * s;"));
            k.Append(Loop("InPlace", $"{t}[] a, {t} s", "a[i] = a[i] * s + s;"));
            if (t == "float")
            {
                k.Append(Loop("SqrtThroughDouble", "float[] a, float[] c", "c[i] = (float)Math.Sqrt(a[i]);"));
            }
        }
        else if (WideIntegerTypes.Contains(t))
        {
            var signed = t is "int" or "long";
            k.Append(Loop("Add", $"{t}[] a, {t}[] b, {t}[] c", "c[i] = a[i] + b[i];"));
            k.Append(Loop("Bitwise", $"{t}[] a, {t}[] b, {t}[] c, {t} s", "c[i] = ((a[i] ^ b[i]) & s) | ~a[i] - b[i] * 3;"));
            k.Append(Loop("Shifts", $"{t}[] a, {t}[] b, {t}[] c", $"c[i] = (a[i] << 3) ^ (b[i] >> 5) ^ (a[i] >> {(t is "int" or "uint" ? 31 : 63)});"));
            k.Append(Loop("MinMax", $"{t}[] a, {t}[] b, {t}[] c, {t} s", "c[i] = Math.Max(a[i], Math.Min(b[i], s));"));
            k.Append(Loop("CompoundMultiply", $"{t}[] a, {t}[] c, {t} s", "c[i] += a[i] * s;"));
            k.Append(Loop("CompoundXor", $"{t}[] a, {t}[] c", "c[i] ^= a[i];"));
            var negated = t switch
            {
                "uint" => "(uint)(-a[i])", // -a[i] is long arithmetic; the cast keeps the wrapped uint
                "ulong" => "(0 - a[i])",
                _ => "-a[i]",
            };
            k.Append(Loop("Negate", $"{t}[] a, {t}[] c, {t} s", $"c[i] = {negated} + s;"));
            if (signed)
            {
                k.Append(Loop("UnsignedShift", $"{t}[] a, {t}[] c", "c[i] = (a[i] >>> 7) + a[i];"));
            }
        }
        else
        {
            k.Append(Loop("Add", $"{t}[] a, {t}[] b, {t}[] c", $"c[i] = ({t})(a[i] + b[i]);"));
            k.Append(Loop("Expression", $"{t}[] a, {t}[] b, {t}[] c, {t} s", $"c[i] = ({t})((a[i] * b[i]) ^ (a[i] - s) | ~b[i]);"));
            k.Append(Loop("Compound", $"{t}[] a, {t}[] c", "c[i] += a[i];"));
            k.Append(Loop("Negate", $"{t}[] a, {t}[] c", $"c[i] = ({t})(-a[i] + 7);"));
            k.Append(Loop("Constants", $"{t}[] a, {t}[] c", $"c[i] = ({t})(a[i] * 3 + 1);"));
            k.Append(Loop("Max", $"{t}[] a, {t}[] b, {t}[] c", "c[i] = Math.Max(a[i], b[i]);"));
        }

        // Bounds: a sub-range with int bounds (the long-widened condition), and an inclusive bound.
        var op = FloatingTypes.Contains(t) ? "a[i] * b[i] - a[i]" : SmallIntegerTypes.Contains(t) ? $"({t})(a[i] * b[i] - a[i])" : "a[i] * b[i] - a[i]";
        k.Append(Loop("Range", $"{t}[] a, {t}[] b, {t}[] c, int lo, int hi", $"c[i] = {op};", "int i = lo; i < hi; i++"));
        k.Append(Loop("Inclusive", $"{t}[] a, {t}[] b, {t}[] c, int lo, int hi", $"c[i] = {op};", "int i = lo; i <= hi - 1; ++i"));

        // A scalar read through an auto-property, set from the random input first.
        var propertyOp = FloatingTypes.Contains(t) ? "a[i] * Level - c[i]" : SmallIntegerTypes.Contains(t) ? $"({t})(a[i] + Level)" : "(a[i] ^ Level) + c[i]";
        k.Append($$"""
                public static {{t}} Level { get; set; }

                public static void PropertyScalar({{t}}[] a, {{t}}[] c, {{t}} s)
                {
                    Level = s;
                    PropertyKernel(a, c);
                }

                private static void PropertyKernel({{t}}[] a, {{t}}[] c)
                {
                    for (int i = 0; i < c.Length; i++)
                    {
                        c[i] = {{propertyOp}};
                    }
                }

            """);

        // Spans, and a destination that overlaps a source one element ahead: the vector loop must not run then.
        var spanOp = SmallIntegerTypes.Contains(t) ? $"({t})(a[i] * b[i] + a[i])" : "a[i] * b[i] + a[i]";
        k.Append($$"""
                public static void Spans({{t}}[] a, {{t}}[] b, {{t}}[] c) => SpanKernel(a, b, c);

                public static void SpansOverlapping({{t}}[] a, {{t}}[] b)
                {
                    var m = Math.Max(a.Length - 1, 0);
                    SpanKernel(a.AsSpan(0, m), b.AsSpan(0, m), a.AsSpan(a.Length - m, m));
                }

                private static void SpanKernel(ReadOnlySpan<{{t}}> a, ReadOnlySpan<{{t}}> b, Span<{{t}}> c)
                {
                    for (int i = 0; i < c.Length; i++)
                    {
                        c[i] = {{spanOp}};
                    }
                }

            """);
        return k.ToString();
    }

    private static string TensorKernels(string t)
    {
        var k = new StringBuilder();
        if (FloatingTypes.Contains(t))
        {
            var math = t == "float" ? "MathF" : "Math";
            k.Append(Loop("Add", $"{t}[] a, {t}[] b, {t}[] c", "c[i] = a[i] + b[i];"));
            k.Append(Loop("Subtract", $"{t}[] a, {t}[] b, {t}[] c", "c[i] = a[i] - b[i];"));
            k.Append(Loop("ScalarMinus", $"{t}[] a, {t}[] c, {t} s", "c[i] = s - a[i];"));
            k.Append(Loop("ScalarTimes", $"{t}[] a, {t}[] c, {t} s", "c[i] = s * a[i];"));
            k.Append(Loop("Divide", $"{t}[] a, {t}[] b, {t}[] c", "c[i] = a[i] / b[i];"));
            k.Append(Loop("ScalarOver", $"{t}[] a, {t}[] c, {t} s", "c[i] = s / a[i];"));
            k.Append(Loop("Negate", $"{t}[] a, {t}[] c", "c[i] = -a[i];"));
            k.Append(Loop("Abs", $"{t}[] a, {t}[] c", $"c[i] = {math}.Abs(a[i]);"));
            k.Append(Loop("Sqrt", $"{t}[] a, {t}[] c", $"c[i] = {math}.Sqrt(a[i]);"));
            k.Append(Loop("Min", $"{t}[] a, {t}[] b, {t}[] c", $"c[i] = {math}.Min(a[i], b[i]);"));
            k.Append(Loop("Max", $"{t}[] a, {t}[] b, {t}[] c", $"c[i] = {math}.Max(a[i], b[i]);"));
            k.Append(Loop("MaxScalar", $"{t}[] a, {t}[] c, {t} s", $"c[i] = {math}.Max(s, a[i]);"));
            k.Append(Loop("MultiplyAdd", $"{t}[] a, {t}[] b, {t}[] d, {t}[] c", "c[i] = a[i] * b[i] + d[i];"));
            k.Append(Loop("Saxpy", $"{t} s, {t}[] x, {t}[] y", "y[i] = s * x[i] + y[i];"));
            k.Append(Loop("CompoundSaxpy", $"{t} s, {t}[] x, {t}[] y", "y[i] += x[i] * s;"));
            k.Append(Loop("AddMultiply", $"{t}[] a, {t}[] b, {t}[] c, {t} s", "c[i] = (a[i] + b[i]) * s;"));
            if (t == "float")
            {
                k.Append(Loop("SqrtThroughDouble", "float[] a, float[] c", "c[i] = (float)Math.Sqrt(a[i]);"));
            }
        }
        else
        {
            var small = SmallIntegerTypes.Contains(t);
            string Wrap(string e) => small ? $"({t})({e})" : e;
            k.Append(Loop("Add", $"{t}[] a, {t}[] b, {t}[] c", $"c[i] = {Wrap("a[i] + b[i]")};"));
            k.Append(Loop("Multiply", $"{t}[] a, {t}[] b, {t}[] c", $"c[i] = {Wrap("a[i] * b[i]")};"));
            k.Append(Loop("And", $"{t}[] a, {t}[] c, {t} s", $"c[i] = {Wrap("a[i] & s")};"));
            k.Append(Loop("Xor", $"{t}[] a, {t}[] b, {t}[] c", $"c[i] = {Wrap("a[i] ^ b[i]")};"));
            k.Append(Loop("OnesComplement", $"{t}[] a, {t}[] c", $"c[i] = {Wrap("~a[i]")};"));
            k.Append(Loop("Max", $"{t}[] a, {t}[] b, {t}[] c", "c[i] = Math.Max(a[i], b[i]);"));
            k.Append(Loop("Min", $"{t}[] a, {t}[] c, {t} s", "c[i] = Math.Min(a[i], s);"));
            k.Append(Loop("MultiplyAdd", $"{t}[] a, {t}[] b, {t}[] d, {t}[] c", $"c[i] = {Wrap("a[i] * b[i] + d[i]")};"));
            if (!small)
            {
                k.Append(Loop("ShiftLeft", $"{t}[] a, {t}[] c", "c[i] = a[i] << 5;"));
                k.Append(Loop("ShiftRight", $"{t}[] a, {t}[] c", "c[i] = a[i] >> 3;"));
                k.Append(Loop("ShiftRightLogical", $"{t}[] a, {t}[] c", "c[i] = a[i] >>> 9;"));
            }
        }

        return k.ToString();
    }

    /// <summary>A public static kernel method with one loop: by default <c>for (int i = 0; i &lt; c.Length; i++)</c> over the last array parameter.</summary>
    private static string Loop(string name, string parameters, string body, string? header = null)
    {
        var arrays = parameters.Split(',').Select(p => p.Trim().Split(' ')).Where(p => p[0].EndsWith("[]", StringComparison.Ordinal)).Select(p => p[1]).ToArray();
        header ??= $"int i = 0; i < {arrays[^1]}.Length; i++";
        return $$"""
                public static void {{name}}({{parameters}})
                {
                    for ({{header}})
                    {
                        {{body}}
                    }
                }

            """;
    }

    private static string Source(string type, string kernels) => $$"""
        using System;

        public static class Kernels
        {
        {{kernels}}}
        """;

    private static int CountLoops(string source) => source.Split("for (").Length - 1;

    // ----- Running the fixer, then both versions -----

    /// <summary>Applies the fix with <paramref name="key"/> to one diagnostic at a time until none is left; returns the text and how many loops it fixed.</summary>
    private static async Task<(string Text, int Fixed)> ApplyFixAsync(string source, string key, bool tensors)
    {
        var kind = key == TensorPrimitivesKey ? FixKind.TensorPrimitives : FixKind.VectorLoop;
        var result = await FixRunner.FixAllAsync(
            source,
            new VectorizeLoopAnalyzer(),
            new VectorizeLoopFixer(),
            References(tensors),
            isFixable: d => DiagnosticProperties.Announces(d, kind),
            equivalenceKey: key,
            maxRounds: 100);
        return (result.FixedSource, result.FixedCount);
    }

    private static async Task AssertNotReportedAsync(string fixedSource, bool tensors)
    {
        var compilation = CSharpCompilation.Create(
            "Fixed",
            new[] { CSharpSyntaxTree.ParseText(fixedSource, new CSharpParseOptions(LanguageVersion.Latest)) },
            References(tensors),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning));
        Assert.Empty(await FixRunner.AnalyzeAsync(compilation, new VectorizeLoopAnalyzer()));
    }

    private static IEnumerable<MetadataReference> References(bool tensors)
        => tensors ? TestReferences.Runtime.Add(TestReferences.TensorsRuntime) : TestReferences.Runtime;

    /// <summary>
    /// Runs every public kernel of the original and the fixed source on the same inputs at every size, and compares
    /// every array argument afterwards. Returns, per kernel, the largest difference seen, scaled as the tolerance is (0 when bit-identical).
    /// </summary>
    private static Dictionary<string, double> RunBoth(string source, string fixedSource, bool tensors, double tolerance)
    {
        var extra = tensors ? new[] { TestReferences.TensorsRuntime } : Array.Empty<MetadataReference>();
        using var before = CompileAndRun.Load(source, extra);
        using var after = CompileAndRun.Load(fixedSource, extra);
        var random = new Random(302);
        var maxError = new Dictionary<string, double>();
        var methods = before.Assembly.GetType("Kernels")!.GetMethods(BindingFlags.Public | BindingFlags.Static).Where(m => m.DeclaringType!.Name == "Kernels").ToArray();
        Assert.NotEmpty(methods);
        foreach (var method in methods)
        {
            foreach (var size in KernelData.Sizes)
            {
                var arguments = method.GetParameters().Select(p => Argument(p, size, random)).ToArray();
                var first = arguments.Select(Copy).ToArray();
                var second = arguments.Select(Copy).ToArray();
                before.Invoke("Kernels", method.Name, first);
                after.Invoke("Kernels", method.Name, second);
                for (var k = 0; k < arguments.Length; k++)
                {
                    if (first[k] is Array expected)
                    {
                        var context = $"{method.Name}, n = {size}, argument {method.GetParameters()[k].Name}";
                        AssertSameElements(expected, (Array)second[k]!, tolerance, context);
                        maxError[method.Name] = Math.Max(maxError.GetValueOrDefault(method.Name), LargestScaledDifference(expected, (Array)second[k]!));
                    }
                }
            }
        }

        return maxError;
    }

    /// <summary>
    /// Element by element: bit-identical (or within <paramref name="tolerance"/>), except that a NaN matches any NaN.
    /// Which NaN an operation on two NaNs returns (its sign bit) depends on the order in which the JIT passes the
    /// operands, for scalar code as for vector code; .NET does not specify it.
    /// </summary>
    private static void AssertSameElements(Array expected, Array actual, double tolerance, string context)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var k = 0; k < expected.Length; k++)
        {
            var e = expected.GetValue(k);
            var a = actual.GetValue(k);
            if ((e is double de && double.IsNaN(de) && a is double da && double.IsNaN(da))
                || (e is float fe && float.IsNaN(fe) && a is float fa && float.IsNaN(fa)))
            {
                continue;
            }

            KernelData.AssertSame(e, a, tolerance, context + "[" + k + "]");
        }
    }

    private static object Argument(ParameterInfo parameter, int size, Random random)
    {
        var type = parameter.ParameterType;
        if (type.IsArray)
        {
            return KernelData.RandomArray(type.GetElementType()!, size, random, specials: true);
        }

        return parameter.Name switch
        {
            "lo" => size / 3,
            "hi" => size - (size / 4),
            _ => KernelData.RandomValue(type, random),
        };
    }

    private static object? Copy(object? value) => value is Array array ? array.Clone() : value;

    /// <summary>The largest |e - a| / max(1, |e|, |a|) over the elements: the measure the tolerance bounds.</summary>
    private static double LargestScaledDifference(Array expected, Array actual)
    {
        var largest = 0.0;
        for (var k = 0; k < expected.Length; k++)
        {
            if (expected.GetValue(k) is not (float or double) || actual.GetValue(k) is not (float or double))
            {
                continue;
            }

            var e = Convert.ToDouble(expected.GetValue(k), System.Globalization.CultureInfo.InvariantCulture);
            var a = Convert.ToDouble(actual.GetValue(k), System.Globalization.CultureInfo.InvariantCulture);
            if (double.IsFinite(e) && double.IsFinite(a) && e != a)
            {
                largest = Math.Max(largest, Math.Abs(e - a) / Math.Max(1, Math.Max(Math.Abs(e), Math.Abs(a))));
            }
        }

        return largest;
    }
}
