using System.Runtime.CompilerServices;

namespace NoGil.Analyzers.Analysis.Blocking;

/// <summary>
/// The callers NOGIL203's fix updates. A method can become async only when every reference to it is a call, in its
/// own document, from a function that can await it (an async function, or the method itself): a method-group use,
/// a synchronous caller, or a possible reference from another file leaves it as it is. References are found through
/// a per-tree index of the names used in it, so a file is walked once however many methods ask.
/// </summary>
internal static class AsyncCallers
{
    /// <summary>The calls to <paramref name="method"/> (declared by <paramref name="function"/>), or null when one of its references cannot await.</summary>
    public static ImmutableArray<InvocationExpressionSyntax>? Find(IMethodSymbol method, SyntaxNode function, SemanticModel model, CancellationToken cancellationToken)
    {
        var tree = function.SyntaxTree;
        var index = NameIndex.For(tree, cancellationToken);
        if (index.MayBindByPattern(method.Name) || IsVisibleOutsideTheAssembly(method, model.Compilation)
            || MayBeReferencedFromAnotherTree(method, tree, model.Compilation, cancellationToken))
        {
            return null;
        }

        var root = tree.GetRoot(cancellationToken);
        var callers = ImmutableArray.CreateBuilder<InvocationExpressionSyntax>();
        foreach (var position in index.PositionsOf(method.Name))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (root.FindToken(position, findInsideTrivia: true).Parent is not SimpleNameSyntax name || !Refers(model, name, method, cancellationToken))
            {
                continue;
            }

            if (name.FirstAncestorOrSelf<InvocationExpressionSyntax>() is not { } invocation || !IsCallee(invocation, name))
            {
                if (name.Ancestors().OfType<InvocationExpressionSyntax>().Any(i => i.Expression is IdentifierNameSyntax { Identifier.ValueText: "nameof" }))
                {
                    continue;
                }

                return null;
            }

            if (!CanAwait(invocation, function) || AwaitSyntax.IsAwaitForbiddenAt(invocation)
                || model.GetOperation(invocation, cancellationToken) is not IInvocationOperation)
            {
                return null;
            }

            callers.Add(invocation);
        }

        return callers.ToImmutable();
    }

    /// <summary>The caller is async, or is the method being converted.</summary>
    private static bool CanAwait(InvocationExpressionSyntax invocation, SyntaxNode function)
    {
        var caller = AwaitSyntax.EnclosingFunction(invocation);
        return caller == function || caller switch
        {
            AnonymousFunctionExpressionSyntax lambda => lambda.AsyncKeyword.IsKind(SyntaxKind.AsyncKeyword),
            LocalFunctionStatementSyntax local => local.Modifiers.Any(SyntaxKind.AsyncKeyword),
            MethodDeclarationSyntax method => method.Modifiers.Any(SyntaxKind.AsyncKeyword),
            _ => false,
        };
    }

    /// <summary>The name binds to <paramref name="method"/> (or might: a candidate of a failed overload resolution counts).</summary>
    private static bool Refers(SemanticModel model, SimpleNameSyntax name, IMethodSymbol method, CancellationToken cancellationToken)
    {
        var info = model.GetSymbolInfo(name, cancellationToken);
        var target = method.OriginalDefinition;
        return IsMethod(info.Symbol, target) || info.CandidateSymbols.Any(candidate => IsMethod(candidate, target));

        static bool IsMethod(ISymbol? symbol, IMethodSymbol target)
            => symbol is IMethodSymbol found && SymbolEqualityComparer.Default.Equals((found.ReducedFrom ?? found).OriginalDefinition, target);
    }

    private static bool IsCallee(InvocationExpressionSyntax invocation, SyntaxNode name)
        => invocation.Expression == name
           || invocation.Expression is MemberAccessExpressionSyntax access && access.Name == name
           || invocation.Expression is MemberBindingExpressionSyntax binding && binding.Name == name;

    /// <summary>
    /// True when code outside the compilation could call the method — another project of the solution, a test project,
    /// a library's users: it is public or protected in public types, or internal in an assembly that declares
    /// <c>InternalsVisibleTo</c>. Its signature cannot change without breaking their build, and the analyzer cannot
    /// see their calls.
    /// </summary>
    private static bool IsVisibleOutsideTheAssembly(IMethodSymbol method, Compilation compilation)
    {
        if (method.MethodKind == MethodKind.LocalFunction)
        {
            return false;
        }

        for (ISymbol? symbol = method; symbol is not null and not INamespaceSymbol; symbol = symbol.ContainingSymbol)
        {
            switch (symbol.DeclaredAccessibility)
            {
                case Accessibility.Private:
                    return false;
                case Accessibility.Internal or Accessibility.ProtectedAndInternal when !HasFriendAssemblies(compilation):
                    return false;
            }
        }

        return true;
    }

    private static bool HasFriendAssemblies(Compilation compilation)
        => compilation.Assembly.GetAttributes().Any(a => a.AttributeClass is { Name: "InternalsVisibleToAttribute" });

    /// <summary>
    /// True when another file of the compilation could refer to the method: it uses the method's name (or syntax that
    /// binds it by pattern) and the method is visible there. A local function is visible only in its own body, a
    /// private method only in the files that declare its type.
    /// </summary>
    private static bool MayBeReferencedFromAnotherTree(IMethodSymbol method, SyntaxTree tree, Compilation compilation, CancellationToken cancellationToken)
    {
        if (method.MethodKind == MethodKind.LocalFunction)
        {
            return false;
        }

        var trees = method.DeclaredAccessibility == Accessibility.Private && method.ContainingType is { } type
            ? type.DeclaringSyntaxReferences.Select(reference => reference.SyntaxTree)
            : compilation.SyntaxTrees;
        foreach (var other in trees)
        {
            if (other != tree)
            {
                var index = NameIndex.For(other, cancellationToken);
                if (index.PositionsOf(method.Name).Count > 0 || index.MayBindByPattern(method.Name))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>Syntax that calls a method by its name without writing it.</summary>
    [Flags]
    private enum PatternUse
    {
        None = 0,
        CollectionInitializer = 1,
        ForEach = 2,
        Await = 4,
        Query = 8,
        Fixed = 16,
        Range = 32,
    }

    /// <summary>The names written in one tree (in code and in documentation comments), and the pattern-binding syntax it contains.</summary>
    private sealed class NameIndex
    {
        private static readonly ConditionalWeakTable<SyntaxTree, NameIndex> ByTree = new();
        private static readonly IReadOnlyList<int> NoPositions = Array.Empty<int>();

        private readonly Dictionary<string, List<int>> _positions = new(StringComparer.Ordinal);
        private PatternUse _uses;

        public static NameIndex For(SyntaxTree tree, CancellationToken cancellationToken)
        {
            if (ByTree.TryGetValue(tree, out var cached))
            {
                return cached;
            }

            var index = new NameIndex();
            index.Fill(tree.GetRoot(cancellationToken), cancellationToken);
            return ByTree.GetValue(tree, _ => index);
        }

        /// <summary>Where a simple name (not a declaration) reads <paramref name="name"/>.</summary>
        public IReadOnlyList<int> PositionsOf(string name) => _positions.TryGetValue(name, out var positions) ? positions : NoPositions;

        /// <summary>True when the tree has syntax that may call a method named <paramref name="name"/> by pattern.</summary>
        public bool MayBindByPattern(string name) => (_uses & UsesOf(name)) != 0;

        private static PatternUse UsesOf(string name) => name switch
        {
            "Add" => PatternUse.CollectionInitializer,
            "GetEnumerator" or "MoveNext" => PatternUse.ForEach | PatternUse.CollectionInitializer,
            "GetAwaiter" or "GetResult" or "OnCompleted" or "UnsafeOnCompleted" => PatternUse.Await,
            "Select" or "SelectMany" or "Where" or "OrderBy" or "OrderByDescending" or "ThenBy" or "ThenByDescending"
                or "GroupBy" or "GroupJoin" or "Join" or "Cast" => PatternUse.Query,
            "GetPinnableReference" => PatternUse.Fixed,
            "Slice" => PatternUse.Range,
            _ => PatternUse.None,
        };

        private void Fill(SyntaxNode root, CancellationToken cancellationToken)
        {
            var steps = 0;
            // Documentation comments are read (a cref is a reference); preprocessor directives are not code.
            foreach (var node in root.DescendantNodes(static n => n is not DirectiveTriviaSyntax, descendIntoTrivia: true))
            {
                if ((++steps & 0xFF) == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }

                _uses |= node.Kind() switch
                {
                    SyntaxKind.CollectionInitializerExpression or SyntaxKind.CollectionExpression => PatternUse.CollectionInitializer,
                    SyntaxKind.ForEachStatement or SyntaxKind.ForEachVariableStatement => PatternUse.ForEach,
                    SyntaxKind.AwaitExpression => PatternUse.Await,
                    SyntaxKind.QueryExpression => PatternUse.Query,
                    SyntaxKind.FixedStatement => PatternUse.Fixed,
                    SyntaxKind.RangeExpression => PatternUse.Range,
                    _ => PatternUse.None,
                };

                if (node is SimpleNameSyntax name)
                {
                    var text = name.Identifier.ValueText;
                    if (!_positions.TryGetValue(text, out var positions))
                    {
                        _positions[text] = positions = new List<int>();
                    }

                    positions.Add(name.Identifier.SpanStart);
                }
            }
        }
    }
}
