namespace NoGil.Analyzers.Analysis.Blocking;

/// <summary>The independence proof of a <see cref="SequentialOffloadLoop"/>: its iterations may run concurrently.</summary>
public sealed partial class SequentialOffloadLoop
{
    /// <summary>
    /// True when the iterations are independent: the work is pure and reads neither the results collection nor
    /// anything that may alias it, and neither the collection nor the bounds depend on the results.
    /// </summary>
    public bool IsIndependent(PurityCache cache, CancellationToken cancellationToken)
    {
        var lambda = Offload.Lambda;
        if (lambda is null)
        {
            return false;
        }

        var forbidden = Results is null ? new List<ISymbol>() : new List<ISymbol> { Results };
        foreach (var part in new[] { Collection, Lower, Upper })
        {
            if (part is not null && References(part, forbidden))
            {
                return false;
            }
        }

        if (Results is not null && !IsUnaliasedFreshLocal(Results, cancellationToken))
        {
            // The results collection may be reachable through another variable: nothing the loop reads may be of a type that could alias it.
            var resultsType = ResultsType(Results);
            if (resultsType is null)
            {
                return false;
            }

            foreach (var part in new IOperation?[] { Collection, Lower, Upper, lambda })
            {
                if (part is not null && MayReadAlias(part, resultsType, Results))
                {
                    return false;
                }
            }
        }

        return Purity.IsIndependent(lambda, cache, forbidden, cancellationToken);
    }

    private static ITypeSymbol? ResultsType(ISymbol symbol) => symbol switch
    {
        ILocalSymbol local => local.Type,
        IParameterSymbol parameter => parameter.Type,
        IFieldSymbol field => field.Type,
        _ => null,
    };

    private static bool References(IOperation root, List<ISymbol> symbols)
    {
        if (symbols.Count == 0)
        {
            return false;
        }

        foreach (var operation in root.DescendantsAndSelf())
        {
            var symbol = operation switch
            {
                ILocalReferenceOperation local => (ISymbol)local.Local,
                IParameterReferenceOperation parameter => parameter.Parameter,
                IFieldReferenceOperation field => field.Field,
                _ => null,
            };

            if (symbol is not null && symbols.Exists(s => SymbolEqualityComparer.Default.Equals(s, symbol)))
            {
                return true;
            }
        }

        return false;
    }

    private static bool MayReadAlias(IOperation root, ITypeSymbol resultsType, ISymbol results)
    {
        foreach (var operation in root.DescendantsAndSelf())
        {
            var (symbol, type) = operation switch
            {
                ILocalReferenceOperation local => ((ISymbol?)local.Local, local.Local.Type),
                IParameterReferenceOperation parameter => (parameter.Parameter, parameter.Parameter.Type),
                IFieldReferenceOperation field => (field.Field, field.Field.Type),
                IPropertyReferenceOperation property => (property.Property, property.Property.Type),
                _ => (null, null),
            };

            if (symbol is not null && type is not null && !SymbolEqualityComparer.Default.Equals(symbol, results) && MayAlias(type, resultsType))
            {
                return true;
            }
        }

        return false;
    }

    private static bool MayAlias(ITypeSymbol a, ITypeSymbol b)
    {
        if (a.IsValueType && a.TypeKind != TypeKind.TypeParameter)
        {
            return false;
        }

        if (a.SpecialType == SpecialType.System_String || a.TypeKind == TypeKind.Delegate)
        {
            return false;
        }

        return a.TypeKind is TypeKind.TypeParameter or TypeKind.Interface or TypeKind.Error || a.SpecialType == SpecialType.System_Object
               || SameType(a, b) || Derives(a, b) || Derives(b, a) || Implements(a, b) || Implements(b, a);

        static bool Derives(ITypeSymbol type, ITypeSymbol candidate)
        {
            for (var current = type.BaseType; current is not null; current = current.BaseType)
            {
                if (SameType(current, candidate))
                {
                    return true;
                }
            }

            return false;
        }

        static bool Implements(ITypeSymbol type, ITypeSymbol candidate)
        {
            foreach (var @interface in type.AllInterfaces)
            {
                if (SameType(@interface, candidate))
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>Same type, or two constructions of a variant generic interface (which may convert into each other).</summary>
    private static bool SameType(ITypeSymbol x, ITypeSymbol y)
    {
        if (SymbolEqualityComparer.Default.Equals(x, y))
        {
            return true;
        }

        if (x is not INamedTypeSymbol namedX || y is not INamedTypeSymbol namedY
            || !SymbolEqualityComparer.Default.Equals(namedX.OriginalDefinition, namedY.OriginalDefinition))
        {
            return false;
        }

        foreach (var parameter in namedX.OriginalDefinition.TypeParameters)
        {
            if (parameter.Variance != VarianceKind.None)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// A local initialized with <c>new …</c> that is only ever used as a receiver (<c>results.Add</c>, <c>results.Count</c>)
    /// or returned: nothing else can refer to the same collection.
    /// </summary>
    private bool IsUnaliasedFreshLocal(ISymbol results, CancellationToken cancellationToken)
    {
        if (results is not ILocalSymbol local || local.DeclaringSyntaxReferences.Length != 1)
        {
            return false;
        }

        var declaration = local.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken);
        if (declaration is not VariableDeclaratorSyntax { Initializer.Value: { } initializer }
            || initializer.IsKind(SyntaxKind.ObjectCreationExpression) is false && initializer is not ImplicitObjectCreationExpressionSyntax)
        {
            return false;
        }

        var scope = declaration.FirstAncestorOrSelf<BlockSyntax>() ?? (SyntaxNode?)declaration.FirstAncestorOrSelf<CompilationUnitSyntax>();
        if (scope is null)
        {
            return false;
        }

        foreach (var token in scope.DescendantTokens())
        {
            if (!token.IsKind(SyntaxKind.IdentifierToken) || token.ValueText != local.Name || token.Parent is not IdentifierNameSyntax name)
            {
                continue;
            }

            var parent = name.Parent;
            var isReceiver = parent is MemberAccessExpressionSyntax access && access.Expression == name;
            var isReturned = parent is ReturnStatementSyntax or ArrowExpressionClauseSyntax;
            if (!isReceiver && !isReturned)
            {
                return false;
            }
        }

        return true;
    }
}
