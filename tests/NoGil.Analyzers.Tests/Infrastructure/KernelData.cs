using System;
using System.Collections.Generic;
using Xunit;

namespace NoGil.Analyzers.Tests.Infrastructure;

/// <summary>
/// Inputs and comparisons for the differential tests of the kernel fixes (NOGIL3xx): the sizes every fix is run at,
/// random arrays of every supported element type (floating-point ones salted with NaN, ±0 and ±∞ when asked), and
/// result comparison that is bit-exact or within a declared relative tolerance.
/// </summary>
public static class KernelData
{
    /// <summary>The sizes each differential test runs at: empty, below, at and around the vector width, and large odd.</summary>
    public static IReadOnlyList<int> Sizes { get; } = new[] { 0, 1, 7, 8, 9, 15, 16, 17, 1000, 4099 };

    /// <summary>A random array of <paramref name="elementType"/>; floating-point arrays get NaN, ±0 and ±∞ when <paramref name="specials"/>.</summary>
    public static Array RandomArray(Type elementType, int length, Random random, bool specials = false)
    {
        var array = Array.CreateInstance(elementType, length);
        for (var k = 0; k < length; k++)
        {
            array.SetValue(RandomValue(elementType, random), k);
        }

        if (specials && (elementType == typeof(float) || elementType == typeof(double)) && length > 0)
        {
            var salt = elementType == typeof(float)
                ? new object[] { float.NaN, 0f, -0f, float.PositiveInfinity, float.NegativeInfinity }
                : new object[] { double.NaN, 0d, -0d, double.PositiveInfinity, double.NegativeInfinity };
            for (var k = 0; k < Math.Max(1, length / 16); k++)
            {
                array.SetValue(salt[random.Next(salt.Length)], random.Next(length));
            }
        }

        return array;
    }

    /// <summary>A random value of a primitive numeric type; floating-point values in [-100, 100), integers over their whole range.</summary>
    public static object RandomValue(Type type, Random random)
    {
        var bits = (ulong)random.NextInt64() ^ ((ulong)random.Next() << 33);
        // Each arm boxed as its own type: without the casts the switch's natural type is double for every arm.
        return Type.GetTypeCode(type) switch
        {
            TypeCode.Single => (object)(float)((random.NextDouble() * 200) - 100),
            TypeCode.Double => (object)((random.NextDouble() * 200) - 100),
            TypeCode.Int32 => (object)unchecked((int)bits),
            TypeCode.UInt32 => (object)unchecked((uint)bits),
            TypeCode.Int64 => (object)unchecked((long)bits),
            TypeCode.UInt64 => (object)bits,
            TypeCode.Int16 => (object)unchecked((short)bits),
            TypeCode.UInt16 => (object)unchecked((ushort)bits),
            TypeCode.Byte => (object)unchecked((byte)bits),
            TypeCode.SByte => (object)unchecked((sbyte)bits),
            _ => throw new ArgumentException("Not a kernel element type: " + type, nameof(type)),
        };
    }

    /// <summary>
    /// Asserts that two results are the same: arrays element by element, floating-point values bit for bit (NaN equals NaN,
    /// +0 differs from -0) unless <paramref name="relativeTolerance"/> is positive, in which case |a - b| ≤ tol · max(1, |a|, |b|).
    /// </summary>
    public static void AssertSame(object? expected, object? actual, double relativeTolerance = 0, string context = "")
    {
        if (expected is Array expectedArray && actual is Array actualArray)
        {
            Assert.True(expectedArray.Length == actualArray.Length, context + ": lengths differ");
            var k = 0;
            foreach (var (e, a) in Pairs(expectedArray, actualArray))
            {
                AssertSame(e, a, relativeTolerance, context + "[" + k++ + "]");
            }

            return;
        }

        switch (expected)
        {
            case double e when actual is double a:
                AssertFloat(e, a, relativeTolerance, context, BitConverter.DoubleToInt64Bits(e) == BitConverter.DoubleToInt64Bits(a));
                return;
            case float e when actual is float a:
                AssertFloat(e, a, relativeTolerance, context, BitConverter.SingleToInt32Bits(e) == BitConverter.SingleToInt32Bits(a));
                return;
            default:
                Assert.True(Equals(expected, actual), context + ": expected " + expected + ", got " + actual);
                return;
        }
    }

    private static void AssertFloat(double e, double a, double tolerance, string context, bool sameBits)
    {
        if (sameBits || (tolerance > 0 && (double.IsNaN(e) ? double.IsNaN(a) : (e == a || Math.Abs(e - a) <= tolerance * Math.Max(1, Math.Max(Math.Abs(e), Math.Abs(a)))))))
        {
            return;
        }

        Assert.Fail(context + ": expected " + e.ToString("R") + ", got " + a.ToString("R") + (tolerance > 0 ? " (relative tolerance " + tolerance + ")" : " (bit-exact)"));
    }

    private static IEnumerable<(object? Expected, object? Actual)> Pairs(Array expected, Array actual)
    {
        var e = expected.GetEnumerator();
        var a = actual.GetEnumerator();
        while (e.MoveNext() && a.MoveNext())
        {
            yield return (e.Current, a.Current);
        }
    }
}
