using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace NoGil.Analyzers.Tests.Infrastructure;

/// <summary>
/// Compiles C# source against the running runtime's own assemblies and loads it into a collectible
/// <see cref="AssemblyLoadContext"/>, for differential tests: the code before a fix and the code after it are
/// run on the same inputs and must give the same results.
/// </summary>
public static class CompileAndRun
{
    /// <summary>The framework assemblies of the running runtime.</summary>
    public static IReadOnlyList<MetadataReference> References => TestReferences.Runtime;

    /// <summary>Compiles <paramref name="source"/> (optimized) and loads it; throws with the compiler's errors when it does not compile.</summary>
    public static LoadedAssembly Load(string source, string? assemblyName = null) => Load(source, System.Array.Empty<MetadataReference>(), assemblyName);

    /// <summary>Like <see cref="Load(string, string?)"/>, with extra references (e.g. <see cref="TestReferences.TensorsRuntime"/>).</summary>
    public static LoadedAssembly Load(string source, IEnumerable<MetadataReference> additionalReferences, string? assemblyName = null)
    {
        assemblyName ??= "Differential_" + Guid.NewGuid().ToString("N");
        var tree = CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest));
        var compilation = CSharpCompilation.Create(
            assemblyName,
            new[] { tree },
            References.Concat(additionalReferences),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, optimizationLevel: OptimizationLevel.Release, nullableContextOptions: NullableContextOptions.Enable));

        using var stream = new MemoryStream();
        var emitted = compilation.Emit(stream);
        if (!emitted.Success)
        {
            var errors = emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.ToString());
            throw new InvalidOperationException("The source does not compile:" + Environment.NewLine + string.Join(Environment.NewLine, errors));
        }

        stream.Position = 0;
        var context = new AssemblyLoadContext(assemblyName, isCollectible: true);
        return new LoadedAssembly(context, context.LoadFromStream(stream));
    }

    /// <summary>A compiled assembly in its own collectible load context; dispose to unload it.</summary>
    public sealed class LoadedAssembly : IDisposable
    {
        private readonly AssemblyLoadContext _context;

        internal LoadedAssembly(AssemblyLoadContext context, Assembly assembly)
        {
            _context = context;
            Assembly = assembly;
        }

        public Assembly Assembly { get; }

        /// <summary>Invokes a static method by type and method name; exceptions thrown by the method surface unwrapped.</summary>
        public object? Invoke(string typeName, string methodName, params object?[] arguments)
        {
            var type = Assembly.GetType(typeName, throwOnError: true)!;
            var method = type.GetMethod(methodName, BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)
                         ?? throw new MissingMethodException(typeName, methodName);
            try
            {
                return method.Invoke(null, arguments);
            }
            catch (TargetInvocationException e) when (e.InnerException is not null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
                throw;
            }
        }

        public void Dispose() => _context.Unload();
    }
}
