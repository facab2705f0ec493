using NoGil.Analyzers.Analysis.Blocking;
using NoGil.Analyzers.Analysis.Profile;

namespace NoGil.Analyzers.Rules.Blocking;

/// <summary>
/// NOGIL203: a synchronous method (or accessor, constructor, local function, initializer) blocks on a task.
/// Lambdas are left alone: a synchronous lambda is usually a callback whose signature is not ours to change.
/// The fix is announced where the function can become async (<see cref="AsyncConversion"/>); where it cannot — a
/// property, an override or interface implementation, <c>Dispose</c>, a method visible outside the assembly — the
/// bridge is the API's design, not an oversight one edit undoes, and it is reported only when
/// <see cref="ReportWithoutFix"/> asks for it.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class MakeMethodAsyncAnalyzer() : NoGilAnalyzer(Descriptors.MakeMethodAsync)
{
    /// <summary>.editorconfig: true to report also the waits of functions that cannot become async (no fix).</summary>
    public static readonly RuleOption<bool> ReportWithoutFix = RuleOption.Boolean("NOGIL203.report_without_fix", defaultValue: false);

    protected override void OnCompilationStart(CompilationStartAnalysisContext context, KnownTypes types)
        => BlockingWaitScanner.Register(context, types, static (blockContext, root, sites) =>
        {
            bool? reportWithoutFix = null;
            // One decision per function, shared by all its waits.
            var conversions = new Dictionary<ISymbol, AsyncConversion?>(SymbolEqualityComparer.Default);
            foreach (var site in sites)
            {
                if (!site.IsSyncOverAsync)
                {
                    continue;
                }

                AsyncConversion? conversion = null;
                if (site.Function is { } function && root.SemanticModel is { } model
                    && !conversions.TryGetValue(function, out conversion))
                {
                    conversions[function] = conversion = AsyncConversion.TryCreate(site, sites, model, blockContext.CancellationToken);
                }

                if (conversion is null && !(reportWithoutFix ??= ReportWithoutFix.Get(blockContext.Options, root.Syntax.SyntaxTree)))
                {
                    continue;
                }

                var properties = DiagnosticProperties.Create(conversion?.Kind);
                TargetFrameworkFixes.Report(blockContext.ReportDiagnostic, blockContext.Options, ProfileSite.Of(blockContext), Descriptors.MakeMethodAsync, site.Syntax.GetLocation(), properties, site.Wait.DisplayText, string.Empty);
            }
        });
}
