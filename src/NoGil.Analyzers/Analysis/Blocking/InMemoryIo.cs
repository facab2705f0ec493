namespace NoGil.Analyzers.Analysis.Blocking;

/// <summary>
/// Types whose "I/O" never leaves memory, so their synchronous calls never wait: in-memory streams and the readers and
/// writers over strings. NOGIL202 does not report their blocking calls, NOGIL205 their synchronous disposal.
/// </summary>
public static class InMemoryIo
{
    /// <summary>True for <c>MemoryStream</c>, <c>UnmanagedMemoryStream</c>, <c>StringReader</c>, <c>StringWriter</c> and types derived from them.</summary>
    public static bool IsInMemoryType(ITypeSymbol? type, KnownTypes types)
        => KnownTypes.InheritsFromOrEquals(type, types.MemoryStream)
           || KnownTypes.InheritsFromOrEquals(type, types.UnmanagedMemoryStream)
           || KnownTypes.InheritsFromOrEquals(type, types.StringReader)
           || KnownTypes.InheritsFromOrEquals(type, types.StringWriter);
}
