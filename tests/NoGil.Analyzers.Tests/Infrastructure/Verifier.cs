using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace NoGil.Analyzers.Tests.Infrastructure;

/// <summary>Reference assemblies every test source compiles against.</summary>
public static class TestReferences
{
    private static readonly System.Lazy<System.Collections.Immutable.ImmutableArray<MetadataReference>> RuntimeReferences = new(LoadRuntime);

    /// <summary>.NET 8 reference assemblies, for the rule tests run through Microsoft.CodeAnalysis.Testing.</summary>
    public static ReferenceAssemblies Net80 { get; } = ReferenceAssemblies.Net.Net80;

    /// <summary>
    /// .NET 10 reference assemblies (restored with the test project): overload sets differ from .NET 8 — since .NET 9
    /// <c>Task.WhenAll(a, b)</c> binds to <c>params ReadOnlySpan&lt;Task&gt;</c>, whose argument is a collection expression.
    /// </summary>
    public static ReferenceAssemblies Net100 { get; } = new(
        "net10.0",
        new PackageIdentity("Microsoft.NETCore.App.Ref", "10.0.12"),
        System.IO.Path.Combine("ref", "net10.0"));

    /// <summary>
    /// .NET 6 reference assemblies (restored with the test project): no <c>Vector&lt;T&gt; / T</c> operator (from .NET 7), for
    /// the multi-target tests (<c>MultiTargetFixTests</c>).
    /// </summary>
    public static ReferenceAssemblies Net60 { get; } = new(
        "net6.0",
        new PackageIdentity("Microsoft.NETCore.App.Ref", "6.0.36"),
        System.IO.Path.Combine("ref", "net6.0"));

    /// <summary>
    /// .NET Framework 4.8 reference assemblies (restored with the test project): no <c>Vector&lt;T&gt;</c>, no
    /// <c>IAsyncDisposable</c>, for the multi-target tests (<c>MultiTargetFixTests</c>).
    /// </summary>
    public static ReferenceAssemblies Net48 { get; } = new ReferenceAssemblies(
        "net48",
        new PackageIdentity("Microsoft.NETFramework.ReferenceAssemblies.net48", "1.0.3"),
        System.IO.Path.Combine("build", ".NETFramework", "v4.8")).AddAssemblies(ImmutableArray.Create("mscorlib", "System", "System.Core"));

    /// <summary>
    /// netstandard2.0 reference assemblies (NETStandard.Library 2.0.3, restored with the test project): no <c>Vector&lt;T&gt;</c>,
    /// no <c>…Async</c> twins of most synchronous I/O, no <c>ValueTask</c> — for the rules that must stay quiet there.
    /// </summary>
    public static ReferenceAssemblies NetStandard20 { get; } = ReferenceAssemblies.NetStandard.NetStandard20;

    /// <summary>
    /// The framework assemblies of the running runtime (the TRUSTED_PLATFORM_ASSEMBLIES in the runtime's own folder),
    /// for tests that compile — and possibly run — code directly with Roslyn.
    /// </summary>
    public static System.Collections.Immutable.ImmutableArray<MetadataReference> Runtime => RuntimeReferences.Value;

    /// <summary>
    /// System.Numerics.Tensors (net8.0 build, restored with the test project), for test sources that use TensorPrimitives:
    /// <c>test.TestState.AdditionalReferences.Add(TestReferences.Tensors)</c>.
    /// </summary>
    public static MetadataReference Tensors => TensorsReference.Value;

    /// <summary>The System.Numerics.Tensors assembly the test process runs with, for code compiled and run by <see cref="CompileAndRun"/>.</summary>
    public static MetadataReference TensorsRuntime => TensorsRuntimeReference.Value;

    private static readonly System.Lazy<MetadataReference> TensorsReference = new(() =>
    {
        var root = typeof(TestReferences).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), inherit: false)
            .Cast<System.Reflection.AssemblyMetadataAttribute>()
            .Single(a => a.Key == "NuGetPackageRoot").Value ?? string.Empty;
        var version = typeof(System.Numerics.Tensors.TensorPrimitives).Assembly.GetName().Version!;
        var path = System.IO.Path.Combine(root, "system.numerics.tensors", version.Major + "." + version.Minor + "." + version.Build, "lib", "net8.0", "System.Numerics.Tensors.dll");
        return MetadataReference.CreateFromFile(path);
    });

    /// <summary>
    /// Microsoft.Extensions.DependencyInjection.Abstractions 8.0 (net8.0 build, restored with the test project),
    /// for test sources that create service scopes: <c>test.TestState.AdditionalReferences.Add(TestReferences.DependencyInjection)</c>.
    /// </summary>
    public static MetadataReference DependencyInjection => DependencyInjectionReference.Value;

    private static readonly System.Lazy<MetadataReference> DependencyInjectionReference = new(() =>
    {
        var root = typeof(TestReferences).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), inherit: false)
            .Cast<System.Reflection.AssemblyMetadataAttribute>()
            .Single(a => a.Key == "DependencyInjectionAbstractions").Value ?? string.Empty;
        return MetadataReference.CreateFromFile(System.IO.Path.Combine(root, "lib", "net8.0", "Microsoft.Extensions.DependencyInjection.Abstractions.dll"));
    });

    private static readonly System.Lazy<MetadataReference> TensorsRuntimeReference = new(
        () => MetadataReference.CreateFromFile(typeof(System.Numerics.Tensors.TensorPrimitives).Assembly.Location));

    private static System.Collections.Immutable.ImmutableArray<MetadataReference> LoadRuntime()
    {
        var runtimeDirectory = System.IO.Path.GetDirectoryName(typeof(object).Assembly.Location) ?? string.Empty;
        return ((System.AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string) ?? string.Empty)
            .Split(System.IO.Path.PathSeparator, System.StringSplitOptions.RemoveEmptyEntries)
            .Where(path => string.Equals(System.IO.Path.GetDirectoryName(path), runtimeDirectory, System.StringComparison.OrdinalIgnoreCase))
            .Where(path => path.EndsWith(".dll", System.StringComparison.OrdinalIgnoreCase))
            .OrderBy(path => path, System.StringComparer.Ordinal)
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .ToImmutableArray();
    }
}

/// <summary>
/// Every rule test runs once per framework of <see cref="Frameworks"/> — .NET 8 and .NET 10, whose overload sets differ
/// (since .NET 9 <c>Task.WhenAll(a, b)</c>, <c>string.Concat(a, b, c)</c>, <c>Path.Combine(a, b)</c>, … bind to
/// <c>params ReadOnlySpan&lt;T&gt;</c>) — with the same sources, expectations and fix contract, so no test can forget one.
/// A test that sets <c>ReferenceAssemblies</c> itself runs on that framework only (the <c>*_OnNet10</c> tests, the
/// netstandard2.0 tests of rules that must stay quiet where the APIs they need are missing); such a test says why.
/// </summary>
public static class FrameworkMatrix
{
    /// <summary>The marker a test's <c>ReferenceAssemblies</c> holds until the test sets it: run on every framework.</summary>
    public static ReferenceAssemblies Default { get; } = TestReferences.Net80.WithAssemblies(TestReferences.Net80.Assemblies);

    /// <summary>The frameworks every rule test runs on unless it pins one.</summary>
    public static ImmutableArray<ReferenceAssemblies> Frameworks { get; } = ImmutableArray.Create(TestReferences.Net80, TestReferences.Net100);

    /// <summary>
    /// Runs the test (<paramref name="run"/>, then the fix contract <paramref name="contract"/>) once per framework
    /// after <paramref name="select"/> set it, or once on the pinned <paramref name="current"/>; a failure names the
    /// framework it happened on.
    /// </summary>
    public static async Task RunAsync(
        ReferenceAssemblies current,
        System.Action<ReferenceAssemblies> select,
        System.Func<CancellationToken, Task> run,
        System.Func<Task> contract,
        CancellationToken cancellationToken)
    {
        var frameworks = ReferenceEquals(current, Default) ? Frameworks : ImmutableArray.Create(current);
        foreach (var framework in frameworks)
        {
            select(framework);
            try
            {
                await run(cancellationToken);
                await contract();
            }
            catch (System.Exception e) when (frameworks.Length > 1)
            {
                throw new Xunit.Sdk.XunitException("On " + Describe(framework) + ": " + e.Message, e);
            }
        }
    }

    private static string Describe(ReferenceAssemblies framework)
        => framework.ReferenceAssemblyPackage is { } package ? package.Id + " " + package.Version : framework.TargetFramework;
}

/// <summary>Verifier for an analyzer and its code fix.</summary>
public static class CodeFixVerifier<TAnalyzer, TCodeFix>
    where TAnalyzer : DiagnosticAnalyzer, new()
    where TCodeFix : CodeFixProvider, new()
{
    public static DiagnosticResult Diagnostic() => CSharpCodeFixVerifier<TAnalyzer, TCodeFix, DefaultVerifier>.Diagnostic();

    public static DiagnosticResult Diagnostic(string id) => CSharpCodeFixVerifier<TAnalyzer, TCodeFix, DefaultVerifier>.Diagnostic(id);

    public static Task VerifyAnalyzerAsync(string source, params DiagnosticResult[] expected)
    {
        var test = new Test { TestCode = source };
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync(CancellationToken.None);
    }

    public static Task VerifyCodeFixAsync(string source, string fixedSource, params DiagnosticResult[] expected)
    {
        var test = new Test { TestCode = source, FixedCode = fixedSource };
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync(CancellationToken.None);
    }

    /// <summary>
    /// The analyzer run on <paramref name="framework"/> only (say why at the call); e.g. a rule that must stay quiet on
    /// netstandard2.0, where the APIs its fix needs are missing.
    /// </summary>
    public static Task VerifyAnalyzerOnAsync(ReferenceAssemblies framework, string source, params DiagnosticResult[] expected)
    {
        var test = new Test { TestCode = source, ReferenceAssemblies = framework };
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync(CancellationToken.None);
    }

    /// <summary>
    /// A fix offered one at a time only (a floating-point reassociation the project did not opt in to applying in bulk):
    /// the light-bulb fix gives <paramref name="fixedSource"/>, Fix All leaves the source as it is.
    /// </summary>
    public static Task VerifyInteractiveCodeFixAsync(string source, string fixedSource, params DiagnosticResult[] expected)
    {
        var test = new Test { TestCode = source, FixedCode = fixedSource, BatchFixedCode = source };
        test.ExpectedDiagnostics.AddRange(expected);
        test.BatchFixedState.ExpectedDiagnostics.AddRange(expected);
        test.BatchFixedState.MarkupHandling = MarkupMode.Allow;
        return test.RunAsync(CancellationToken.None);
    }

    /// <summary>A diagnostic is reported, but no fix is offered (the fixed code equals the source).</summary>
    public static Task VerifyNoCodeFixAsync(string source, params DiagnosticResult[] expected)
    {
        var test = new Test { TestCode = source, FixedCode = source };
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync(CancellationToken.None);
    }

    public sealed class Test : CSharpCodeFixTest<TAnalyzer, TCodeFix, DefaultVerifier>
    {
        public Test()
        {
            ReferenceAssemblies = FrameworkMatrix.Default;
        }

        private Project? _analyzed;

        /// <summary>The first project the test builds is the test source as written; it is kept for the fix contract.</summary>
        protected override Project ApplyCompilationOptions(Project project)
        {
            project = base.ApplyCompilationOptions(project);
            _analyzed ??= project;
            return project;
        }

        protected override Task RunImplAsync(CancellationToken cancellationToken)
            => FrameworkMatrix.RunAsync(ReferenceAssemblies, framework => (ReferenceAssemblies, _analyzed) = (framework, null), base.RunImplAsync, () => _analyzed is { } project
                ? FixContract.VerifyAsync(project, GetDiagnosticAnalyzers().ToImmutableArray(), GetAnalyzerOptions(project), cancellationToken)
                : Task.CompletedTask, cancellationToken);
    }
}

/// <summary>Verifier for an analyzer alone.</summary>
public static class AnalyzerVerifier<TAnalyzer>
    where TAnalyzer : DiagnosticAnalyzer, new()
{
    public static DiagnosticResult Diagnostic() => CSharpAnalyzerVerifier<TAnalyzer, DefaultVerifier>.Diagnostic();

    public static Task VerifyAnalyzerAsync(string source, params DiagnosticResult[] expected)
    {
        var test = new Test { TestCode = source };
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync(CancellationToken.None);
    }

    public sealed class Test : CSharpAnalyzerTest<TAnalyzer, DefaultVerifier>
    {
        public Test()
        {
            ReferenceAssemblies = FrameworkMatrix.Default;
        }

        private Project? _analyzed;

        /// <summary>The first project the test builds is the test source as written; it is kept for the fix contract.</summary>
        protected override Project ApplyCompilationOptions(Project project)
        {
            project = base.ApplyCompilationOptions(project);
            _analyzed ??= project;
            return project;
        }

        protected override Task RunImplAsync(CancellationToken cancellationToken)
            => FrameworkMatrix.RunAsync(ReferenceAssemblies, framework => (ReferenceAssemblies, _analyzed) = (framework, null), base.RunImplAsync, () => _analyzed is { } project
                ? FixContract.VerifyAsync(project, GetDiagnosticAnalyzers().ToImmutableArray(), GetAnalyzerOptions(project), cancellationToken)
                : Task.CompletedTask, cancellationToken);
    }
}
