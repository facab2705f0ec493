namespace NoGil.CodeFixes.Rules.Kernels;

public sealed partial class ParallelizeLoopFixer
{
    /// <summary>The lambda bodies, the reduction's partial results and merge, and the names the parallel form uses.</summary>
    private sealed partial class Writer
    {
        /// <summary>The lambda body: the loop body as a block, the accumulator renamed, <c>continue</c> as <c>return</c>, and a final <c>return partial;</c>.</summary>
        private string Body(StatementSyntax statement, bool replaceContinue, ReductionPlan? reduction)
        {
            var block = RewrittenBody(statement, replaceContinue, reduction?.Local);
            if (reduction is not null && block.Statements.LastOrDefault() is not ReturnStatementSyntax)
            {
                var last = block.Statements.LastOrDefault();
                var needsBlankLine = last is not null && !(last is ExpressionStatementSyntax or LocalDeclarationStatementSyntax);
                var statementIndent = !_exact ? string.Empty
                    : block.Statements.FirstOrDefault() is { } first && KernelFixes.Indentation(first).Indent is { Length: > 0 } firstIndent ? firstIndent : _indent + _unit;
                var returnStatement = Statement($"return {reduction.Local};").WithLeadingTrivia(Indent(statementIndent));
                if (needsBlankLine)
                {
                    returnStatement = returnStatement.WithLeadingTrivia(Indent(statementIndent).Insert(0, EndOfLine(_eol)));
                }

                if (last is not null && !last.GetTrailingTrivia().Any(t => t.IsKind(SyntaxKind.EndOfLineTrivia)))
                {
                    block = block.ReplaceNode(last, last.WithTrailingTrivia(last.GetTrailingTrivia().Add(EndOfLine(_eol))));
                }

                block = block.AddStatements(returnStatement);
            }

            return block.WithoutTrivia().ToFullString();
        }

        private BlockSyntax RewrittenBody(StatementSyntax statement, bool replaceContinue, string? accumulatorName)
        {
            var accumulator = _parallel.Reduction?.Variable;
            var replacements = new Dictionary<SyntaxNode, SyntaxNode>();
            foreach (var node in statement.DescendantNodesAndSelf())
            {
                switch (node)
                {
                    case IdentifierNameSyntax name when accumulator is not null && accumulatorName is not null
                                                        && SymbolEqualityComparer.Default.Equals(_model.GetSymbolInfo(name, _cancellationToken).Symbol, accumulator):
                        replacements[name] = IdentifierName(accumulatorName).WithTriviaFrom(name);
                        break;
                    case ContinueStatementSyntax continueStatement when replaceContinue && TargetLoop(continueStatement) == _loop:
                        replacements[continueStatement] = Statement(accumulatorName is null ? "return;" : $"return {accumulatorName};").WithTriviaFrom(continueStatement);
                        break;
                }
            }

            var rewritten = statement.ReplaceNodes(replacements.Keys, (original, _) => replacements[original]);
            if (rewritten is BlockSyntax block)
            {
                return block;
            }

            // An embedded statement gets braces and goes one level below the loop, its comments and text kept.
            var embedded = rewritten;
            if (_exact && Layout.StartsLine(statement))
            {
                var from = Layout.LineIndentation(statement);
                embedded = Layout.Reindent(embedded, from, LeadIn).WithLeadingTrivia(Layout.ReindentLeading(embedded.GetLeadingTrivia(), from, LeadIn));
            }
            else
            {
                embedded = embedded.WithLeadingTrivia(Indent(LeadIn));
            }

            var trailing = embedded.GetTrailingTrivia();
            if (trailing.Count == 0 || !trailing[trailing.Count - 1].IsKind(SyntaxKind.EndOfLineTrivia))
            {
                embedded = embedded.WithTrailingTrivia(trailing.Add(EndOfLine(_eol)));
            }

            return Block(embedded)
                .WithOpenBraceToken(Token(SyntaxKind.OpenBraceToken).WithLeadingTrivia(Indent(Lead)).WithTrailingTrivia(EndOfLine(_eol)))
                .WithCloseBraceToken(Token(SyntaxKind.CloseBraceToken).WithLeadingTrivia(Indent(Lead)));
        }

        /// <summary>Leading trivia of <paramref name="indentation"/>; none when it is empty (the formatter indents).</summary>
        private static SyntaxTriviaList Indent(string indentation) => indentation.Length == 0 ? default : TriviaList(Whitespace(indentation));

        private static SyntaxNode? TargetLoop(ContinueStatementSyntax statement)
            => statement.Ancestors().FirstOrDefault(a => a is ForStatementSyntax or CommonForEachStatementSyntax or WhileStatementSyntax or DoStatementSyntax
                or AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax);

        // ----- reductions -----

        private sealed class ReductionPlan
        {
            public ReductionPlan(string local, string stateName, string identity, string merge, string? gate)
            {
                Local = local;
                StateName = stateName;
                Identity = identity;
                Merge = merge;
                Gate = gate;
            }

            /// <summary>The worker's partial result (lambda parameter), e.g. <c>localSum</c>.</summary>
            public string Local { get; }

            public string StateName { get; }

            /// <summary>The partial result's start value: the identity of the fold, typed like the accumulator.</summary>
            public string Identity { get; }

            /// <summary>The localFinally lambda.</summary>
            public string Merge { get; }

            /// <summary>The lock object's name when the merge takes a lock.</summary>
            public string? Gate { get; }
        }

        private ReductionPlan Reduction(LoopReduction reduction, ParallelMerge merge)
        {
            var accumulator = reduction.Variable.Name;
            var local = FreshName("local" + char.ToUpperInvariant(accumulator[0]) + accumulator.Substring(1));
            var state = FreshName("loopState");
            if (merge.UsesInterlocked)
            {
                var interlocked = TypeName("Interlocked", _types.Interlocked!, "System.Threading");
                return new ReductionPlan(local, state, merge.Identity, $"{local} => {interlocked}.Add(ref {accumulator}, {local})", gate: null);
            }

            var statement = reduction.Operator switch
            {
                ReductionOperator.Add => $"{accumulator} += {local};",
                ReductionOperator.Multiply => $"{accumulator} *= {local};",
                ReductionOperator.MathMin or ReductionOperator.MathMax => $"{accumulator} = {merge.Function}({accumulator}, {local});",
                ReductionOperator.CompareMin => $"if ({local} < {accumulator}) {accumulator} = {local};",
                ReductionOperator.CompareMax => $"if ({local} > {accumulator}) {accumulator} = {local};",
                ReductionOperator.And => $"{accumulator} &= {local};",
                ReductionOperator.Or => $"{accumulator} |= {local};",
                _ => $"{accumulator} ^= {local};",
            };

            var gate = FreshName("gate", local: true);
            return new ReductionPlan(local, state, merge.Identity, $"{local} => {{ lock ({gate}) {{ {statement} }} }}", gate);
        }

        private List<StatementSyntax> WithGate(ReductionPlan? reduction, StatementSyntax call)
            => reduction?.Gate is { } gate ? new List<StatementSyntax> { GateDeclaration(gate), call } : new List<StatementSyntax> { call };

        private StatementSyntax GateDeclaration(string gate) => Statement($"var {gate} = new object();");

        // ----- names -----

        private StatementSyntax Statement(string text) => ParseStatement(text + _eol);

        /// <summary>
        /// How to write <paramref name="name"/>: the simple name when it binds to <paramref name="type"/>, or when nothing binds and a
        /// using directive for its namespace can be added; the qualified name when the simple name means something else.
        /// </summary>
        private string TypeName(string name, INamedTypeSymbol type, string namespaceName)
        {
            var found = _model.LookupNamespacesAndTypes(_loop.SpanStart, name: name).Where(s => s is not INamedTypeSymbol { Arity: > 0 }).ToList();
            if (found.Count == 1 && SymbolEqualityComparer.Default.Equals(found[0], type))
            {
                return name;
            }

            if (found.Count == 0)
            {
                _usings.Add(namespaceName);
                return name;
            }

            return "global::" + type.ToDisplayString();
        }

        /// <summary>
        /// A name for a new lambda parameter (<paramref name="local"/> false) — one that no identifier of the loop uses and
        /// that binds to nothing at the loop — or for a new local: one that no identifier of the enclosing member uses.
        /// </summary>
        private string FreshName(string baseName, bool local = false)
        {
            var scope = !local ? _loop
                : _loop.Ancestors().FirstOrDefault(a => a is MemberDeclarationSyntax and not GlobalStatementSyntax) ?? _loop.SyntaxTree.GetRoot(_cancellationToken);
            var used = new HashSet<string>(scope.DescendantTokens().Where(t => t.IsKind(SyntaxKind.IdentifierToken)).Select(t => t.ValueText));
            used.UnionWith(_reserved);
            var name = FreshNames.Next(used, baseName, firstSuffix: 1, isTaken: candidate => !_model.LookupSymbols(_loop.SpanStart, name: candidate).IsEmpty);
            _reserved.Add(name);
            return name;
        }
    }
}
