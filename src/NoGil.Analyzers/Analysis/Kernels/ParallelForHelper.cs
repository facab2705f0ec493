namespace NoGil.Analyzers.Analysis.Kernels;

/// <summary>
/// The project's own replacement for <c>Parallel.For</c>, named by <c>NOGIL301.parallel_for_method</c>: a static method
/// <c>Namespace.Type.Method(int fromInclusive, int toExclusive, System.Action&lt;int&gt; body)</c> that runs
/// <c>body(i)</c> once for every <c>i</c> in <c>[fromInclusive, toExclusive)</c> and returns when all have run, as
/// <c>Parallel.For</c> does (the project's own scheduling, degree of parallelism or thread-pool settings).
/// A value that does not name exactly such a method (no such type, no such method, another signature, generic, not
/// static, not accessible where the loop is) is ignored: the fix then writes <c>Parallel.For</c>.
/// </summary>
public static class ParallelForHelper
{
    private static readonly CompilationMemo<string, IMethodSymbol?> Resolved = new(StringComparer.Ordinal);

    /// <summary>The method <paramref name="value"/> names, when it has the expected shape; null otherwise (also for an empty value).</summary>
    public static IMethodSymbol? Resolve(Compilation compilation, string? value)
    {
        if (compilation is null || string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var memo = Resolved.For(compilation);
        return memo.GetOrAdd(value!.Trim(), text => Find(compilation, text));
    }

    /// <summary>True when <paramref name="method"/> can be called from <paramref name="within"/> (the type that holds the loop).</summary>
    public static bool IsUsableFrom(IMethodSymbol method, ISymbol? within, Compilation compilation)
        => within is INamedTypeSymbol type ? compilation.IsSymbolAccessibleWithin(method, type)
            : within?.ContainingType is { } containing && compilation.IsSymbolAccessibleWithin(method, containing);

    /// <summary>The text the option takes for <paramref name="method"/>: <c>Namespace.Type.Method</c>, nested types with dots.</summary>
    public static string Display(IMethodSymbol method) => method.ContainingType.ToDisplayString() + "." + method.Name;

    private static IMethodSymbol? Find(Compilation compilation, string text)
    {
        if (text.StartsWith("global::", StringComparison.Ordinal))
        {
            text = text.Substring("global::".Length);
        }

        var paren = text.IndexOf('(');
        if (paren >= 0)
        {
            text = text.Substring(0, paren).Trim();
        }

        var dot = text.LastIndexOf('.');
        if (dot <= 0 || dot == text.Length - 1)
        {
            return null;
        }

        var methodName = text.Substring(dot + 1);
        var type = FindType(compilation, text.Substring(0, dot));
        if (type is null)
        {
            return null;
        }

        foreach (var member in type.GetMembers(methodName))
        {
            if (member is IMethodSymbol { IsStatic: true, MethodKind: MethodKind.Ordinary, IsGenericMethod: false, Parameters.Length: 3 } method
                && method.Parameters.All(p => p.RefKind == RefKind.None)
                && method.Parameters[0].Type.SpecialType == SpecialType.System_Int32
                && method.Parameters[1].Type.SpecialType == SpecialType.System_Int32
                && method.Parameters[2].Type is INamedTypeSymbol { TypeArguments.Length: 1 } body
                && body.OriginalDefinition is { Name: "Action", Arity: 1, ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } }
                && body.TypeArguments[0].SpecialType == SpecialType.System_Int32)
            {
                return method;
            }
        }

        return null;
    }

    /// <summary><c>A.B.C</c> as a namespace type, or as a type nested in another (<c>A.B+C</c>).</summary>
    private static INamedTypeSymbol? FindType(Compilation compilation, string name)
    {
        var candidate = name;
        while (true)
        {
#pragma warning disable RS0030 // A type the user names in an option, not a well-known type; resolved once per compilation and value.
            if (compilation.GetTypeByMetadataName(candidate) is { } type)
#pragma warning restore RS0030
            {
                return type;
            }

            var dot = candidate.LastIndexOf('.');
            if (dot <= 0)
            {
                return null;
            }

            candidate = candidate.Substring(0, dot) + "+" + candidate.Substring(dot + 1);
        }
    }
}
