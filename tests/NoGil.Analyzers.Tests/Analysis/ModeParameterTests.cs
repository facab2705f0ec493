using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using NoGil.Analyzers.Analysis.Blocking;
using NoGil.Analyzers.Tests.Infrastructure;
using Xunit;

namespace NoGil.Analyzers.Tests.Analysis;

/// <summary>
/// The one definition of a dual-mode method's mode parameter, read both by the dual-mode check of NOGIL202/205 and by
/// the completion-by-construction proof of NOGIL201/203: a parameter is one exactly when its synchronous value is known.
/// </summary>
public sealed class ModeParameterTests
{
    private const string Source = """
        using System.IO;
        using System.Threading.Tasks;
        enum IOBehavior { Synchronous, Asynchronous }
        enum Mode { Async = 3, Sync = 7 }
        enum OnlyAsync { None, Asynchronous }
        class C
        {
            void M(
                bool isAsync, bool async, bool useAsync, bool runAsync, bool asynchronous, bool IsAsynchronous,
                bool isSync, bool sync, bool synchronous, bool isSynchronous,
                IOBehavior ioBehavior, Mode mode,
                bool forceAsync, bool runContinuationsAsynchronously, bool allowAsyncWrites, int isAsyncCount,
                FileOptions fileOptions, TaskCreationOptions taskOptions, OnlyAsync onlyAsync) { }
        }
        """;

    private static IParameterSymbol[] Parameters()
    {
        var tree = CSharpSyntaxTree.ParseText(Source);
        var compilation = CSharpCompilation.Create("Modes", new[] { tree }, TestReferences.Runtime, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        Assert.DoesNotContain(compilation.GetDiagnostics(), d => d.Severity == DiagnosticSeverity.Error);
        var type = compilation.GetTypeByMetadataName("C")!;
        return type.GetMembers("M").OfType<IMethodSymbol>().Single().Parameters.ToArray();
    }

    [Fact]
    public void ModeParameters_AreTheConventionNamesAndSynchronousAsynchronousEnums()
    {
        var modes = Parameters().Where(ModeParameter.IsModeParameter).Select(p => p.Name).ToArray();
        Assert.Equal(
            new[] { "isAsync", "async", "useAsync", "runAsync", "asynchronous", "IsAsynchronous", "isSync", "sync", "synchronous", "isSynchronous", "ioBehavior", "mode" },
            modes);
    }

    [Fact]
    public void SynchronousValue_IsFalseForAsyncFlags_TrueForSyncFlags_TheSynchronousMemberForEnums()
    {
        var parameters = Parameters().ToDictionary(p => p.Name);
        Assert.True(ModeParameter.SelectsSynchronousMode(parameters["isAsync"], false));
        Assert.False(ModeParameter.SelectsSynchronousMode(parameters["isAsync"], true));
        Assert.True(ModeParameter.SelectsSynchronousMode(parameters["isSync"], true));
        Assert.False(ModeParameter.SelectsSynchronousMode(parameters["isSync"], false));
        Assert.True(ModeParameter.SelectsSynchronousMode(parameters["ioBehavior"], 0));
        Assert.False(ModeParameter.SelectsSynchronousMode(parameters["ioBehavior"], 1));
        Assert.True(ModeParameter.SelectsSynchronousMode(parameters["mode"], 7));
        Assert.False(ModeParameter.SelectsSynchronousMode(parameters["mode"], 3));
        // Not mode parameters: no value selects a synchronous mode.
        Assert.False(ModeParameter.SelectsSynchronousMode(parameters["forceAsync"], false));
        Assert.False(ModeParameter.SelectsSynchronousMode(parameters["forceAsync"], true));
        Assert.False(ModeParameter.SelectsSynchronousMode(parameters["onlyAsync"], 0));
        Assert.False(ModeParameter.SelectsSynchronousMode(parameters["isAsyncCount"], 0));
    }
}
