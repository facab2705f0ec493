namespace NoGil.Analyzers.Analysis.Blocking;

/// <summary>
/// The blocking-wait rules' pre-checks on syntax alone. A function body in which no identifier is a blocking wait's
/// name (<see cref="BlockingWait.IsCandidateName"/>) holds no blocking wait, so <see cref="BlockingWaitScanner"/>
/// neither walks its operation tree nor builds its control-flow graph (NOGIL201, NOGIL203). Every wait is written with
/// its name — a member access, a <c>using static</c> call, a property pattern — and no implicit operation
/// (<c>await</c>, <c>foreach</c>, <c>using</c>, deconstruction, query clauses) is one, so the check never hides a wait.
/// NOGIL204 needs an offload's name, NOGIL202 an async function; without them a block gets no per-operation callback.
/// </summary>
public static class CandidateSyntax
{
    /// <summary>Called with each operation tree whose operations the scanner walks; for tests only.</summary>
    internal static Action<IOperation>? TreeScanned;

    /// <summary>True when <paramref name="node"/> contains an identifier a blocking wait can be named by.</summary>
    public static bool MayHoldWait(SyntaxNode node, CancellationToken cancellationToken)
        => ContainsIdentifier(node, BlockingWait.IsCandidateName, cancellationToken);

    /// <summary>
    /// NOGIL204's pre-check: an offload is a call named <c>Run</c> or <c>StartNew</c> (<see cref="OffloadCall.IsCandidateName"/>),
    /// so blocks without such an identifier hold neither a blocked offload nor a loop of awaited offloads.
    /// </summary>
    public static bool MayHoldOffload(ImmutableArray<IOperation> blocks, CancellationToken cancellationToken)
        => blocks.Any(block => ContainsIdentifier(block.Syntax, OffloadCall.IsCandidateName, cancellationToken));

    /// <summary>
    /// NOGIL202's pre-check: a blocking call is reported only inside an async function — the owning method itself, or an
    /// async lambda or local function, whose <c>async</c> keyword is in the blocks' syntax.
    /// </summary>
    public static bool MayHoldAsyncFunction(ISymbol owningSymbol, ImmutableArray<IOperation> blocks, CancellationToken cancellationToken)
        => owningSymbol is IMethodSymbol { IsAsync: true }
           || blocks.Any(block => block.Syntax.DescendantTokens().Any(token => token.IsKind(SyntaxKind.AsyncKeyword)));

    private static bool ContainsIdentifier(SyntaxNode node, Func<string, bool> isName, CancellationToken cancellationToken)
    {
        foreach (var token in node.DescendantTokens())
        {
            if (token.IsKind(SyntaxKind.IdentifierToken) && isName(token.ValueText))
            {
                return true;
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        return false;
    }
}
