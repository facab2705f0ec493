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
    // Alias guards that can never fire: an array the function created is not one of its parameters
    // ---------------------------------------------------------------------------------------------------------

    /// <summary>Math.NET CubicSpline.InterpolateAkimaSorted: 'dd' is created here and handed out only after the loop.</summary>
    [Fact]
    public Task CreatedArray_NoGuardAgainstAParameter()
        => Verify301.VerifyAnalyzerAsync("""
            using System;
            public sealed class Spline
            {
                readonly double[] _x, _d;
                Spline(double[] x, double[] d) { _x = x; _d = d; }

                public static Spline Akima(double[] x, double[] weights, double[] diff)
                {
                    var dd = new double[x.Length];
                    {|#0:for (int i = 2; i < dd.Length - 2; i++)|}
                    {
                        dd[i] = Math.Abs(weights[i - 1]) < 1e-15 && Math.Abs(weights[i + 1]) < 1e-15
                            ? (((x[i + 1] - x[i]) * diff[i - 1]) + ((x[i] - x[i - 1]) * diff[i])) / (x[i + 1] - x[i - 1])
                            : ((weights[i + 1] * diff[i - 1]) + (weights[i - 1] * diff[i])) / (weights[i + 1] + weights[i - 1]);
                    }

                    return new Spline(x, dd);
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
}
