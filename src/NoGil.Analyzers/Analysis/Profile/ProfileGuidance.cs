using System.Globalization;

namespace NoGil.Analyzers.Analysis.Profile;

/// <summary>Where a diagnostic is reported, for the profile: the compilation, and the symbol whose code it is in.</summary>
public readonly struct ProfileSite
{
    public ProfileSite(Compilation compilation, ISymbol? containingSymbol, CancellationToken cancellationToken)
    {
        Compilation = compilation;
        ContainingSymbol = containingSymbol;
        CancellationToken = cancellationToken;
    }

    /// <summary>The site of an operation action: the operation's containing symbol.</summary>
    public static ProfileSite Of(OperationAnalysisContext context) => new(context.Compilation, context.ContainingSymbol, context.CancellationToken);

    /// <summary>The site of an operation block action: the block's owning symbol.</summary>
    public static ProfileSite Of(OperationBlockAnalysisContext context) => new(context.Compilation, context.OwningSymbol, context.CancellationToken);

    public Compilation Compilation { get; }

    /// <summary>The member (or lambda, or local function) the flagged code is in.</summary>
    public ISymbol? ContainingSymbol { get; }

    public CancellationToken CancellationToken { get; }
}

/// <summary>What cold kernel findings become with a valid profile (<see cref="ProfileGuidance.ColdCode"/>).</summary>
public enum ColdCodePolicy
{
    /// <summary>Not reported.</summary>
    Hide,

    /// <summary>Reported as suggestions, with the share the method took.</summary>
    Suggestion,
}

/// <summary>What the profile does to one diagnostic: whether it is reported, at which severity, and the note its message ends with.</summary>
public readonly struct ProfileVerdict
{
    public static readonly ProfileVerdict Unchanged = new(isReported: true, severity: null, note: string.Empty);

    public static readonly ProfileVerdict Withheld = new(isReported: false, severity: null, note: string.Empty);

    public ProfileVerdict(bool isReported, DiagnosticSeverity? severity, string note)
    {
        IsReported = isReported;
        Severity = severity;
        Note = note;
    }

    public bool IsReported { get; }

    /// <summary>The effective severity; null for the descriptor's.</summary>
    public DiagnosticSeverity? Severity { get; }

    /// <summary>Appended to the message's last argument; empty for none.</summary>
    public string Note { get; }
}

/// <summary>
/// The one decision of what a valid profile (<see cref="ProfileFacts"/>) does to a diagnostic
/// (<see cref="TargetFrameworkFixes.Report"/> asks it for every rule): a kernel finding (NOGIL301–NOGIL303) is reported
/// as a warning, with the method's share of the CPU samples, when its method is hot, and is not reported (or is a
/// suggestion with the share, <see cref="ColdCode"/>) when it is not; a lock finding (NOGIL1xx) says how long threads waited
/// at the flagged lock, a blocking finding (NOGIL2xx) how long threads were blocked at the flagged wait. Without a valid
/// profile nothing changes. Fixes and diagnostic properties are never touched.
/// </summary>
public static class ProfileGuidance
{
    /// <summary>.editorconfig: the share of the CPU samples (0 to 1) from which a method is hot.</summary>
    public static readonly RuleOption<double> HotThreshold = new("nogil.profile.hot_threshold", 0.02, static text =>
        double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value is >= 0 and <= 1 ? (true, value) : (false, 0.0));

    /// <summary>.editorconfig: what a kernel finding in a method below the threshold becomes: <c>hide</c> (default) or <c>suggestion</c>.</summary>
    public static readonly RuleOption<ColdCodePolicy> ColdCode = new("nogil.profile.cold_code", ColdCodePolicy.Hide, static text => text.Trim().ToLowerInvariant() switch
    {
        "hide" => (true, ColdCodePolicy.Hide),
        "suggestion" => (true, ColdCodePolicy.Suggestion),
        _ => (false, ColdCodePolicy.Hide),
    });

    /// <summary>What the profile of <paramref name="site"/>'s compilation does to a diagnostic of <paramref name="descriptor"/> at <paramref name="location"/>.</summary>
    public static ProfileVerdict Decide(DiagnosticDescriptor descriptor, AnalyzerOptions options, ProfileSite site, Location? location)
    {
        if (location?.SourceTree is not { } tree
            || ProfileFacts.For(site.Compilation, options, site.CancellationToken) is not { Status: ProfileStatus.Valid } facts)
        {
            return ProfileVerdict.Unchanged;
        }

        var member = MethodIds.DeclaringMember(site.ContainingSymbol);
        return descriptor.Category switch
        {
            RuleCategories.Kernels when descriptor.Id != RuleIdentifiers.ExplainLoop => Kernel(facts, member, options, tree),
            RuleCategories.Locks => member is null ? ProfileVerdict.Unchanged : Note(facts.ContentionAt(member, ProfileDiscovery.NameOf(tree.FilePath), Lines(location)), "threads waited ", string.Empty),
            RuleCategories.Blocking => member is null ? ProfileVerdict.Unchanged : Note(facts.WaitsAt(member, ProfileDiscovery.NameOf(tree.FilePath), Lines(location)), "threads were blocked ", ThreadPool(facts.Starvation, facts.Blocking)),
            _ => ProfileVerdict.Unchanged,
        };
    }

    private static ProfileVerdict Kernel(ProfileFacts facts, ISymbol? member, AnalyzerOptions options, SyntaxTree tree)
    {
        var source = member is null ? null : facts.ShareAndSourceOf(member);
        var share = source?.Share;
        var threshold = HotThreshold.Get(options, tree);
        var name = "'" + DisplayName(member) + "'";
        if (source is { ByName: true } && member is IMethodSymbol method && HasOverloads(method))
        {
            // The share of an entry rolled up by name: the profile cannot tell which overload's lambdas ran.
            name += " and its overloads";
        }

        if (share is { } hot && hot >= threshold && hot > 0)
        {
            return new ProfileVerdict(true, DiagnosticSeverity.Warning, " — " + name + " took " + Percent(hot) + " of CPU samples in the profile");
        }

        if (ColdCode.Get(options, tree) != ColdCodePolicy.Suggestion)
        {
            return ProfileVerdict.Withheld;
        }

        return new ProfileVerdict(true, DiagnosticSeverity.Info, share is { } cold
            ? " — " + name + " took only " + Percent(cold) + " of CPU samples in the profile (below nogil.profile.hot_threshold, " + Percent(threshold) + ")"
            : " — " + name + " did not appear in the profile's CPU samples");
    }

    private static ProfileVerdict Note((double Milliseconds, long Count)? measured, string what, string after)
        => measured is { } m
            ? new ProfileVerdict(true, null, " — " + what + Duration(m.Milliseconds) + " here in the profile, " + Times(m.Count) + after)
            : ProfileVerdict.Unchanged;

    private static string ThreadPool(long starvation, long blocking)
        => (starvation <= 0 ? string.Empty : "; the thread pool starved " + Times(starvation) + " during the run")
           + (blocking <= 0 ? string.Empty : "; the thread pool added a thread " + Times(blocking) + " for threads blocked in waits");

    /// <summary>
    /// The one-based lines a profile entry for the flagged code may name: the first line of the flagged code, and of the
    /// statement it starts in (a sequence point covers the whole statement), not crossing a lambda or local function; and
    /// the lines between that statement and the code before it in its block — the end of the statement before, or the
    /// block's <c>{</c>. The compiler gives some statements no sequence point of their own: a <c>lock</c> on a
    /// <c>System.Threading.Lock</c> that opens a method body is under the body's <c>{</c> in the PDB, so its contention is
    /// recorded on that line. No other code lies on those lines.
    /// </summary>
    private static IEnumerable<int> Lines(Location location)
    {
        var first = location.GetLineSpan().StartLinePosition.Line + 1;
        yield return first;
        if (location.SourceTree?.GetRoot() is not { } root || !root.FullSpan.Contains(location.SourceSpan))
        {
            yield break;
        }

        for (var node = root.FindNode(location.SourceSpan, getInnermostNodeForTie: true); node is not null; node = node.Parent)
        {
            if (node is AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax or MemberDeclarationSyntax or ArrowExpressionClauseSyntax)
            {
                yield break;
            }

            if (node is StatementSyntax statement)
            {
                var line = statement.GetLocation().GetLineSpan().StartLinePosition.Line + 1;
                if (line != first)
                {
                    yield return line;
                }

                if (statement.Parent is BlockSyntax block)
                {
                    var index = block.Statements.IndexOf(statement);
                    var before = index > 0
                        ? block.Statements[index - 1].GetLocation().GetLineSpan().EndLinePosition.Line + 2
                        : block.OpenBraceToken.GetLocation().GetLineSpan().StartLinePosition.Line + 1;
                    for (var gap = before; gap < line; gap++)
                    {
                        if (gap != first)
                        {
                            yield return gap;
                        }
                    }
                }

                yield break;
            }
        }
    }

    private static bool HasOverloads(IMethodSymbol method)
    {
        var count = 0;
        foreach (var other in method.ContainingType.GetMembers(method.Name))
        {
            if (other is IMethodSymbol && ++count > 1)
            {
                return true;
            }
        }

        return false;
    }

    private static string DisplayName(ISymbol? member) => member switch
    {
        null => "the method",
        IMethodSymbol { MethodKind: MethodKind.Constructor or MethodKind.StaticConstructor } constructor => constructor.ContainingType.Name + " (constructor)",
        IMethodSymbol { AssociatedSymbol: { } property } => property.Name,
        _ => member.Name,
    };

    /// <summary>A share as a percentage: "41 %", "2.5 %", "0.35 %" (invariant culture).</summary>
    internal static string Percent(double share)
    {
        var percent = share * 100;
        var format = percent >= 9.95 ? "0" : percent >= 0.995 ? "0.#" : "0.##";
        return percent.ToString(format, CultureInfo.InvariantCulture) + " %";
    }

    /// <summary>A duration: "0.4 ms", "812 ms", "1.9 s", "124 s" (invariant culture).</summary>
    internal static string Duration(double milliseconds)
        => milliseconds < 9.95 ? milliseconds.ToString("0.#", CultureInfo.InvariantCulture) + " ms"
            : milliseconds < 999.5 ? milliseconds.ToString("0", CultureInfo.InvariantCulture) + " ms"
            : milliseconds < 99_950 ? (milliseconds / 1000).ToString("0.#", CultureInfo.InvariantCulture) + " s"
            : (milliseconds / 1000).ToString("#,0", CultureInfo.InvariantCulture) + " s";

    /// <summary>"once", "64 times", "12,400 times".</summary>
    internal static string Times(long count) => count == 1 ? "once" : count.ToString("#,0", CultureInfo.InvariantCulture) + " times";
}
