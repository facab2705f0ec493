namespace NoGil.Analyzers.Analysis.Blocking;

/// <summary>
/// Twins of another shape than the original: an instance method for an extension method, and a generic twin whose type
/// arguments are inferred from the parameters of a non-generic original.
/// </summary>
public sealed partial class AsyncTwinCall
{
    /// <summary>
    /// The original is an extension method called in reduced form (<c>test.A(1)</c>) and the candidate an instance method
    /// of the type it extends (<c>Test.AAsync(int)</c>): the extended value becomes the twin's receiver, and the original's
    /// parameters from the second on line up with the twin's.
    /// </summary>
    private static bool IsInstanceTwinOfExtension(IMethodSymbol method, IMethodSymbol candidate)
        => method.IsExtensionMethod && method.MethodKind == MethodKind.Ordinary
           && !candidate.IsStatic && !candidate.IsExtensionMethod && candidate.MethodKind == MethodKind.Ordinary;

    /// <summary>How many leading parameters of the original have no counterpart among the twin's: 1 for an instance twin of an extension method.</summary>
    private static int ParameterShift(IMethodSymbol method, IMethodSymbol twin) => IsInstanceTwinOfExtension(method, twin) ? 1 : 0;

    /// <summary>
    /// The type a non-generic extension method extends, when it is called in reduced form (<c>value.A()</c>; the static
    /// form <c>Extensions.A(value)</c> cannot become an instance call by a rename); null otherwise.
    /// </summary>
    private static INamedTypeSymbol? ExtendedType(IInvocationOperation invocation)
    {
        var method = invocation.TargetMethod;
        return method.IsExtensionMethod && method.Arity == 0 && method.Parameters.Length > 0
               && method.Parameters[0] is { RefKind: RefKind.None, Type: INamedTypeSymbol { TypeKind: TypeKind.Class or TypeKind.Struct or TypeKind.Interface } extended }
               && FirstArgument(invocation) is { Syntax: not ArgumentSyntax }
            ? extended
            : null;
    }

    /// <summary>
    /// The candidate as the call would use it: as declared when neither is generic, constructed with the call's type
    /// arguments when both have the same arity, or with type arguments inferred from the parameters when only the twin
    /// is generic (<see cref="InferTypeArguments"/>). Null when none of these applies.
    /// </summary>
    private static IMethodSymbol? ConstructTwin(IInvocationOperation invocation, IMethodSymbol candidate, KnownTypes types)
    {
        var method = invocation.TargetMethod;
        if (candidate.Arity == 0)
        {
            return method.Arity == 0 ? candidate : null;
        }

        if (method.Arity == 0)
        {
            return InferTypeArguments(invocation, candidate, types);
        }

        return candidate.Arity == method.Arity && !IsInstanceTwinOfExtension(method, candidate) ? TryConstruct(candidate, method.TypeArguments) : null;
    }

    /// <summary>
    /// A generic twin of a non-generic original, constructed with type arguments inferred one level deep: a twin parameter
    /// of a generic type <c>G&lt;…&gt;</c> whose type arguments are the twin's own type parameters (or types without them)
    /// takes them from the one construction of <c>G</c> that the original's parameter type is, derives from or implements —
    /// and that the written argument's type gives too (<c>AAsync&lt;T&gt;(IReadOnlyCollection&lt;T&gt;)</c> for
    /// <c>A(List&lt;int&gt;)</c>: <c>T</c> is <c>int</c>). The parameters must agree and fix every type parameter. Not
    /// inferred (the twin is not taken): a bare <c>T</c> (any value converts to it), a nested one (<c>List&lt;List&lt;T&gt;&gt;</c>),
    /// a type that has two constructions of <c>G</c>, an argument without a type (<c>null</c>), and a widening to
    /// <c>IEnumerable&lt;T&gt;</c>, which every sequence implements (a string is an <c>IEnumerable&lt;char&gt;</c>, a dictionary
    /// one of pairs), so that a twin over it says nothing about being the same operation.
    /// </summary>
    private static IMethodSymbol? InferTypeArguments(IInvocationOperation invocation, IMethodSymbol candidate, KnownTypes types)
    {
        var method = invocation.TargetMethod;
        var shift = ParameterShift(method, candidate);
        var typeParameters = candidate.TypeParameters;
        var inferred = new ITypeSymbol?[typeParameters.Length];
        for (var j = 0; j < candidate.Parameters.Length; j++)
        {
            var twinType = candidate.Parameters[j].Type;
            if (!MentionsTypeParameter(twinType, typeParameters))
            {
                continue;
            }

            var i = j + shift;
            if (i >= method.Parameters.Length
                || twinType is not INamedTypeSymbol { IsGenericType: true } generic
                || generic.TypeArguments.Any(a => a is not ITypeParameterSymbol && MentionsTypeParameter(a, typeParameters))
                || method.Parameters[i] is not { RefKind: RefKind.None, IsParams: false } parameter
                || UniqueConstruction(parameter.Type, generic.OriginalDefinition) is not { } construction
                || WrittenArgumentType(invocation, parameter) is not { } written
                || !SymbolEqualityComparer.Default.Equals(UniqueConstruction(written, generic.OriginalDefinition), construction)
                || (KnownTypes.Is(generic.OriginalDefinition, types.IEnumerableOfT) && !SymbolEqualityComparer.Default.Equals(parameter.Type, construction)))
            {
                return null;
            }

            for (var k = 0; k < generic.TypeArguments.Length; k++)
            {
                var argument = construction.TypeArguments[k];
                var ordinal = generic.TypeArguments[k] is ITypeParameterSymbol typeParameter ? typeParameters.IndexOf(typeParameter, SymbolEqualityComparer.Default) : -1;
                if (ordinal < 0)
                {
                    if (!SymbolEqualityComparer.Default.Equals(generic.TypeArguments[k], argument))
                    {
                        return null;
                    }
                }
                else if (inferred[ordinal] is null)
                {
                    inferred[ordinal] = argument;
                }
                else if (!SymbolEqualityComparer.Default.Equals(inferred[ordinal], argument))
                {
                    return null;
                }
            }
        }

        var complete = new ITypeSymbol[inferred.Length];
        for (var k = 0; k < inferred.Length; k++)
        {
            if (inferred[k] is not { } argument)
            {
                return null;
            }

            complete[k] = argument;
        }

        return TryConstruct(candidate, ImmutableArray.Create(complete));
    }

    /// <summary>
    /// On a twin constructed by <see cref="InferTypeArguments"/>, the parameter the inference went through may be wider
    /// than the original's (<c>IReadOnlyCollection&lt;int&gt;</c> for <c>List&lt;int&gt;</c>): an implicit reference
    /// conversion, from the parameter type and from the written argument.
    /// </summary>
    private static bool IsInferredWidening(IInvocationOperation invocation, IParameterSymbol parameter, IMethodSymbol twin, int twinOrdinal, Compilation compilation)
    {
        if (invocation.TargetMethod.Arity != 0 || !twin.IsGenericMethod
            || !MentionsTypeParameter(twin.ConstructedFrom.Parameters[twinOrdinal].Type, twin.ConstructedFrom.TypeParameters))
        {
            return false;
        }

        var type = twin.Parameters[twinOrdinal].Type;
        return compilation.ClassifyCommonConversion(parameter.Type, type) is { IsImplicit: true, IsReference: true }
               && WrittenArgumentType(invocation, parameter) is { } written
               && compilation.ClassifyCommonConversion(written, type) is { IsImplicit: true } conversion
               && (conversion.IsIdentity || conversion.IsReference);
    }

    /// <summary>The one construction of <paramref name="definition"/> among <paramref name="type"/>, its base types and its interfaces; null for none or several.</summary>
    private static INamedTypeSymbol? UniqueConstruction(ITypeSymbol type, INamedTypeSymbol definition)
    {
        INamedTypeSymbol? found = null;
        for (var current = type as INamedTypeSymbol; current is not null; current = current.BaseType)
        {
            if (!Consider(current))
            {
                return null;
            }
        }

        foreach (var candidate in type.AllInterfaces)
        {
            if (!Consider(candidate))
            {
                return null;
            }
        }

        return found;

        bool Consider(INamedTypeSymbol candidate)
        {
            if (!SymbolEqualityComparer.Default.Equals(candidate.OriginalDefinition, definition))
            {
                return true;
            }

            if (found is not null && !SymbolEqualityComparer.Default.Equals(found, candidate))
            {
                return false;
            }

            found = candidate;
            return true;
        }
    }

    /// <summary>The type of the argument written for <paramref name="parameter"/>, before implicit conversions; null when it is omitted or has no type.</summary>
    private static ITypeSymbol? WrittenArgumentType(IInvocationOperation invocation, IParameterSymbol parameter)
    {
        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter?.Ordinal == parameter.Ordinal)
            {
                return argument.ArgumentKind == ArgumentKind.Explicit ? argument.Value.UnwrapBuiltInConversions().Type : null;
            }
        }

        return null;
    }

    private static bool MentionsTypeParameter(ITypeSymbol type, ImmutableArray<ITypeParameterSymbol> typeParameters)
        => type switch
        {
            ITypeParameterSymbol parameter => typeParameters.Contains(parameter, SymbolEqualityComparer.Default),
            IArrayTypeSymbol array => MentionsTypeParameter(array.ElementType, typeParameters),
            IPointerTypeSymbol pointer => MentionsTypeParameter(pointer.PointedAtType, typeParameters),
            INamedTypeSymbol named => named.TypeArguments.Any(a => MentionsTypeParameter(a, typeParameters)),
            _ => false,
        };
}
