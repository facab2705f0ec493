namespace NoGil.Analyzers.Analysis.Blocking;

/// <summary>What a synchronous <c>using</c> in async code disposes, and so which fix it gets.</summary>
public enum SyncDisposalKind
{
    /// <summary>A resource whose static type is <see cref="IAsyncDisposable"/>: <c>using</c> becomes <c>await using</c>.</summary>
    AsyncDisposable,

    /// <summary>
    /// A dependency-injection scope from <c>CreateScope()</c>: it becomes <c>await using … CreateAsyncScope()</c>, whose
    /// <c>DisposeAsync</c> disposes the scoped services asynchronously (a sync <c>Dispose</c> throws for a service that
    /// is only <see cref="IAsyncDisposable"/>).
    /// </summary>
    ServiceScope,
}

/// <summary>
/// NOGIL205: a synchronous <c>using</c> statement or declaration in an async function whose resource can be disposed
/// asynchronously. The analysis decides the fix — <c>await using</c>, with <c>.ConfigureAwait(false)</c> on the resource
/// where the function configures its awaits so and the resource is not read by name afterwards — and the fixer renders it.
/// </summary>
/// <remarks>
/// Not reported: resources whose <c>DisposeAsync</c> does no I/O (<see cref="InMemoryIo"/>), timers and token
/// registrations (their <c>DisposeAsync</c> waits for running callbacks, which <c>Dispose</c> does not — not the same
/// work), resources whose static type is only <see cref="IDisposable"/>, sync functions, and places where <c>await</c>
/// is not allowed (<c>lock</c>, <c>unsafe</c>, query clauses), and dual-mode functions (one body for a library's sync
/// and async API: awaiting the disposal there would make the sync API block on asynchronous work).
/// </remarks>
public sealed class SyncDisposal
{
    private SyncDisposal(SyncDisposalKind kind, ITypeSymbol resourceType, bool fixable, bool configureAwaitFalse)
    {
        Kind = kind;
        ResourceType = resourceType;
        Fixable = fixable;
        ConfigureAwaitFalse = configureAwaitFalse;
    }

    public SyncDisposalKind Kind { get; }

    /// <summary>The resource's static type (<c>FileStream</c>, <c>IServiceScope</c>).</summary>
    public ITypeSymbol ResourceType { get; }

    /// <summary>False when <c>await using</c> cannot be written here (C# before 8).</summary>
    public bool Fixable { get; }

    /// <summary>True when the fix writes <c>.ConfigureAwait(false)</c> on the resource.</summary>
    public bool ConfigureAwaitFalse { get; }

    public FixKind FixKind => Kind == SyncDisposalKind.ServiceScope ? FixKind.AwaitUsingAsyncScope : FixKind.AwaitUsing;

    public ImmutableDictionary<string, string?> ToProperties()
        => DiagnosticProperties.Create(
            Fixable ? FixKind : null,
            (DiagnosticProperties.ConfigureAwaitFalseKey, ConfigureAwaitFalse ? "true" : null));

    /// <summary>
    /// Recognizes a synchronous <see cref="IUsingOperation"/> or <see cref="IUsingDeclarationOperation"/> in an async
    /// function that disposes an asynchronously disposable resource, or returns null.
    /// </summary>
    public static SyncDisposal? TryCreate(IOperation operation, KnownTypes types, ISymbol? owningSymbol, CancellationToken cancellationToken)
    {
        var (resources, statement) = operation switch
        {
            IUsingOperation { IsAsynchronous: false } usingStatement => (usingStatement.Resources, usingStatement.Syntax as StatementSyntax),
            IUsingDeclarationOperation { IsAsynchronous: false } declaration =>
                ((IOperation)declaration.DeclarationGroup, declaration.Syntax.FirstAncestorOrSelf<LocalDeclarationStatementSyntax>()),
            _ => (null, null),
        };

        if (resources is null || statement is null || types.IAsyncDisposable is null
            || AsyncTwinCall.EnclosingFunction(operation, owningSymbol, cancellationToken) is not { IsAsync: true }
            || AwaitSyntax.IsAwaitForbiddenAt(statement))
        {
            return null;
        }

        var values = ResourceValues(resources);
        if (values.IsEmpty)
        {
            return null;
        }

        SyncDisposalKind kind;
        ITypeSymbol resourceType;
        if (values.Length == 1 && IsServiceScopeCreation(values[0].Value, types, operation.SemanticModel))
        {
            kind = SyncDisposalKind.ServiceScope;
            resourceType = values[0].Type;
        }
        else if (values.All(v => IsAsyncDisposableWithIo(v.Type, v.Value, types)))
        {
            kind = SyncDisposalKind.AsyncDisposable;
            resourceType = values[0].Type;
        }
        else
        {
            return null;
        }

        if (AsyncTwinCall.IsInDualModeFunction(operation, cancellationToken))
        {
            // In a dual-mode function (one body for the sync and the async API) the synchronous dispose is the sync mode's.
            return null;
        }

        var fixable = ((CSharpParseOptions)statement.SyntaxTree.Options).LanguageVersion >= LanguageVersion.CSharp8;
        var configureAwait = fixable && CanConfigureAwait(statement, values, types, operation.SemanticModel, cancellationToken);
        return new SyncDisposal(kind, resourceType, fixable, configureAwait);
    }

    /// <summary>Each disposed value with its static type: the declared locals (and their initializers), or the expression.</summary>
    private static ImmutableArray<(ITypeSymbol Type, IOperation? Value, ILocalSymbol? Local)> ResourceValues(IOperation resources)
    {
        var builder = ImmutableArray.CreateBuilder<(ITypeSymbol, IOperation?, ILocalSymbol?)>();
        if (resources is IVariableDeclarationGroupOperation group)
        {
            foreach (var declarator in group.Declarations.SelectMany(d => d.Declarators))
            {
                if (declarator.Symbol.Type is not { } type)
                {
                    return ImmutableArray<(ITypeSymbol, IOperation?, ILocalSymbol?)>.Empty;
                }

                builder.Add((type, declarator.GetVariableInitializer()?.Value, declarator.Symbol));
            }
        }
        else if (resources.Type is { } type)
        {
            builder.Add((type, resources, null));
        }

        return builder.ToImmutable();
    }

    /// <summary>
    /// The static type is <see cref="IAsyncDisposable"/> and its asynchronous disposal is worth an await: not an in-memory
    /// type (neither declared nor created as one), not a timer or token registration.
    /// </summary>
    private static bool IsAsyncDisposableWithIo(ITypeSymbol type, IOperation? value, KnownTypes types)
    {
        if (!ImplementsAsyncDisposable(type, types)
            || InMemoryIo.IsInMemoryType(type, types)
            || InMemoryIo.IsOverMemory(value, types)
            || AsyncTwinCall.IsSynchronousProvider(type)
            || InheritsSynchronousDisposeAsync(type, value))
        {
            return false;
        }

        // Timer/ITimer.DisposeAsync waits for callbacks in flight, which Dispose() does not: different work, not a twin.
        // CancellationTokenRegistration's waits only for a callback that is running right now: no I/O.
        return !KnownTypes.InheritsFromOrEquals(type, types.Timer)
               && !KnownTypes.Is(type, types.ITimer)
               && !(types.ITimer is not null && type.AllInterfaces.Any(i => KnownTypes.Is(i, types.ITimer)))
               && !KnownTypes.Is(type, types.CancellationTokenRegistration);
    }

    /// <summary>
    /// A type derived from <c>Stream</c>, <c>TextWriter</c> or an ADO.NET base class (<c>DbConnection</c>, <c>DbCommand</c>,
    /// <c>DbDataReader</c>, <c>DbTransaction</c>, <c>DbBatch</c>) that does not override <c>DisposeAsync</c>: the base
    /// implementation calls <c>Dispose()</c> synchronously and returns a completed task, so awaiting it gains nothing.
    /// For a stream or writer this holds only when the object's own type is known — created right there, or a sealed
    /// type — since a factory may return a subclass that overrides it; an ADO.NET provider overrides it in the
    /// provider's own class, which the static type shows. The base types themselves are reported (a <c>FileStream</c>
    /// behind a <c>Stream</c> does I/O when disposed).
    /// </summary>
    private static bool InheritsSynchronousDisposeAsync(ITypeSymbol type, IOperation? value)
    {
        if (NearestDisposeAsync(type) is not { IsAbstract: false } disposeAsync
            || SymbolEqualityComparer.Default.Equals(disposeAsync.ContainingType, type.OriginalDefinition))
        {
            return false;
        }

        var exactTypeKnown = type.IsSealed || value?.UnwrapAllConversions() is IObjectCreationOperation;
        return SynchronouslyDisposingBase(disposeAsync.ContainingType) switch
        {
            BaseKind.AdoNet => true,
            BaseKind.StreamOrWriter => exactTypeKnown,
            _ => false,
        };
    }

    /// <summary>The parameterless instance <c>DisposeAsync()</c> the type declares, or else its nearest base type; null when none.</summary>
    private static IMethodSymbol? NearestDisposeAsync(ITypeSymbol type)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            foreach (var member in current.GetMembers("DisposeAsync"))
            {
                if (member is IMethodSymbol { IsStatic: false, Parameters.Length: 0, TypeParameters.Length: 0 } method)
                {
                    return method;
                }
            }
        }

        return null;
    }

    private static BaseKind SynchronouslyDisposingBase(INamedTypeSymbol type)
        => type.ContainingNamespace?.ToDisplayString() switch
        {
            "System.IO" when type.Name is "Stream" or "TextWriter" => BaseKind.StreamOrWriter,
            "System.Data.Common" when type.Name is "DbConnection" or "DbCommand" or "DbDataReader" or "DbTransaction" or "DbBatch" => BaseKind.AdoNet,
            _ => BaseKind.None,
        };

    private enum BaseKind
    {
        None,
        StreamOrWriter,
        AdoNet,
    }

    private static bool ImplementsAsyncDisposable(ITypeSymbol type, KnownTypes types)
    {
        if (KnownTypes.Is(type, types.IAsyncDisposable) || type.AllInterfaces.Any(i => KnownTypes.Is(i, types.IAsyncDisposable)))
        {
            return true;
        }

        return type is ITypeParameterSymbol parameter ? parameter.ConstraintTypes.Any(c => ImplementsAsyncDisposable(c, types)) : HasDisposeAsyncPattern(type);
    }

    /// <summary>
    /// <c>await using</c> is pattern-based: a class or struct with an accessible parameterless <c>DisposeAsync()</c> whose
    /// result is awaitable (<c>ValueTask</c>, <c>Task</c>) is asynchronously disposable without naming the interface.
    /// </summary>
    private static bool HasDisposeAsyncPattern(ITypeSymbol type)
        => type.TypeKind is TypeKind.Class or TypeKind.Struct
           && NearestDisposeAsync(type) is { ReturnType: { } returned } method
           && (method.DeclaredAccessibility == Accessibility.Public || (method.DeclaredAccessibility == Accessibility.Internal && method.Locations.Any(l => l.IsInSource)))
           && returned.GetMembers("GetAwaiter").Any(static m => m is IMethodSymbol { Parameters.Length: 0, IsStatic: false });

    /// <summary>
    /// <c>provider.CreateScope()</c> or <c>scopeFactory.CreateScope()</c> of Microsoft.Extensions.DependencyInjection,
    /// written as a plain call whose <c>CreateAsyncScope</c> counterpart binds here (DI 6.0 and later).
    /// </summary>
    private static bool IsServiceScopeCreation(IOperation? value, KnownTypes types, SemanticModel? model)
    {
        if (model is null || types.ServiceProviderServiceExtensions is not { } extensions
            || value?.UnwrapConversions() is not IInvocationOperation { TargetMethod.Name: "CreateScope" } invocation
            || invocation.Syntax is not InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax or IdentifierNameSyntax } syntax)
        {
            return false;
        }

        var method = invocation.TargetMethod.ReducedFrom ?? invocation.TargetMethod;
        var onExtensions = KnownTypes.Is(method.ContainingType, extensions);
        var onFactory = KnownTypes.Is(method.ContainingType, types.IServiceScopeFactory);
        if (!onExtensions && !onFactory)
        {
            return false;
        }

        // The receiver: the instance of IServiceScopeFactory.CreateScope(), the this-argument of the extension.
        var receiverType = onFactory ? invocation.Instance?.Type : invocation.Arguments.FirstOrDefault()?.Value.UnwrapConversions().Type;
        if (receiverType is null)
        {
            return false;
        }

        if (invocation.TargetMethod.ReducedFrom is null && onExtensions)
        {
            // ServiceProviderServiceExtensions.CreateScope(provider): the same class has CreateAsyncScope for that argument.
            return extensions.GetMembers("CreateAsyncScope").OfType<IMethodSymbol>()
                .Any(m => m.Parameters.Length == 1 && KnownTypes.Is(m.Parameters[0].Type, method.Parameters[0].Type));
        }

        var lookupType = onExtensions ? method.Parameters[0].Type : receiverType;
        return model.LookupSymbols(syntax.SpanStart, lookupType, "CreateAsyncScope", includeReducedExtensionMethods: true)
            .OfType<IMethodSymbol>()
            .Any(m => m.Parameters.IsEmpty && KnownTypes.Is((m.ReducedFrom ?? m).ContainingType, extensions));
    }

    /// <summary>
    /// True when the fix adds <c>.ConfigureAwait(false)</c>: the function awaits with <c>ConfigureAwait(false)</c>, the
    /// extension binds here, and the resource is an expression or one local that is not read by name afterwards (its
    /// type becomes <c>ConfiguredAsyncDisposable</c>).
    /// </summary>
    private static bool CanConfigureAwait(
        StatementSyntax statement,
        ImmutableArray<(ITypeSymbol Type, IOperation? Value, ILocalSymbol? Local)> values,
        KnownTypes types,
        SemanticModel? model,
        CancellationToken cancellationToken)
    {
        if (model is null || values.Length != 1 || values[0].Value is null
            || AwaitSyntax.EnclosingFunction(statement) is not { } function
            || !AwaitConvention.ConfiguresAwaitFalse(statement))
        {
            return false;
        }

        if (values[0].Local is { } local
            && function.DescendantNodes().OfType<IdentifierNameSyntax>().Any(n => n.Identifier.ValueText == local.Name
                && SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(n, cancellationToken).Symbol, local)))
        {
            return false;
        }

        return model.LookupSymbols(statement.SpanStart, types.IAsyncDisposable, "ConfigureAwait", includeReducedExtensionMethods: true)
            .OfType<IMethodSymbol>()
            .Any(m => m.Parameters.Length == 1 && m.Parameters[0].Type.SpecialType == SpecialType.System_Boolean);
    }
}
