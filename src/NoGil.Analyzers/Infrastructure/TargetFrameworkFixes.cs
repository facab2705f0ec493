using NoGil.Analyzers.Analysis.Profile;

namespace NoGil.Analyzers.Infrastructure;

/// <summary>
/// The one decision of whether a diagnostic keeps the fixes its analyzer announces in a project that builds for several
/// target frameworks. <c>dotnet format</c> and the IDE compute a fix once per target framework and merge the edits; two
/// targets that write different text for one loop leave merge-conflict markers, and a fix computed for one target may
/// not compile on another (<c>Vector&lt;T&gt;</c> on net48, <c>Vector&lt;T&gt; / T</c> before .NET 7).
/// <para>
/// So a fix is computed in one compilation only: that of the target framework whose API surface every other target's
/// includes (<see cref="ProjectTargetFrameworks.Lowest"/>). What compiles there compiles on every other target, and only
/// one edit reaches the merge. Every other build leaves such a diagnostic to the lowest one (it would otherwise stop
/// dotnet format from fixing the rule at all: it takes the code action of the first diagnostic it meets, in project
/// order), except where the lowest build cannot report or fix it — an API the fix writes is not part of the lowest
/// framework, or the code is inside <c>#if</c> — and then reports it without a fix and says why. Where no lowest target
/// framework exists, or one is unknown, every build reports without a fix. A single-target project is left as it was.
/// </para>
/// Every analyzer that announces fixes reports its diagnostics here (<see cref="Report"/>).
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
    /// Reports a diagnostic of <paramref name="descriptor"/> through <paramref name="report"/>: with the fixes
    /// <paramref name="properties"/> announce; or without them, the reason appended to its last message argument, when
    /// this target framework must not compute them; or not at all, when the build of the lowest target framework reports
    /// it and computes its fix (<see cref="Decide"/>). Every descriptor's message ends with its last argument (a meta-test
    /// holds this). A valid profile of the project (<see cref="ProfileGuidance"/>, at <paramref name="site"/>) may withhold a
    /// kernel finding, raise its severity, and append what it measured to the last argument; it never changes the properties.
    /// </summary>
    public static void Report(Action<Diagnostic> report, AnalyzerOptions options, ProfileSite site, DiagnosticDescriptor descriptor, Location? location, ImmutableDictionary<string, string?> properties, params object?[] messageArgs)
    {
        var profile = ProfileGuidance.Decide(descriptor, options, site, location);
        if (!profile.IsReported)
        {
            return;
        }

        var fixes = DiagnosticProperties.GetFixes(properties);
        var (verdict, note) = fixes.IsEmpty ? (TargetFrameworkVerdict.Fix, string.Empty) : Decide(ProjectTargetFrameworks.Read(options), fixes, location);
        if (verdict == TargetFrameworkVerdict.LeaveToLowest)
        {
            return;
        }

        if (verdict != TargetFrameworkVerdict.Fix)
        {
            properties = properties.Remove(DiagnosticProperties.FixesKey);
        }

        note += profile.Note;
        if (note.Length == 0 && profile.Severity is null)
        {
            report(Diagnostic.Create(descriptor, location, properties, messageArgs));
            return;
        }

        var args = messageArgs.Length == 0 ? new object?[] { note } : (object?[])messageArgs.Clone();
        if (messageArgs.Length > 0)
        {
            args[args.Length - 1] = (args[args.Length - 1]?.ToString() ?? string.Empty) + note;
        }

        report(Diagnostic.Create(descriptor, location, profile.Severity ?? descriptor.DefaultSeverity, additionalLocations: null, properties, args));
    }

    /// <summary>
    /// What this compilation does with a diagnostic that announces <paramref name="fixes"/>, and the note its message
    /// carries when it is reported without them (a parenthesis that starts with a space).
    /// </summary>
    public static (TargetFrameworkVerdict Verdict, string Note) Decide(ProjectTargetFrameworks frameworks, ImmutableArray<FixKind> fixes, Location? location)
    {
        if (!frameworks.IsMultiTarget || frameworks.IsCurrentLowest)
        {
            return (TargetFrameworkVerdict.Fix, string.Empty);
        }

        if (frameworks.Unknown is { } unknown)
        {
            return (TargetFrameworkVerdict.NoFix, " (no fix: the API surface of the target framework '" + unknown
                                                  + "' is not known, so no fix is known to compile on every target framework of the project)");
        }

        if (frameworks.Lowest is not { } lowest)
        {
            return (TargetFrameworkVerdict.NoFix, " (no fix: none of the target frameworks " + string.Join(", ", frameworks.All)
                                                  + " has an API surface that all the others include, so no fix is known to compile on every one)");
        }

        foreach (var (kind, api, isPartOf) in Capabilities)
        {
            if (fixes.Contains(kind) && !isPartOf(lowest))
            {
                return (TargetFrameworkVerdict.NoFix, " (no fix: " + api + " is not available on " + lowest.Text + ", and fixes come from the "
                                                      + lowest.Text + " build only, so that they compile on every target framework)");
            }
        }

        return IsInConditionalRegion(location)
            ? (TargetFrameworkVerdict.NoFix, " (no fix from this build: the code is inside #if, and fixes come from the " + lowest.Text
                                             + " build only, so that they compile on every target framework)")
            : (TargetFrameworkVerdict.LeaveToLowest, string.Empty);
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

/// <summary>What one build of a multi-target project does with a diagnostic that announces fixes (<see cref="TargetFrameworkFixes.Decide"/>).</summary>
public enum TargetFrameworkVerdict
{
    /// <summary>Report it with its fixes: a single-target project, or the build of the lowest target framework.</summary>
    Fix,

    /// <summary>Report it without its fixes, and say why.</summary>
    NoFix,

    /// <summary>
    /// Do not report it: the build of the lowest target framework compiles the same code, reports it and computes the one
    /// fix. (A copy without a fix would stop dotnet format, which fixes all diagnostics of a rule with the code action of
    /// the first one it meets, from fixing any.)
    /// </summary>
    LeaveToLowest,
}
