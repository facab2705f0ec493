namespace NoGil.CodeFixes.Infrastructure;

/// <summary>
/// Text layout for fixes that keep the code they move: the formatter is run only over the statements a fix writes, never
/// over code it reuses (a loop body, the original loop of a versioned form, an inlined lambda body), so that code keeps
/// its spacing, comments, blank lines and directives; it is only re-indented where it moves one level in or out.
/// </summary>
internal static class Layout
{
    /// <summary>The whitespace that starts the line on which <paramref name="node"/> starts (whatever comes before it on that line).</summary>
    public static string LineIndentation(SyntaxNode node)
    {
        var text = node.SyntaxTree.GetText();
        var line = text.Lines.GetLineFromPosition(node.SpanStart);
        var end = line.Start;
        while (end < line.End && text[end] is ' ' or '\t')
        {
            end++;
        }

        return text.ToString(Microsoft.CodeAnalysis.Text.TextSpan.FromBounds(line.Start, end));
    }

    /// <summary>True when <paramref name="node"/> is the first thing on its line (only whitespace before it).</summary>
    public static bool StartsLine(SyntaxNode node)
    {
        var text = node.SyntaxTree.GetText();
        var line = text.Lines.GetLineFromPosition(node.SpanStart);
        return LineIndentation(node).Length == node.SpanStart - line.Start;
    }

    /// <summary>
    /// <paramref name="node"/> with every line after its first moved from <paramref name="from"/> to <paramref name="to"/>:
    /// a line whose indentation starts with <paramref name="from"/> gets <paramref name="to"/> in its place. Only the
    /// whitespace trivia that starts a line changes: lines inside a token (verbatim and raw strings), blank lines, disabled
    /// text and lines that start at column 0 with a directive stay as they are.
    /// </summary>
    public static TNode Reindent<TNode>(TNode node, string from, string to)
        where TNode : SyntaxNode
    {
        if (from == to)
        {
            return node;
        }

        var first = node.GetFirstToken(includeZeroWidth: true, includeSkipped: true, includeDirectives: true, includeDocumentationComments: true);
        return node.ReplaceTokens(
            node.DescendantTokens(descendIntoTrivia: false),
            (original, _) => original == first ? original.WithLeadingTrivia(Reindent(original.LeadingTrivia, atLineStart: false, from, to))
                : original.WithLeadingTrivia(Reindent(original.LeadingTrivia, AfterEndOfLine(original.GetPreviousToken(includeZeroWidth: true, includeSkipped: true, includeDirectives: true, includeDocumentationComments: true)), from, to)));
    }

    private static bool AfterEndOfLine(SyntaxToken previous)
        => previous.TrailingTrivia.Count > 0 && previous.TrailingTrivia[previous.TrailingTrivia.Count - 1].IsKind(SyntaxKind.EndOfLineTrivia);

    /// <summary>Leading trivia that starts a line, re-indented as <see cref="Reindent{TNode}"/> does (comment lines before a statement included).</summary>
    public static SyntaxTriviaList ReindentLeading(SyntaxTriviaList trivia, string from, string to)
        => from == to ? trivia : Reindent(trivia, atLineStart: true, from, to);

    private static SyntaxTriviaList Reindent(SyntaxTriviaList trivia, bool atLineStart, string from, string to)
    {
        var result = new List<SyntaxTrivia>(trivia.Count + 1);
        for (var k = 0; k < trivia.Count; k++)
        {
            var current = trivia[k];
            if (atLineStart)
            {
                var next = k + 1 < trivia.Count ? trivia[k + 1] : default;
                if (current.IsKind(SyntaxKind.WhitespaceTrivia))
                {
                    var blank = k + 1 < trivia.Count && next.IsKind(SyntaxKind.EndOfLineTrivia);
                    var whitespace = current.ToString();
                    result.Add(!blank && whitespace.StartsWith(from, StringComparison.Ordinal) ? Whitespace(to + whitespace.Substring(from.Length)) : current);
                    atLineStart = false;
                    continue;
                }

                // A line at column 0: code and comments move (when moving from column 0), directives and disabled text stay.
                if (from.Length == 0 && to.Length > 0 && !current.IsKind(SyntaxKind.EndOfLineTrivia) && !current.IsDirective && !current.IsKind(SyntaxKind.DisabledTextTrivia))
                {
                    result.Add(Whitespace(to));
                }
            }

            result.Add(current);
            atLineStart = current.IsKind(SyntaxKind.EndOfLineTrivia) || current.IsDirective || current.IsKind(SyntaxKind.DisabledTextTrivia)
                          || (current.HasStructure && current.ToFullString().EndsWith("\n", StringComparison.Ordinal));
        }

        // A token at column 0 after a line break (only when moving from column 0).
        if (atLineStart && from.Length == 0 && to.Length > 0 && (result.Count == 0 || !result[result.Count - 1].IsKind(SyntaxKind.WhitespaceTrivia)))
        {
            result.Add(Whitespace(to));
        }

        return TriviaList(result);
    }

    /// <summary>
    /// Puts <paramref name="statements"/> in place of <paramref name="original"/>. The statements are laid out for the
    /// original's place: the first starts where the original started (it gets the original's leading trivia), the others
    /// are indented like the original's line (a blank line before one stays), and every line inside them is indented for
    /// that place. A new block is
    /// written only where it is needed: when <paramref name="scope"/> asks for one (a name would clash), when the original
    /// is an embedded statement (<c>if (c) for …</c>) and several statements replace it, or when a single <c>if</c> would
    /// take the <c>else</c> that follows the original. Null when the original does not start its line (the layout is then
    /// the formatter's business).
    /// </summary>
    public static SyntaxNode? ReplaceStatement(SyntaxNode root, StatementSyntax original, IReadOnlyList<StatementSyntax> statements, bool scope, string endOfLine)
    {
        if (!StartsLine(original) || statements.Count == 0)
        {
            return null;
        }

        var indent = LineIndentation(original);
        var inBlock = original.Parent is BlockSyntax or SwitchSectionSyntax;
        var needsBlock = scope || NeedsBlock(original, statements);
        if (!needsBlock)
        {
            var inPlace = statements.Select((s, k) => k == 0 ? s.WithLeadingTrivia(FirstLeading(original, s)) : s.WithLeadingTrivia(ReplaceLastWhitespace(s.GetLeadingTrivia(), indent))).ToList();
            return inBlock ? root.ReplaceNode(original, inPlace) : root.ReplaceNode(original, inPlace[0]);
        }

        // The block's braces: at the original's indentation in a block (a scope of its own), else at its parent's line.
        var braces = inBlock ? indent : LineIndentation(original.Parent!);
        var inner = inBlock ? indent + Unit(original, indent) : indent;
        if (!inner.StartsWith(braces, StringComparison.Ordinal) || inner.Length == braces.Length)
        {
            // An embedded statement not indented below its parent (`if (c)` and the loop on one column): one level below.
            inner = braces + Unit(original, indent);
        }

        var laidOut = statements.Select((s, k) => Reindent(s, indent, inner).WithLeadingTrivia(
            k == 0 ? ReplaceLastWhitespace(Layout.ReindentLeading(OwnComments(s), indent, inner), inner) : ReplaceLastWhitespace(s.GetLeadingTrivia(), inner)));
        var originalTrailing = original.GetTrailingTrivia();
        var closeTrailing = originalTrailing.Count > 0 && originalTrailing[originalTrailing.Count - 1].IsKind(SyntaxKind.EndOfLineTrivia)
            ? TriviaList(EndOfLine(endOfLine))
            : TriviaList(Space);

        // In a block, the new scope takes the original's place and its comments; embedded, its braces go at the parent's indentation.
        var openLeading = inBlock ? original.GetLeadingTrivia() : ReplaceLastWhitespace(original.GetLeadingTrivia(), braces);
        var block = Block(List(laidOut))
            .WithOpenBraceToken(Token(SyntaxKind.OpenBraceToken).WithLeadingTrivia(openLeading).WithTrailingTrivia(EndOfLine(endOfLine)))
            .WithCloseBraceToken(Token(SyntaxKind.CloseBraceToken).WithLeadingTrivia(Whitespace(braces)).WithTrailingTrivia(closeTrailing));
        return root.ReplaceNode(original, block);
    }

    /// <summary>
    /// True when <paramref name="statements"/> cannot simply take <paramref name="original"/>'s place: it is an embedded
    /// statement (<c>if (c) for …</c>) and they are several, or a single <c>if</c> that would take the <c>else</c> that
    /// follows the original (<c>if (c) for … else …</c> must not become <c>if (c) if (guard) { … } else …</c>).
    /// </summary>
    public static bool NeedsBlock(StatementSyntax original, IReadOnlyList<StatementSyntax> statements)
        => original.Parent is not (BlockSyntax or SwitchSectionSyntax)
           && (statements.Count > 1
               || (statements.Count == 1 && statements[0] is IfStatementSyntax single && TakesElse(single) && original.GetLastToken().GetNextToken().IsKind(SyntaxKind.ElseKeyword)));

    /// <summary>The first statement's leading trivia: the original's (its comments, its indentation), then the statement's own comment lines.</summary>
    private static SyntaxTriviaList FirstLeading(StatementSyntax original, StatementSyntax first)
    {
        var own = OwnComments(first);
        return own.Count == 0 ? original.GetLeadingTrivia() : original.GetLeadingTrivia().AddRange(own);
    }

    /// <summary>A statement's leading trivia from its first comment or directive on (empty for a statement the fix wrote).</summary>
    private static SyntaxTriviaList OwnComments(StatementSyntax statement)
    {
        var leading = statement.GetLeadingTrivia();
        var start = 0;
        while (start < leading.Count && leading[start].IsKind(SyntaxKind.WhitespaceTrivia) || start < leading.Count && leading[start].IsKind(SyntaxKind.EndOfLineTrivia))
        {
            start++;
        }

        return start == leading.Count ? default : TriviaList(leading.Skip(start));
    }

    /// <summary>True when an <c>else</c> written after <paramref name="statement"/> would belong to it: an <c>if</c> chain ending without one.</summary>
    private static bool TakesElse(IfStatementSyntax statement)
    {
        StatementSyntax current = statement;
        while (current is IfStatementSyntax ifStatement)
        {
            if (ifStatement.Else is null)
            {
                return true;
            }

            current = ifStatement.Else.Statement;
        }

        return false;
    }

    /// <summary>One level of indentation as the code around <paramref name="statement"/> writes it.</summary>
    private static string Unit(StatementSyntax statement, string indent)
    {
        var nested = statement.DescendantNodes().OfType<StatementSyntax>()
            .Where(s => s is not BlockSyntax && StartsLine(s))
            .Select(LineIndentation)
            .FirstOrDefault(inner => inner.Length > indent.Length && inner.StartsWith(indent, StringComparison.Ordinal));
        if (nested is not null)
        {
            return nested.Substring(indent.Length);
        }

        var parent = statement.Parent is null ? null : LineIndentation(statement.Parent);
        return parent is not null && indent.Length > parent.Length && indent.StartsWith(parent, StringComparison.Ordinal)
            ? indent.Substring(parent.Length)
            : "    ";
    }

    /// <summary><paramref name="trivia"/> with its final whitespace (the indentation of the line it ends on) replaced by <paramref name="indent"/>.</summary>
    private static SyntaxTriviaList ReplaceLastWhitespace(SyntaxTriviaList trivia, string indent)
    {
        if (trivia.Count > 0 && trivia[trivia.Count - 1].IsKind(SyntaxKind.WhitespaceTrivia))
        {
            return trivia.RemoveAt(trivia.Count - 1).Add(Whitespace(indent));
        }

        return trivia.Add(Whitespace(indent));
    }
}
