namespace NoGil.Analyzers.Analysis.Common;

public static partial class Purity
{
    /// <summary>Summaries of source calls: bounded by <see cref="MaxCallDepth"/>, cycle-guarded, memoized in <see cref="PurityCache"/>.</summary>
    private sealed partial class Walker
    {
        /// <summary>The summary of a call. <paramref name="receiverIsOwned"/>: writes to <c>this</c> are writes to the caller's own object.</summary>
        public bool IsPureCall(IMethodSymbol method, bool receiverIsOwned, int depth)
        {
            if (IsKnownPureMember(method))
            {
                return true;
            }

            if (IsForbidden(method) || (method.AssociatedSymbol is { } associated && IsForbidden(associated)))
            {
                return false;
            }

            var definition = (method.PartialImplementationPart ?? method).OriginalDefinition;
            if (VerdictWithoutBody(definition) is { } verdict)
            {
                return verdict;
            }

            var thisWritable = receiverIsOwned || definition.MethodKind == MethodKind.Constructor;
            if (_cache.TryGetSummary(definition, thisWritable, depth, out var cached))
            {
                return cached;
            }

            if (_inProgress.Contains(definition))
            {
                // Recursion adds no effect of its own: assume pure, but do not cache what depends on it.
                _assumed = true;
                return true;
            }

            if (depth + 1 > MaxCallDepth)
            {
                _assumed = true;
                return false;
            }

            var outerAssumed = _assumed;
            _assumed = false;
            _inProgress.Add(definition);
            bool pure;
            try
            {
                pure = SummarizeBody(definition, thisWritable, depth + 1);
            }
            finally
            {
                _inProgress.Remove(definition);
            }

            if (!_assumed)
            {
                _cache.SetSummary(definition, thisWritable, depth, pure);
            }

            _assumed |= outerAssumed;
            return pure;
        }

        /// <summary>
        /// The answer for a call of <paramref name="definition"/> that needs no summary of its body: pure for
        /// <c>object</c>'s constructor; impure when it is not in source, is async, extern, abstract, an interface member,
        /// overridable, or takes <c>ref</c>/<c>out</c> parameters; null when only its body can tell.
        /// </summary>
        public static bool? VerdictWithoutBody(IMethodSymbol definition)
        {
            if (definition.MethodKind is MethodKind.Constructor && definition.ContainingType?.SpecialType == SpecialType.System_Object)
            {
                return true;
            }

            if (!IsInSource(definition) || definition.IsAsync || definition.IsExtern || definition.IsAbstract
                || definition.ContainingType is null || definition.ContainingType.TypeKind == TypeKind.Interface
                || ((definition.IsVirtual || definition.IsOverride) && !definition.IsSealed && !definition.ContainingType.IsSealed && !definition.ContainingType.IsValueType))
            {
                return false;
            }

            foreach (var parameter in definition.Parameters)
            {
                if (parameter.RefKind is RefKind.Ref or RefKind.Out)
                {
                    return false;
                }
            }

            return null;
        }

        private bool SummarizeBody(IMethodSymbol method, bool thisWritable, int depth)
        {
            var references = method.DeclaringSyntaxReferences;
            if (references.Length == 0)
            {
                // An implicit constructor: only the field initializers and the base constructor run.
                return method.MethodKind == MethodKind.Constructor && AreInstanceInitializersPure(method.ContainingType, depth)
                       && (method.ContainingType.BaseType is not { } baseType || baseType.SpecialType == SpecialType.System_Object
                           || method.ContainingType.IsValueType || IsParameterlessConstructorPure(baseType, depth));
            }

            if (references.Length != 1)
            {
                return false;
            }

            var syntax = references[0].GetSyntax(_cancellationToken);
            var model = _cache.GetModel(syntax.SyntaxTree);
            if (model is null)
            {
                return false;
            }

            IOperation? body = model.GetOperation(syntax, _cancellationToken);
            if (body is null)
            {
                // Auto-accessors: a getter reads the backing field, a setter writes this.
                if (syntax is Microsoft.CodeAnalysis.CSharp.Syntax.AccessorDeclarationSyntax { Body: null, ExpressionBody: null })
                {
                    return method.MethodKind == MethodKind.PropertyGet || thisWritable;
                }

                return false;
            }

            var frame = new Frame(syntax, thisWritable, method, depth);
            if (!IsIndependent(body, frame))
            {
                return false;
            }

            return method.MethodKind != MethodKind.Constructor || method.IsStatic || AreInstanceInitializersPure(method.ContainingType, depth);
        }

        private bool IsParameterlessConstructorPure(INamedTypeSymbol type, int depth)
        {
            foreach (var constructor in type.InstanceConstructors)
            {
                if (constructor.Parameters.Length == 0)
                {
                    return IsPureConstructor(constructor, depth);
                }
            }

            return false;
        }

        private bool AreInstanceInitializersPure(INamedTypeSymbol type, int depth)
        {
            foreach (var member in type.GetMembers())
            {
                if (member.IsStatic || member is not (IFieldSymbol or IPropertySymbol))
                {
                    continue;
                }

                foreach (var reference in member.DeclaringSyntaxReferences)
                {
                    var syntax = reference.GetSyntax(_cancellationToken);
                    SyntaxNode? initializer = syntax switch
                    {
                        Microsoft.CodeAnalysis.CSharp.Syntax.VariableDeclaratorSyntax declarator => declarator.Initializer,
                        Microsoft.CodeAnalysis.CSharp.Syntax.PropertyDeclarationSyntax property => property.Initializer,
                        _ => null,
                    };

                    if (initializer is null)
                    {
                        continue;
                    }

                    var model = _cache.GetModel(initializer.SyntaxTree);
                    if (model?.GetOperation(initializer, _cancellationToken) is not { } operation
                        || !IsIndependent(operation, new Frame(initializer, thisWritable: true, ownParameters: null, depth)))
                    {
                        return false;
                    }
                }
            }

            return true;
        }
    }
}
