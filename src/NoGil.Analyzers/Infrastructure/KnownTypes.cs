using System.Runtime.CompilerServices;

namespace NoGil.Analyzers.Infrastructure;

/// <summary>
/// Well-known types, resolved once per compilation in a compilation-start action.
/// A null member means the type does not exist in this compilation.
/// </summary>
public sealed partial class KnownTypes
{
    private static readonly ConditionalWeakTable<Compilation, KnownTypes> ByCompilation = new();

    /// <summary>The well-known types of <paramref name="compilation"/>, resolved once and shared by every analyzer.</summary>
#pragma warning disable RS0030 // The one sanctioned construction (src/BannedSymbols.txt).
    public static KnownTypes For(Compilation compilation) => ByCompilation.GetValue(compilation, static c => new KnownTypes(c));
#pragma warning restore RS0030

    /// <summary>Resolves every well-known type of <paramref name="compilation"/>; callers use <see cref="For"/>, which shares one instance per compilation.</summary>
    public KnownTypes(Compilation compilation)
    {
        Compilation = compilation;
        Task = Get("System.Threading.Tasks.Task");
        TaskOfT = Get("System.Threading.Tasks.Task`1");
        ValueTask = Get("System.Threading.Tasks.ValueTask");
        ValueTaskOfT = Get("System.Threading.Tasks.ValueTask`1");
        TaskFactory = Get("System.Threading.Tasks.TaskFactory");
        TaskFactoryOfT = Get("System.Threading.Tasks.TaskFactory`1");
        TaskStatus = Get("System.Threading.Tasks.TaskStatus");
        ConfiguredTaskAwaitable = Get("System.Runtime.CompilerServices.ConfiguredTaskAwaitable");
        ConfiguredTaskAwaitableOfT = Get("System.Runtime.CompilerServices.ConfiguredTaskAwaitable`1");
        ConfiguredValueTaskAwaitable = Get("System.Runtime.CompilerServices.ConfiguredValueTaskAwaitable");
        ConfiguredValueTaskAwaitableOfT = Get("System.Runtime.CompilerServices.ConfiguredValueTaskAwaitable`1");
        CancellationToken = Get("System.Threading.CancellationToken");
        Thread = Get("System.Threading.Thread");
        SemaphoreSlim = Get("System.Threading.SemaphoreSlim");
        TimeSpan = Get("System.TimeSpan");
        Enumerable = Get("System.Linq.Enumerable");
        MemoryStream = Get("System.IO.MemoryStream");
        UnmanagedMemoryStream = Get("System.IO.UnmanagedMemoryStream");
        StringReader = Get("System.IO.StringReader");
        StringWriter = Get("System.IO.StringWriter");
        Console = Get("System.Console");
        Stream = Get("System.IO.Stream");
        TextReader = Get("System.IO.TextReader");
        TextWriter = Get("System.IO.TextWriter");
        IDisposable = Get("System.IDisposable");
        IAsyncDisposable = Get("System.IAsyncDisposable");
        CancellationTokenSource = Get("System.Threading.CancellationTokenSource");
        Parallel = Get("System.Threading.Tasks.Parallel");
        Interlocked = Get("System.Threading.Interlocked");
        Monitor = Get("System.Threading.Monitor");
        Math = Get("System.Math");
        MathF = Get("System.MathF");
        IEnumerableOfT = Get("System.Collections.Generic.IEnumerable`1");
        ListOfT = Get("System.Collections.Generic.List`1");
        ICollectionOfT = Get("System.Collections.Generic.ICollection`1");
        ExpressionOfT = Get("System.Linq.Expressions.Expression`1");
        ObsoleteAttribute = Get("System.ObsoleteAttribute");
        XmlReader = Get("System.Xml.XmlReader");
        XmlWriter = Get("System.Xml.XmlWriter");
        Lock = Get("System.Threading.Lock");
        ReaderWriterLockSlim = Get("System.Threading.ReaderWriterLockSlim");
        Mutex = Get("System.Threading.Mutex");
        ThreadPool = Get("System.Threading.ThreadPool");
        ParallelEnumerable = Get("System.Linq.ParallelEnumerable");
        MethodImplAttribute = Get("System.Runtime.CompilerServices.MethodImplAttribute");
        Partitioner = Get("System.Collections.Concurrent.Partitioner");
        Vector = Get("System.Numerics.Vector");
        VectorOfT = Get("System.Numerics.Vector`1");
        TensorPrimitives = Get("System.Numerics.Tensors.TensorPrimitives");
        SpanOfT = Get("System.Span`1");
        ReadOnlySpanOfT = Get("System.ReadOnlySpan`1");
        Timer = Get("System.Threading.Timer");
        ITimer = Get("System.Threading.ITimer");
        DbDataReader = Get("System.Data.Common.DbDataReader");
        IsTestProject = Get("Xunit.Assert") is not null || Get("NUnit.Framework.Assert") is not null
                        || Get("Microsoft.VisualStudio.TestTools.UnitTesting.Assert") is not null;
        CancellationTokenRegistration = Get("System.Threading.CancellationTokenRegistration");
        ServiceProviderServiceExtensions = Get("Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions");
        IServiceScopeFactory = Get("Microsoft.Extensions.DependencyInjection.IServiceScopeFactory");
    }

    public Compilation Compilation { get; }

    public INamedTypeSymbol? Task { get; }
    public INamedTypeSymbol? TaskOfT { get; }
    public INamedTypeSymbol? ValueTask { get; }
    public INamedTypeSymbol? ValueTaskOfT { get; }
    public INamedTypeSymbol? TaskFactory { get; }
    public INamedTypeSymbol? TaskFactoryOfT { get; }
    public INamedTypeSymbol? TaskStatus { get; }
    public INamedTypeSymbol? ConfiguredTaskAwaitable { get; }
    public INamedTypeSymbol? ConfiguredTaskAwaitableOfT { get; }
    public INamedTypeSymbol? ConfiguredValueTaskAwaitable { get; }
    public INamedTypeSymbol? ConfiguredValueTaskAwaitableOfT { get; }
    public INamedTypeSymbol? CancellationToken { get; }
    public INamedTypeSymbol? Thread { get; }
    public INamedTypeSymbol? SemaphoreSlim { get; }
    public INamedTypeSymbol? TimeSpan { get; }
    public INamedTypeSymbol? Enumerable { get; }
    public INamedTypeSymbol? MemoryStream { get; }
    public INamedTypeSymbol? UnmanagedMemoryStream { get; }
    public INamedTypeSymbol? StringReader { get; }
    public INamedTypeSymbol? StringWriter { get; }
    public INamedTypeSymbol? Console { get; }
    public INamedTypeSymbol? Stream { get; }
    public INamedTypeSymbol? TextReader { get; }
    public INamedTypeSymbol? TextWriter { get; }
    public INamedTypeSymbol? IDisposable { get; }
    public INamedTypeSymbol? IAsyncDisposable { get; }
    public INamedTypeSymbol? CancellationTokenSource { get; }
    public INamedTypeSymbol? Parallel { get; }
    public INamedTypeSymbol? Interlocked { get; }
    public INamedTypeSymbol? Monitor { get; }
    public INamedTypeSymbol? Math { get; }
    public INamedTypeSymbol? MathF { get; }
    public INamedTypeSymbol? IEnumerableOfT { get; }
    public INamedTypeSymbol? ListOfT { get; }
    public INamedTypeSymbol? ICollectionOfT { get; }
    public INamedTypeSymbol? ExpressionOfT { get; }
    public INamedTypeSymbol? ObsoleteAttribute { get; }
    public INamedTypeSymbol? XmlReader { get; }
    public INamedTypeSymbol? XmlWriter { get; }
    public INamedTypeSymbol? Lock { get; }
    public INamedTypeSymbol? ReaderWriterLockSlim { get; }
    public INamedTypeSymbol? Mutex { get; }
    public INamedTypeSymbol? ThreadPool { get; }
    public INamedTypeSymbol? ParallelEnumerable { get; }
    public INamedTypeSymbol? MethodImplAttribute { get; }
    public INamedTypeSymbol? Partitioner { get; }
    public INamedTypeSymbol? Vector { get; }
    public INamedTypeSymbol? VectorOfT { get; }

    /// <summary>System.Numerics.Tensors.TensorPrimitives: present only when the System.Numerics.Tensors package is referenced.</summary>
    public INamedTypeSymbol? TensorPrimitives { get; }
    public INamedTypeSymbol? SpanOfT { get; }
    public INamedTypeSymbol? ReadOnlySpanOfT { get; }
    public INamedTypeSymbol? Timer { get; }
    public INamedTypeSymbol? ITimer { get; }
    public INamedTypeSymbol? DbDataReader { get; }

    /// <summary>The compilation references xUnit, NUnit or MSTest (their <c>Assert</c> type): a test project.</summary>
    public bool IsTestProject { get; }
    public INamedTypeSymbol? CancellationTokenRegistration { get; }

    /// <summary>Microsoft.Extensions.DependencyInjection's <c>CreateScope</c>/<c>CreateAsyncScope</c> extensions: present only when DI is referenced.</summary>
    public INamedTypeSymbol? ServiceProviderServiceExtensions { get; }
    public INamedTypeSymbol? IServiceScopeFactory { get; }

    /// <summary>True when the generic TensorPrimitives API (System.Numerics.Tensors 9.0 or later) is available: <c>Sum&lt;T&gt;</c> exists.</summary>
    public bool HasGenericTensorPrimitives
    {
        get
        {
            if (TensorPrimitives is null)
            {
                return false;
            }

            foreach (var member in TensorPrimitives.GetMembers("Sum"))
            {
                if (member is IMethodSymbol { IsGenericMethod: true })
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>True for Task, Task&lt;T&gt;, ValueTask and ValueTask&lt;T&gt; (and types derived from Task).</summary>
    public bool IsTaskLike(ITypeSymbol? type)
    {
        if (type is not INamedTypeSymbol named)
        {
            return false;
        }

        var definition = named.OriginalDefinition;
        if (Is(definition, ValueTask) || Is(definition, ValueTaskOfT))
        {
            return true;
        }

        for (var current = named; current is not null; current = current.BaseType)
        {
            if (Is(current.OriginalDefinition, Task) || Is(current.OriginalDefinition, TaskOfT))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True for the Configured*Awaitable structs returned by ConfigureAwait.</summary>
    public bool IsConfiguredAwaitable(ITypeSymbol? type)
    {
        var definition = type?.OriginalDefinition;
        return Is(definition, ConfiguredTaskAwaitable) || Is(definition, ConfiguredTaskAwaitableOfT)
            || Is(definition, ConfiguredValueTaskAwaitable) || Is(definition, ConfiguredValueTaskAwaitableOfT);
    }

    public bool IsTaskType(ITypeSymbol? type)
    {
        var definition = type?.OriginalDefinition;
        return Is(definition, Task) || Is(definition, TaskOfT);
    }

    public static bool Is(ITypeSymbol? type, ITypeSymbol? expected)
        => type is not null && expected is not null && SymbolEqualityComparer.Default.Equals(type, expected);

    public static bool InheritsFromOrEquals(ITypeSymbol? type, ITypeSymbol? baseType)
    {
        if (baseType is null)
        {
            return false;
        }

        for (var current = type; current is not null; current = current.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(current.OriginalDefinition, baseType))
            {
                return true;
            }
        }

        return false;
    }

#pragma warning disable RS0030 // KnownTypes is where well-known types are resolved (src/BannedSymbols.txt).
    private INamedTypeSymbol? Get(string metadataName) => Compilation.GetTypeByMetadataName(metadataName);
#pragma warning restore RS0030
}
