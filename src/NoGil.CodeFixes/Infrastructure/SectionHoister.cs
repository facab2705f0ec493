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

    /// <summary>
    /// What the fix of <paramref name="plan"/> (one that <see cref="HoistPlan.CanFix"/>) runs before the section: the
    /// moved prefix, then the extracted value in a local named afresh in the member.
    /// </summary>
    public static Hoist Prepare(HoistPlan plan)
    {
        var extracted = plan.Extracted?.Syntax as ExpressionSyntax;
        var name = extracted is null
            ? null
            : FreshNames.Next(IdentifiersIn(plan.Section.Member), BaseName(plan.Extracted!));
        return new Hoist(plan.PrefixStatements, extracted, name);
    }

    /// <summary>Every identifier that occurs in <paramref name="node"/>: names a fix introduces there must avoid them.</summary>
    public static HashSet<string> IdentifiersIn(SyntaxNode node)
        => new(node.DescendantTokens().Where(t => t.IsKind(SyntaxKind.IdentifierToken)).Select(t => t.ValueText));

    /// <summary>
    /// Moves the hoisted code of <paramref name="plan"/> (one that <see cref="HoistPlan.CanFix"/>, so its section has an
    /// insertion point in a block) before the section's insertion point.
    /// </summary>
    public static SyntaxNode Apply(SyntaxNode root, HoistPlan plan)
    {
        var hoist = Prepare(plan);
        var insertionPoint = plan.Section.InsertionPoint!;
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

    internal sealed class Hoist
    {
        public Hoist(ImmutableArray<StatementSyntax> prefix, ExpressionSyntax? extracted, string? name)
        {
            Prefix = prefix;
            Extracted = extracted;
            Name = name;
        }

        /// <summary>The statements that move, as they stand in the section.</summary>
        public ImmutableArray<StatementSyntax> Prefix { get; }

        /// <summary>The value computed before the section, as it stands in its statement; null when there is none.</summary>
        public ExpressionSyntax? Extracted { get; }

        /// <summary>The local that holds <see cref="Extracted"/>.</summary>
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
