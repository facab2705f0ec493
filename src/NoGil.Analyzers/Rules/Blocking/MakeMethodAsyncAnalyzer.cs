using NoGil.Analyzers.Analysis.Blocking;

namespace NoGil.Analyzers.Rules.Blocking;

/// <summary>
/// NOGIL203: a synchronous method (or accessor, constructor, local function, initializer) blocks on a task.
/// Lambdas are left alone: a synchronous lambda is usually a callback whose signature is not ours to change.
/// The fix is announced where the function can become async (<see cref="AsyncConversion"/>).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class MakeMethodAsyncAnalyzer() : NoGilAnalyzer(Descriptors.MakeMethodAsync)
{
    protected override void OnCompilationStart(CompilationStartAnalysisContext context, KnownTypes types)
        => BlockingWaitScanner.Register(context, types, static (blockContext, root, sites) =>
        {
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

                var properties = DiagnosticProperties.Create(conversion?.Kind);
                blockContext.ReportDiagnostic(Diagnostic.Create(Descriptors.MakeMethodAsync, site.Syntax.GetLocation(), properties, site.Wait.DisplayText));
            }
        });
}
