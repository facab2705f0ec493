namespace NoGil.Analyzers.Infrastructure;

/// <summary>
/// The one decision of whether a diagnostic keeps the fixes its analyzer announces in a project that builds for several
/// target frameworks. <c>dotnet format</c> and the IDE compute a fix once per target framework and merge the edits; two
/// targets that write different text for one loop leave merge-conflict markers, and a fix computed for one target may
/// not compile on another (<c>Vector&lt;T&gt;</c> on net48, <c>Vector&lt;T&gt; / T</c> before .NET 7).
/// <para>
/// So a fix is computed in one compilation only: that of the target framework whose API surface every other target's
/// includes (<see cref="ProjectTargetFrameworks.Lowest"/>). What compiles there compiles on every other target, and only
/// one edit reaches the merge. Every other target reports the same diagnostic without a fix and says why; where no
/// such target exists, or one is unknown, no target fixes. A single-target project is left exactly as it was.
/// </para>
/// Every analyzer that announces fixes creates its diagnostics here (<see cref="Create"/>).
/// </summary>
public static class TargetFrameworkFixes
{
    /// <summary>
    /// The framework APIs a fix kind writes that are not part of every framework: a target that is not the lowest says
    /// precisely why it has no fix when the lowest framework lacks one of them (the lowest build itself decides with
    /// its own references: a package may bring the API there).
    /// </summary>
    private static readonly ImmutableArray<(FixKind Kind, string Api, Func<TargetFrameworkName, bool> IsPartOf)> Capabilities = ImmutableArray.Create<(FixKind, string, Func<TargetFrameworkName, bool>)>(
        (FixKind.VectorLoop, "Vector<T>", static f => f.Family == FrameworkFamily.NetCore ? f.Version.Major >= 2 : f.Family == FrameworkFamily.NetStandard && f.Version >= new Version(2, 1)),
        (FixKind.AwaitUsing, "IAsyncDisposable", static f => f.Family == FrameworkFamily.NetCore ? f.Version.Major >= 3 : f.Family == FrameworkFamily.NetStandard && f.Version >= new Version(2, 1)),
        (FixKind.AwaitUsingAsyncScope, "IAsyncDisposable", static f => f.Family == FrameworkFamily.NetCore ? f.Version.Major >= 3 : f.Family == FrameworkFamily.NetStandard && f.Version >= new Version(2, 1)),
        (FixKind.ParallelFor, "Parallel", static f => f.Family != FrameworkFamily.NetStandard || f.Version.Major >= 2),
        (FixKind.ThreadLocalAggregation, "Parallel", static f => f.Family != FrameworkFamily.NetStandard || f.Version.Major >= 2));

    /// <summary>
    /// A diagnostic of <paramref name="descriptor"/> with the fixes <paramref name="properties"/> announce, or without
    /// them — and with the reason appended to its last message argument — when this target framework must not compute
    /// them (<see cref="Decide"/>). Every descriptor's message ends with its last argument (a meta-test holds this).
    /// </summary>
    public static Diagnostic Create(AnalyzerOptions options, DiagnosticDescriptor descriptor, Location? location, ImmutableDictionary<string, string?> properties, params object?[] messageArgs)
    {
        var fixes = DiagnosticProperties.GetFixes(properties);
        if (fixes.IsEmpty)
        {
            return Diagnostic.Create(descriptor, location, properties, messageArgs);
        }

        var (keep, note) = Decide(ProjectTargetFrameworks.Read(options), fixes, location);
        if (keep)
        {
            return Diagnostic.Create(descriptor, location, properties, messageArgs);
        }

        var args = messageArgs.Length == 0 ? new object?[] { note } : (object?[])messageArgs.Clone();
        if (messageArgs.Length > 0)
        {
            args[args.Length - 1] = (args[args.Length - 1]?.ToString() ?? string.Empty) + note;
        }

        return Diagnostic.Create(descriptor, location, properties.Remove(DiagnosticProperties.FixesKey), args);
    }

    /// <summary>
    /// Whether this compilation keeps the announced <paramref name="fixes"/>, and otherwise the note the message carries
    /// (a parenthesis that starts with a space).
    /// </summary>
    public static (bool Keep, string Note) Decide(ProjectTargetFrameworks frameworks, ImmutableArray<FixKind> fixes, Location? location)
    {
        if (!frameworks.IsMultiTarget || frameworks.IsCurrentLowest)
        {
            return (true, string.Empty);
        }

        if (frameworks.Unknown is { } unknown)
        {
            return (false, " (no fix: the API surface of the target framework '" + unknown
                           + "' is not known, so no fix is known to compile on every target framework of the project)");
        }

        if (frameworks.Lowest is not { } lowest)
        {
            return (false, " (no fix: none of the target frameworks " + string.Join(", ", frameworks.All)
                           + " has an API surface that all the others include, so no fix is known to compile on every one)");
        }

        foreach (var (kind, api, isPartOf) in Capabilities)
        {
            if (fixes.Contains(kind) && !isPartOf(lowest))
            {
                return (false, " (no fix: " + api + " is not available on " + lowest.Text + ", and fixes come from the "
                               + lowest.Text + " build only, so that they compile on every target framework)");
            }
        }

        return (false, IsInConditionalRegion(location)
            ? " (fixed from the " + lowest.Text + " build if it compiles this #if region: a fix must compile on every target framework, and "
              + lowest.Text + " has the fewest APIs)"
            : " (fixed from the " + lowest.Text + " build: a fix must compile on every target framework, and " + lowest.Text + " has the fewest APIs)");
    }

    /// <summary>True when <paramref name="location"/> lies between an <c>#if</c> and its <c>#endif</c>: another target framework may not compile it.</summary>
    private static bool IsInConditionalRegion(Location? location)
    {
        if (location?.SourceTree is not { } tree || tree.GetRoot() is not { ContainsDirectives: true } root)
        {
            return false;
        }

        var depth = 0;
        var position = location.SourceSpan.Start;
        for (var directive = root.GetFirstDirective(); directive is not null && directive.SpanStart < position; directive = directive.GetNextDirective())
        {
            depth += directive.Kind() switch
            {
                SyntaxKind.IfDirectiveTrivia => 1,
                SyntaxKind.EndIfDirectiveTrivia => -1,
                _ => 0,
            };
        }

        return depth > 0;
    }
}
