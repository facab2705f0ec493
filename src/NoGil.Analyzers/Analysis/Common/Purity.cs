namespace NoGil.Analyzers.Analysis.Common;

/// <summary>
/// Side-effect analysis shared by the rule families: can a piece of code run on another thread, at the same
/// time as other copies of itself, without anyone noticing?
/// <para>
/// Code is <em>independent</em> when it writes only state it owns — locals and lambda parameters declared
/// inside it, by-value parameters, elements and members of objects it created itself — and every call it
/// makes is pure: a member of a known side-effect-free BCL type (<c>Math</c>, <c>MathF</c>,
/// <c>BitOperations</c>, primitive types, <c>string</c>, read-only members of the BCL collections,
/// <c>Enumerable</c> …), or a non-virtual source method of the same compilation whose body, summarized up to
/// <see cref="MaxCallDepth"/> calls deep with a cycle guard, is independent in the same sense.
/// Everything else — field, static, captured-variable and array-element writes, delegate invocations, locks,
/// events, dynamic, unknown calls — makes the code impure. The walks are iterative; only the call summary
/// recurses, and that is bounded by <see cref="MaxCallDepth"/>.
/// </para>
/// </summary>
public static partial class Purity
{
    /// <summary>How many source calls deep a summary looks before it gives up (and answers "impure").</summary>
    public const int MaxCallDepth = 3;

    /// <summary>
    /// True when <paramref name="body"/> (a lambda, local function, block or expression) writes nothing it does
    /// not own, makes only pure calls, and reads none of <paramref name="forbiddenReads"/>.
    /// </summary>
    public static bool IsIndependent(IOperation body, PurityCache cache, IReadOnlyCollection<ISymbol>? forbiddenReads, CancellationToken cancellationToken)
    {
        if (body?.Syntax is null)
        {
            return false;
        }

        var walker = new Walker(cache, forbiddenReads, cancellationToken);
        return walker.IsIndependent(body, new Frame(body.Syntax, thisWritable: false, ownParameters: null, depth: 0));
    }

    /// <summary>
    /// Like <see cref="IsIndependent(IOperation, PurityCache, IReadOnlyCollection{ISymbol}?, CancellationToken)"/>, but the
    /// locals and parameters the code may write are those declared anywhere inside <paramref name="ownerRoot"/> (for
    /// example the whole method or lambda that holds a critical section), not only inside <paramref name="body"/>.
    /// </summary>
    public static bool IsIndependent(IOperation body, SyntaxNode ownerRoot, PurityCache cache, CancellationToken cancellationToken)
    {
        if (body?.Syntax is null || ownerRoot is null || ownerRoot.SyntaxTree != body.Syntax.SyntaxTree || !ownerRoot.Span.Contains(body.Syntax.Span))
        {
            return false;
        }

        var walker = new Walker(cache, forbiddenReads: null, cancellationToken);
        return walker.IsIndependent(body, new Frame(ownerRoot, thisWritable: false, ownParameters: null, depth: 0));
    }

    /// <summary>True when a call to <paramref name="method"/> has no observable side effect (known BCL list or source summary).</summary>
    public static bool IsPureMethod(IMethodSymbol method, PurityCache cache, CancellationToken cancellationToken)
    {
        if (method is null)
        {
            return false;
        }

        var walker = new Walker(cache, forbiddenReads: null, cancellationToken);
        return walker.IsPureCall(method, receiverIsOwned: false, depth: 0);
    }

    /// <summary>
    /// What <see cref="IsPureMethod"/> answers for <paramref name="method"/> when no body has to be summarized: true for a
    /// known pure member, false for a call that is impure whatever its body (not in source, virtual, interface, …), null
    /// when the answer needs the summary of its source body. Cheap: no body is read.
    /// </summary>
    public static bool? IsPureMethodWithoutSummary(IMethodSymbol method)
        => method is null ? false
            : IsKnownPureMember(method) ? true
            : Walker.VerdictWithoutBody((method.PartialImplementationPart ?? method).OriginalDefinition);

    /// <summary>Members of BCL types that have no observable side effects (they may read global state such as the culture).</summary>
    public static bool IsKnownPureMember(ISymbol member)
    {
        var type = member?.ContainingType?.OriginalDefinition;
        if (member is null || type is null || member is IMethodSymbol { MethodKind: MethodKind.PropertySet or MethodKind.EventAdd or MethodKind.EventRemove or MethodKind.EventRaise })
        {
            return false;
        }

        if (IsPureValueType(type))
        {
            return true;
        }

        if (type.SpecialType == SpecialType.System_Array)
        {
            return member.Name is "GetLength" or "GetLongLength" or "GetLowerBound" or "GetUpperBound" or "get_Length" or "get_LongLength" or "get_Rank" or "Length" or "LongLength" or "Rank";
        }

        if (member.IsStatic && IsPureStaticFunction(type, member.Name))
        {
            return true;
        }

        if (IsReadOnlyCollectionType(type))
        {
            return member.Name is "get_Count" or "get_Length" or "get_Item" or "get_IsEmpty" or "get_IsDefaultOrEmpty" or "get_Keys" or "get_Values"
                or "Count" or "Length" or "Item" or "IsEmpty" or "Keys" or "Values"
                or "Contains" or "ContainsKey" or "ContainsValue" or "TryGetValue" or "IndexOf" or "LastIndexOf" or "ToArray" or "Slice" or "GetValueOrDefault";
        }

        return false;
    }

    /// <summary>Static BCL functions of their arguments only: one-shot hashing, encoding and text helpers.</summary>
    private static bool IsPureStaticFunction(INamedTypeSymbol type, string name)
        => FullName(type) switch
        {
            "System.Security.Cryptography.SHA1" or "System.Security.Cryptography.SHA256" or "System.Security.Cryptography.SHA384"
                or "System.Security.Cryptography.SHA512" or "System.Security.Cryptography.MD5"
                or "System.Security.Cryptography.HMACSHA256" or "System.Security.Cryptography.HMACSHA512" => name is "HashData" or "TryHashData",
            "System.Convert" => name is "ToBase64String" or "FromBase64String" or "ToHexString" or "FromHexString",
            "System.Text.RegularExpressions.Regex" => name is "IsMatch" or "Escape" or "Unescape",
            _ => false,
        };

    /// <summary>Types every member of which (apart from setters) is side-effect free.</summary>
    private static bool IsPureValueType(INamedTypeSymbol type)
    {
        if (IsImmutableSpecialType(type.SpecialType) || type.SpecialType == SpecialType.System_Nullable_T)
        {
            return true;
        }

        var name = FullName(type);
        return name is "System.Math" or "System.MathF" or "System.Numerics.BitOperations" or "System.Half" or "System.Int128" or "System.UInt128"
            or "System.TimeSpan" or "System.DateTimeOffset" or "System.DateOnly" or "System.TimeOnly" or "System.Guid" or "System.Index" or "System.Range"
            or "System.BitConverter" or "System.HashCode" or "System.Numerics.BigInteger" or "System.Numerics.Complex"
            or "System.Numerics.Vector" or "System.Numerics.Vector`1" or "System.Numerics.Vector2" or "System.Numerics.Vector3" or "System.Numerics.Vector4"
            or "System.Buffers.Binary.BinaryPrimitives" or "System.Collections.Generic.KeyValuePair`2" or "System.Linq.Enumerable"
            || name.StartsWith("System.ValueTuple", System.StringComparison.Ordinal)
            || name.StartsWith("System.Tuple", System.StringComparison.Ordinal);
    }

    private static bool IsReadOnlyCollectionType(INamedTypeSymbol type)
        => FullName(type) is "System.Array" or "System.Collections.Generic.List`1" or "System.Collections.Generic.Dictionary`2"
            or "System.Collections.Generic.HashSet`1" or "System.Collections.Immutable.ImmutableArray`1" or "System.Span`1"
            or "System.ReadOnlySpan`1" or "System.Memory`1" or "System.ReadOnlyMemory`1" or "System.Text.StringBuilder";

    /// <summary>Collection types whose instances, when created by the code itself, may be freely mutated by it.</summary>
    private static bool IsOwnableCollectionType(ITypeSymbol? type)
        => type?.OriginalDefinition is INamedTypeSymbol named
           && FullName(named) is "System.Collections.Generic.List`1" or "System.Collections.Generic.Dictionary`2" or "System.Collections.Generic.HashSet`1"
               or "System.Collections.Generic.Queue`1" or "System.Collections.Generic.Stack`1" or "System.Collections.Generic.SortedDictionary`2"
               or "System.Collections.Generic.SortedSet`1" or "System.Text.StringBuilder";

    /// <summary>The metadata names of types, built once per type symbol: asked for every call and type the walks meet.</summary>
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<INamedTypeSymbol, string> FullNames = new();

    /// <summary>
    /// The metadata name of a type of a <c>System</c> namespace (<c>System.Collections.Generic.List`1</c>), or the empty
    /// string for any other type: every name the checks compare with is one of those, and the name of a type outside
    /// them (most types of the code under analysis) is not built.
    /// </summary>
    private static string FullName(INamedTypeSymbol type)
        => NamespaceName.Of(type.ContainingNamespace) is { } ns && (ns == "System" || ns.StartsWith("System.", System.StringComparison.Ordinal))
            ? FullNames.GetValue(type, static t => BuildFullName(t))
            : string.Empty;

    private static string BuildFullName(INamedTypeSymbol type)
    {
        var ns = type.ContainingNamespace;
        var prefix = ns is null || ns.IsGlobalNamespace ? string.Empty : NamespaceName.Of(ns) + ".";
        return type.ContainingType is null ? prefix + type.MetadataName : FullName(type.ContainingType) + "+" + type.MetadataName;
    }

    /// <summary>True when <paramref name="symbol"/> is declared inside <paramref name="root"/> (same tree, inside its span).</summary>
    public static bool IsDeclaredWithin(ISymbol symbol, SyntaxNode root)
    {
        foreach (var reference in symbol.DeclaringSyntaxReferences)
        {
            if (reference.SyntaxTree == root.SyntaxTree && root.Span.Contains(reference.Span))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True when <paramref name="symbol"/> is defined in source (this compilation or another in the solution), not in metadata.</summary>
    public static bool IsInSource(ISymbol symbol)
    {
        foreach (var location in symbol.Locations)
        {
            if (location.IsInSource)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Types whose values cannot change once made, so a copy is as good as the original: primitives, enums,
    /// <c>string</c> and the BCL's immutable value types (<c>DateTime</c>, <c>TimeSpan</c>, <c>DateTimeOffset</c>, <c>Guid</c>).
    /// </summary>
    public static bool IsImmutable(ITypeSymbol? type)
    {
        if (type is null)
        {
            return false;
        }

        if (type.TypeKind == TypeKind.Enum || IsImmutableSpecialType(type.SpecialType))
        {
            return true;
        }

        return NamespaceName.Of(type) == "System" && type.Name is "TimeSpan" or "DateTimeOffset" or "Guid";
    }

    /// <summary>The primitives, <c>string</c>, <c>nint</c>/<c>nuint</c> and <c>DateTime</c>: immutable, and every member of them pure.</summary>
    private static bool IsImmutableSpecialType(SpecialType type)
        => type is SpecialType.System_Boolean or SpecialType.System_Char
            or SpecialType.System_SByte or SpecialType.System_Byte or SpecialType.System_Int16 or SpecialType.System_UInt16
            or SpecialType.System_Int32 or SpecialType.System_UInt32 or SpecialType.System_Int64 or SpecialType.System_UInt64
            or SpecialType.System_Decimal or SpecialType.System_Single or SpecialType.System_Double or SpecialType.System_String
            or SpecialType.System_IntPtr or SpecialType.System_UIntPtr or SpecialType.System_DateTime;
}
