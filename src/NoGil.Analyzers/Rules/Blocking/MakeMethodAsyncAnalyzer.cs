using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using NoGil.Analyzers.Analysis.Blocking;
using NoGil.Analyzers.Infrastructure;

namespace NoGil.Analyzers.Rules.Blocking;

/// <summary>
/// NOGIL203: a synchronous method (or accessor, constructor, local function, initializer) blocks on a task.
/// Lambdas are left alone: a synchronous lambda is usually a callback whose signature is not ours to change.
/// The fix is announced where the function can become async (<see cref="AsyncConversion"/>).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class MakeMethodAsyncAnalyzer : NoGilAnalyzer
{
    public static readonly DiagnosticDescriptor Descriptor = Rule(
        RuleIdentifiers.MakeMethodAsync,
        title: "Make the method async instead of blocking on a task",
        messageFormat: "Sync-over-async: '{0}' blocks the calling thread until the task completes",
        RuleCategories.Blocking,
        DiagnosticSeverity.Info,
        description: "A synchronous method that blocks on async work ties up a thread for the whole operation, starves the thread pool under load and can deadlock under a synchronization context. Make the method async and await the task.");

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Descriptor);

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
                blockContext.ReportDiagnostic(Diagnostic.Create(Descriptor, site.Syntax.GetLocation(), properties, site.Wait.DisplayText));
            }
        });
}
