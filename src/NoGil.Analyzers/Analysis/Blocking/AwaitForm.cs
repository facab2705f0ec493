using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace NoGil.Analyzers.Analysis.Blocking;

/// <summary>
/// The <c>await</c> a blocking wait becomes, for NOGIL201 and NOGIL203: <c>await t</c>, <c>await Task.WhenAll(…)</c>, or
/// <c>await Task.WhenAny(…)</c> — wrapped in <c>Array.IndexOf</c> over the same tasks where <c>WaitAny</c>'s index is
/// used. Decided once, on the original operation tree; a wait without a faithful <c>await</c> form has none, and then
/// its diagnostic announces no fix.
/// </summary>
public sealed class AwaitForm
{
    private AwaitForm(ExpressionSyntax syntax, BlockingWaitKind kind, ImmutableArray<ExpressionSyntax> indexTasks, ITypeSymbol? indexTaskType, ExpressionSyntax? indexArray, bool awaitsWaitAsync = false)
    {
        AwaitsWaitAsync = awaitsWaitAsync;
        Syntax = syntax;
        Kind = kind;
        IndexTasks = indexTasks;
        IndexTaskType = indexTaskType;
        IndexArray = indexArray;
    }

    /// <summary>
    /// <c>t.Wait(ct)</c>: the await is <c>await t.WaitAsync(ct)</c> (.NET 6 and later), which, like the wait, stops
    /// waiting when the token is canceled.
    /// </summary>
    public bool AwaitsWaitAsync { get; }

    /// <summary>The wait's own syntax (<c>t.Result</c>, <c>Task.WaitAny(a, b)</c>, …).</summary>
    public ExpressionSyntax Syntax { get; }

    public BlockingWaitKind Kind { get; }

    /// <summary>The fix this form is announced as.</summary>
    public FixKind FixKind => Kind switch
    {
        BlockingWaitKind.WaitAll => FixKind.AwaitWhenAll,
        BlockingWaitKind.WaitAny => FixKind.AwaitWhenAny,
        _ => FixKind.AwaitTask,
    };

    /// <summary>
    /// <c>WaitAny(a, b)</c> whose index is used: the tasks as written (each a local, parameter or field read), to be
    /// searched again in an array of <see cref="IndexTaskType"/>; empty otherwise.
    /// </summary>
    public ImmutableArray<ExpressionSyntax> IndexTasks { get; }

    /// <summary>The element type of the params array of <see cref="IndexTasks"/>.</summary>
    public ITypeSymbol? IndexTaskType { get; }

    /// <summary><c>WaitAny(tasks)</c> whose index is used: the array, a read that gives the same array a second time.</summary>
    public ExpressionSyntax? IndexArray { get; }

    /// <summary>
    /// The await form of the wait at <paramref name="node"/>, as the analyzers decided it: the fixers call this on
    /// the node a diagnostic points at.
    /// </summary>
    public static AwaitForm? Find(SemanticModel model, SyntaxNode node, KnownTypes types, CancellationToken cancellationToken)
        => model.GetOperation(node, cancellationToken) is { } operation && BlockingWait.TryCreate(operation, types) is { } wait
            ? TryCreate(wait)
            : null;

    /// <summary>
    /// The await form of <paramref name="wait"/> (an operation of the original tree), or null when there is no
    /// faithful one: <c>await</c> is not allowed there, the bool of a timed wait is used, or <c>WaitAny</c>'s index
    /// is used and its tasks cannot be read a second time.
    /// </summary>
    public static AwaitForm? TryCreate(BlockingWait wait)
    {
        if (wait.Operation.Syntax is not ExpressionSyntax original || AwaitSyntax.IsAwaitForbiddenAt(original) || Awaited(original, wait.Kind) is null)
        {
            return null;
        }

        if (wait.Timeout is not null)
        {
            // `await t.WaitAsync(timeout)` throws a TimeoutException where the timed wait returns false: no faithful form.
            return null;
        }

        if (wait.Token is not null)
        {
            return wait.Kind == BlockingWaitKind.Wait && HasWaitAsyncWithToken((IInvocationOperation)wait.Operation)
                ? new AwaitForm(original, wait.Kind, ImmutableArray<ExpressionSyntax>.Empty, null, null, awaitsWaitAsync: true)
                : null;
        }

        if (wait.Kind is BlockingWaitKind.WaitAll or BlockingWaitKind.WaitAny
            && ((IInvocationOperation)wait.Operation).Arguments.Any(a => a.Parameter is { Ordinal: > 0 } && a.ArgumentKind != ArgumentKind.DefaultValue))
        {
            // `Task.WaitAll(ts, Timeout.Infinite)`: WhenAll/WhenAny take the tasks only.
            return null;
        }

        if (wait.ReturnsCompletionFlag && !AwaitSyntax.IsValueDiscarded(original))
        {
            // `if (t.Wait(-1))`: the bool result (always true) has no await form.
            return null;
        }

        if (wait.Kind != BlockingWaitKind.WaitAny || AwaitSyntax.IsValueDiscarded(original))
        {
            return new AwaitForm(original, wait.Kind, ImmutableArray<ExpressionSyntax>.Empty, null, null);
        }

        // WaitAny returns an index; WhenAny returns the task. The index is recovered from the same tasks.
        if (((IInvocationOperation)wait.Operation).Arguments is not { Length: 1 } arguments)
        {
            return null;
        }

        // The tasks written in place: `WaitAny(a, b)` (params array; a newer compiler's params collection), `WaitAny([a, b])`,
        // `WaitAny(new[] { a, b })`.
        var argument = arguments[0];
        if (argument.ArgumentKind != ArgumentKind.DefaultValue
            && argument.Value.UnwrapConversions().ElementsWritten() is { IsDefault: false } elements
            && ElementType(argument.Parameter?.Type) is { } elementType
            && elements.All(IsStableReference))
        {
            var tasks = elements.Select(e => (ExpressionSyntax)e.Syntax).ToImmutableArray();
            return new AwaitForm(original, wait.Kind, tasks, elementType, null);
        }

        if (argument.ArgumentKind == ArgumentKind.Explicit && argument.Value.Type is IArrayTypeSymbol && IsStableReference(argument.Value))
        {
            return new AwaitForm(original, wait.Kind, ImmutableArray<ExpressionSyntax>.Empty, null, (ExpressionSyntax)argument.Value.Syntax);
        }

        return null;
    }

    /// <summary>What <c>await</c> applies to in <paramref name="node"/> (the wait's syntax, or a rewritten copy of it).</summary>
    public ExpressionSyntax? AwaitedIn(ExpressionSyntax node)
        => AwaitsWaitAsync ? RenameInvocation(node, "WaitAsync") : Awaited(node, Kind);

    /// <summary><c>t.Wait(ct)</c> on a framework whose <c>Task</c> has <c>WaitAsync(CancellationToken)</c>.</summary>
    private static bool HasWaitAsyncWithToken(IInvocationOperation wait)
        => wait.Arguments.Length == 1
           && wait.TargetMethod.ContainingType.GetMembers("WaitAsync").OfType<IMethodSymbol>().Any(m =>
               !m.IsStatic && m.Parameters.Length == 1 && SymbolEqualityComparer.Default.Equals(m.Parameters[0].Type, wait.TargetMethod.Parameters[0].Type));

    /// <summary>
    /// What <c>await</c> applies to in <paramref name="node"/>, a wait of kind <paramref name="kind"/> (or a copy of
    /// one in which nested waits were already rewritten): the task, or <c>Task.WhenAll(…)</c>/<c>Task.WhenAny(…)</c>.
    /// </summary>
    public static ExpressionSyntax? Awaited(ExpressionSyntax node, BlockingWaitKind kind)
        => kind switch
        {
            BlockingWaitKind.Result => (node as MemberAccessExpressionSyntax)?.Expression,
            BlockingWaitKind.Wait => ((node as InvocationExpressionSyntax)?.Expression as MemberAccessExpressionSyntax)?.Expression,
            BlockingWaitKind.GetResult => ((((node as InvocationExpressionSyntax)?.Expression as MemberAccessExpressionSyntax)?.Expression
                as InvocationExpressionSyntax)?.Expression as MemberAccessExpressionSyntax)?.Expression,
            BlockingWaitKind.WaitAll => RenameInvocation(node, "WhenAll"),
            BlockingWaitKind.WaitAny => RenameInvocation(node, "WhenAny"),
            _ => null,
        };

    private static ExpressionSyntax? RenameInvocation(ExpressionSyntax node, string newName)
    {
        if (node is not InvocationExpressionSyntax invocation)
        {
            return null;
        }

        ExpressionSyntax? expression = invocation.Expression switch
        {
            MemberAccessExpressionSyntax access => access.WithName(IdentifierName(newName).WithTriviaFrom(access.Name)),
            IdentifierNameSyntax name => IdentifierName(newName).WithTriviaFrom(name),
            _ => null,
        };

        return expression is null ? null : invocation.WithExpression(expression);
    }

    /// <summary>The element type of a params parameter: <c>T[]</c> or <c>ReadOnlySpan&lt;T&gt;</c>.</summary>
    private static ITypeSymbol? ElementType(ITypeSymbol? paramsType)
        => paramsType switch
        {
            IArrayTypeSymbol array => array.ElementType,
            INamedTypeSymbol { Name: "ReadOnlySpan", TypeArguments.Length: 1 } span => span.TypeArguments[0],
            _ => null,
        };

    /// <summary>A local, parameter or field read: evaluating it twice gives the same value.</summary>
    private static bool IsStableReference(IOperation operation)
        => operation.UnwrapConversions() switch
        {
            ILocalReferenceOperation or IParameterReferenceOperation => true,
            IFieldReferenceOperation field => field.Instance is null or IInstanceReferenceOperation || IsStableReference(field.Instance),
            _ => false,
        };
}
