namespace NoGil.Analyzers.Infrastructure;

/// <summary>
/// Base of every analyzer in this package. It owns <see cref="Initialize"/> so that concurrent
/// execution and skipping generated code cannot be forgotten, and hands each rule the
/// well-known types of the compilation, resolved once per compilation.
/// </summary>
public abstract class NoGilAnalyzer : DiagnosticAnalyzer
{
    /// <param name="descriptors">The rule's descriptors, from <see cref="Descriptors"/>.</param>
    protected NoGilAnalyzer(params DiagnosticDescriptor[] descriptors) => SupportedDiagnostics = descriptors.ToImmutableArray();

    public sealed override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; }

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
}
