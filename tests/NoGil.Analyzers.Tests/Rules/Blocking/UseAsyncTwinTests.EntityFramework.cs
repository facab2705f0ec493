using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using NoGil.Analyzers.Tests.Infrastructure;
using Xunit;
using Verify = NoGil.Analyzers.Tests.Infrastructure.CodeFixVerifier<
    NoGil.Analyzers.Rules.Blocking.UseAsyncTwinAnalyzer,
    NoGil.CodeFixes.Rules.Blocking.UseAsyncTwinFixer>;

namespace NoGil.Analyzers.Tests.Rules.Blocking;

/// <summary>EF Core: extension-method twins, and query operators only on queries EF Core runs.</summary>
public sealed partial class UseAsyncTwinTests
{
    private const string Model = """
        using System.Collections.Generic;
        using Microsoft.EntityFrameworkCore;
        public class Blog { public int Id { get; set; } public int Rank { get; set; } public List<Post> Posts { get; } = new(); }
        public class Post { public int Id { get; set; } }
        public class BloggingContext : DbContext
        {
            public DbSet<Blog> Blogs => Set<Blog>();
        }
        """;

    [Fact]
    public Task EfCore_MigrateAndSaveChanges_BecomeAsync()
        => VerifyWithEntityFrameworkAsync("""
            using System.Threading;
            using System.Threading.Tasks;
            using Microsoft.EntityFrameworkCore;
            class Startup
            {
                async Task InitializeAsync(BloggingContext context, CancellationToken ct)
                {
                    [|context.Database.Migrate()|];
                    [|context.Database.EnsureCreated()|];
                    [|context.SaveChanges()|];
                    var saved = [|context.SaveChanges(acceptAllChangesOnSuccess: true)|];
                    await Task.Yield();
                }
            }
            """, """
            using System.Threading;
            using System.Threading.Tasks;
            using Microsoft.EntityFrameworkCore;
            class Startup
            {
                async Task InitializeAsync(BloggingContext context, CancellationToken ct)
                {
                    await context.Database.MigrateAsync(ct);
                    await context.Database.EnsureCreatedAsync(ct);
                    await context.SaveChangesAsync(ct);
                    var saved = await context.SaveChangesAsync(acceptAllChangesOnSuccess: true, cancellationToken: ct);
                    await Task.Yield();
                }
            }
            """);

    [Fact]
    public Task EfCore_QueryOperatorsOnDbSet_BecomeAsync()
        => VerifyWithEntityFrameworkAsync("""
            using System.Linq;
            using System.Threading;
            using System.Threading.Tasks;
            using Microsoft.EntityFrameworkCore;
            class Repository
            {
                async Task<int> QueryAsync(BloggingContext db, CancellationToken cancellationToken)
                {
                    await Task.Yield();
                    var all = [|db.Blogs.ToList()|];
                    var array = [|db.Blogs.Where(b => b.Rank > 1).OrderBy(b => b.Id).ToArray()|];
                    var first = [|db.Blogs.First(b => b.Id == 1)|];
                    var maybe = [|db.Blogs.AsNoTracking().FirstOrDefault()|];
                    var single = [|db.Blogs.Single(b => b.Id == 2)|];
                    var maybeSingle = [|db.Blogs.SingleOrDefault(b => b.Id == 3)|];
                    var withPosts = [|db.Blogs.Include(b => b.Posts).ToList()|];
                    var byId = [|db.Blogs.ToDictionary(b => b.Id)|];
                    var count = [|db.Blogs.Count()|] + [|db.Blogs.LongCount()|];
                    var any = [|db.Blogs.Any(b => b.Rank == 0)|] && [|db.Blogs.All(b => b.Rank >= 0)|];
                    var min = [|db.Blogs.Min(b => b.Rank)|] + [|db.Blogs.Max(b => b.Rank)|] + [|db.Blogs.Sum(b => b.Rank)|];
                    var average = [|db.Blogs.Average(b => b.Rank)|];
                    var query = db.Blogs.Where(b => b.Rank > min);
                    query = query.OrderBy(b => b.Rank);
                    var ranked = [|query.ToList()|];
                    var fromSyntax = [|(from b in db.Set<Blog>() where b.Id > 0 select b.Id).ToList()|];
                    [|db.Blogs.Where(b => b.Rank > 5).Load()|];
                    return (int)count + ranked.Count + fromSyntax.Count;
                }
            }
            """, """
            using System.Linq;
            using System.Threading;
            using System.Threading.Tasks;
            using Microsoft.EntityFrameworkCore;
            class Repository
            {
                async Task<int> QueryAsync(BloggingContext db, CancellationToken cancellationToken)
                {
                    await Task.Yield();
                    var all = await db.Blogs.ToListAsync(cancellationToken);
                    var array = await db.Blogs.Where(b => b.Rank > 1).OrderBy(b => b.Id).ToArrayAsync(cancellationToken);
                    var first = await db.Blogs.FirstAsync(b => b.Id == 1, cancellationToken);
                    var maybe = await db.Blogs.AsNoTracking().FirstOrDefaultAsync(cancellationToken);
                    var single = await db.Blogs.SingleAsync(b => b.Id == 2, cancellationToken);
                    var maybeSingle = await db.Blogs.SingleOrDefaultAsync(b => b.Id == 3, cancellationToken);
                    var withPosts = await db.Blogs.Include(b => b.Posts).ToListAsync(cancellationToken);
                    var byId = await db.Blogs.ToDictionaryAsync(b => b.Id, cancellationToken);
                    var count = await db.Blogs.CountAsync(cancellationToken) + await db.Blogs.LongCountAsync(cancellationToken);
                    var any = await db.Blogs.AnyAsync(b => b.Rank == 0, cancellationToken) && await db.Blogs.AllAsync(b => b.Rank >= 0, cancellationToken);
                    var min = await db.Blogs.MinAsync(b => b.Rank, cancellationToken) + await db.Blogs.MaxAsync(b => b.Rank, cancellationToken) + await db.Blogs.SumAsync(b => b.Rank, cancellationToken);
                    var average = await db.Blogs.AverageAsync(b => b.Rank, cancellationToken);
                    var query = db.Blogs.Where(b => b.Rank > min);
                    query = query.OrderBy(b => b.Rank);
                    var ranked = await query.ToListAsync(cancellationToken);
                    var fromSyntax = await (from b in db.Set<Blog>() where b.Id > 0 select b.Id).ToListAsync(cancellationToken);
                    await db.Blogs.Where(b => b.Rank > 5).LoadAsync(cancellationToken);
                    return (int)count + ranked.Count + fromSyntax.Count;
                }
            }
            """);

    [Fact]
    public Task EfCore_AsyncOperatorsOnLinqToObjects_AreNotReported()
        => VerifyWithEntityFrameworkAsync("""
            using System.Collections.Generic;
            using System.Linq;
            using System.Threading.Tasks;
            using Microsoft.EntityFrameworkCore;
            class Service
            {
                private IQueryable<Blog> _field = new List<Blog>().AsQueryable();

                async Task<int> RunAsync(BloggingContext db, List<Blog> cached, IQueryable<Blog> anyProvider)
                {
                    await Task.Yield();
                    var inMemory = cached.AsQueryable().Where(b => b.Rank > 0).ToList();
                    var first = cached.AsQueryable().First();
                    var count = anyProvider.Count() + _field.Count();
                    var clientSide = db.Blogs.AsEnumerable().Where(b => b.Rank > 0).ToList();
                    var local = cached.AsQueryable();
                    var fromLocal = local.ToList();
                    var mixed = db.Blogs.Where(b => b.Rank > 0);
                    mixed = cached.AsQueryable();
                    var fromMixed = mixed.ToList();
                    var list = cached.ToList();
                    return inMemory.Count + first.Id + count + clientSide.Count + fromLocal.Count + fromMixed.Count + list.Count;
                }
            }
            """);

    [Fact]
    public Task EfCore_AddAndCreateDbContext_AreNotReported()
        => VerifyWithEntityFrameworkAsync("""
            using System.Threading.Tasks;
            using Microsoft.EntityFrameworkCore;
            class Service
            {
                async Task RunAsync(IDbContextFactory<BloggingContext> factory, Blog blog)
                {
                    await Task.Yield();
                    using var db = factory.CreateDbContext();
                    db.Add(blog);
                    db.AddRange(blog);
                    db.Blogs.Add(blog);
                    db.Blogs.AddRange(blog);
                }
            }
            """);

    [Fact]
    public Task EfCore_SyncBranchOfDualModeQuery_IsNotReported()
        => VerifyWithEntityFrameworkAsync("""
            using System.Collections.Generic;
            using System.Linq;
            using System.Threading.Tasks;
            using Microsoft.EntityFrameworkCore;
            class Service
            {
                async Task<List<Blog>> LoadAsync(BloggingContext db, bool isAsync)
                    => isAsync ? await db.Blogs.ToListAsync() : db.Blogs.ToList();
            }
            """);

    [Fact]
    public Task EfCore_StaticFormOrNamespaceNotImported_IsReportedWithoutFix()
        => VerifyWithEntityFrameworkNoFixAsync("""
            using System.Linq;
            using System.Threading.Tasks;
            class Service
            {
                async Task<int> RunAsync(BloggingContext db)
                {
                    await Task.Yield();
                    var blogs = [|Enumerable.ToList(db.Blogs)|];
                    return blogs.Count + [|db.Blogs.Count()|];
                }
            }
            """);

    /// <summary>The diagnostics are reported and no fix is offered (the fixed code equals the source).</summary>
    private static Task VerifyWithEntityFrameworkNoFixAsync(string source) => VerifyWithEntityFrameworkAsync(source, source);

    /// <summary>EF Core 8 runs on .NET 8 and later: each case is checked against the .NET 8 and the .NET 10 reference assemblies.</summary>
    private static async Task VerifyWithEntityFrameworkAsync(string source, string? fixedSource = null)
    {
        foreach (var framework in new[] { TestReferences.Net80, TestReferences.Net100 })
        {
            var test = new Verify.Test { TestCode = source, ReferenceAssemblies = framework };
            test.TestState.Sources.Add(("Model.cs", Model));
            test.TestState.AdditionalReferences.AddRange(EntityFrameworkReferences.All);
            if (fixedSource is not null)
            {
                test.FixedState.Sources.Add(("/0/Test0.cs", fixedSource));
                test.FixedState.Sources.Add(("Model.cs", Model));
                test.FixedState.AdditionalReferences.AddRange(EntityFrameworkReferences.All);
            }

            await test.RunAsync(CancellationToken.None);
        }
    }
}
