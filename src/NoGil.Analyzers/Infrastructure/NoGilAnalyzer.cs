using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace NoGil.Analyzers.Infrastructure;

/// <summary>
/// Base of every analyzer in this package. It owns <see cref="Initialize"/> so that concurrent
/// execution and skipping generated code cannot be forgotten, and hands each rule the
/// well-known types of the compilation, resolved once per compilation.
/// </summary>
public abstract class NoGilAnalyzer : DiagnosticAnalyzer
{
    public sealed override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            var types = KnownTypes.For(start.Compilation);
            if (!IsApplicable(types))
            {
                return;
            }

            OnCompilationStart(start, types);
        });
    }

    /// <summary>Return false to skip the compilation (e.g. when a type the rule is about does not exist).</summary>
    protected virtual bool IsApplicable(KnownTypes types) => true;

    protected abstract void OnCompilationStart(CompilationStartAnalysisContext context, KnownTypes types);

    protected static DiagnosticDescriptor Rule(
        string id,
        string title,
        string messageFormat,
        string category,
        DiagnosticSeverity severity,
        string description)
        => new(
            id,
            title,
            messageFormat,
            category,
            severity,
            isEnabledByDefault: true,
            description: description,
            helpLinkUri: RuleHelp.GetHelpUri(id));

    protected static ImmutableDictionary<string, string?> Properties(params (string Key, string? Value)[] entries)
    {
        var builder = ImmutableDictionary.CreateBuilder<string, string?>();
        foreach (var (key, value) in entries)
        {
            builder[key] = value;
        }

        return builder.ToImmutable();
    }
}
