using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;
using NoGil.Analyzers.Analysis.Locks;
using NoGil.Analyzers.Infrastructure;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace NoGil.CodeFixes.Infrastructure;

/// <summary>
/// Applies a <see cref="HoistPlan"/>: the lock-free prefix of a critical section, and the extracted expression of
/// its first remaining statement, move to run just before the section; everything else stays inside.
/// </summary>
internal static class SectionHoister
{
    /// <summary>The operation of the member body that contains <paramref name="node"/>.</summary>
    public static IOperation? MemberBody(SemanticModel model, SyntaxNode node, CancellationToken cancellationToken)
    {
        foreach (var ancestor in node.AncestorsAndSelf())
        {
            if (ancestor is BaseMethodDeclarationSyntax or AccessorDeclarationSyntax or PropertyDeclarationSyntax or IndexerDeclarationSyntax
                or VariableDeclaratorSyntax { Parent.Parent: FieldDeclarationSyntax })
            {
                var operation = model.GetOperation(ancestor, cancellationToken);
                if (operation is null && ancestor is VariableDeclaratorSyntax { Initializer: { } initializer })
                {
                    operation = model.GetOperation(initializer, cancellationToken);
                }

                return operation;
            }

            if (ancestor is MemberDeclarationSyntax)
            {
                return null;
            }
        }

        return null;
    }

    /// <summary>The critical section reported at <paramref name="span"/>.</summary>
    public static CriticalSection? FindSection(SemanticModel model, SyntaxNode root, TextSpan span, KnownTypes types, CancellationToken cancellationToken)
    {
        if (!root.FullSpan.Contains(span))
        {
            return null;
        }

        var node = root.FindNode(span, getInnermostNodeForTie: true);
        if (MemberBody(model, node, cancellationToken) is not { } body)
        {
            return null;
        }

        foreach (var section in CriticalSections.FindAll(body, types, cancellationToken))
        {
            if (section.Location.SourceSpan == span)
            {
                return section;
            }
        }

        return null;
    }

    /// <summary>The critical section taken by <paramref name="acquire"/> (the node a diagnostic was reported on).</summary>
    public static CriticalSection? FindSectionAt(SemanticModel model, SyntaxNode acquire, KnownTypes types, CancellationToken cancellationToken)
    {
        if (MemberBody(model, acquire, cancellationToken) is not { } body)
        {
            return null;
        }

        foreach (var section in CriticalSections.FindAll(body, types, cancellationToken))
        {
            if (section.Acquire.Span == acquire.Span)
            {
                return section;
            }
        }

        return null;
    }

    /// <summary>The statements to run before the section (moved prefix, then the extracted value), or null when names would clash.</summary>
    public static Hoist? Prepare(HoistPlan plan, SemanticModel model)
    {
        var section = plan.Section;
        var prefix = section.Statements.Take(plan.PrefixLength).Select(s => s.Syntax).OfType<StatementSyntax>().ToList();
        if (prefix.Count != plan.PrefixLength)
        {
            return null;
        }

        var member = section.Function.Syntax.AncestorsAndSelf().OfType<MemberDeclarationSyntax>().FirstOrDefault() ?? section.Function.Syntax;
        var sectionNodes = section.Statements.Select(s => s.Syntax).ToList();

        // Locals declared by the prefix get a wider scope: their names must not occur anywhere else in the member.
        foreach (var declared in prefix.SelectMany(DeclaredNames))
        {
            foreach (var token in member.DescendantTokens())
            {
                if (token.IsKind(SyntaxKind.IdentifierToken) && token.ValueText == declared && !sectionNodes.Any(n => n.Span.Contains(token.Span)))
                {
                    return null;
                }
            }
        }

        string? name = null;
        if (plan.Extracted is { Syntax: ExpressionSyntax extracted })
        {
            name = UniqueName(member, BaseName(plan.Extracted));
            if (name is null)
            {
                return null;
            }

            _ = extracted;
        }

        return new Hoist(prefix, plan.Extracted?.Syntax as ExpressionSyntax, name);
    }

    /// <summary>Moves the hoisted code before the section's insertion point. Returns null when the shape is not a statement in a block.</summary>
    public static SyntaxNode? Apply(SyntaxNode root, CriticalSection section, Hoist hoist)
    {
        if (section.InsertionPoint is not StatementSyntax insertionPoint || insertionPoint.Parent is not BlockSyntax)
        {
            return null;
        }

        var tracked = new List<SyntaxNode> { insertionPoint };
        tracked.AddRange(hoist.Prefix);
        if (hoist.Extracted is not null)
        {
            tracked.Add(hoist.Extracted);
        }

        var newRoot = root.TrackNodes(tracked);
        var before = hoist.Statements();
        if (hoist.Extracted is not null)
        {
            newRoot = newRoot.ReplaceNode(newRoot.GetCurrentNode(hoist.Extracted)!, IdentifierName(hoist.Name!).WithTriviaFrom(hoist.Extracted));
        }

        newRoot = newRoot.RemoveNodes(hoist.Prefix.Select(p => newRoot.GetCurrentNode(p)!), SyntaxRemoveOptions.KeepNoTrivia | SyntaxRemoveOptions.KeepUnbalancedDirectives)!;
        var current = newRoot.GetCurrentNode(insertionPoint)!;
        return newRoot.InsertNodesBefore(current, before);
    }

    private static IEnumerable<string> DeclaredNames(StatementSyntax statement)
    {
        foreach (var node in statement.DescendantNodesAndSelf())
        {
            switch (node)
            {
                case VariableDeclaratorSyntax declarator:
                    yield return declarator.Identifier.ValueText;
                    break;
                case SingleVariableDesignationSyntax designation:
                    yield return designation.Identifier.ValueText;
                    break;
                case ForEachStatementSyntax forEach:
                    yield return forEach.Identifier.ValueText;
                    break;
            }
        }
    }

    private static string BaseName(IOperation extracted)
    {
        var raw = extracted switch
        {
            IInvocationOperation invocation => invocation.TargetMethod.Name,
            IObjectCreationOperation creation => creation.Type?.Name ?? "value",
            _ => "value",
        };

        foreach (var verb in new[] { "Compute", "Calculate", "Get", "Build", "Create", "Make" })
        {
            if (raw.Length > verb.Length && raw.StartsWith(verb, System.StringComparison.Ordinal) && char.IsUpper(raw[verb.Length]))
            {
                raw = raw.Substring(verb.Length);
                break;
            }
        }

        var name = char.ToLowerInvariant(raw[0]) + raw.Substring(1);
        return SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None || SyntaxFacts.GetContextualKeywordKind(name) != SyntaxKind.None || !SyntaxFacts.IsValidIdentifier(name)
            ? "value"
            : name;
    }

    /// <summary>A name that occurs nowhere in the member.</summary>
    private static string? UniqueName(SyntaxNode member, string baseName)
    {
        var used = new HashSet<string>(member.DescendantTokens().Where(t => t.IsKind(SyntaxKind.IdentifierToken)).Select(t => t.ValueText));
        for (var i = 1; i < 100; i++)
        {
            var candidate = i == 1 ? baseName : baseName + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (!used.Contains(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    internal sealed class Hoist
    {
        public Hoist(List<StatementSyntax> prefix, ExpressionSyntax? extracted, string? name)
        {
            Prefix = prefix;
            Extracted = extracted;
            Name = name;
        }

        public List<StatementSyntax> Prefix { get; }

        public ExpressionSyntax? Extracted { get; }

        public string? Name { get; }

        /// <summary>The statements that run before the section, formatted on insertion.</summary>
        public List<StatementSyntax> Statements()
        {
            var statements = Prefix.Select(p => (StatementSyntax)p.WithAdditionalAnnotations(Formatter.Annotation)).ToList();
            if (Extracted is not null && Name is not null)
            {
                statements.Add(LocalDeclarationStatement(
                        VariableDeclaration(IdentifierName("var"))
                            .WithVariables(SingletonSeparatedList(VariableDeclarator(Identifier(Name)).WithInitializer(EqualsValueClause(Extracted.WithoutTrivia())))))
                    .WithAdditionalAnnotations(Formatter.Annotation));
            }

            return statements;
        }
    }
}
