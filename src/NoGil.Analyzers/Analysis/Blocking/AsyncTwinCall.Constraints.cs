namespace NoGil.Analyzers.Analysis.Blocking;

/// <summary>Generic twins: the call's type arguments must satisfy the twin's constraints, or the twin cannot be called.</summary>
public sealed partial class AsyncTwinCall
{
    /// <summary>
    /// <paramref name="twin"/> (constructed with the call's type arguments) satisfies its type parameters' constraints:
    /// <c>class</c>, <c>struct</c>, <c>unmanaged</c>, <c>new()</c> and constraint types (implicit reference or boxing
    /// conversion; a generic constraint type by its definition).
    /// </summary>
    private static bool SatisfiesConstraints(IMethodSymbol twin, Compilation compilation)
    {
        if (!twin.IsGenericMethod)
        {
            return true;
        }

        var parameters = twin.OriginalDefinition.TypeParameters;
        var arguments = twin.TypeArguments;
        for (var i = 0; i < parameters.Length && i < arguments.Length; i++)
        {
            var parameter = parameters[i];
            var argument = arguments[i];
            if (argument is IErrorTypeSymbol
                || (parameter.HasReferenceTypeConstraint && !argument.IsReferenceType)
                || (parameter.HasValueTypeConstraint && (!argument.IsValueType || argument.OriginalDefinition.SpecialType == SpecialType.System_Nullable_T))
                || (parameter.HasUnmanagedTypeConstraint && !argument.IsUnmanagedType)
                || (parameter.HasConstructorConstraint && !HasPublicParameterlessConstructor(argument)))
            {
                return false;
            }

            foreach (var constraint in parameter.ConstraintTypes)
            {
                var expected = constraint is ITypeParameterSymbol { TypeParameterKind: TypeParameterKind.Method, Ordinal: var ordinal } && ordinal < arguments.Length
                    ? arguments[ordinal]
                    : constraint;
                if (!SatisfiesConstraintType(argument, expected, compilation))
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static bool SatisfiesConstraintType(ITypeSymbol argument, ITypeSymbol constraint, Compilation compilation)
    {
        if (ContainsTypeParameter(constraint))
        {
            // `where T : IComparable<T>` and the like: compared by definition, without substituting.
            var definition = constraint.OriginalDefinition;
            return KnownTypes.InheritsFromOrEquals(argument, definition)
                   || argument.AllInterfaces.Any(i => SymbolEqualityComparer.Default.Equals(i.OriginalDefinition, definition));
        }

        var conversion = compilation.ClassifyCommonConversion(argument, constraint);
        // Identity, implicit reference or boxing: implicit, built in, not numeric.
        return conversion.IsIdentity || (conversion.IsImplicit && !conversion.IsUserDefined && !conversion.IsNumeric);
    }

    private static bool ContainsTypeParameter(ITypeSymbol type)
        => type switch
        {
            ITypeParameterSymbol => true,
            IArrayTypeSymbol array => ContainsTypeParameter(array.ElementType),
            INamedTypeSymbol named => named.TypeArguments.Any(ContainsTypeParameter),
            _ => false,
        };

    private static bool HasPublicParameterlessConstructor(ITypeSymbol type)
        => type switch
        {
            ITypeParameterSymbol parameter => parameter.HasConstructorConstraint || parameter.HasValueTypeConstraint || parameter.HasUnmanagedTypeConstraint,
            INamedTypeSymbol { IsValueType: true } => true,
            INamedTypeSymbol { IsAbstract: false, TypeKind: TypeKind.Class } named
                => named.InstanceConstructors.Any(c => c.Parameters.Length == 0 && c.DeclaredAccessibility == Accessibility.Public),
            _ => false,
        };
}
