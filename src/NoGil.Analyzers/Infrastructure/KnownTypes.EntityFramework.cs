namespace NoGil.Analyzers.Infrastructure;

/// <summary>EF Core's query types, resolved on first use: only a call that may have an EF Core twin needs them.</summary>
public sealed partial class KnownTypes
{
    private EntityFrameworkTypes? _entityFramework;

    /// <summary>EF Core's query types (members null when EF Core is not referenced).</summary>
    public EntityFrameworkTypes EntityFramework
        => _entityFramework ??= new EntityFrameworkTypes(
            Get("Microsoft.EntityFrameworkCore.DbSet`1"),
            Get("Microsoft.EntityFrameworkCore.Query.IIncludableQueryable`2"),
            Get("Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions"),
            Get("Microsoft.EntityFrameworkCore.DbContext"),
            Get("Microsoft.EntityFrameworkCore.IDbContextFactory`1"),
            Get("System.Linq.IQueryable`1"),
            Get("System.Linq.Queryable"));
}

/// <summary>The EF Core types NOGIL202 reads to tell an EF Core query from LINQ to Objects.</summary>
public sealed class EntityFrameworkTypes(
    INamedTypeSymbol? dbSetOfT,
    INamedTypeSymbol? includableQueryable,
    INamedTypeSymbol? queryableExtensions,
    INamedTypeSymbol? dbContext,
    INamedTypeSymbol? dbContextFactory,
    INamedTypeSymbol? queryableOfT,
    INamedTypeSymbol? queryable)
{
    public INamedTypeSymbol? DbSetOfT { get; } = dbSetOfT;

    /// <summary><c>IIncludableQueryable&lt;TEntity, TProperty&gt;</c>, what <c>Include</c> returns.</summary>
    public INamedTypeSymbol? IncludableQueryable { get; } = includableQueryable;

    /// <summary><c>EntityFrameworkQueryableExtensions</c>: <c>ToListAsync</c>, <c>FirstAsync</c>, <c>LoadAsync</c>, ….</summary>
    public INamedTypeSymbol? QueryableExtensions { get; } = queryableExtensions;

    public INamedTypeSymbol? DbContext { get; } = dbContext;

    /// <summary><c>IDbContextFactory&lt;TContext&gt;</c>.</summary>
    public INamedTypeSymbol? DbContextFactory { get; } = dbContextFactory;

    /// <summary><c>System.Linq.IQueryable&lt;T&gt;</c>.</summary>
    public INamedTypeSymbol? QueryableOfT { get; } = queryableOfT;

    /// <summary><c>System.Linq.Queryable</c>.</summary>
    public INamedTypeSymbol? Queryable { get; } = queryable;

    public bool IsAvailable => QueryableExtensions is not null && QueryableOfT is not null;
}
