namespace NoGil.Analyzers.Analysis.Blocking;

/// <summary>
/// Extension-method twins and EF Core queries: <c>query.ToList()</c> has the twin <c>query.ToListAsync()</c> only when
/// the query runs on EF Core — on LINQ to Objects (<c>list.AsQueryable()</c>) EF Core's async operators throw.
/// </summary>
public sealed partial class AsyncTwinCall
{
    /// <summary>How many operations a query is followed back through (operators, locals) before the rule gives up and stays quiet.</summary>
    private const int MaxQueryDepth = 64;

    /// <summary>The receiver of the call: the instance, or the first argument of an extension method.</summary>
    private static IOperation? Receiver(IInvocationOperation invocation)
        => invocation.Instance ?? (invocation.TargetMethod.IsExtensionMethod ? FirstArgument(invocation)?.Value : null);

    private static IArgumentOperation? FirstArgument(IInvocationOperation invocation)
        => invocation.Arguments.FirstOrDefault(a => a.Parameter?.Ordinal == 0);

    /// <summary>
    /// EF Core's <c>EntityFrameworkQueryableExtensions</c> for a LINQ operator (<c>Enumerable</c>, <c>Queryable</c>) or one
    /// of EF Core's own synchronous operators (<c>Load</c>); null otherwise or when EF Core is not referenced.
    /// </summary>
    private static INamedTypeSymbol? QueryOperatorTwinTypes(IMethodSymbol method, KnownTypes types)
    {
        var ef = types.EntityFramework;
        if (!ef.IsAvailable || KnownTypes.Is(method.ContainingType, ef.QueryableExtensions))
        {
            return null;
        }

        return KnownTypes.Is(method.ContainingType, types.Enumerable) || KnownTypes.Is(method.ContainingType, ef.Queryable)
            ? ef.QueryableExtensions
            : null;
    }

    /// <summary>A twin among EF Core's query operators is a twin only when the call's source is an EF Core query.</summary>
    private static bool HasQueryProviderFor(IMethodSymbol twin, IInvocationOperation invocation, KnownTypes types, CancellationToken cancellationToken)
    {
        var ef = types.EntityFramework;
        if (!twin.IsExtensionMethod || !ef.IsAvailable || !KnownTypes.Is(twin.ContainingType, ef.QueryableExtensions))
        {
            return true;
        }

        return FirstArgument(invocation)?.Value is { } source && IsEntityFrameworkQuery(source, ef, new QueryWalk(cancellationToken));
    }

    /// <summary>
    /// The value is a query whose provider is EF Core: a <c>DbSet&lt;T&gt;</c> (or a type derived from it), an
    /// <c>IIncludableQueryable</c>, a query operator (an extension method returning <c>IQueryable&lt;T&gt;</c>) applied to
    /// such a query, or a local every assignment of which is one. A parameter or field typed <c>IQueryable&lt;T&gt;</c>
    /// may hold any provider and is not one.
    /// </summary>
    private static bool IsEntityFrameworkQuery(IOperation value, EntityFrameworkTypes ef, QueryWalk walk)
    {
        walk.CancellationToken.ThrowIfCancellationRequested();
        value = value.UnwrapBuiltInConversions();
        if (++walk.Steps > MaxQueryDepth || value.Type is not { } type)
        {
            return false;
        }

        if (KnownTypes.InheritsFromOrEquals(type, ef.DbSetOfT)
            || KnownTypes.Is(type.OriginalDefinition, ef.IncludableQueryable)
            || type.AllInterfaces.Any(i => KnownTypes.Is(i.OriginalDefinition, ef.IncludableQueryable)))
        {
            return true;
        }

        return value switch
        {
            IInvocationOperation { TargetMethod.IsExtensionMethod: true } call when IsQueryable(call.TargetMethod.ReturnType, ef)
                => FirstArgument(call)?.Value is { } source && IsEntityFrameworkQuery(source, ef, walk),
            ITranslatedQueryOperation query => IsEntityFrameworkQuery(query.Operation, ef, walk),
            ILocalReferenceOperation local => walk.Locals.Contains(local.Local) || LocalHoldsEntityFrameworkQuery(local, ef, walk),
            _ => false,
        };
    }

    private static bool IsQueryable(ITypeSymbol type, EntityFrameworkTypes ef)
        => KnownTypes.Is(type.OriginalDefinition, ef.QueryableOfT) || type.AllInterfaces.Any(i => KnownTypes.Is(i.OriginalDefinition, ef.QueryableOfT));

    /// <summary>
    /// Every value the local is given in its member (its initializer and each simple assignment) is an EF Core query; a
    /// local also set another way (compound assignment, by reference, deconstruction, <c>foreach</c>, pattern) is not.
    /// </summary>
    private static bool LocalHoldsEntityFrameworkQuery(ILocalReferenceOperation reference, EntityFrameworkTypes ef, QueryWalk walk)
    {
        // While this local is being read, a value built from it (`q = q.Where(…)`) is as much a query as its other values.
        walk.Locals.Add(reference.Local);
        var root = (IOperation)reference;
        while (root.Parent is not null)
        {
            root = root.Parent;
        }

        var local = reference.Local;
        var values = 0;
        foreach (var operation in root.Descendants())
        {
            walk.CancellationToken.ThrowIfCancellationRequested();
            IOperation? assigned = operation switch
            {
                IVariableDeclaratorOperation declarator when SymbolEqualityComparer.Default.Equals(declarator.Symbol, local)
                    => declarator.GetVariableInitializer()?.Value,
                IForEachLoopOperation loop when loop.Locals.Contains(local, SymbolEqualityComparer.Default) => root,
                IDeclarationPatternOperation pattern when SymbolEqualityComparer.Default.Equals(pattern.DeclaredSymbol, local) => root,
                IAssignmentOperation { Target: ILocalReferenceOperation target } assignment when SymbolEqualityComparer.Default.Equals(target.Local, local)
                    => assignment is ISimpleAssignmentOperation ? assignment.Value : root,
                ILocalReferenceOperation { Parent: IArgumentOperation { Parameter.RefKind: not RefKind.None } or ITupleOperation } other
                    when SymbolEqualityComparer.Default.Equals(other.Local, local)
                    => root,
                _ => null,
            };

            if (assigned is null)
            {
                continue;
            }

            if (assigned == root || !IsEntityFrameworkQuery(assigned, ef, walk))
            {
                return false;
            }

            values++;
        }

        return values > 0;
    }

    /// <summary>One search for a query's provider: the locals being read and a step budget.</summary>
    private sealed class QueryWalk(CancellationToken cancellationToken)
    {
        public CancellationToken CancellationToken { get; } = cancellationToken;

        public HashSet<ILocalSymbol> Locals { get; } = new(SymbolEqualityComparer.Default);

        public int Steps { get; set; }
    }
}
