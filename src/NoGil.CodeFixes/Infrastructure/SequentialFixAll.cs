namespace NoGil.CodeFixes.Infrastructure;

/// <summary>
/// Fix All for fixes that rewrite more than the diagnostic's own node (a whole method, its callers, a new member,
/// a new using): such edits overlap, so instead of merging text changes the fixes are applied one after another,
/// in source order, each on the document the previous one produced. Every diagnostic's node is marked with an
/// annotation first, so it can be found again after earlier fixes moved it; a fix whose node is gone is skipped.
/// </summary>
internal static class SequentialFixAll
{
    /// <summary>Fixes one diagnostic: returns the document's new root, or null to leave it unchanged.</summary>
    public delegate Task<SyntaxNode?> FixOneAsync(Document document, SyntaxNode root, SemanticModel model, SyntaxNode node, Diagnostic diagnostic, CancellationToken cancellationToken);

    public static async Task<Document?> FixInOrderAsync(Document document, IEnumerable<Diagnostic> diagnostics, FixOneAsync fixOne, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return null;
        }

        var marks = new Dictionary<SyntaxNode, (SyntaxAnnotation Mark, Diagnostic Diagnostic)>();
        var order = new List<SyntaxNode>();
        foreach (var diagnostic in diagnostics.OrderBy(d => d.Location.SourceSpan.Start))
        {
            if (!diagnostic.Location.IsInSource || !root.FullSpan.Contains(diagnostic.Location.SourceSpan))
            {
                continue;
            }

            var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
            if (!marks.ContainsKey(node))
            {
                marks[node] = (new SyntaxAnnotation(), diagnostic);
                order.Add(node);
            }
        }

        if (marks.Count == 0)
        {
            return null;
        }

        document = document.WithSyntaxRoot(root.ReplaceNodes(marks.Keys, (original, rewritten) => rewritten.WithAdditionalAnnotations(marks[original].Mark)));
        foreach (var original in order)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (mark, diagnostic) = marks[original];
            root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
            var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
            if (root is null || model is null || root.GetAnnotatedNodes(mark).FirstOrDefault() is not { } node)
            {
                continue;
            }

            // The same diagnostic, moved to where its node now is.
            var moved = Diagnostic.Create(diagnostic.Descriptor, Location.Create(root.SyntaxTree, node.Span), diagnostic.Properties);
            if (await fixOne(document, root, model, node, moved, cancellationToken).ConfigureAwait(false) is { } newRoot)
            {
                document = document.WithSyntaxRoot(newRoot);
            }
        }

        return document;
    }
}
