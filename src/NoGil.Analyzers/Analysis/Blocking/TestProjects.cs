namespace NoGil.Analyzers.Analysis.Blocking;

/// <summary>
/// Test projects (they reference xUnit, NUnit or MSTest): NOGIL202 and NOGIL205 leave them alone unless
/// <see cref="ReportInTestProjects"/> asks. Tests set up fixtures with synchronous calls and exercise synchronous APIs
/// on purpose, and a test thread that blocks costs test time, not a server's throughput.
/// </summary>
public static class TestProjects
{
    /// <summary>.editorconfig: true to report blocking calls and synchronous disposal in test projects too.</summary>
    public static readonly RuleOption<bool> ReportInTestProjects = RuleOption.Boolean("nogil.report_in_test_projects", defaultValue: false);

    /// <summary>True when the rule stays quiet in <paramref name="tree"/>: a test project, and the option is not set.</summary>
    public static bool AreSkipped(KnownTypes types, AnalyzerOptions options, SyntaxTree tree)
        => types.IsTestProject && !ReportInTestProjects.Get(options, tree);
}
