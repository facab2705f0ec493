using System.Runtime.CompilerServices;

namespace NoGil.Analyzers.Analysis.Blocking;

/// <summary>
/// Synchronous calls that are deliberate, and "twins" that are not asynchronous: when <see cref="AsyncTwinCall"/> stays
/// quiet although a method named <c>MAsync</c> exists.
/// </summary>
public sealed partial class AsyncTwinCall
{
    /// <summary>Per member body: the methods its invocations call (original definitions), read once however many calls it makes.</summary>
    private static readonly ConditionalWeakTable<IOperation, HashSet<IMethodSymbol>> CalledMethodsByBody = new();

    /// <summary>
    /// Methods whose async twin must not replace them: <c>Add</c>/<c>AddRange</c> of EF Core's <c>DbContext</c> and
    /// <c>DbSet&lt;T&gt;</c> (their <c>AddAsync</c> exists only for special value generators and does no I/O otherwise),
    /// <c>IDbContextFactory&lt;T&gt;.CreateDbContext</c> (same); and a <c>DbDataReader</c>'s accessors of the current row,
    /// <c>IsDBNull</c>, <c>GetFieldValue&lt;T&gt;</c>, and <c>GetColumnSchema</c>: once <c>Read</c>/<c>ReadAsync</c> returned, the row
    /// and the schema are in memory (the async twins exist for <c>CommandBehavior.SequentialAccess</c> streaming of
    /// large values, and the base class implements them as completed tasks).
    /// </summary>
    private static bool IsNotATwinByDesign(IMethodSymbol method, KnownTypes types)
    {
        if (method.Name is "IsDBNull" or "GetFieldValue" or "GetColumnSchema")
        {
            var definition = method.ReducedFrom ?? method;
            var receiver = definition.IsExtensionMethod && definition.Parameters.Length > 0 ? definition.Parameters[0].Type : method.ContainingType;
            return KnownTypes.InheritsFromOrEquals(receiver.OriginalDefinition, types.DbDataReader);
        }

        if (method.Name is not ("Add" or "AddRange" or "CreateDbContext"))
        {
            return false;
        }

        var ef = types.EntityFramework;
        var type = method.ContainingType.OriginalDefinition;
        return KnownTypes.InheritsFromOrEquals(type, ef.DbContext)
               || KnownTypes.InheritsFromOrEquals(type, ef.DbSetOfT)
               || KnownTypes.Is(type, ef.DbContextFactory)
               || type.AllInterfaces.Any(i => KnownTypes.Is(i.OriginalDefinition, ef.DbContextFactory));
    }

    /// <summary>
    /// Providers whose async methods run synchronously: Microsoft.Data.Sqlite (SQLite has no asynchronous I/O; its
    /// <c>…Async</c> methods call the synchronous ones and return a completed task). Awaiting them gains nothing.
    /// </summary>
    public static bool IsSynchronousProvider(ITypeSymbol type)
        => type.ContainingNamespace is { Name: "Sqlite", ContainingNamespace: { Name: "Data", ContainingNamespace: { Name: "Microsoft", ContainingNamespace.IsGlobalNamespace: true } } };

    /// <summary>
    /// <c>FooSync</c> next to a <c>FooAsync</c>: "Sync" names the mode, and <c>FooSyncAsync</c> (a helper that runs the sync
    /// variant, then the async one) is not its twin. <c>Sync()</c>/<c>SyncAsync()</c> (synchronize) stay a pair.
    /// </summary>
    private static bool IsSyncModeSuffix(IInvocationOperation invocation, KnownTypes types)
    {
        var name = invocation.TargetMethod.Name;
        const string Suffix = "Sync";
        return name.Length > Suffix.Length
               && name.EndsWith(Suffix, StringComparison.Ordinal)
               && Candidates(invocation, name.Substring(0, name.Length - Suffix.Length) + "Async", types).Count > 0;
    }

    /// <summary>
    /// A twin declared in source whose body calls a method named like the blocking one and awaits nothing
    /// (<c>FooAsync() =&gt; Task.Run(() =&gt; Foo())</c>, <c>{ Foo(); return Task.CompletedTask; }</c>): it runs the same
    /// blocking work, so it is not an asynchronous twin. A twin that awaits real work and falls back to the original on
    /// some path is a twin. Read from the syntax — the twin may live in another file.
    /// </summary>
    private static bool IsForwardingWrapper(IMethodSymbol twin, IMethodSymbol method)
    {
        foreach (var reference in twin.OriginalDefinition.DeclaringSyntaxReferences)
        {
            var body = SyntaxShapes.BodyOf(reference.GetSyntax());

            if (body is not null
                && !body.DescendantNodes().Any(n => n is AwaitExpressionSyntax)
                && body.DescendantNodes().OfType<InvocationExpressionSyntax>().Any(call => CalleeName(call.Expression) == method.Name))
            {
                return true;
            }
        }

        return false;
    }

    private static string? CalleeName(ExpressionSyntax callee)
        => callee switch
        {
            SimpleNameSyntax name => name.Identifier.ValueText,
            MemberAccessExpressionSyntax access => access.Name.Identifier.ValueText,
            MemberBindingExpressionSyntax binding => binding.Name.Identifier.ValueText,
            _ => null,
        };

    /// <summary>
    /// The synchronous call is deliberate: it is the synchronous branch of a dual-mode method (a sibling branch calls
    /// the twin, <see cref="IsInBranchBesideTwin"/>), or it is in a test method that also calls the twin itself — the
    /// twin this rule would substitute, <paramref name="exact"/> or <paramref name="withToken"/>, on any receiver: the
    /// test exercises both APIs. Outside tests a member calling both is usually half migrated, and is reported.
    /// </summary>
    private static bool IsDeliberateSyncCall(IInvocationOperation invocation, IMethodSymbol found, IMethodSymbol? exact, IMethodSymbol? withToken, ISymbol? owningSymbol, CancellationToken cancellationToken)
    {
        if (IsInBranchBesideTwin(invocation, found.ContainingType, found.Name, cancellationToken))
        {
            return true;
        }

        if (!IsTestMethod(owningSymbol))
        {
            return false;
        }

        var called = CalledMethods(invocation, cancellationToken);
        return IsCalled(exact) || IsCalled(withToken);

        bool IsCalled(IMethodSymbol? twin)
        {
            for (var method = twin; method is not null; method = method.OverriddenMethod)
            {
                if (called.Contains(method.OriginalDefinition))
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>
    /// The call sits in one branch of an <c>if</c>/<c>else</c>, a conditional expression, a <c>switch</c> statement or a
    /// <c>switch</c> expression whose other branch calls a method named <paramref name="twinName"/> of a type related to
    /// <paramref name="twinType"/> (any overload: dual-mode code often writes arrays in one branch and memory in the other),
    /// or after an <c>if</c> without <c>else</c> that calls it and always leaves the block (<c>return</c>, <c>break</c>,
    /// <c>continue</c>, <c>throw</c>).
    /// </summary>
    private static bool IsInBranchBesideTwin(IInvocationOperation invocation, INamedTypeSymbol twinType, string twinName, CancellationToken cancellationToken)
    {
        IOperation child = invocation;
        for (var current = invocation.Parent; current is not null; child = current, current = current.Parent)
        {
            cancellationToken.ThrowIfCancellationRequested();
            switch (current)
            {
                case IAnonymousFunctionOperation or ILocalFunctionOperation:
                    return false;
                case IConditionalOperation conditional when child != conditional.Condition:
                    var sibling = child == conditional.WhenTrue ? conditional.WhenFalse : conditional.WhenTrue;
                    if (CallsTwin(sibling) || IsSyncModeBranch(child, sibling, invocation, cancellationToken))
                    {
                        return true;
                    }

                    break;
                case IBlockOperation block when PrecededByExitingTwinBranch(block, child):
                    return true;
                case ISwitchOperation switchStatement when child != switchStatement.Value:
                    if (switchStatement.Cases.Any(c => c != child && CallsTwin(c)))
                    {
                        return true;
                    }

                    break;
                case ISwitchExpressionOperation switchExpression when child != switchExpression.Value:
                    if (switchExpression.Arms.Any(arm => arm != child && CallsTwin(arm)))
                    {
                        return true;
                    }

                    break;
            }
        }

        return false;

        bool CallsTwin(IOperation? branch)
            => branch is not null
               && branch.DescendantsAndSelf().OfType<IInvocationOperation>().Any(call => call.TargetMethod.Name == twinName && AreRelated(call.TargetMethod.ContainingType, twinType));

        // `if (isAsync) { await s.WriteAsync(…); return; }` earlier in the block: the rest of the block is the else branch.
        bool PrecededByExitingTwinBranch(IBlockOperation block, IOperation statement)
        {
            foreach (var earlier in block.Operations)
            {
                if (earlier == statement)
                {
                    return false;
                }

                if (earlier is IConditionalOperation { WhenFalse: null, WhenTrue: { } whenTrue } && AlwaysExits(whenTrue) && CallsTwin(whenTrue))
                {
                    return true;
                }
            }

            return false;
        }
    }

    private static bool AlwaysExits(IOperation statement)
        => (statement is IBlockOperation { Operations: { Length: > 0 } operations } ? operations[operations.Length - 1] : statement)
            is IReturnOperation { Kind: OperationKind.Return } or IBranchOperation or IThrowOperation
            or IExpressionStatementOperation { Operation: IThrowOperation };

    /// <summary>A method marked as a test by xUnit, NUnit or MSTest (<c>[Fact]</c>, <c>[Theory]</c>, <c>[Test]</c>, <c>[TestCase]</c>, <c>[TestMethod]</c>, …).</summary>
    private static bool IsTestMethod(ISymbol? symbol)
        => symbol is IMethodSymbol method
           && method.GetAttributes().Any(a => a.AttributeClass?.Name is "FactAttribute" or "TheoryAttribute" or "TestAttribute" or "TestCaseAttribute"
               or "TestCaseSourceAttribute" or "TestMethodAttribute" or "DataTestMethodAttribute");

    private static bool AreRelated(INamedTypeSymbol left, INamedTypeSymbol right)
        => KnownTypes.InheritsFromOrEquals(left, right.OriginalDefinition)
           || KnownTypes.InheritsFromOrEquals(right, left.OriginalDefinition)
           || left.AllInterfaces.Any(i => SymbolEqualityComparer.Default.Equals(i.OriginalDefinition, right.OriginalDefinition))
           || right.AllInterfaces.Any(i => SymbolEqualityComparer.Default.Equals(i.OriginalDefinition, left.OriginalDefinition));

    /// <summary>The methods the whole member body calls (with the methods they override), as original definitions.</summary>
    private static HashSet<IMethodSymbol> CalledMethods(IOperation operation, CancellationToken cancellationToken)
    {
        var root = operation;
        while (root.Parent is not null)
        {
            root = root.Parent;
        }

        if (CalledMethodsByBody.TryGetValue(root, out var known))
        {
            return known;
        }

        var called = new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default);
        foreach (var call in root.Descendants().OfType<IInvocationOperation>())
        {
            cancellationToken.ThrowIfCancellationRequested();
            for (var method = call.TargetMethod; method is not null; method = method.OverriddenMethod)
            {
                called.Add(method.OriginalDefinition);
            }
        }

        return CalledMethodsByBody.GetValue(root, _ => called);
    }
}
