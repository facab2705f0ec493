using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Emit;
using Xunit;

namespace NoGil.Profile.Tests;

/// <summary>
/// The tool's documentation IDs, computed from metadata, against Roslyn's for the source symbols: a source compiled here
/// with Roslyn, emitted with its portable PDB, and every method definition compared.
/// </summary>
public sealed class DocumentationIdTests : IDisposable
{
    private const string Source = """
        using System;
        using System.Collections.Generic;
        using System.Linq;
        using System.Threading.Tasks;

        namespace Ns.Inner
        {
            public class Generic<T>
            {
                private static readonly int Seed = Environment.TickCount;
                private readonly Func<int> _field = () => Seed + 1;

                public Generic() { int Twice(int x) => x * 2; _ = Twice(Seed); }
                public Generic(T value, params T[] more) { }
                static Generic() { }

                public U Map<U>(T value, U other, Func<T, U> f) => f(value);
                public void Arrays(double[,] m, int[][] jagged, T[] ts, List<T>[,,] lists, int[][,] mixed) { }
                public void Refs(ref int a, out double b, in long c, ref T d) { b = 0; }
                public unsafe void Pointers(int* p, void** q, ref byte* r, T[] t) { }
                public int this[int i, string s] { get => i; set { } }
                public event EventHandler<T>? Changed { add { } remove { } }
                public int Count { get; set; }
                public static Generic<T> operator +(Generic<T> a, Generic<T> b) => a;
                public static bool operator ==(Generic<T> a, T b) => false;
                public static bool operator !=(Generic<T> a, T b) => true;
                public static implicit operator T[](Generic<T> g) => Array.Empty<T>();
                public static explicit operator Generic<T>(List<T> a) => new Generic<T>();
                public override bool Equals(object? o) => false;
                public override int GetHashCode() => 0;

                public class Nested<V>
                {
                    public void M(T t, V v, Dictionary<T, List<V>> d, Generic<V>.Nested<T> swapped) { }
                    public W Generic<W>(W w, V v, T t) where W : struct => w;

                    public class Deeper
                    {
                        public void N(Nested<V>.Deeper x, Generic<int>.Nested<string> y, Generic<T>.Nested<V>.Deeper? z) { }
                    }
                }
            }

            public interface IShape<T>
            {
                T Area();
                void Scale(T factor);
                int Sides { get; }
            }

            public struct Square : IShape<double>, IDisposable, IComparable<Square>, IEnumerable<int>
            {
                double IShape<double>.Area() => 0;
                void IShape<double>.Scale(double f) { }
                int IShape<double>.Sides => 4;
                void IDisposable.Dispose() { }
                public int CompareTo(Square other) => 0;
                IEnumerator<int> IEnumerable<int>.GetEnumerator() { yield return 1; }
                System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => throw new NotSupportedException();
            }

            public static class Kernels
            {
                public static void Multiply(double[,] a, double[,] b, double[,] c) { }
                public static int Run() => Enumerable.Range(0, 3).Select(i => i * 2).Sum();
                public static int Run(int n) => Enumerable.Range(0, n).Where(i => i % 2 == 0).Count();
                public static IEnumerable<int> Iterate(int n) { for (int i = 0; i < n; i++) { yield return Local(i); } static int Local(int x) => x + 1; }
                public static async Task<int> Later(int n) { await Task.Yield(); Func<Task<int>> f = async () => { await Task.Yield(); return n; }; return await f(); }
                public static void Kinds(int? a, (int, string) tuple, dynamic d, nint n, nuint u, object o, decimal m, char c, float f = 1.5f) { }
                public static void Jagged<T>(T[][] a, List<T[]> b, Dictionary<string, T>[] c, ref T[] d) where T : class { }
                public static void Params(params string[] s) { }
                public static void Generic2<A, B>(A a, B b, Func<A, B> f, Generic<A>.Nested<B> n) { }
            }

            public delegate int Transform(int x, ref double y);

            public record Point(int X, int Y);

            public enum Color { Red }

            public abstract class Base
            {
                protected abstract void Step(int n);
                public virtual string Name => "base";
            }

            public sealed class Derived : Base
            {
                protected override void Step(int n) { }
                public override string Name => "derived";
                ~Derived() { }
            }
        }

        public class TopLevel
        {
            public void NoNamespace() { }
        }
        """;

    private readonly string _directory = Directory.CreateTempSubdirectory("nogil-profile-docids-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private (string Path, CSharpCompilation Compilation) Compile()
    {
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => Path.GetFileName(p) is "System.Runtime.dll" or "System.Private.CoreLib.dll" or "System.Linq.dll" or "System.Collections.dll" or "Microsoft.CSharp.dll" or "System.Linq.Expressions.dll" or "netstandard.dll")
            .Select(p => MetadataReference.CreateFromFile(p));
        CSharpCompilation compilation = CSharpCompilation.Create(
            "DocIdFixture",
            new[] { CSharpSyntaxTree.ParseText(Microsoft.CodeAnalysis.Text.SourceText.From(Source, System.Text.Encoding.UTF8), new CSharpParseOptions(LanguageVersion.Latest), path: "/src/DocIdFixture.cs") },
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true, nullableContextOptions: NullableContextOptions.Enable, optimizationLevel: OptimizationLevel.Release));
        string path = Path.Combine(_directory, "DocIdFixture.dll");
        using (FileStream pe = File.Create(path))
        using (FileStream pdb = File.Create(Path.ChangeExtension(path, ".pdb")))
        {
            EmitResult result = compilation.Emit(pe, pdb, options: new EmitOptions(debugInformationFormat: DebugInformationFormat.PortablePdb, pdbFilePath: "DocIdFixture.pdb"));
            Assert.True(result.Success, string.Join("\n", result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        }

        return (path, compilation);
    }

    private static IEnumerable<IMethodSymbol> SourceMethods(INamespaceOrTypeSymbol container)
    {
        foreach (ISymbol member in container.GetMembers())
        {
            if (member is INamespaceOrTypeSymbol nested)
            {
                foreach (IMethodSymbol method in SourceMethods(nested))
                {
                    yield return method;
                }
            }

            // A struct's implicit parameterless constructor has no method definition.
            if (member is IMethodSymbol method2 && !(method2.IsImplicitlyDeclared && method2.MethodKind == MethodKind.Constructor && method2.ContainingType.IsValueType && method2.Parameters.Length == 0))
            {
                yield return method2;
            }
        }
    }

    private static bool IsGenerated(MetadataReader metadata, MethodDefinitionHandle handle)
    {
        MethodDefinition method = metadata.GetMethodDefinition(handle);
        string name = metadata.GetString(method.Name);
        if (name.StartsWith('<') && !UserModule.IsSpeakableGenerated(name))
        {
            return true;
        }

        for (TypeDefinitionHandle type = method.GetDeclaringType(); !type.IsNil; type = metadata.GetTypeDefinition(type).GetDeclaringType())
        {
            if (metadata.GetString(metadata.GetTypeDefinition(type).Name).StartsWith('<'))
            {
                return true;
            }
        }

        return false;
    }

    [Fact]
    public void EveryMethodDefinitionHasRoslynsId()
    {
        (string path, CSharpCompilation compilation) = Compile();
        var roslyn = SourceMethods(compilation.Assembly.GlobalNamespace).Select(m => m.GetDocumentationCommentId()!).ToHashSet(StringComparer.Ordinal);

        using UserModule module = UserModule.TryOpen(path)!;
        using var pe = new PEReader(File.OpenRead(path));
        MetadataReader metadata = pe.GetMetadataReader();
        var tool = new HashSet<string>(StringComparer.Ordinal);
        foreach (MethodDefinitionHandle handle in metadata.MethodDefinitions)
        {
            if (IsGenerated(metadata, handle))
            {
                continue;
            }

            string id = DocumentationIds.ForMethod(metadata, handle);
            Assert.True(roslyn.Contains(id), $"the tool's {id} is not one of Roslyn's IDs");
            tool.Add(id);
            // A source method resolves to itself, exactly.
            Assert.Equal(new SourceMethod(id, true), module.GetSourceMethod(MetadataTokens.GetToken(handle)));
        }

        Assert.Empty(roslyn.Except(tool));
        // The cases the format names are among them.
        Assert.Contains("M:Ns.Inner.Kernels.Multiply(System.Double[0:,0:],System.Double[0:,0:],System.Double[0:,0:])", tool);
        Assert.Contains("M:Ns.Inner.Generic`1.Map``1(`0,``0,System.Func{`0,``0})", tool);
        Assert.Contains("M:Ns.Inner.Generic`1.Refs(System.Int32@,System.Double@,System.Int64@,`0@)", tool);
        Assert.Contains("M:Ns.Inner.Generic`1.#ctor", tool);
        Assert.Contains("M:Ns.Inner.Generic`1.#cctor", tool);
        Assert.Contains("M:Ns.Inner.Generic`1.get_Count", tool);
        Assert.Contains("M:Ns.Inner.Generic`1.Nested`1.Deeper.N(Ns.Inner.Generic{`0}.Nested{`1}.Deeper,Ns.Inner.Generic{System.Int32}.Nested{System.String},Ns.Inner.Generic{`0}.Nested{`1}.Deeper)", tool);
        Assert.Contains("M:Ns.Inner.Generic`1.op_Implicit(Ns.Inner.Generic{`0})~`0[]", tool);
        Assert.Contains("M:Ns.Inner.Square.Ns#Inner#IShape{System#Double}#Area", tool);
        Assert.True(tool.Count > 60, $"{tool.Count} methods");
    }

    [Fact]
    public void GeneratedMethodsRollUpToTheirDeclaringMethod()
    {
        (string path, _) = Compile();
        using UserModule module = UserModule.TryOpen(path)!;
        using var pe = new PEReader(File.OpenRead(path));
        MetadataReader metadata = pe.GetMetadataReader();
        var resolved = new Dictionary<string, SourceMethod?>(StringComparer.Ordinal);
        foreach (MethodDefinitionHandle handle in metadata.MethodDefinitions.Where(h => IsGenerated(metadata, h)))
        {
            MethodDefinition method = metadata.GetMethodDefinition(handle);
            TypeDefinition type = metadata.GetTypeDefinition(method.GetDeclaringType());
            string typeName = metadata.GetString(type.Name);
            if (!type.GetDeclaringType().IsNil)
            {
                typeName = metadata.GetString(metadata.GetTypeDefinition(type.GetDeclaringType()).Name) + "/" + typeName;
            }

            resolved[typeName + "::" + metadata.GetString(method.Name)] = module.GetSourceMethod(MetadataTokens.GetToken(handle));
        }

        SourceMethod? Find(string type, string namePrefix) =>
            Assert.Single(resolved, p => p.Key.StartsWith(type + "::" + namePrefix, StringComparison.Ordinal)).Value;

        // Lambdas in two overloads of Run: the tool cannot tell which, so no parameter list.
        Assert.Equal(new SourceMethod("M:Ns.Inner.Kernels.Run", false), Find("Kernels/<>c", "<Run>b__1_0"));
        Assert.Equal(new SourceMethod("M:Ns.Inner.Kernels.Run", false), Find("Kernels/<>c", "<Run>b__2_0"));
        // A local function, an iterator and an async method with an async lambda: one overload each, so exact.
        Assert.Equal(new SourceMethod("M:Ns.Inner.Kernels.Iterate(System.Int32)", true), Find("Kernels", "<Iterate>g__Local|"));
        Assert.Equal(new SourceMethod("M:Ns.Inner.Kernels.Iterate(System.Int32)", true), Find("Kernels/<Iterate>d__3", "MoveNext"));
        Assert.Equal(new SourceMethod("M:Ns.Inner.Kernels.Later(System.Int32)", true), Find("Kernels/<Later>d__4", "MoveNext"));
        Assert.Equal(new SourceMethod("M:Ns.Inner.Kernels.Later(System.Int32)", true), Find("<>c__DisplayClass4_0/<<Later>b__0>d", "MoveNext"));
        Assert.Equal(new SourceMethod("M:Ns.Inner.Kernels.Later(System.Int32)", true), Find("Kernels/<>c__DisplayClass4_0", "<Later>b__0"));
        // A local function in an overloaded constructor, a field initializer's lambda (in every constructor), an
        // explicit interface implementation's iterator.
        Assert.Equal(new SourceMethod("M:Ns.Inner.Generic`1.#ctor", false), Find("Generic`1", "<.ctor>g__Twice|"));
        Assert.All(
            resolved.Where(p => p.Key.StartsWith("Generic`1/<>c::<.ctor>b__", StringComparison.Ordinal)),
            p => Assert.Equal(new SourceMethod("M:Ns.Inner.Generic`1.#ctor", false), p.Value));
        Assert.Contains(resolved.Keys, k => k.StartsWith("Generic`1/<>c::<.ctor>b__", StringComparison.Ordinal));
        Assert.Equal(
            new SourceMethod("M:Ns.Inner.Square.System#Collections#Generic#IEnumerable{System#Int32}#GetEnumerator", true),
            Find("Square/<System-Collections-Generic-IEnumerable<System-Int32>-GetEnumerator>d__6", "MoveNext"));
        // Closure classes' own constructors belong to no source method.
        Assert.All(resolved.Where(p => p.Key.Contains("<>c", StringComparison.Ordinal) && p.Key.EndsWith("::.ctor", StringComparison.Ordinal)), p => Assert.Null(p.Value));
    }
}
