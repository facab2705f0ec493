using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace NoGil.Analyzers.Tests.Infrastructure;

/// <summary>The System.Numerics.Tensors references the kernel tests rely on resolve, compile and run.</summary>
public sealed class TensorsReferenceTests
{
    private const string Source = """
        using System.Numerics.Tensors;

        public static class K
        {
            public static float Run(float[] a) => TensorPrimitives.Sum<float>(a);
        }
        """;

    [Fact]
    public void Net80ReferenceCompilesGenericTensorPrimitives()
    {
        var compilation = CSharpCompilation.Create(
            "TensorsCheck",
            new[] { CSharpSyntaxTree.ParseText(Source) },
            TestReferences.Runtime.Add(TestReferences.Tensors).Where(r => !r.Display!.Contains("net10.0") || !r.Display.Contains("Tensors")),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        Assert.Contains("net8.0", TestReferences.Tensors.Display);
    }

    [Fact]
    public void CompiledCodeRunsWithTheRuntimeCopy()
    {
        using var loaded = CompileAndRun.Load(Source, new[] { TestReferences.TensorsRuntime });
        Assert.Equal(6f, loaded.Invoke("K", "Run", new object[] { new[] { 1f, 2f, 3f } }));
    }
}
