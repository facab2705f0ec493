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
/// <remarks>
/// Equivalence keys: the fix the analyzer prefers (the first it announces) carries the rule-wide key
/// (<see cref="RuleKey"/>, the rule ID), its alternatives <c>"&lt;ID&gt;.&lt;FixKind&gt;"</c>. Fix All with the rule-wide
/// key applies each diagnostic's own preferred fix, whatever its kind — so <c>dotnet format</c>, which runs Fix All
/// per rule with the key of the first action it meets (or none), fixes every diagnostic of the rule in one pass; Fix All
/// with an alternative's key applies that kind wherever it is announced. Either way a diagnostic whose fixes are
/// interactive only (<see cref="DiagnosticProperties.AppliesInBulk"/>: a floating-point reassociation the project did
/// not opt in to applying in bulk) is left alone: its light-bulb fixes stay.
/// </remarks>
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

    /// <summary>The equivalence key of an alternative fix of <paramref name="kind"/>: Fix All applies that kind wherever it is announced.</summary>
    public static string EquivalenceKey(string diagnosticId, FixKind kind) => diagnosticId + "." + kind;

    /// <summary>The rule-wide equivalence key, carried by every diagnostic's preferred fix: Fix All applies each diagnostic's own preferred fix.</summary>
    public static string RuleKey(string diagnosticId) => diagnosticId;

    /// <summary>The equivalence key of the action for <paramref name="kind"/> on <paramref name="diagnostic"/>: the rule-wide key for its preferred fix.</summary>
    public static string EquivalenceKey(Diagnostic diagnostic, FixKind kind)
        => DiagnosticProperties.GetPreferredFix(diagnostic) == kind ? RuleKey(diagnostic.Id) : EquivalenceKey(diagnostic.Id, kind);

    public sealed override FixAllProvider GetFixAllProvider()
        => new BulkFixAllProvider(_fixAllMode == FixAllMode.Batch ? null : FixAllProvider.Create(FixAllInDocumentAsync), FixableDiagnosticIds);

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
                        EquivalenceKey(diagnostic, kind)),
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
        if (FixAllKey.Parse(context.CodeActionEquivalenceKey, FixableDiagnosticIds) is not { } key)
        {
            return Task.FromResult<Document?>(null);
        }

        var targets = diagnostics.Where(key.Selects);
        return SequentialFixAll.FixInOrderAsync(
            document,
            targets,
            (current, root, model, node, diagnostic, cancellationToken)
                => key.KindFor(diagnostic) is { } kind
                    ? RenderAsync(new FixRequest(current, root, model, node, diagnostic, kind, cancellationToken))
                    : Task.FromResult<SyntaxNode?>(null),
            context.CancellationToken);
    }
}
