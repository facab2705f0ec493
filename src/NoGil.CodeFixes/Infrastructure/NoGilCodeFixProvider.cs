namespace NoGil.CodeFixes.Infrastructure;

/// <summary>How Fix All applies the fixes of one document.</summary>
public enum FixAllMode
{
    /// <summary>
    /// One after another, in source order, each on the document the previous one produced: for fixes that add
    /// usings or members, rename, or rewrite more than their own node (<see cref="SequentialFixAll"/>).
    /// </summary>
    Sequential,

    /// <summary>Computed independently and merged (Roslyn's batch fixer): for fixes that replace only their own node.</summary>
    Batch,
}

/// <summary>Everything a fixer needs to render one announced fix.</summary>
public readonly struct FixRequest
{
    public FixRequest(Document document, SyntaxNode root, SemanticModel model, SyntaxNode node, Diagnostic diagnostic, FixKind kind, CancellationToken cancellationToken)
    {
        Document = document;
        Root = root;
        Model = model;
        Node = node;
        Diagnostic = diagnostic;
        Kind = kind;
        CancellationToken = cancellationToken;
    }

    public Document Document { get; }

    public SyntaxNode Root { get; }

    public SemanticModel Model { get; }

    /// <summary>The node at the diagnostic's location.</summary>
    public SyntaxNode Node { get; }

    public Diagnostic Diagnostic { get; }

    /// <summary>The fix to render: one of those the diagnostic announces.</summary>
    public FixKind Kind { get; }

    public CancellationToken CancellationToken { get; }

    /// <summary>The compilation's well-known types, shared with the analyzers.</summary>
    public KnownTypes Types => KnownTypes.For(Model.Compilation);
}

/// <summary>
/// Base of every fixer in this package: one code action per fix the diagnostic announces
/// (<see cref="DiagnosticProperties.GetFixes"/>), its edit computed only when the action runs, and Fix All in the mode
/// the rule chooses. The analyzer decides whether and how a diagnostic is fixed; a fixer only renders.
/// </summary>
public abstract class NoGilCodeFixProvider : CodeFixProvider
{
    private readonly FixAllMode _fixAllMode;

    /// <param name="fixAllMode">How Fix All applies this rule's fixes: sequential unless they touch only their own node.</param>
    /// <param name="diagnosticIds">The rules this fixer renders the fixes of.</param>
    protected NoGilCodeFixProvider(FixAllMode fixAllMode, params string[] diagnosticIds)
    {
        _fixAllMode = fixAllMode;
        FixableDiagnosticIds = diagnosticIds.ToImmutableArray();
    }

    public sealed override ImmutableArray<string> FixableDiagnosticIds { get; }

    /// <summary>The equivalence key of a fix: Fix All groups the diagnostics that announce the same one.</summary>
    public static string EquivalenceKey(string diagnosticId, FixKind kind) => diagnosticId + "." + kind;

    public sealed override FixAllProvider GetFixAllProvider()
        => _fixAllMode == FixAllMode.Batch ? WellKnownFixAllProviders.BatchFixer : FixAllProvider.Create(FixAllInDocumentAsync);

    public sealed override Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        context.CancellationToken.ThrowIfCancellationRequested();
        var document = context.Document;
        foreach (var diagnostic in context.Diagnostics)
        {
            foreach (var kind in DiagnosticProperties.GetFixes(diagnostic))
            {
                context.RegisterCodeFix(
                    CodeAction.Create(
                        GetTitle(diagnostic, kind),
                        cancellationToken => ApplyAsync(document, diagnostic, kind, cancellationToken),
                        EquivalenceKey(diagnostic.Id, kind)),
                    diagnostic);
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>The light-bulb title of <paramref name="kind"/> for <paramref name="diagnostic"/>; by default the kind's own (<see cref="FixTitles"/>).</summary>
    protected virtual string GetTitle(Diagnostic diagnostic, FixKind kind) => FixTitles.Of(kind);

    /// <summary>
    /// Renders the fix: the document's new root. Null only when the code no longer matches the diagnostic (an earlier
    /// fix of a Fix All moved or removed it); the fixable-implies-fixed meta-test holds every announced fix to this.
    /// </summary>
    protected abstract SyntaxNode? Render(FixRequest request);

    private Task<SyntaxNode?> RenderAsync(FixRequest request)
    {
        request.CancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Render(request));
    }

    private async Task<Document> ApplyAsync(Document document, Diagnostic diagnostic, FixKind kind, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || model is null || !root.FullSpan.Contains(diagnostic.Location.SourceSpan))
        {
            return document;
        }

        var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
        var newRoot = await RenderAsync(new FixRequest(document, root, model, node, diagnostic, kind, cancellationToken)).ConfigureAwait(false);
        return newRoot is null ? document : document.WithSyntaxRoot(newRoot);
    }

    private Task<Document?> FixAllInDocumentAsync(FixAllContext context, Document document, ImmutableArray<Diagnostic> diagnostics)
    {
        if (ParseKey(context.CodeActionEquivalenceKey) is not { } key)
        {
            return Task.FromResult<Document?>(null);
        }

        var (id, kind) = key;
        IEnumerable<Diagnostic> targets = diagnostics.Where(d => d.Id == id && DiagnosticProperties.Announces(d, kind));
        return SequentialFixAll.FixInOrderAsync(
            document,
            targets,
            (current, root, model, node, diagnostic, cancellationToken)
                => RenderAsync(new FixRequest(current, root, model, node, diagnostic, kind, cancellationToken)),
            context.CancellationToken);
    }

    private (string Id, FixKind Kind)? ParseKey(string? equivalenceKey)
    {
        if (equivalenceKey is null)
        {
            return null;
        }

        foreach (var id in FixableDiagnosticIds)
        {
            var prefix = id + ".";
            if (equivalenceKey.StartsWith(prefix, StringComparison.Ordinal)
                && Enum.TryParse<FixKind>(equivalenceKey.Substring(prefix.Length), out var kind))
            {
                return (id, kind);
            }
        }

        return null;
    }
}
