namespace NoGil.Analyzers.Analysis.Kernels;

/// <summary>The primitive numeric types the kernels compute with, and what sets them apart.</summary>
internal static class NumericTypes
{
    /// <summary><c>float</c> or <c>double</c>.</summary>
    public static bool IsFloatingPoint(ITypeSymbol? type) => type?.SpecialType is SpecialType.System_Single or SpecialType.System_Double;

    /// <summary>One of the eight primitive integer types (<c>char</c> is not one).</summary>
    public static bool IsInteger(ITypeSymbol? type) => IsSignedInteger(type) || IsUnsignedInteger(type);

    /// <summary><c>sbyte</c>, <c>short</c>, <c>int</c> or <c>long</c>.</summary>
    public static bool IsSignedInteger(ITypeSymbol? type) => type?.SpecialType is SpecialType.System_SByte or SpecialType.System_Int16
        or SpecialType.System_Int32 or SpecialType.System_Int64;

    /// <summary><c>byte</c>, <c>ushort</c>, <c>uint</c> or <c>ulong</c>.</summary>
    public static bool IsUnsignedInteger(ITypeSymbol? type) => type?.SpecialType is SpecialType.System_Byte or SpecialType.System_UInt16
        or SpecialType.System_UInt32 or SpecialType.System_UInt64;

    /// <summary><c>byte</c>, <c>sbyte</c>, <c>short</c> or <c>ushort</c>: C# computes their arithmetic in <c>int</c>.</summary>
    public static bool IsSmallInteger(ITypeSymbol? type) => type?.SpecialType is SpecialType.System_Byte or SpecialType.System_SByte
        or SpecialType.System_Int16 or SpecialType.System_UInt16;

    /// <summary>The element types <c>Vector&lt;T&gt;</c> and <c>TensorPrimitives</c> support: the integers, <c>float</c> and <c>double</c>.</summary>
    public static bool IsVectorElementType(ITypeSymbol? type) => IsInteger(type) || IsFloatingPoint(type);

    /// <summary>The size of a value of <paramref name="type"/> in bits; 0 for a type that is not a vector element type.</summary>
    public static int BitsOf(ITypeSymbol type) => type.SpecialType switch
    {
        SpecialType.System_Byte or SpecialType.System_SByte => 8,
        SpecialType.System_Int16 or SpecialType.System_UInt16 => 16,
        SpecialType.System_Int32 or SpecialType.System_UInt32 or SpecialType.System_Single => 32,
        SpecialType.System_Int64 or SpecialType.System_UInt64 or SpecialType.System_Double => 64,
        _ => 0,
    };
}
