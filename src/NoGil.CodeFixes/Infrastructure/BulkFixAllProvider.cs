namespace NoGil.CodeFixes.Infrastructure;

/// <summary>
/// The Fix All of every NOGIL fixer: over the diagnostics its key selects (<see cref="FixAllKey"/>: bulk-applicable,
/// announcing what the key asks for), with no action at all when the scope holds none of them. Sequential rules render
/// in <c>NoGilCodeFixProvider</c>'s document fixer; batch rules (fixes that replace only their own node) use Roslyn's
/// batch fixer over the selected diagnostics, with the rule-wide key when the caller passes none (<c>dotnet format</c>
/// does when the first diagnostic it meets has no fix).
/// </summary>
internal sealed class BulkFixAllProvider : FixAllProvider
{
    private static readonly ImmutableArray<FixAllScope> Scopes = ImmutableArray.Create(FixAllScope.Document, FixAllScope.Project, FixAllScope.Solution);
    private readonly FixAllProvider? _sequential;
    private readonly ImmutableArray<string> _ids;

    /// <param name="sequential">The document fixer of a sequential rule; null for Roslyn's batch fixer.</param>
    public BulkFixAllProvider(FixAllProvider? sequential, ImmutableArray<string> ids)
    {
        _sequential = sequential;
        _ids = ids;
    }

    public override IEnumerable<FixAllScope> GetSupportedFixAllScopes() => Scopes;

    public override async Task<CodeAction?> GetFixAsync(FixAllContext fixAllContext)
    {
        if (FixAllKey.Parse(fixAllContext.CodeActionEquivalenceKey, _ids) is not { } key
            || !(await DiagnosticsInScopeAsync(fixAllContext).ConfigureAwait(false)).Any(key.Selects))
        {
            return null;
        }

        if (_sequential is not null)
        {
            return await _sequential.GetFixAsync(fixAllContext).ConfigureAwait(false);
        }

        var equivalenceKey = fixAllContext.CodeActionEquivalenceKey
            ?? NoGilCodeFixProvider.RuleKey(fixAllContext.DiagnosticIds.FirstOrDefault(_ids.Contains) ?? _ids[0]);
        var provider = new Selected(fixAllContext, key);
        var selected = fixAllContext.Document is { } document
            ? new FixAllContext(document, fixAllContext.CodeFixProvider, fixAllContext.Scope, equivalenceKey, fixAllContext.DiagnosticIds, provider, fixAllContext.CancellationToken)
            : new FixAllContext(fixAllContext.Project, fixAllContext.CodeFixProvider, fixAllContext.Scope, equivalenceKey, fixAllContext.DiagnosticIds, provider, fixAllContext.CancellationToken);
        return await WellKnownFixAllProviders.BatchFixer.GetFixAsync(selected).ConfigureAwait(false);
    }

    private static async Task<IEnumerable<Diagnostic>> DiagnosticsInScopeAsync(FixAllContext context)
    {
        switch (context.Scope)
        {
            case FixAllScope.Document when context.Document is { } document:
                return await context.GetDocumentDiagnosticsAsync(document).ConfigureAwait(false);
            case FixAllScope.Project:
                return await context.GetAllDiagnosticsAsync(context.Project).ConfigureAwait(false);
            default:
                var all = new List<Diagnostic>();
                foreach (var project in context.Solution.Projects)
                {
                    all.AddRange(await context.GetAllDiagnosticsAsync(project).ConfigureAwait(false));
                }

                return all;
        }
    }

    /// <summary>The caller's diagnostics that the key selects.</summary>
    private sealed class Selected(FixAllContext inner, FixAllKey key) : FixAllContext.DiagnosticProvider
    {
        public override async Task<IEnumerable<Diagnostic>> GetDocumentDiagnosticsAsync(Document document, CancellationToken cancellationToken)
            => (await inner.GetDocumentDiagnosticsAsync(document).ConfigureAwait(false)).Where(key.Selects);

        public override async Task<IEnumerable<Diagnostic>> GetProjectDiagnosticsAsync(Project project, CancellationToken cancellationToken)
            => (await inner.GetProjectDiagnosticsAsync(project).ConfigureAwait(false)).Where(key.Selects);

        public override async Task<IEnumerable<Diagnostic>> GetAllDiagnosticsAsync(Project project, CancellationToken cancellationToken)
            => (await inner.GetAllDiagnosticsAsync(project).ConfigureAwait(false)).Where(key.Selects);
    }
}
