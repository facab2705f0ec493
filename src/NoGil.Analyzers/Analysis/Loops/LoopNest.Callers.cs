using System.Collections.Concurrent;

namespace NoGil.Analyzers.Analysis.Loops;

/// <summary>Where <see cref="LoopNest.FindSideNest"/> found the deeper nest beside a side loop.</summary>
public enum SideNestPlace
{
    /// <summary>In the loop's own function.</summary>
    SameFunction,

    /// <summary>In the function that hands the loop's lambda to the call that runs it, beside that call.</summary>
    BesideRunner,

    /// <summary>Beside every call of the private method that contains the loop, in the callers of its own type.</summary>
    BesideEveryCall,
}

/// <summary>A deeper nest beside a side loop (<see cref="LoopNest.FindSideNest"/>).</summary>
public sealed class SideNest
{
    public SideNest(IOperation nest, IOperation? via, SideNestPlace place)
    {
        Nest = nest;
        Via = via;
        Place = place;
    }

    /// <summary>The outermost loop of the deeper nest, or the call that runs it.</summary>
    public IOperation Nest { get; }

    /// <summary>The call the comparison went through: the call that runs the lambda, or the first call of the private method; null in the same function.</summary>
    public IOperation? Via { get; }

    public SideNestPlace Place { get; }
}

public sealed partial class LoopNest
{
    /// <summary>
    /// How long a chain a loop of a private method may have and still be a side computation of every caller: the least,
    /// over the method's calls in its type, of the deepest nest beside the call minus the loops around the call — the
    /// callee's loop through a call at depth d is a chain of d + its own chain, a side loop when the nest beside the call
    /// is longer. <see cref="Value"/> is 0 (no loop is that short) when the callers are not all known: a method that is
    /// not private, not ordinary, never called, called recursively, or used other than by a call (a method group).
    /// Computed once per method and compilation.
    /// </summary>
    private sealed class CallerRoom
    {
        private static readonly CallerRoom None = new(0, null, null);

        private static readonly CompilationMemo<IMethodSymbol, CallerRoom> Cache = new(SymbolEqualityComparer.Default);

        private CallerRoom(int value, IOperation? nest, IOperation? site)
        {
            Value = value;
            Nest = nest;
            Site = site;
        }

        public int Value { get; }

        /// <summary>The deeper nest beside the first call (in file and source order).</summary>
        public IOperation? Nest { get; }

        /// <summary>The first call.</summary>
        public IOperation? Site { get; }

        public static CallerRoom Of(IMethodSymbol method, PurityCache purity, CancellationToken cancellationToken)
        {
            var definition = method.OriginalDefinition;
            if (definition.DeclaredAccessibility != Accessibility.Private
                || definition.MethodKind != MethodKind.Ordinary
                || definition.IsVirtual || definition.IsOverride || definition.IsAbstract || definition.IsExtern
                || definition.ContainingType is not { } type)
            {
                return None;
            }

            var memo = Cache.For(purity.Compilation);
            if (memo.TryGetValue(definition, out var known))
            {
                return known;
            }

            var computed = Compute(definition, type, purity, cancellationToken);
            return memo.GetOrAdd(definition, computed);
        }

        private static CallerRoom Compute(IMethodSymbol method, INamedTypeSymbol type, PurityCache purity, CancellationToken cancellationToken)
        {
            var names = NameIndex.Of(type, purity, cancellationToken);
            if (!names.IsComplete)
            {
                return None;
            }

            var sites = new List<IInvocationOperation>();
            foreach (var (name, model) in names.Named(method.Name, cancellationToken))
            {
                cancellationToken.ThrowIfCancellationRequested();
                var info = model.GetSymbolInfo(name, cancellationToken);
                var refersToMethod = info.Symbol is IMethodSymbol symbol
                    ? IsMethod(symbol, method)
                    : info.CandidateSymbols.Any(c => c is IMethodSymbol candidate && IsMethod(candidate, method));
                if (!refersToMethod)
                {
                    continue;
                }

                // Only a call: a method group may be run anywhere, and an unresolved candidate is not known to be a call.
                if (info.Symbol is null
                    || InvocationOf(name) is not { } invocation
                    || model.GetOperation(invocation, cancellationToken) is not IInvocationOperation call
                    || !IsMethod(call.TargetMethod, method)
                    || SymbolEqualityComparer.Default.Equals(model.GetEnclosingSymbol(invocation.SpanStart, cancellationToken)?.OriginalDefinition, method))
                {
                    return None;
                }

                sites.Add(call);
            }

            if (sites.Count == 0)
            {
                return None;
            }

            var room = int.MaxValue;
            IOperation? firstNest = null;
            foreach (var site in sites)
            {
                var caller = OfFunction(FunctionOf(site), purity, cancellationToken);
                var (nest, chain) = caller.DeepestBeside(site, 0);
                if (nest is null)
                {
                    return None;
                }

                firstNest ??= nest;
                room = System.Math.Min(room, chain - caller.DepthAt(site));
            }

            return room <= 0 ? None : new CallerRoom(room, firstNest, sites[0]);
        }

        /// <summary>Is <paramref name="symbol"/> <paramref name="method"/> — a constructed form, or an extension method called as one?</summary>
        private static bool IsMethod(IMethodSymbol symbol, IMethodSymbol method)
            => SymbolEqualityComparer.Default.Equals((symbol.ReducedFrom ?? symbol).OriginalDefinition, method)
               || SymbolEqualityComparer.Default.Equals(symbol.PartialDefinitionPart?.OriginalDefinition ?? symbol.PartialImplementationPart?.OriginalDefinition, method);

        /// <summary>The call whose callee <paramref name="name"/> names (<c>M(…)</c>, <c>x.M(…)</c>, <c>M&lt;T&gt;(…)</c>), or null.</summary>
        private static InvocationExpressionSyntax? InvocationOf(SimpleNameSyntax name)
        {
            ExpressionSyntax callee = name.Parent is MemberAccessExpressionSyntax access && access.Name == name ? access : name;
            return callee.Parent is InvocationExpressionSyntax invocation && invocation.Expression == callee ? invocation : null;
        }
    }

    /// <summary>
    /// The simple names in a type's declarations (partial parts and nested types included) spelled as asked, in file-path
    /// and source order, each with the semantic model of its tree: the declarations are listed once per type and
    /// compilation, and the names of each identifier found once, by searching the declarations' text for it (a private
    /// method of a large type is looked up without walking the type's tokens).
    /// </summary>
    private sealed class NameIndex
    {
        private static readonly CompilationMemo<INamedTypeSymbol, NameIndex> Cache = new(SymbolEqualityComparer.Default);

        private readonly ImmutableArray<(SyntaxNode Declaration, SemanticModel Model)> _declarations;
        private readonly ConcurrentDictionary<string, IReadOnlyList<(SimpleNameSyntax Name, SemanticModel Model)>> _byIdentifier = new(StringComparer.Ordinal);

        private NameIndex(ImmutableArray<(SyntaxNode Declaration, SemanticModel Model)> declarations, bool isComplete)
        {
            _declarations = declarations;
            IsComplete = isComplete;
        }

        /// <summary>False when a declaration's tree is not in the compilation (no semantic model): its callers are unknown.</summary>
        public bool IsComplete { get; }

        /// <summary>The names spelled <paramref name="identifier"/>, in file-path and source order.</summary>
        public IReadOnlyList<(SimpleNameSyntax Name, SemanticModel Model)> Named(string identifier, CancellationToken cancellationToken)
            => _byIdentifier.TryGetValue(identifier, out var known) ? known : _byIdentifier.GetOrAdd(identifier, Find(identifier, cancellationToken));

        public static NameIndex Of(INamedTypeSymbol type, PurityCache purity, CancellationToken cancellationToken)
        {
            var memo = Cache.For(purity.Compilation);
            if (memo.TryGetValue(type, out var known))
            {
                return known;
            }

            var built = Build(type, purity, cancellationToken);
            return memo.GetOrAdd(type, built);
        }

        private static NameIndex Build(INamedTypeSymbol type, PurityCache purity, CancellationToken cancellationToken)
        {
            var declarations = ImmutableArray.CreateBuilder<(SyntaxNode, SemanticModel)>();
            foreach (var reference in type.DeclaringSyntaxReferences.OrderBy(r => r.SyntaxTree.FilePath, StringComparer.Ordinal).ThenBy(r => r.Span.Start))
            {
                var declaration = reference.GetSyntax(cancellationToken);
                if (purity.GetModel(declaration.SyntaxTree) is not { } model)
                {
                    return new NameIndex(ImmutableArray<(SyntaxNode, SemanticModel)>.Empty, isComplete: false);
                }

                declarations.Add((declaration, model));
            }

            return new NameIndex(declarations.ToImmutable(), isComplete: true);
        }

        /// <summary>
        /// Every identifier token spelled <paramref name="identifier"/> whose parent is a simple name: found by the text, then
        /// the token at each match. A declaration whose text has a Unicode escape (an identifier may spell its name with one)
        /// is walked token by token instead.
        /// </summary>
        private IReadOnlyList<(SimpleNameSyntax Name, SemanticModel Model)> Find(string identifier, CancellationToken cancellationToken)
        {
            var names = new List<(SimpleNameSyntax Name, SemanticModel Model)>();
            foreach (var (declaration, model) in _declarations)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var text = declaration.SyntaxTree.GetText(cancellationToken).ToString(declaration.Span);
                var offset = declaration.SpanStart;
                if (text.IndexOf("\\u", StringComparison.Ordinal) >= 0 || text.IndexOf("\\U", StringComparison.Ordinal) >= 0)
                {
                    foreach (var token in declaration.DescendantTokens())
                    {
                        if (token.RawKind == (int)SyntaxKind.IdentifierToken && token.Parent is SimpleNameSyntax name && token.ValueText == identifier)
                        {
                            names.Add((name, model));
                        }
                    }

                    continue;
                }

                for (var at = text.IndexOf(identifier, StringComparison.Ordinal); at >= 0; at = text.IndexOf(identifier, at + identifier.Length, StringComparison.Ordinal))
                {
                    var token = declaration.FindToken(offset + at);
                    if (token.RawKind == (int)SyntaxKind.IdentifierToken
                        && token.Span.Start == offset + at - (token.Text.StartsWith("@", StringComparison.Ordinal) ? 1 : 0)
                        && token.Span.End == offset + at + identifier.Length
                        && token.Parent is SimpleNameSyntax name
                        && token.ValueText == identifier)
                    {
                        names.Add((name, model));
                    }
                }
            }

            return names;
        }
    }
}
