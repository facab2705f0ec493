namespace NoGil.Analyzers.Analysis.Blocking;

/// <summary>
/// The blocking-wait rules' pre-check on syntax alone: a function body in which no identifier is a blocking wait's
/// name (<see cref="BlockingWait.IsCandidateName"/>) holds no blocking wait, so <see cref="BlockingWaitScanner"/>
/// neither walks its operation tree nor builds its control-flow graph. Every wait is written with its name — a
/// member access, a <c>using static</c> call, a property pattern — and no implicit operation (<c>await</c>,
/// <c>foreach</c>, <c>using</c>, deconstruction, query clauses) is one, so the check never hides a wait.
/// </summary>
public static class CandidateSyntax
{
    /// <summary>Called with each operation tree whose operations the scanner walks; for tests only.</summary>
    internal static Action<IOperation>? TreeScanned;

    /// <summary>True when <paramref name="node"/> contains an identifier a blocking wait can be named by.</summary>
    public static bool MayHoldWait(SyntaxNode node, CancellationToken cancellationToken)
    {
        foreach (var token in node.DescendantTokens())
        {
            if (token.IsKind(SyntaxKind.IdentifierToken) && BlockingWait.IsCandidateName(token.ValueText))
            {
                return true;
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        return false;
    }
}
