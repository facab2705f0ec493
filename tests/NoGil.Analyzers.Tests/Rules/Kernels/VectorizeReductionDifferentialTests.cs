using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using NoGil.Analyzers.Infrastructure;
using NoGil.Analyzers.Rules.Kernels;
using NoGil.Analyzers.Tests.Infrastructure;
using NoGil.CodeFixes.Rules.Kernels;
using Xunit;

namespace NoGil.Analyzers.Tests.Rules.Kernels;

/// <summary>
/// NOGIL303 differential tests: for every element type, a class of reduction loops of every kind and shape is fixed by
/// the real fixer (TensorPrimitives available or not), both versions are compiled and run on the same random inputs
/// at <see cref="KernelData.Sizes"/>, and the results are compared: bit for bit, except floating-point sums, dot
/// products, sums of squares and sums of magnitudes, which may differ by the documented reassociation bound
/// <c>2·γ(n+1)·Σ|term|</c> with <c>γ(k) = k·u / (1 − k·u)</c> and <c>u</c> the unit roundoff (2⁻²⁴ for
/// <c>float</c>, 2⁻⁵³ for <c>double</c>): each of the two orders is within <c>γ(n+1)·Σ|term|</c> of the exact sum of
/// the <c>n</c> terms and the initial value (the standard forward error bound of summation in any order).
/// </summary>
public sealed class VectorizeReductionDifferentialTests
{
    private static readonly string[] AllTypes = { "int", "long", "uint", "ulong", "short", "ushort", "byte", "sbyte", "float", "double" };

    public static TheoryData<string, bool> Cases
    {
        get
        {
            var data = new TheoryData<string, bool>();
            foreach (var type in AllTypes)
            {
                data.Add(type, false);
                data.Add(type, true);
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task FixedReductionsComputeTheSameResults(string type, bool withTensors)
    {
        var (source, methods) = Kernels(type);
        var result = await FixRunner.FixAllAsync(
            source,
            new VectorizeReductionAnalyzer(),
            new VectorizeReductionFixer(),
            withTensors ? TestReferences.Runtime.Add(TestReferences.TensorsRuntime) : TestReferences.Runtime,
            isFixable: d => DiagnosticProperties.GetFixes(d).Any());

        // Every loop is reported; the ones that need TensorPrimitives stay unfixed without it, all others are fixed.
        var report = string.Join("\n", result.Initial.Select(d => d.Location.GetLineSpan().StartLinePosition.Line + 1 + ": " + d.GetMessage() + " [" + string.Join(",", DiagnosticProperties.GetFixes(d)) + "]")) + "\n" + source;
        Assert.True(methods.Count == result.Initial.Length, "not every loop is reported:\n" + report);
        var needTensors = methods.Count(m => NeedsTensorPrimitives(m, type));
        Assert.True((withTensors ? 0 : needTensors) == result.Unfixed.Length, "unexpected fixes:\n" + report);
        Assert.Equal(methods.Count - result.Unfixed.Length, result.FixedCount);
        Assert.Contains(withTensors ? "TensorPrimitives." : "Vector<", result.FixedSource, StringComparison.Ordinal);

        var references = withTensors ? new[] { TestReferences.TensorsRuntime } : Array.Empty<Microsoft.CodeAnalysis.MetadataReference>();
        using var before = CompileAndRun.Load(source, references);
        using var after = CompileAndRun.Load(result.FixedSource, references);
        var elementType = ClrType(type);
        var random = new Random(303);
        foreach (var size in KernelData.Sizes)
        {
            foreach (var data in Inputs(elementType, size, random))
            {
                foreach (var method in methods)
                {
                    var arguments = new object[] { data.A, data.B, data.Init, data.Threshold };
                    var expected = before.Invoke("K", method, arguments);
                    var actual = after.Invoke("K", method, arguments);
                    var context = $"{type} {method} n={size} ({data.Name}, TensorPrimitives: {withTensors})";
                    if (ReordersAdditions(method, type))
                    {
                        AssertWithinReassociationBound(expected!, actual!, Bound(method, type, data), context);
                    }
                    else
                    {
                        KernelData.AssertSame(expected, actual, context: context);
                    }
                }
            }
        }
    }

    [Fact]
    public void TensorPrimitivesSumOfIntegersWrapsAround()
    {
        // The TensorPrimitives fix of an integer sum relies on Sum<int> wrapping in unchecked arithmetic, like the loop.
        var values = new[] { int.MaxValue, int.MaxValue, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18 };
        var scalar = 0;
        foreach (var value in values)
        {
            scalar = unchecked(scalar + value);
        }

        Assert.Equal(scalar, System.Numerics.Tensors.TensorPrimitives.Sum<int>(values));
    }

    private static bool NeedsTensorPrimitives(string method, string type)
        => method.EndsWith("_N", StringComparison.Ordinal) || method.Contains("_Inclusive", StringComparison.Ordinal)
           || (IsFloat(type) && (method.Contains("MathMax", StringComparison.Ordinal) || method.Contains("MathMin", StringComparison.Ordinal)));

    private static bool ReordersAdditions(string method, string type)
        => IsFloat(type) && (method.StartsWith("Sum", StringComparison.Ordinal) || method.StartsWith("Dot", StringComparison.Ordinal));

    private static bool IsFloat(string type) => type is "float" or "double";

    private static bool IsWide(string type) => type is "int" or "long" or "uint" or "ulong" or "float" or "double";

    /// <summary>The kernels for one element type: a class K of static methods (a, b, init, t) and their names.</summary>
    private static (string Source, List<string> Methods) Kernels(string t)
    {
        var methods = new List<string>();
        var body = new StringBuilder();
        void Add(string name, string returnType, string code)
        {
            methods.Add(name);
            body.Append($$"""
                    public static {{returnType}} {{name}}({{t}}[] a, {{t}}[] b, {{t}} init, {{t}} t)
                    {
                {{code}}
                    }

                """);
        }

        void Fold(string name, string statement, string loop = "for (int i = 0; i < a.Length; i++)", string setup = "")
            => Add(name, t, $$"""
                        var s = init;
                        {{setup}}
                        {{loop}}
                        {
                            {{statement}}
                        }

                        return s;
                """);

        // Sums, over every shape of range.
        Fold("Sum_Array", "s += a[i];");
        Fold("Sum_Lo", "s += a[i];", "for (int i = a.Length / 3; i < a.Length; i++)");
        Fold("Sum_N", "s += a[i];", "for (int i = 0; i < n; i++)", "int n = a.Length - 1;");
        Fold("Sum_Inclusive", "s += a[i];", "for (int i = 1; i <= last; i++)", "int last = a.Length - 2;");
        Fold("Sum_Span", "s += span[i];", "for (int i = 0; i < span.Length; i++)", $"ReadOnlySpan<{t}> span = a;");
        Fold("Sum_SpanLo", "s += span[i];", "for (int i = span.Length / 2; i < span.Length; i++)", $"Span<{t}> span = a;");
        Fold("Sum_ForEach", "s += x;", "foreach (var x in a)");
        if (IsWide(t))
        {
            Fold("Sum_Assign", "s = s + a[i];");
            Fold("Dot_Array", "s += a[i] * b[i];");
            Fold("Dot_Lo", "s += a[i] * b[i];", "for (int i = a.Length / 4; i < a.Length; i++)");
            Fold("Dot_Span", "s += x[i] * y[i];", "for (int i = 0; i < x.Length; i++)", $"ReadOnlySpan<{t}> x = a; ReadOnlySpan<{t}> y = b;");
            Fold("SumOfSquares_Array", "s += a[i] * a[i];");
            Fold("SumOfSquares_ForEach", "s += x * x;", "foreach (var x in a)");
        }

        if (IsFloat(t))
        {
            Fold("SumOfMagnitudes_Array", "s += Math.Abs(a[i]);");
            Fold("SumOfMagnitudes_N", "s += Math.Abs(a[i]);", "for (int i = 0; i < n; i++)", "int n = a.Length / 2;");
        }

        // Min and max: Math.Max/Min (either order) and the compare forms.
        Fold("MathMax_Array", "s = Math.Max(s, a[i]);");
        Fold("MathMin_Swapped", "s = Math.Min(a[i], s);");
        Fold("MathMax_ForEach", "s = Math.Max(s, x);", "foreach (var x in a)");
        Fold("MathMin_N", "s = Math.Min(s, a[i]);", "for (int i = 0; i < n; i++)", "int n = a.Length - 3;");
        Fold("CompareMax_Array", "if (a[i] > s) s = a[i];");
        Fold("CompareMin_Array", "if (a[i] < s) { s = a[i]; }");
        Fold("CompareMax_Reversed", "if (s < a[i]) s = a[i];");
        Fold("CompareMax_ForEach", "if (x > s) s = x;", "foreach (var x in a)");
        Fold("CompareMin_Span", "if (span[i] < s) s = span[i];", "for (int i = 0; i < span.Length; i++)", $"ReadOnlySpan<{t}> span = a;");
        Fold("CompareMax_Lo", "if (a[i] > s) s = a[i];", "for (int i = a.Length / 5; i < a.Length; i++)");

        // Conditional counts, for 32- and 64-bit elements; the int counter starts near int.MaxValue to show it wraps.
        if (t is "int" or "long" or "float" or "double")
        {
            void Count(string name, string condition, string counter = "int", string loop = "for (int i = 0; i < a.Length; i++)", string setup = "")
                => Add(name, counter, $$"""
                            {{counter}} count = {{(counter == "int" ? "int.MaxValue - 3" : "-7")}};
                            {{setup}}
                            {{loop}}
                            {
                                if ({{condition}}) count++;
                            }

                            return count;
                    """);

            Count("Count_Greater", "a[i] > t");
            Count("Count_GreaterOrEqual", "a[i] >= t", "long");
            Count("Count_Less", "t > a[i]");
            Count("Count_LessOrEqual", "a[i] <= t");
            Count("Count_Equal", "a[i] == t", "long");
            Count("Count_NotEqual", "a[i] != t");
            Count("Count_Zero", "a[i] > 0");
            Count("Count_ForEach", "x < t", "int", "foreach (var x in a)");
            Count("Count_Span", "span[i] >= t", "long", "for (int i = 0; i < span.Length; i++)", $"ReadOnlySpan<{t}> span = a;");
        }

        var source = $$"""
            using System;

            public static class K
            {
            {{body}}}
            """;
        return (source, methods);
    }

    private sealed record Input(string Name, Array A, Array B, object Init, object Threshold);

    private static IEnumerable<Input> Inputs(Type type, int size, Random random)
    {
        for (var seed = 0; seed < 3; seed++)
        {
            var specials = seed != 1;
            var a = KernelData.RandomArray(type, size, random, specials);
            var b = KernelData.RandomArray(type, size, random, specials);
            yield return new Input(specials ? "random with NaN, ±0, ±∞" : "random", a, b, InitialValue(type, random), Threshold(type, a, random));
        }

        if (type == typeof(float) || type == typeof(double))
        {
            // Maxima and minima that are zeros, with +0 and -0 in every order, and NaN.
            foreach (var sign in new[] { -1, 1 })
            {
                var a = KernelData.RandomArray(type, size, random, specials: true);
                for (var k = 0; k < size; k++)
                {
                    var value = Convert.ToDouble(a.GetValue(k));
                    value = random.Next(4) == 0 ? (random.Next(2) == 0 ? 0d : -0d) : sign * Math.Abs(value);
                    a.SetValue(type == typeof(float) ? (object)(float)value : value, k);
                }

                var zero = random.Next(2) == 0 ? 0d : -0d;
                var init = random.Next(3) == 0 ? InitialValue(type, random) : (type == typeof(float) ? (object)(float)zero : zero);
                yield return new Input(sign < 0 ? "non-positive with ±0" : "non-negative with ±0", a, KernelData.RandomArray(type, size, random), init, Threshold(type, a, random));
            }
        }
    }

    private static object InitialValue(Type type, Random random)
    {
        if (type == typeof(float) || type == typeof(double))
        {
            double[] specials = { double.NaN, 0d, -0d, double.PositiveInfinity, double.NegativeInfinity };
            var value = random.Next(3) == 0 ? specials[random.Next(specials.Length)] : Convert.ToDouble(KernelData.RandomValue(type, random));
            return type == typeof(float) ? (object)(float)value : value;
        }

        return KernelData.RandomValue(type, random);
    }

    private static object Threshold(Type type, Array a, Random random)
        => a.Length > 0 && random.Next(2) == 0 ? a.GetValue(random.Next(a.Length))! : KernelData.RandomValue(type, random);

    /// <summary>2·γ(n+1)·Σ|term| over the whole arrays (a superset of every loop's range) and the initial value.</summary>
    private static double Bound(string method, string type, Input data)
    {
        var a = data.A.Cast<object>().Select(Convert.ToDouble).ToArray();
        var b = data.B.Cast<object>().Select(Convert.ToDouble).ToArray();
        var terms = method.StartsWith("Dot", StringComparison.Ordinal) ? a.Zip(b, (x, y) => Math.Abs(x * y))
            : method.StartsWith("SumOfSquares", StringComparison.Ordinal) ? a.Select(x => x * x)
            : a.Select(Math.Abs);
        // Non-finite terms outside the loop's range do not count; inside it, the result is non-finite and compared exactly.
        var magnitude = terms.Where(double.IsFinite).Sum() + Math.Abs(Convert.ToDouble(data.Init));
        var unitRoundoff = type == "float" ? Math.Pow(2, -24) : Math.Pow(2, -53);
        var k = a.Length + 1;
        var gamma = k * unitRoundoff / (1 - (k * unitRoundoff));
        return 2 * gamma * magnitude;
    }

    private static void AssertWithinReassociationBound(object expected, object actual, double bound, string context)
    {
        var e = Convert.ToDouble(expected);
        var x = Convert.ToDouble(actual);
        Assert.True(expected.GetType() == actual.GetType(), context + ": result types differ");
        if (!double.IsFinite(e))
        {
            // NaN and infinities come from NaN or infinite inputs, whatever the order (no finite sum here overflows).
            Assert.True(e.Equals(x), $"{context}: expected {e:R}, got {x:R}");
            return;
        }

        Assert.True(Math.Abs(e - x) <= bound, $"{context}: expected {e:R}, got {x:R}, difference {Math.Abs(e - x):R} exceeds the reassociation bound {bound:R}");
    }

    private static Type ClrType(string type) => type switch
    {
        "int" => typeof(int),
        "long" => typeof(long),
        "uint" => typeof(uint),
        "ulong" => typeof(ulong),
        "short" => typeof(short),
        "ushort" => typeof(ushort),
        "byte" => typeof(byte),
        "sbyte" => typeof(sbyte),
        "float" => typeof(float),
        _ => typeof(double),
    };
}
