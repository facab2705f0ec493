namespace NoGil.Analyzers.Analysis.Blocking;

/// <summary>How <see cref="AsyncTwinCall"/> finds and checks the twin: candidates, parameters, return type, accessibility, recursion.</summary>
public sealed partial class AsyncTwinCall
{
    /// <summary>
    /// The twins of the call: <paramref name="exact"/> takes the same parameters, <paramref name="withToken"/> adds a
    /// trailing <see cref="System.Threading.CancellationToken"/>. Either or both may be null. Twins are named <c>MAsync</c>;
    /// only when there is none, an overload of the same name that adds the token and returns an awaitable
    /// (<c>Task Write(CancellationToken)</c> beside <c>void Write()</c>) is the twin.
    /// </summary>
    private static void FindTwins(IInvocationOperation invocation, KnownTypes types, ISymbol? owningSymbol, CancellationToken cancellationToken, out IMethodSymbol? exact, out IMethodSymbol? withToken)
    {
        var method = invocation.TargetMethod;
        exact = null;
        withToken = null;
        if (IsSyncModeSuffix(invocation, types))
        {
            return;
        }

        foreach (var candidate in Candidates(invocation, method.Name + "Async", types))
        {
            switch (Match(candidate, out var twin))
            {
                case ParameterMatch.Exact:
                    exact ??= twin;
                    break;
                case ParameterMatch.TrailingToken:
                    withToken ??= twin;
                    break;
            }
        }

        if (exact is not null || withToken is not null)
        {
            return;
        }

        foreach (var candidate in Candidates(invocation, method.Name, types))
        {
            if (!SymbolEqualityComparer.Default.Equals(candidate.OriginalDefinition, method.OriginalDefinition)
                && Match(candidate, out var twin) == ParameterMatch.TrailingToken)
            {
                withToken ??= twin;
            }
        }

        ParameterMatch Match(IMethodSymbol candidate, out IMethodSymbol? twin)
        {
            var reducedExtension = candidate.MethodKind == MethodKind.ReducedExtension;
            var onReceiver = IsInstanceTwinOfExtension(method, candidate);
            twin = null;
            if ((candidate.IsStatic != method.IsStatic && !reducedExtension && !onReceiver)
                || (candidate.IsExtensionMethod != method.IsExtensionMethod && !reducedExtension && !onReceiver)
                || (candidate.MethodKind != MethodKind.Ordinary && !reducedExtension)
                || ConstructTwin(invocation, candidate, types) is not { } constructed)
            {
                return ParameterMatch.None;
            }

            var match = MatchParameters(invocation, constructed, types);
            if (match == ParameterMatch.None
                || !ReturnsAwaitableOf(constructed, method.ReturnType, types)
                || !SatisfiesConstraints(constructed, types.Compilation)
                || IsObsolete(constructed, types)
                || !IsAccessible(constructed, invocation, owningSymbol, types)
                || !ArgumentsFit(invocation, constructed)
                || !HasQueryProviderFor(constructed, invocation, types, cancellationToken)
                || IsForwardingWrapper(constructed, method))
            {
                return ParameterMatch.None;
            }

            twin = constructed;
            return match;
        }
    }

    /// <summary>
    /// Methods named <paramref name="name"/> visible on the receiver: the static type's members for a static call
    /// (for an extension method, also EF Core's async query operators, <see cref="QueryOperatorTwinTypes"/>),
    /// otherwise the receiver's type and its base types (an override hides the method it overrides).
    /// </summary>
    private static List<IMethodSymbol> Candidates(IInvocationOperation invocation, string name, KnownTypes types)
    {
        var method = invocation.TargetMethod;
        var start = method.ContainingType;
        if (!method.IsStatic
            && invocation.Instance?.Type is INamedTypeSymbol { TypeKind: TypeKind.Class or TypeKind.Struct } receiverType
            && KnownTypes.InheritsFromOrEquals(receiverType, method.ContainingType.OriginalDefinition))
        {
            start = receiverType;
        }

        var found = new List<IMethodSymbol>();
        for (var type = start; type is not null; type = method.IsStatic ? null : type.BaseType)
        {
            AddMembers(type);
        }

        if (!method.IsStatic && start.TypeKind == TypeKind.Interface)
        {
            foreach (var baseInterface in start.AllInterfaces)
            {
                AddMembers(baseInterface);
            }
        }

        if (method.IsExtensionMethod && QueryOperatorTwinTypes(method, types) is { } queryTwins)
        {
            AddMembers(queryTwins);
        }

        if (found.Count == 0 && !method.IsStatic && !method.IsExtensionMethod)
        {
            AddSourceExtensionTwins(invocation, name, types, found);
        }

        if (found.Count == 0 && ExtendedType(invocation) is { } extended)
        {
            // An extension method's twin may be an instance method of the type it extends.
            for (var type = extended; type is not null; type = type.BaseType)
            {
                AddMembers(type);
            }

            if (extended.TypeKind == TypeKind.Interface)
            {
                foreach (var baseInterface in extended.AllInterfaces)
                {
                    AddMembers(baseInterface);
                }
            }
        }

        return found;

        void AddMembers(INamedTypeSymbol type)
        {
            foreach (var member in type.GetMembers(name))
            {
                if (member is IMethodSymbol candidate && !found.Any(f => SameParameters(f, candidate)))
                {
                    found.Add(candidate);
                }
            }
        }
    }

    /// <summary>
    /// An instance call's twin may be an extension method of the project's own source, in any static class in scope at
    /// the call (<c>static Task AAsync(this Test test, CancellationToken token = default)</c> for <c>Test.A()</c>): added
    /// reduced to the receiver, so its parameters line up with the call's. Gated by a name lookup in the compilation's
    /// declarations, so a call with no such name declared costs nothing more.
    /// </summary>
    private static void AddSourceExtensionTwins(IInvocationOperation invocation, string name, KnownTypes types, List<IMethodSymbol> found)
    {
        if (invocation.Instance?.Type is not { } receiverType || invocation.SemanticModel is not { } model
            || !types.Compilation.ContainsSymbolsWithName(name, SymbolFilter.Member))
        {
            return;
        }

        foreach (var symbol in model.LookupSymbols(invocation.Syntax.SpanStart, receiverType, name, includeReducedExtensionMethods: true))
        {
            if (symbol is IMethodSymbol { MethodKind: MethodKind.ReducedExtension, ReducedFrom: { } definition } reduced
                && definition.Locations.Any(l => l.IsInSource))
            {
                found.Add(reduced);
            }
        }
    }

    private static bool SameParameters(IMethodSymbol left, IMethodSymbol right)
    {
        if (left.Parameters.Length != right.Parameters.Length || left.Arity != right.Arity || left.IsStatic != right.IsStatic)
        {
            return false;
        }

        for (var i = 0; i < left.Parameters.Length; i++)
        {
            if (left.Parameters[i].RefKind != right.Parameters[i].RefKind
                || !SymbolEqualityComparer.Default.Equals(left.Parameters[i].Type, right.Parameters[i].Type))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary><c>Task</c>/<c>ValueTask</c> for a void method; <c>Task&lt;R&gt;</c>/<c>ValueTask&lt;R&gt;</c> for a method returning <c>R</c>.</summary>
    private static bool ReturnsAwaitableOf(IMethodSymbol twin, ITypeSymbol resultType, KnownTypes types)
    {
        if (resultType.SpecialType == SpecialType.System_Void)
        {
            return KnownTypes.Is(twin.ReturnType, types.Task) || KnownTypes.Is(twin.ReturnType, types.ValueTask);
        }

        return twin.ReturnType is INamedTypeSymbol { TypeArguments.Length: 1 } returnType
               && (KnownTypes.Is(returnType.OriginalDefinition, types.TaskOfT) || KnownTypes.Is(returnType.OriginalDefinition, types.ValueTaskOfT))
               && (SymbolEqualityComparer.Default.Equals(returnType.TypeArguments[0], resultType) || IsDerivedResult(returnType.TypeArguments[0], resultType, types));
    }

    /// <summary>The twin's result converts to the original's by an implicit reference conversion (<c>Task&lt;Derived&gt;</c> for <c>Base</c>).</summary>
    private static bool IsDerivedResult(ITypeSymbol twinResult, ITypeSymbol resultType, KnownTypes types)
        => resultType.SpecialType != SpecialType.System_Object
           && types.Compilation.ClassifyCommonConversion(twinResult, resultType) is { IsImplicit: true, IsReference: true };

    /// <summary>The original takes the value by <c>in</c>, the twin (which as an async method cannot) by value.</summary>
    private static bool IsInByValue(IParameterSymbol parameter, IParameterSymbol twinParameter)
        => parameter.RefKind == RefKind.In && twinParameter.RefKind == RefKind.None
           && SymbolEqualityComparer.Default.Equals(parameter.Type, twinParameter.Type);

    /// <summary>
    /// Why a twin matched only loosely is not rewritten: the rewrite keeps the call's arguments and its result's use as
    /// they are, which an <c>in</c> argument (not accepted by value) or a more derived result (a <c>var</c> local would
    /// change type) would not survive. Null when the twin matches exactly.
    /// </summary>
    private static string? LooseMatchReason(IMethodSymbol method, IMethodSymbol twin)
    {
        var shift = ParameterShift(method, twin);
        for (var i = shift; i < method.Parameters.Length && i - shift < twin.Parameters.Length; i++)
        {
            if (IsInByValue(method.Parameters[i], twin.Parameters[i - shift]))
            {
                return "the twin takes '" + method.Parameters[i].Name + "' by value, not by 'in'";
            }
        }

        return method.ReturnType.SpecialType != SpecialType.System_Void
               && twin.ReturnType is INamedTypeSymbol { TypeArguments.Length: 1 } returned
               && !SymbolEqualityComparer.Default.Equals(returned.TypeArguments[0], method.ReturnType)
            ? "the twin's result is a '" + returned.TypeArguments[0].ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat) + "', not a '" + method.ReturnType.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat) + "'"
            : null;
    }

    private enum ParameterMatch
    {
        None,
        Exact,
        TrailingToken,
    }

    /// <summary>
    /// The twin takes the call's parameters in order (same <c>ref</c> kinds and <c>params</c>-ness), optionally followed by
    /// one <see cref="System.Threading.CancellationToken"/>. A parameter type may differ where the twin accepts the same
    /// argument with the same value (<see cref="ArgumentConverts"/>: <c>db.Users</c> passed to
    /// <c>ToList(IEnumerable&lt;T&gt;)</c> also converts to <c>ToListAsync(IQueryable&lt;T&gt;)</c>).
    /// </summary>
    private static ParameterMatch MatchParameters(IInvocationOperation invocation, IMethodSymbol twin, KnownTypes types)
    {
        var method = invocation.TargetMethod;
        var shift = ParameterShift(method, twin);
        var count = method.Parameters.Length - shift;
        if (twin.Parameters.Length != count && twin.Parameters.Length != count + 1)
        {
            return ParameterMatch.None;
        }

        for (var i = 0; i < count; i++)
        {
            var parameter = method.Parameters[i + shift];
            var twinParameter = twin.Parameters[i];
            if ((parameter.RefKind != twinParameter.RefKind && !IsInByValue(parameter, twinParameter))
                || parameter.IsParams != twinParameter.IsParams
                || !(SymbolEqualityComparer.Default.Equals(parameter.Type, twinParameter.Type)
                     || parameter.RefKind == RefKind.None && !parameter.IsParams
                        && (ArgumentConverts(invocation, parameter, twinParameter.Type, types.Compilation) || IsInferredWidening(invocation, parameter, twin, i, types.Compilation))))
            {
                return ParameterMatch.None;
            }
        }

        if (twin.Parameters.Length == count)
        {
            return ParameterMatch.Exact;
        }

        var last = twin.Parameters[count];
        return last.RefKind == RefKind.None && !last.IsParams && KnownTypes.Is(last.Type, types.CancellationToken)
            ? ParameterMatch.TrailingToken
            : ParameterMatch.None;
    }

    /// <summary>
    /// The twin's parameter accepts the call's argument for <paramref name="parameter"/> with the same value: a lossless
    /// numeric widening of the parameter type (<c>int</c> to <c>long</c>), or a narrower reference type that the written
    /// argument converts to (<c>IQueryable&lt;T&gt;</c> for <c>IEnumerable&lt;T&gt;</c>, given a query). A wider type
    /// (<c>object</c> for <c>string</c>) may be treated differently by the twin and does not match.
    /// </summary>
    private static bool ArgumentConverts(IInvocationOperation invocation, IParameterSymbol parameter, ITypeSymbol type, Compilation compilation)
    {
        if (IsLosslessWidening(parameter.Type, type))
        {
            return true;
        }

        var narrowing = compilation.ClassifyCommonConversion(type, parameter.Type);
        if (!narrowing.IsImplicit || !narrowing.IsReference)
        {
            return false;
        }

        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter?.Ordinal != parameter.Ordinal)
            {
                continue;
            }

            if (argument.ArgumentKind != ArgumentKind.Explicit || argument.Value.UnwrapBuiltInConversions().Type is not { } written)
            {
                return false;
            }

            var conversion = compilation.ClassifyCommonConversion(written, type);
            return conversion.IsIdentity || (conversion.IsImplicit && conversion.IsReference);
        }

        return false;
    }

    /// <summary>
    /// An implicit numeric conversion that keeps every value exactly: an integer to a wider integer that holds its sign,
    /// <c>float</c> to <c>double</c>, an integer of up to 16 bits to <c>float</c> (24-bit significand), of up to 32 bits to
    /// <c>double</c> (53-bit significand), and any integer to <c>decimal</c>. Not <c>int</c> to <c>float</c> nor <c>long</c>
    /// to <c>double</c>, which round large values.
    /// </summary>
    private static bool IsLosslessWidening(ITypeSymbol from, ITypeSymbol to)
    {
        var source = IntegralRank(from.SpecialType);
        var target = IntegralRank(to.SpecialType);
        return (source > 0 && target > source && (IsSigned(to.SpecialType) || !IsSigned(from.SpecialType)))
               || (from.SpecialType == SpecialType.System_Single && to.SpecialType == SpecialType.System_Double)
               || (source > 0 && to.SpecialType switch
               {
                   SpecialType.System_Single => source <= 2,
                   SpecialType.System_Double => source <= 3,
                   SpecialType.System_Decimal => true,
                   _ => false,
               });

        static int IntegralRank(SpecialType type)
            => type switch
            {
                SpecialType.System_Byte or SpecialType.System_SByte => 1,
                SpecialType.System_Int16 or SpecialType.System_UInt16 => 2,
                SpecialType.System_Int32 or SpecialType.System_UInt32 => 3,
                SpecialType.System_Int64 or SpecialType.System_UInt64 => 4,
                _ => 0,
            };

        static bool IsSigned(SpecialType type)
            => type is SpecialType.System_SByte or SpecialType.System_Int16 or SpecialType.System_Int32 or SpecialType.System_Int64;
    }

    /// <summary>The call's arguments mean the same thing for the twin: same names, same omitted defaults, same params form.</summary>
    private static bool ArgumentsFit(IInvocationOperation invocation, IMethodSymbol twin)
    {
        var shift = ParameterShift(invocation.TargetMethod, twin);
        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter is not { } parameter || parameter.Ordinal - shift >= twin.Parameters.Length)
            {
                return false;
            }

            if (parameter.Ordinal < shift)
            {
                // The extended value: it becomes the instance twin's receiver.
                continue;
            }

            var twinParameter = twin.Parameters[parameter.Ordinal - shift];
            if (argument.Syntax is ArgumentSyntax { NameColon: { } nameColon } && nameColon.Name.Identifier.ValueText != twinParameter.Name)
            {
                return false;
            }

            if (argument.ArgumentKind == ArgumentKind.DefaultValue
                && !(twinParameter.HasExplicitDefaultValue && parameter.HasExplicitDefaultValue && Equals(twinParameter.ExplicitDefaultValue, parameter.ExplicitDefaultValue)))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsObsolete(IMethodSymbol twin, KnownTypes types)
        => types.ObsoleteAttribute is not null
           && twin.GetAttributes().Any(a => KnownTypes.Is(a.AttributeClass, types.ObsoleteAttribute));

    private static bool IsAccessible(IMethodSymbol twin, IInvocationOperation invocation, ISymbol? owningSymbol, KnownTypes types)
    {
        ISymbol within = owningSymbol as INamedTypeSymbol ?? owningSymbol?.ContainingType ?? (ISymbol)types.Compilation.Assembly;
        var instance = ParameterShift(invocation.TargetMethod, twin) == 1 ? FirstArgument(invocation)?.Value.UnwrapBuiltInConversions() : invocation.Instance;
        var throughType = instance is null or IInstanceReferenceOperation ? null : instance.Type;
        try
        {
            return types.Compilation.IsSymbolAccessibleWithin(twin, within, throughType);
        }
        catch (System.ArgumentException)
        {
            // A symbol from another compilation (e.g. broken or speculative code): be conservative.
            return false;
        }
    }

    /// <summary>The twin is the async member being written, or another overload of it: calling it would recurse.</summary>
    private static bool IsSelfCall(IMethodSymbol twin, IInvocationOperation invocation, ISymbol? owningSymbol, CancellationToken cancellationToken)
    {
        for (var current = invocation.Parent; current is not null; current = current.Parent)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (current is ILocalFunctionOperation { Symbol: { } local } && local.Name == twin.Name)
            {
                return true;
            }
        }

        if (owningSymbol is not IMethodSymbol member)
        {
            return false;
        }

        var memberName = member.Name;
        if (member.ExplicitInterfaceImplementations.Length > 0)
        {
            memberName = member.ExplicitInterfaceImplementations[0].Name;
        }

        if (memberName != twin.Name || member.ContainingType is not { } memberType)
        {
            return false;
        }

        var twinType = twin.ContainingType;
        return KnownTypes.InheritsFromOrEquals(memberType, twinType.OriginalDefinition)
               || KnownTypes.InheritsFromOrEquals(twinType, memberType.OriginalDefinition)
               || memberType.AllInterfaces.Any(i => SymbolEqualityComparer.Default.Equals(i.OriginalDefinition, twinType.OriginalDefinition));
    }
}
