using NoGil.Analyzers.Analysis.Profile;

namespace NoGil.Analyzers.Rules.Profile;

/// <summary>
/// NOGIL002: the project's profile (<see cref="ProfileDiscovery"/>) is malformed, or stale — it has no module for this
/// assembly, or names methods the compilation no longer declares — so no rule uses it (<see cref="ProfileFacts"/>).
/// Reported once per compilation, in the profile file, when the driver analyzes that additional file.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class UseCurrentProfileAnalyzer() : NoGilAnalyzer(Descriptors.UseCurrentProfile)
{
    protected override void OnCompilationStart(CompilationStartAnalysisContext context, KnownTypes types)
        => context.RegisterAdditionalFileAction(c =>
        {
            if (ProfileDiscovery.Find(c.Options) is not { } profile || !string.Equals(profile.Path, c.AdditionalFile.Path, StringComparison.Ordinal))
            {
                return;
            }

            var facts = ProfileFacts.For(c.Compilation, c.Options, c.CancellationToken);
            if (facts.Status is ProfileStatus.Malformed or ProfileStatus.Stale)
            {
                c.ReportDiagnostic(Diagnostic.Create(
                    Descriptors.UseCurrentProfile,
                    facts.Location ?? Location.None,
                    ProfileDiscovery.NameOf(profile.Path ?? ProfileDiscovery.FileName),
                    facts.Reason));
            }
        });
}
