namespace NoGil.Analyzers.Analysis.Blocking;

/// <summary>
/// Types whose "I/O" never leaves memory, so their synchronous calls never wait: in-memory streams and the readers and
/// writers over strings, and the objects layered over them. NOGIL202 does not report their blocking calls, NOGIL205
/// their synchronous disposal.
/// </summary>
public static class InMemoryIo
{
    private const int MaxDepth = 4;

    /// <summary>True for <c>MemoryStream</c>, <c>UnmanagedMemoryStream</c>, <c>StringReader</c>, <c>StringWriter</c> and types derived from them.</summary>
    public static bool IsInMemoryType(ITypeSymbol? type, KnownTypes types)
        => KnownTypes.InheritsFromOrEquals(type, types.MemoryStream)
           || KnownTypes.InheritsFromOrEquals(type, types.UnmanagedMemoryStream)
           || KnownTypes.InheritsFromOrEquals(type, types.StringReader)
           || KnownTypes.InheritsFromOrEquals(type, types.StringWriter);

    /// <summary>
    /// An in-memory object, or one layered over one: <c>new StreamWriter(new MemoryStream())</c>,
    /// <c>new ZLibStream(ms, …)</c> where <c>ms</c> is a local initialized with a <c>MemoryStream</c> and never assigned
    /// again, and so on a few layers deep. Such objects read from and write into memory; their synchronous calls do not wait.
    /// </summary>
    public static bool IsOverMemory(IOperation? value, KnownTypes types) => IsOverMemory(value, types, depth: 0);

    private static bool IsOverMemory(IOperation? value, KnownTypes types, int depth)
    {
        value = value?.UnwrapAllConversions();
        if (value is null || depth > MaxDepth)
        {
            return false;
        }

        if (IsInMemoryType(value.Type, types))
        {
            return true;
        }

        return value switch
        {
            IObjectCreationOperation { Arguments.Length: > 0 } creation => IsOverMemory(creation.Arguments[0].Value, types, depth + 1),
            ILocalReferenceOperation { Local: var local } reference => SingleAssignment.InitialValue(local, reference) is { } initial && IsOverMemory(initial, types, depth + 1),
            _ => false,
        };
    }
}
