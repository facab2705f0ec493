namespace NoGil.CodeFixes.Infrastructure;

/// <summary>
/// Roslyn's batch Fix All (fixes computed independently and merged) for rules whose fixes replace only their own node,
/// over the diagnostics that may be fixed in bulk (<see cref="DiagnosticProperties.AppliesInBulk"/>), and with the
/// rule-wide key when the caller passes none (<c>dotnet format</c> does when the first diagnostic it meets has no fix).
/// </summary>
internal sealed class BulkBatchFixAllProvider : FixAllProvider
{
    private static readonly ImmutableArray<FixAllScope> Scopes = ImmutableArray.Create(FixAllScope.Document, FixAllScope.Project, FixAllScope.Solution);
    private readonly ImmutableArray<string> _ids;

    public BulkBatchFixAllProvider(ImmutableArray<string> ids) => _ids = ids;

    public override IEnumerable<FixAllScope> GetSupportedFixAllScopes() => Scopes;

    public override Task<CodeAction?> GetFixAsync(FixAllContext fixAllContext)
    {
        var key = fixAllContext.CodeActionEquivalenceKey
            ?? NoGilCodeFixProvider.RuleKey(fixAllContext.DiagnosticIds.FirstOrDefault(_ids.Contains) ?? _ids[0]);
        var provider = new BulkDiagnostics(fixAllContext);
        var filtered = fixAllContext.Document is { } document
            ? new FixAllContext(document, fixAllContext.CodeFixProvider, fixAllContext.Scope, key, fixAllContext.DiagnosticIds, provider, fixAllContext.CancellationToken)
            : new FixAllContext(fixAllContext.Project, fixAllContext.CodeFixProvider, fixAllContext.Scope, key, fixAllContext.DiagnosticIds, provider, fixAllContext.CancellationToken);
        return WellKnownFixAllProviders.BatchFixer.GetFixAsync(filtered);
    }

    /// <summary>The caller's diagnostics, without those whose fixes are interactive only.</summary>
    private sealed class BulkDiagnostics(FixAllContext inner) : FixAllContext.DiagnosticProvider
    {
        public override async Task<IEnumerable<Diagnostic>> GetDocumentDiagnosticsAsync(Document document, CancellationToken cancellationToken)
            => (await inner.GetDocumentDiagnosticsAsync(document).ConfigureAwait(false)).Where(DiagnosticProperties.AppliesInBulk);

        public override async Task<IEnumerable<Diagnostic>> GetProjectDiagnosticsAsync(Project project, CancellationToken cancellationToken)
            => (await inner.GetProjectDiagnosticsAsync(project).ConfigureAwait(false)).Where(DiagnosticProperties.AppliesInBulk);

        public override async Task<IEnumerable<Diagnostic>> GetAllDiagnosticsAsync(Project project, CancellationToken cancellationToken)
            => (await inner.GetAllDiagnosticsAsync(project).ConfigureAwait(false)).Where(DiagnosticProperties.AppliesInBulk);
    }
}
