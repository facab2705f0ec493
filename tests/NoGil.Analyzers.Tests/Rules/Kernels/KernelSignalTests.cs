using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using Verify301 = NoGil.Analyzers.Tests.Infrastructure.CodeFixVerifier<
    NoGil.Analyzers.Rules.Kernels.ParallelizeLoopAnalyzer,
    NoGil.CodeFixes.Rules.Kernels.ParallelizeLoopFixer>;
using Verify302 = NoGil.Analyzers.Tests.Infrastructure.CodeFixVerifier<
    NoGil.Analyzers.Rules.Kernels.VectorizeLoopAnalyzer,
    NoGil.CodeFixes.Rules.Kernels.VectorizeLoopFixer>;
using Verify303 = NoGil.Analyzers.Tests.Infrastructure.CodeFixVerifier<
    NoGil.Analyzers.Rules.Kernels.VectorizeReductionAnalyzer,
    NoGil.CodeFixes.Rules.Kernels.VectorizeReductionFixer>;

namespace NoGil.Analyzers.Tests.Rules.Kernels;

/// <summary>
/// Precision signals from a judged study of every NOGIL301–303 report on five public repositories (Math.NET Numerics,
/// ImageSharp, NumSharp, FamiStudio, Pinta): each must-not-flag test is a minimized snippet of a report judged correct
/// but not worth taking, each must-flag test the nearby shape the signal must keep.
/// </summary>
public sealed class KernelSignalTests
{
    private const string Collatz = """
            static int Collatz(long n)
            {
                int steps = 0;
                while (n > 1)
                {
                    n = (n & 1) == 0 ? n / 2 : (3 * n) + 1;
                    steps++;
                }

                return steps;
            }
        """;

    // ---------------------------------------------------------------------------------------------------------
    // Table loops: written only into arrays the function created, from the index and scalars, no nested work
    // ---------------------------------------------------------------------------------------------------------

    /// <summary>Math.NET Window.Hamming (and 13 other window functions, Generate.LogSpaced/Sinusoidal).</summary>
    [Fact]
    public Task TableLoop_WindowFunction_NotReported()
        => Verify301.VerifyAnalyzerAsync("""
            using System;
            static class Window
            {
                public static double[] Hamming(int width)
                {
                    const double a = 0.53836;
                    const double b = -0.46164;
                    double phaseStep = (2.0 * Math.PI) / (width - 1.0);
                    var w = new double[width];
                    for (int i = 0; i < w.Length; i++)
                    {
                        w[i] = a + b * Math.Cos(i * phaseStep);
                    }

                    return w;
                }
            }
            """);

    /// <summary>Math.NET FindRoots.ChebychevPolynomialFirstKind and the Bluestein chirp sequence (a struct per entry).</summary>
    [Fact]
    public Task TableLoop_NodesAndChirp_NotReported()
        => Verify301.VerifyAnalyzerAsync("""
            using System;
            using System.Numerics;
            static class Tables
            {
                public static double[] ChebyshevNodes(int degree, double begin, double end)
                {
                    double location = 0.5 * (begin + end);
                    double scale = 0.5 * (end - begin);
                    double angleFactor = Math.PI / (2 * degree);
                    var samples = new double[degree];
                    for (int i = 0; i < samples.Length; i++)
                    {
                        samples[i] = location + scale * Math.Cos(((2 * i) + 1) * angleFactor);
                    }

                    return samples;
                }

                static Complex[] Chirp(int n)
                {
                    double s = Math.PI / n;
                    var sequence = new Complex[n];
                    for (int k = 0; k < sequence.Length; k++)
                    {
                        double t = s * ((long)k * k);
                        sequence[k] = new Complex(Math.Cos(t), Math.Sin(t));
                    }

                    return sequence;
                }
            }
            """);

    /// <summary>
    /// ImageSharp ConvolutionProcessorHelpers.CreateGaussianBlurKernel: a table and the sum of its entries, the table then
    /// handed to a method (it is still the array the function created).
    /// </summary>
    [Fact]
    public Task TableLoop_GaussianKernelWithItsSum_NotReported()
        => Verify301.VerifyAnalyzerAsync("""
            using System;
            static class KernelHelpers
            {
                private static float Gaussian(float x, float sigma)
                {
                    float denominator = MathF.Sqrt(2 * MathF.PI) * sigma;
                    return MathF.Exp(-(x * x) / (2 * sigma * sigma)) / denominator;
                }

                internal static float[] CreateGaussianBlurKernel(int size, float weight)
                {
                    float[] kernel = new float[size];
                    float sum = 0F;
                    float midpoint = (size - 1) / 2F;
                    for (int i = 0; i < size; i++)
                    {
                        float x = i - midpoint;
                        float gx = Gaussian(x, weight);
                        sum += gx;
                        kernel[i] = gx;
                    }

                    Divide(kernel, sum);
                    return kernel;
                }

                static void Divide(float[] values, float by)
                {
                    for (int i = 0; i < values.Length; i++) values[i] /= by;
                }
            }
            """);

    /// <summary>Pinta BrightnessContrastPixelOp.CalculateTable: a 256 × 256 lookup table, constant bounds all through the nest.</summary>
    [Fact]
    public Task TableLoop_ConstantSizeLookupTable_NotReported()
        => Verify301.VerifyAnalyzerAsync("""
            static class BrightnessContrast
            {
                private static byte ClampToByte(int x) => x > 255 ? (byte)255 : x < 0 ? (byte)0 : (byte)x;

                public static byte[] CalculateTable(int brightness, int multiply, int divide)
                {
                    byte[] result = new byte[65536];
                    for (int intensity = 0; intensity < 256; intensity++)
                    {
                        int shift = (intensity - 127) * multiply / divide + 127 - intensity + brightness;
                        for (int col = 0; col < 256; ++col)
                        {
                            int index = (intensity * 256) + col;
                            result[index] = ClampToByte(col + shift);
                        }
                    }

                    return result;
                }
            }
            """);

    /// <summary>Kept: the same window shape applied to input data reads an element of an array it did not create.</summary>
    [Fact]
    public Task TableLoop_SameShapeReadingInput_Reported()
        => Verify301.VerifyAnalyzerAsync("""
            using System;
            static class Window
            {
                public static double[] Shaped(double[] x, double phaseStep)
                {
                    var w = new double[x.Length];
                    {|#0:for (int i = 0; i < w.Length; i++)|}
                    {
                        w[i] = 0.53836 - 0.46164 * Math.Cos(x[i] * phaseStep);
                    }

                    return w;
                }
            }
            """, Verify301.Diagnostic().WithLocation(0).WithArguments(string.Empty, "Parallel.ForEach over index ranges", string.Empty));

    /// <summary>Kept: a Mandelbrot render fills a fresh array from the index only, but each entry runs an iteration loop.</summary>
    [Fact]
    public Task TableLoop_MandelbrotWithItsIterationLoop_Reported()
        => Verify301.VerifyAnalyzerAsync("""
            static class Fractal
            {
                public static int[] Render(int width, int height, int maxIterations)
                {
                    var result = new int[width * height];
                    {|#0:for (int y = 0; y < height; y++)|}
                    {
                        for (int x = 0; x < width; x++)
                        {
                            double cr = -2.0 + (3.0 * x / width), ci = -1.5 + (3.0 * y / height);
                            double zr = 0, zi = 0;
                            int iteration = 0;
                            while (iteration < maxIterations && (zr * zr) + (zi * zi) <= 4.0)
                            {
                                double t = (zr * zr) - (zi * zi) + cr;
                                zi = (2 * zr * zi) + ci;
                                zr = t;
                                iteration++;
                            }

                            result[(y * width) + x] = iteration;
                        }
                    }

                    return result;
                }
            }
            """, Verify301.Diagnostic().WithLocation(0).WithArguments(string.Empty, "Parallel.For", string.Empty));

    /// <summary>Kept: a table whose every entry calls a method of the project that loops is nested work, not setup.</summary>
    [Fact]
    public Task TableLoop_EntriesFromALoopingCall_Reported()
        => Verify301.VerifyAnalyzerAsync($$"""
            static class Steps
            {
                public static int[] Table(int n)
                {
                    var steps = new int[n];
                    {|#0:for (int i = 0; i < steps.Length; i++)|}
                    {
                        steps[i] = Collatz(i);
                    }

                    return steps;
                }

            {{Collatz}}
            }
            """, Verify301.Diagnostic().WithLocation(0).WithArguments(string.Empty, "Parallel.For", string.Empty));

    /// <summary>Kept: a constant nest beyond 65,536 entries (1024 × 1024 here) is more than a lookup table.</summary>
    [Fact]
    public Task TableLoop_LargeConstantNest_Reported()
        => Verify301.VerifyAnalyzerAsync("""
            using System;
            static class Field
            {
                public static double[] Potential(double q)
                {
                    var result = new double[1024 * 1024];
                    {|#0:for (int y = 0; y < 1024; y++)|}
                    {
                        for (int x = 0; x < 1024; x++)
                        {
                            result[(y * 1024) + x] = q * Math.Exp(-((x * x) + (y * y)) / 4096.0);
                        }
                    }

                    return result;
                }
            }
            """, Verify301.Diagnostic().WithLocation(0).WithArguments(string.Empty, "Parallel.For", string.Empty));

    // ---------------------------------------------------------------------------------------------------------
    // Span loops: no parallel form (a lambda cannot capture a span)
    // ---------------------------------------------------------------------------------------------------------

    /// <summary>ImageSharp CieLab.FromProfileConnectionSpace (and 27 other span kernels of ImageSharp).</summary>
    [Fact]
    public Task SpanLoop_SpanToSpanConversion_NotReported()
        => Verify301.VerifyAnalyzerAsync("""
            using System;
            public readonly struct Xyz { public readonly float X, Y, Z; public Xyz(float x, float y, float z) { X = x; Y = y; Z = z; } }
            public readonly struct Lab { public readonly float L, A, B; public Lab(float l, float a, float b) { L = l; A = a; B = b; } }
            public static class LabConversions
            {
                public static Lab FromXyz(in Xyz s)
                {
                    float fx = s.X > 0.008856F ? MathF.Pow(s.X, 1F / 3F) : (903.3F * s.X + 16F) / 116F;
                    float fy = s.Y > 0.008856F ? MathF.Pow(s.Y, 1F / 3F) : (903.3F * s.Y + 16F) / 116F;
                    float fz = s.Z > 0.008856F ? MathF.Pow(s.Z, 1F / 3F) : (903.3F * s.Z + 16F) / 116F;
                    return new Lab((116F * fy) - 16F, 500F * (fx - fy), 200F * (fy - fz));
                }

                public static void FromProfileConnectionSpace(ReadOnlySpan<Xyz> source, Span<Lab> destination)
                {
                    for (int i = 0; i < source.Length; i++)
                    {
                        Xyz xyz = source[i];
                        destination[i] = FromXyz(in xyz);
                    }
                }
            }
            """);

    /// <summary>NumSharp Char8.SwapCase: a span read, an array written.</summary>
    [Fact]
    public Task SpanLoop_SpanReadIntoANewArray_NotReported()
        => Verify301.VerifyAnalyzerAsync($$"""
            using System;
            static class C
            {
                public static int[] Steps(ReadOnlySpan<long> input)
                {
                    var r = new int[input.Length];
                    for (int i = 0; i < input.Length; i++)
                    {
                        r[i] = Collatz(input[i]);
                    }

                    return r;
                }

            {{Collatz}}
            }
            """);

    /// <summary>Kept: the same conversion over arrays has a parallel form.</summary>
    [Fact]
    public Task SpanLoop_SameConversionOverArrays_Reported()
        => Verify301.VerifyAnalyzerAsync("""
            using System;
            public readonly struct Xyz { public readonly float X, Y, Z; public Xyz(float x, float y, float z) { X = x; Y = y; Z = z; } }
            public readonly struct Lab { public readonly float L, A, B; public Lab(float l, float a, float b) { L = l; A = a; B = b; } }
            public static class LabConversions
            {
                public static Lab FromXyz(Xyz s)
                {
                    float fx = s.X > 0.008856F ? MathF.Pow(s.X, 1F / 3F) : (903.3F * s.X + 16F) / 116F;
                    float fy = s.Y > 0.008856F ? MathF.Pow(s.Y, 1F / 3F) : (903.3F * s.Y + 16F) / 116F;
                    float fz = s.Z > 0.008856F ? MathF.Pow(s.Z, 1F / 3F) : (903.3F * s.Z + 16F) / 116F;
                    return new Lab((116F * fy) - 16F, 500F * (fx - fy), 200F * (fy - fz));
                }

                public static void FromProfileConnectionSpace(Xyz[] source, Lab[] destination)
                {
                    {|#0:for (int i = 0; i < source.Length; i++)|}
                    {
                        destination[i] = FromXyz(source[i]);
                    }
                }
            }
            """, Verify301.Diagnostic().WithLocation(0).WithArguments(string.Empty, "Parallel.ForEach over index ranges", string.Empty));

    // ---------------------------------------------------------------------------------------------------------
    // Constructors: NOGIL302/NOGIL303 skip them as NOGIL301 does
    // ---------------------------------------------------------------------------------------------------------

    /// <summary>Math.NET Categorical's constructors (NOGIL302), ImageSharp ClutCalculator's; a sum in a static constructor (NOGIL303).</summary>
    [Fact]
    public async Task Constructor_ElementwiseAndReduction_NotReported()
    {
        const string source = """
            class Categorical
            {
                readonly double[] _pmfNormalized;
                static readonly int Total;

                public Categorical(double[] probabilityMass, double sum)
                {
                    _pmfNormalized = new double[probabilityMass.Length];
                    for (int i = 0; i < probabilityMass.Length; i++)
                    {
                        _pmfNormalized[i] = probabilityMass[i] / sum;
                    }
                }

                static Categorical()
                {
                    var counts = Load();
                    int total = 0;
                    for (int i = 0; i < counts.Length; i++)
                    {
                        total += counts[i];
                    }

                    Total = total;
                }

                static int[] Load() => new int[1000];
            }
            """;
        await Verify302.VerifyAnalyzerAsync(source);
        await Verify303.VerifyAnalyzerAsync(source);
    }

    /// <summary>Kept: the same normalization and sum in methods.</summary>
    [Fact]
    public async Task Constructor_SameLoopsInMethods_Reported()
    {
        const string source = """
            class Categorical
            {
                public static double[] Normalize(double[] probabilityMass, double sum)
                {
                    var normalized = new double[probabilityMass.Length];
                    {|#0:for (int i = 0; i < probabilityMass.Length; i++)|}
                    {
                        normalized[i] = probabilityMass[i] / sum;
                    }

                    return normalized;
                }

                public static int Total(int[] counts)
                {
                    int total = 0;
                    {|#1:for (int i = 0; i < counts.Length; i++)|}
                    {
                        total += counts[i];
                    }

                    return total;
                }
            }
            """;
        await Verify302.VerifyAnalyzerAsync(source, Verify302.Diagnostic().WithLocation(0).WithArguments("double", "a Vector<double> loop computes the same results several at a time"));
        await Verify303.VerifyAnalyzerAsync(source, Verify303.Diagnostic().WithLocation(1).WithArguments("the sum of 'counts'", "vectorize it with Vector<int>", string.Empty));
    }

    // ---------------------------------------------------------------------------------------------------------
    // Factory loops: a static factory of its own type fills the arrays of the instance it returns (construction)
    // ---------------------------------------------------------------------------------------------------------

    private const string SplineType = """
            using System;
            public sealed class Spline
            {
                readonly double[] _x, _c0, _c1, _c2, _c3;

                Spline(double[] x, double[] c0, double[] c1, double[] c2, double[] c3)
                {
                    _x = x; _c0 = c0; _c1 = c1; _c2 = c2; _c3 = c3;
                }

        """;

    /// <summary>
    /// Math.NET CubicSpline: InterpolateHermiteSorted's coefficient loop (NOGIL301, line 93), InterpolateMakimaSorted's
    /// weight sums (NOGIL302, line 274); the Akima derivatives (170) and the tridiagonal system of
    /// InterpolateBoundariesSorted (510) are the same shape. Judged NOT-WORTH (one-time setup: built once, evaluated often).
    /// </summary>
    [Fact]
    public async Task Factory_SplineCoefficients_NotReported()
    {
        const string source = SplineType + """
                public static Spline HermiteSorted(double[] x, double[] y, double[] firstDerivatives)
                {
                    var c0 = new double[x.Length - 1];
                    var c1 = new double[x.Length - 1];
                    var c2 = new double[x.Length - 1];
                    var c3 = new double[x.Length - 1];
                    for (int i = 0; i < c1.Length; i++)
                    {
                        double w = x[i + 1] - x[i];
                        double w2 = w * w;
                        c0[i] = y[i];
                        c1[i] = firstDerivatives[i];
                        c2[i] = (3 * (y[i + 1] - y[i]) / w - 2 * firstDerivatives[i] - firstDerivatives[i + 1]) / w;
                        c3[i] = (2 * (y[i] - y[i + 1]) / w + firstDerivatives[i] + firstDerivatives[i + 1]) / w2;
                    }

                    return new Spline(x, c0, c1, c2, c3);
                }

                public static Spline MakimaSorted(double[] x, double[] dm, double[] pm)
                {
                    int n = x.Length;
                    var f1 = new double[n];
                    var f2 = new double[n];
                    for (int i = 0; i < n; i++)
                    {
                        f1[i] = dm[i + 2] + 0.5 * pm[i + 2];
                        f2[i] = dm[i] + 0.5 * pm[i];
                    }

                    var f12 = new double[n];
                    for (int i = 0; i < n; i++)
                    {
                        f12[i] = f1[i] + f2[i];
                    }

                    return HermiteSorted(x, f12, f1);
                }
            }
            """;
        await Verify301.VerifyAnalyzerAsync(source);
        await Verify302.VerifyAnalyzerAsync(source);
    }

    /// <summary>Kept: the same coefficient loop in a static method that returns the arrays, not a new instance of its type.</summary>
    [Fact]
    public Task Factory_SameLoopReturningArrays_Reported()
        => Verify301.VerifyAnalyzerAsync("""
            public static class Hermite
            {
                public static double[][] Coefficients(double[] x, double[] y, double[] d)
                {
                    var c2 = new double[x.Length - 1];
                    var c3 = new double[x.Length - 1];
                    {|#0:for (int i = 0; i < c2.Length; i++)|}
                    {
                        double w = x[i + 1] - x[i];
                        double w2 = w * w;
                        c2[i] = (3 * (y[i + 1] - y[i]) / w - 2 * d[i] - d[i + 1]) / w;
                        c3[i] = (2 * (y[i] - y[i + 1]) / w + d[i] + d[i + 1]) / w2;
                    }

                    return new[] { c2, c3 };
                }
            }
            """, Verify301.Diagnostic().WithLocation(0).WithArguments(string.Empty, "Parallel.ForEach over index ranges", string.Empty));

    /// <summary>
    /// Kept: Math.NET Weibull.Estimate (judged WORTH): a static factory of its own type whose loop folds the samples into
    /// sums — a fit over the input, not the new instance's state.
    /// </summary>
    [Fact]
    public Task Factory_FitThatReducesItsInput_Reported()
        => Verify301.VerifyAnalyzerAsync("""
            using System;
            public sealed class Weibull
            {
                readonly double _shape, _scale;
                Weibull(double shape, double scale) { _shape = shape; _scale = scale; }

                public static Weibull Estimate(double[] samples, double c)
                {
                    double s1 = 0, s2 = 0;
                    {|#0:foreach (double x in samples)|}
                    {
                        s1 += Math.Log(x);
                        s2 += Math.Pow(x, c) * Math.Log(x);
                    }

                    return new Weibull(c, s2 / s1);
                }
            }
            """, Verify301.Diagnostic().WithLocation(0).WithArguments(
                " apart from the reductions into 's1', 's2'",
                "Parallel.ForEach over index ranges",
                " (not fixed automatically: the body folds values into several variables); each worker keeps a partial result, so the order of floating-point additions into 's1' and 's2' changes and rounding may differ"));

    /// <summary>
    /// Kept: a static method that takes instances of its type and returns a new one is an operation (as an operator is),
    /// not a construction — NOGIL301 on the heavy loop, NOGIL302 on the element-wise one.
    /// </summary>
    [Fact]
    public async Task Factory_OperationOnInstancesOfItsType_Reported()
    {
        const string source = """
            using System;
            public sealed class Vec
            {
                readonly double[] _v;
                Vec(double[] v) { _v = v; }

                public static Vec Exp(Vec a)
                {
                    var v = a._v;
                    var r = new double[v.Length];
                    {|#0:for (int i = 0; i < r.Length; i++)|}
                    {
                        r[i] = Math.Exp(v[i]) * Math.Sin(v[i]) + Math.Log(v[i] + 1);
                    }

                    return new Vec(r);
                }

                public static Vec Scale(Vec a, double sum)
                {
                    var v = a._v;
                    var r = new double[v.Length];
                    {|#1:for (int i = 0; i < v.Length; i++)|}
                    {
                        r[i] = v[i] / sum;
                    }

                    return new Vec(r);
                }
            }
            """;
        await Verify301.VerifyAnalyzerAsync(source, Verify301.Diagnostic().WithLocation(0).WithArguments(string.Empty, "Parallel.ForEach over index ranges", string.Empty));
        await Verify302.VerifyAnalyzerAsync(source, Verify302.Diagnostic().WithLocation(1).WithArguments("double", "a Vector<double> loop computes the same results several at a time"));
    }

    // ---------------------------------------------------------------------------------------------------------
    // Alias guards that can never fire: an array the function created is not one of its parameters
    // ---------------------------------------------------------------------------------------------------------

    /// <summary>
    /// Math.NET CubicSpline.InterpolateAkimaSorted: 'dd' is created here and handed out only after the loop. (The real
    /// method returns a new CubicSpline and is now a factory loop, <see cref="Factory_SplineCoefficients_NotReported"/>;
    /// here it returns the array, so the guard question stays.)
    /// </summary>
    [Fact]
    public Task CreatedArray_NoGuardAgainstAParameter()
        => Verify301.VerifyAnalyzerAsync("""
            using System;
            public static class Spline
            {
                public static double[] Akima(double[] x, double[] weights, double[] diff)
                {
                    var dd = new double[x.Length];
                    {|#0:for (int i = 2; i < dd.Length - 2; i++)|}
                    {
                        dd[i] = Math.Abs(weights[i - 1]) < 1e-15 && Math.Abs(weights[i + 1]) < 1e-15
                            ? (((x[i + 1] - x[i]) * diff[i - 1]) + ((x[i] - x[i - 1]) * diff[i])) / (x[i + 1] - x[i - 1])
                            : ((weights[i + 1] * diff[i - 1]) + (weights[i - 1] * diff[i])) / (weights[i + 1] + weights[i - 1]);
                    }

                    return dd;
                }
            }
            """, Verify301.Diagnostic().WithLocation(0).WithArguments(string.Empty, "Parallel.ForEach over index ranges", string.Empty));

    /// <summary>Kept: when the parameter is assigned in the method it may hold the created array; the guard stays.</summary>
    [Fact]
    public Task CreatedArray_GuardKeptWhenTheParameterIsAssigned()
        => Verify301.VerifyAnalyzerAsync("""
            using System;
            static class C
            {
                public static double[] Smooth(double[] x, bool inPlace)
                {
                    var dd = new double[x.Length];
                    if (inPlace) x = dd;
                    {|#0:for (int i = 1; i < dd.Length - 1; i++)|}
                    {
                        dd[i] = Math.Exp(x[i - 1]) + Math.Exp(x[i + 1]);
                    }

                    return dd;
                }
            }
            """, Verify301.Diagnostic().WithLocation(0).WithArguments(" as long as 'dd' is not the same array as 'x'", "Parallel.ForEach over index ranges",
                "; the fix checks this first and keeps the original loop for the case where they are the same"));

    /// <summary>Kept: the parameter of a lambda may be the array its enclosing method created (here it is); the guard stays.</summary>
    [Fact]
    public Task CreatedArray_GuardKeptForALambdaParameter()
        => Verify301.VerifyAnalyzerAsync("""
            using System;
            static class C
            {
                public static double[] Smooth(int n)
                {
                    var dd = new double[n];
                    Action<double[]> step = x =>
                    {
                        {|#0:for (int i = 1; i < dd.Length - 1; i++)|}
                        {
                            dd[i] = Math.Exp(x[i - 1]) + Math.Exp(x[i + 1]);
                        }
                    };
                    step(dd);
                    return dd;
                }
            }
            """, Verify301.Diagnostic().WithLocation(0).WithArguments(" as long as 'dd' is not the same array as 'x'", "Parallel.ForEach over index ranges",
                "; the fix checks this first and keeps the original loop for the case where they are the same"));

    // ---------------------------------------------------------------------------------------------------------
    // A while that runs at most once is not an inner loop
    // ---------------------------------------------------------------------------------------------------------

    /// <summary>ImageSharp CieLch: 'h %= 360; while (h &lt; 0) h += 360;' makes the body light (ranges), not heavy (per index).</summary>
    [Fact]
    public Task WrapAround_AfterARemainder_IsNotHeavy()
        => Verify301.VerifyAnalyzerAsync(Hues("hDegrees %= 360;"),
            Verify301.Diagnostic().WithLocation(0).WithArguments(string.Empty, "Parallel.ForEach over index ranges", string.Empty));

    /// <summary>Kept: without the remainder the while may run many times, and counts as an inner loop.</summary>
    [Fact]
    public Task WrapAround_WithoutTheRemainder_StaysHeavy()
        => Verify301.VerifyAnalyzerAsync(Hues(string.Empty),
            Verify301.Diagnostic().WithLocation(0).WithArguments(string.Empty, "Parallel.For", string.Empty));

    private static string Hues(string remainder) => $$"""
        using System;
        static class Lch
        {
            static float Hue(float a, float b)
            {
                float hDegrees = MathF.Atan2(b, a) * (180F / MathF.PI);
                {{remainder}}
                while (hDegrees < 0)
                {
                    hDegrees += 360;
                }

                return hDegrees;
            }

            public static void Hues(float[] a, float[] b, float[] h)
            {
                {|#0:for (int i = 0; i < h.Length; i++)|}
                {
                    h[i] = Hue(a[i], b[i]);
                }
            }
        }
        """;

    // ---------------------------------------------------------------------------------------------------------
    // Streaming nests: each element read once, a few operations on it — a flat loop over the elements
    // ---------------------------------------------------------------------------------------------------------

    /// <summary>Math.NET ManagedLinearAlgebraProvider.Double/Single MatrixNorm, OneNorm and LargestAbsoluteValue (4 reports).</summary>
    [Fact]
    public Task StreamingNest_RealMatrixNorms_NotReported()
        => Verify301.VerifyAnalyzerAsync(MatrixNorms("double", "Math.Abs(matrix[(j * rows) + i])"));

    /// <summary>Kept: the same norms of a System.Numerics.Complex matrix run a hypot per element (Complex.Magnitude).</summary>
    [Fact]
    public Task StreamingNest_ComplexMatrixNorms_Reported()
        => Verify301.VerifyAnalyzerAsync(
            MatrixNorms("System.Numerics.Complex", "matrix[(j * rows) + i].Magnitude"),
            Verify301.Diagnostic().WithLocation(0).WithArguments(" apart from the maximum into 'norm1'", "Parallel.For", string.Empty),
            Verify301.Diagnostic().WithLocation(1).WithArguments(" apart from the maximum into 'normMax'", "Parallel.For", string.Empty));

    /// <summary>Kept: Math.NET Complex32.Magnitude, a property of a struct of the project whose getter is a hypot.</summary>
    [Fact]
    public Task StreamingNest_SourceStructMagnitude_Reported()
        => Verify301.VerifyAnalyzerAsync(
            MatrixNorms("Complex32", "matrix[(j * rows) + i].Magnitude") + """

            public readonly struct Complex32
            {
                private readonly float _real, _imag;

                public float Magnitude
                {
                    get
                    {
                        if (float.IsNaN(_real) || float.IsNaN(_imag))
                            return float.NaN;
                        float a = Math.Abs(_real);
                        float b = Math.Abs(_imag);
                        if (a > b)
                        {
                            double tmp = b / a;
                            return a * (float)Math.Sqrt(1.0f + tmp * tmp);
                        }

                        if (a == 0.0f)
                            return b;
                        double t = a / b;
                        return b * (float)Math.Sqrt(1.0f + t * t);
                    }
                }
            }
            """,
            Verify301.Diagnostic().WithLocation(0).WithArguments(" apart from the maximum into 'norm1'", "Parallel.For", string.Empty),
            Verify301.Diagnostic().WithLocation(1).WithArguments(" apart from the maximum into 'normMax'", "Parallel.For", string.Empty));

    /// <summary>Pinta Histogram.GetMax: a foreach over the channels' bins, each bin compared once (the inner loop is NOGIL303's).</summary>
    [Fact]
    public Task StreamingNest_JaggedMaximum_NotReported()
        => Verify301.VerifyAnalyzerAsync("""
            sealed class Histogram
            {
                private readonly long[][] histogram;

                public Histogram(int channels, int entries)
                {
                    histogram = new long[channels][];
                    for (int c = 0; c < channels; c++) histogram[c] = new long[entries];
                }

                public long GetMax()
                {
                    long max = -1;
                    foreach (long[] channelHistogram in histogram)
                        foreach (long i in channelHistogram)
                            if (i > max)
                                max = i;

                    return max;
                }
            }
            """);

    /// <summary>FamiStudio Song.Trim: each channel's pattern slots tested once, through the object the outer foreach yields.</summary>
    [Fact]
    public Task StreamingNest_RowOfTheOuterElement_NotReported()
        => Verify301.VerifyAnalyzerAsync("""
            using System;
            public sealed class Channel
            {
                public Pattern[] PatternInstances { get; } = new Pattern[256];
            }

            public sealed class Pattern { public int Id { get; set; } }

            public sealed class Song
            {
                private readonly Channel[] channels;
                private int songLength = 16;

                public Song(int channelCount)
                {
                    channels = new Channel[channelCount];
                    for (int i = 0; i < channels.Length; i++)
                        channels[i] = new Channel();
                }

                public int Length => songLength;

                public void Trim()
                {
                    int maxPatternIdx = 0;
                    foreach (var channel in channels)
                    {
                        for (int i = 0; i < Length; i++)
                        {
                            if (channel.PatternInstances[i] != null)
                            {
                                maxPatternIdx = Math.Max(maxPatternIdx, i);
                            }
                        }
                    }

                    songLength = maxPatternIdx + 1;
                }
            }
            """);

    /// <summary>FamiStudio Project.FindLargestUniqueId: a foreach over each channel's list of patterns, one Math.Max per pattern.</summary>
    [Fact]
    public Task StreamingNest_ListOfTheOuterElement_NotReported()
        => Verify301.VerifyAnalyzerAsync("""
            using System;
            using System.Collections.Generic;
            public sealed class Pattern { public int Id { get; set; } }
            public sealed class Channel { public List<Pattern> Patterns { get; } = new List<Pattern>(); }

            public static class Project
            {
                public static int FindLargestUniqueId(Channel[] channels)
                {
                    var largestUniqueId = 0;
                    foreach (var channel in channels)
                    {
                        foreach (var pattern in channel.Patterns)
                            largestUniqueId = Math.Max(largestUniqueId, pattern.Id);
                    }

                    return largestUniqueId;
                }
            }
            """);

    /// <summary>Math.NET SparseMatrix.FrobeniusNorm (Double, Single): each row's segment [p[i], p[i + 1]) of a compressed sparse row matrix, scanned once.</summary>
    [Fact]
    public Task StreamingNest_CompressedRowSegments_NotReported()
        => Verify301.VerifyAnalyzerAsync("""
            using System;
            static class Sparse
            {
                public static double DiagonalNorm(int rowCount, int[] rowPointers, int[] columnIndices, double[] values)
                {
                    var norm = 0d;
                    for (var i = 0; i < rowCount; i++)
                    {
                        var startIndex = rowPointers[i];
                        var endIndex = rowPointers[i + 1];
                        if (startIndex == endIndex)
                        {
                            continue;
                        }

                        for (var j = startIndex; j < endIndex; j++)
                        {
                            if (i == columnIndices[j])
                            {
                                norm += Math.Abs(values[j]);
                            }
                        }
                    }

                    return Math.Sqrt(norm);
                }
            }
            """);

    /// <summary>Kept: matrix–vector reads b[i] on every row — reuse, bound by arithmetic, not by memory.</summary>
    [Fact]
    public Task StreamingNest_MatrixVectorReusesTheVector_Reported()
        => Verify301.VerifyAnalyzerAsync("""
            static class Dense
            {
                public static double[] Multiply(int n, double[] u, double[] b)
                {
                    var result = new double[n];
                    {|#0:for (int j = 0; j < n; j++)|}
                    {
                        double s = 0;
                        for (int i = 0; i < n; i++)
                        {
                            s += u[(j * n) + i] * b[i];
                        }

                        result[j] = s;
                    }

                    return result;
                }
            }
            """, Verify301.Diagnostic().WithLocation(0).WithArguments(string.Empty, "Parallel.For", string.Empty));

    /// <summary>Kept: a sliding window reads x[j] from several outer iterations (a convolution), although both its bounds follow i.</summary>
    [Fact]
    public Task StreamingNest_SlidingWindowReusesItsInput_Reported()
        => Verify301.VerifyAnalyzerAsync("""
            static class Filter
            {
                public static double[] Convolve(double[] x, double[] w)
                {
                    var y = new double[x.Length - w.Length];
                    {|#0:for (int i = 0; i < y.Length; i++)|}
                    {
                        double s = 0;
                        for (int j = i; j < i + w.Length; j++)
                        {
                            s += x[j] * w[j - i];
                        }

                        y[i] = s;
                    }

                    return y;
                }
            }
            """, Verify301.Diagnostic().WithLocation(0).WithArguments(string.Empty, "Parallel.For", string.Empty));

    /// <summary>Kept: each element read once, but with a polynomial of 24 operations or more per element — worth a worker as a flat loop would be.</summary>
    [Fact]
    public Task StreamingNest_HeavyPerElement_Reported()
        => Verify301.VerifyAnalyzerAsync("""
            static class Poly
            {
                public static double[] Evaluate(int rows, int columns, double[] x)
                {
                    var y = new double[rows * columns];
                    {|#0:for (int j = 0; j < columns; j++)|}
                    {
                        for (int i = 0; i < rows; i++)
                        {
                            double v = x[(j * rows) + i];
                            double p = (((((((v * 0.5) + 1.5) * v) + 2.5) * v) + 3.5) * v) + 4.5;
                            double q = (((((((v * 5.5) + 6.5) * v) + 7.5) * v) + 8.5) * v) + 9.5;
                            double r = (((((v * 10.5) + 11.5) * v) + 12.5) * v) + 13.5;
                            y[(j * rows) + i] = (p * q) - (p / q) + (q / r);
                        }
                    }

                    return y;
                }
            }
            """, Verify301.Diagnostic().WithLocation(0).WithArguments(string.Empty, "Parallel.For", string.Empty));

    private static string MatrixNorms(string type, string element) => $$"""
        using System;
        public static class Norms
        {
            public static double OneNorm(int rows, int columns, {{type}}[] matrix)
            {
                var norm1 = 0d;
                {|#0:for (var j = 0; j < columns; j++)|}
                {
                    var s = 0.0;
                    for (var i = 0; i < rows; i++)
                    {
                        s += {{element}};
                    }

                    norm1 = Math.Max(norm1, s);
                }

                return norm1;
            }

            public static double LargestAbsoluteValue(int rows, int columns, {{type}}[] matrix)
            {
                var normMax = 0d;
                {|#1:for (var j = 0; j < columns; j++)|}
                {
                    for (var i = 0; i < rows; i++)
                    {
                        normMax = Math.Max({{element}}, normMax);
                    }
                }

                return normMax;
            }
        }
        """;
}
