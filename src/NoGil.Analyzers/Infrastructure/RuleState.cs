namespace NoGil.Analyzers.Infrastructure;

/// <summary>
/// Whether a rule is on for a file, as the compiler decides it: the file's <c>.editorconfig</c> severity first, then the
/// project's (<c>/nowarn</c>, <c>/warnaserror</c>, rule sets), then global configs, then the descriptor's default.
/// Category and bulk settings (<c>dotnet_analyzer_diagnostic.…</c>) do not turn on a rule that is off by default.
/// <para>
/// The analyzer driver already skips an analyzer whose rules are all off for a compilation or a file; an opt-in rule
/// checks again before any work, for hosts that run every analyzer whatever its severity.
/// </para>
/// </summary>
public static class RuleState
{
    /// <summary>True when <paramref name="descriptor"/> may be reported in <paramref name="tree"/>.</summary>
    public static bool IsEnabled(DiagnosticDescriptor descriptor, SyntaxTree tree, CompilationOptions options, CancellationToken cancellationToken)
    {
        var provider = options.SyntaxTreeOptionsProvider;
        if (provider is not null && provider.TryGetDiagnosticValue(tree, descriptor.Id, cancellationToken, out var inFile) && inFile != ReportDiagnostic.Default)
        {
            return inFile != ReportDiagnostic.Suppress;
        }

        if (options.SpecificDiagnosticOptions.TryGetValue(descriptor.Id, out var inProject) && inProject != ReportDiagnostic.Default)
        {
            return inProject != ReportDiagnostic.Suppress;
        }

        if (provider is not null && provider.TryGetGlobalDiagnosticValue(descriptor.Id, cancellationToken, out var global) && global != ReportDiagnostic.Default)
        {
            return global != ReportDiagnostic.Suppress;
        }

        return descriptor.IsEnabledByDefault;
    }
}
