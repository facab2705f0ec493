namespace NoGil.Analyzers.Analysis.Blocking;

/// <summary>
/// The blocking-wait rules' pre-check on source text alone: a function body whose text holds no blocking wait's name
/// (<see cref="BlockingWait.IsCandidateName"/>) holds no blocking wait, so <see cref="BlockingWaitScanner"/> neither
/// walks its operation tree nor builds its control-flow graph. Every wait is written with its name — a member access,
/// a <c>using static</c> call, a property pattern — and no implicit operation (<c>await</c>, <c>foreach</c>,
/// <c>using</c>, deconstruction, query clauses) is one, so the check never hides a wait.
/// </summary>
public static class CandidateSyntax
{
    /// <summary>Called with each operation tree whose operations the scanner walks; for tests only.</summary>
    internal static Action<IOperation>? TreeScanned;

    /// <summary>
    /// Text every name of <see cref="BlockingWait.IsCandidateName"/> contains (<c>Result</c>, <c>GetResult</c>; <c>Wait</c>,
    /// <c>WaitAll</c>, <c>WaitAny</c>) — and <c>\u</c>/<c>\U</c>, with which an identifier can spell any name.
    /// </summary>
    internal static readonly string[] Fragments = { "Result", "Wait", "\\u", "\\U" };

    /// <summary>
    /// True when the source text of <paramref name="node"/> contains a blocking wait's name (also in a comment or a
    /// string: the check may let a body through, never hold one back). A substring search of text already in memory:
    /// cheaper than walking the body's tokens or operations.
    /// </summary>
    public static bool MayHoldWait(SyntaxNode node, CancellationToken cancellationToken)
    {
        var text = node.SyntaxTree.TryGetText(out var cached) ? cached : node.SyntaxTree.GetText(cancellationToken);
        var source = text.ToString(node.Span);
        foreach (var fragment in Fragments)
        {
            if (source.IndexOf(fragment, StringComparison.Ordinal) >= 0)
            {
                return true;
            }
        }

        return false;
    }
}
