using System.Text;

namespace NoGil.CodeFixes.Rules.Kernels;

public sealed partial class VectorizeReductionFixer
{
    /// <summary>
    /// The <c>Vector&lt;T&gt;</c> fix: the index declared before a loop over whole vectors that folds them into vector
    /// accumulators, the lanes merged into the accumulator, then the original loop from that index as the scalar tail.
    /// </summary>
    private sealed partial class Writer
    {
        private string VectorOfT => "Vector<" + ElementType + ">";

        /// <summary>The statements that replace the loop; null for a kind with no exact vector form (never announced).</summary>
        public List<StatementSyntax>? Vector(CancellationToken cancellationToken)
        {
            var inductionName = IsForEach ? "i" : ((ForStatementSyntax)_loop).Declaration!.Variables[0].Identifier.ValueText;
            var index = ConflictsInBlock(inductionName) || IsForEach ? FreshNames.Next(_used, inductionName) : inductionName;
            var declaredType = _loop is ForStatementSyntax { Declaration: { } d } ? d.Type.ToString() : "int";
            var lines = new List<string> { declaredType + " " + index + " = " + Lower + ";" };
            switch (_kernel.Kind)
            {
                case ReductionKernelKind.Sum or ReductionKernelKind.Dot or ReductionKernelKind.SumOfSquares or ReductionKernelKind.SumOfMagnitudes:
                    AddSum(lines, index);
                    break;
                case ReductionKernelKind.Max or ReductionKernelKind.Min or ReductionKernelKind.CompareMax or ReductionKernelKind.CompareMin when !_kernel.IsFloatingPoint:
                    AddIntegerMinMax(lines, index);
                    break;
                case ReductionKernelKind.CompareMax or ReductionKernelKind.CompareMin:
                    AddFloatingMinMax(lines, index);
                    break;
                case ReductionKernelKind.Count:
                    AddCount(lines, index);
                    break;
                default:
                    // Min/Max over floating point has no exact Vector<T> form: the analysis offers TensorPrimitives only.
                    return null;
            }

            var statements = Split(lines).Select(text => ParseStatement(text)).ToList();
            statements.Add(Tail(index, cancellationToken));
            return statements;
        }

        /// <summary>The vector loop's header: while a whole vector fits below the bound.</summary>
        private string Header(string index) => "for (; " + index + " <= " + Upper + " - " + VectorOfT + ".Count; " + index + " += " + VectorOfT + ".Count)";

        private string Load(ReductionOperand operand, string index) => operand.IsSpan
            ? "new " + VectorOfT + "(" + KernelText.Primary(operand.Reference.Syntax) + ".Slice(" + index + "))"
            : "new " + VectorOfT + "(" + KernelText.Primary(operand.Reference.Syntax) + ", " + index + ")";

        /// <summary>Sums, dot products, sums of squares and of magnitudes: a vector of partial sums, added up once.</summary>
        private void AddSum(List<string> lines, string index)
        {
            var sum = FreshNames.Next(_used, "vsum");
            lines.Add("var " + sum + " = " + VectorOfT + ".Zero;");
            lines.Add(Header(index));
            lines.Add("{");
            switch (_kernel.Kind)
            {
                case ReductionKernelKind.Sum:
                    lines.Add(sum + " += " + Load(_kernel.Source, index) + ";");
                    break;
                case ReductionKernelKind.Dot:
                    lines.Add(sum + " += " + Load(_kernel.Source, index) + " * " + Load(_kernel.Second!, index) + ";");
                    break;
                case ReductionKernelKind.SumOfSquares:
                    var v = FreshNames.Next(_used, "v");
                    lines.Add("var " + v + " = " + Load(_kernel.Source, index) + ";");
                    lines.Add(sum + " += " + v + " * " + v + ";");
                    break;
                default:
                    lines.Add(sum + " += Vector.Abs(" + Load(_kernel.Source, index) + ");");
                    break;
            }

            lines.Add("}");
            lines.Add(Accumulator + " += Vector.Sum(" + sum + ");");
        }

        /// <summary>Integers: equal values are indistinguishable, so lane-wise Max/Min in any order is exact.</summary>
        private void AddIntegerMinMax(List<string> lines, string index)
        {
            var accumulator = Accumulator;
            var isMax = _kernel.Kind is ReductionKernelKind.Max or ReductionKernelKind.CompareMax;
            var best = FreshNames.Next(_used, isMax ? "vmax" : "vmin");
            var lane = FreshNames.Next(_used, "lane");
            var math = "Math." + (isMax ? "Max" : "Min");
            lines.Add("var " + best + " = new " + VectorOfT + "(" + accumulator + ");");
            lines.Add(Header(index));
            lines.Add("{");
            lines.Add(best + " = Vector." + (isMax ? "Max" : "Min") + "(" + best + ", " + Load(_kernel.Source, index) + ");");
            lines.Add("}");
            lines.Add("for (int " + lane + " = 0; " + lane + " < " + VectorOfT + ".Count; " + lane + "++)");
            lines.Add("{");
            lines.Add(accumulator + " = " + math + "(" + accumulator + ", " + best + "[" + lane + "]);");
            lines.Add("}");
        }

        /// <summary>
        /// Floating point: NaN lanes never win (as in the loop); equal non-zero values have the same bits, so only a zero
        /// result depends on which of +0 and -0 came first: then the scalar loop redoes the range.
        /// </summary>
        private void AddFloatingMinMax(List<string> lines, string index)
        {
            var accumulator = Accumulator;
            var isMax = _kernel.Kind == ReductionKernelKind.CompareMax;
            var best = FreshNames.Next(_used, isMax ? "vmax" : "vmin");
            var v = FreshNames.Next(_used, "v");
            var lane = FreshNames.Next(_used, "lane");
            var result = FreshNames.Next(_used, isMax ? "vectorMax" : "vectorMin");
            var compare = isMax ? ">" : "<";
            lines.Add("var " + best + " = new " + VectorOfT + "(" + accumulator + ");");
            lines.Add(Header(index));
            lines.Add("{");
            lines.Add("var " + v + " = " + Load(_kernel.Source, index) + ";");
            lines.Add(best + " = Vector.ConditionalSelect(Vector." + (isMax ? "GreaterThan" : "LessThan") + "(" + v + ", " + best + "), " + v + ", " + best + ");");
            lines.Add("}");
            lines.Add("var " + result + " = " + accumulator + ";");
            lines.Add("for (int " + lane + " = 0; " + lane + " < " + VectorOfT + ".Count; " + lane + "++)");
            lines.Add("{");
            lines.Add("if (" + best + "[" + lane + "] " + compare + " " + result + ")");
            lines.Add("{");
            lines.Add(result + " = " + best + "[" + lane + "];");
            lines.Add("}");
            lines.Add("}");
            lines.Add(string.Empty);
            lines.Add("// Equal non-zero values have the same bits; for a zero, whether +0 or -0 came first decides: let the loop below redo the range.");
            lines.Add("if (" + result + " != 0)");
            lines.Add("{");
            lines.Add(accumulator + " = " + result + ";");
            lines.Add("}");
            lines.Add("else");
            lines.Add("{");
            lines.Add(index + " = " + Lower + ";");
            lines.Add("}");
        }

        /// <summary>A conditional count: per lane, the comparison's mask (-1 where it holds) subtracted from a vector of counts.</summary>
        private void AddCount(List<string> lines, string index)
        {
            var laneType = _kernel.ElementType.SpecialType is SpecialType.System_Double or SpecialType.System_Int64 ? "long" : "int";
            var threshold = FreshNames.Next(_used, "threshold");
            var counts = FreshNames.Next(_used, "vcount");
            var negate = _kernel.Comparison == BinaryOperatorKind.NotEquals ? "~" : string.Empty;
            var compare = _kernel.Comparison switch
            {
                BinaryOperatorKind.GreaterThan => "GreaterThan",
                BinaryOperatorKind.GreaterThanOrEqual => "GreaterThanOrEqual",
                BinaryOperatorKind.LessThan => "LessThan",
                BinaryOperatorKind.LessThanOrEqual => "LessThanOrEqual",
                _ => "Equals",
            };
            var countIsInt = _kernel.Reduction.Type.SpecialType == SpecialType.System_Int32;
            lines.Add("var " + threshold + " = new " + VectorOfT + "(" + KernelText.Primary(_kernel.Threshold!.Syntax) + ");");
            lines.Add("var " + counts + " = Vector<" + laneType + ">.Zero;");
            lines.Add(Header(index));
            lines.Add("{");
            lines.Add("// A matching lane is -1 (all bits set): subtracting the mask counts it.");
            lines.Add(counts + " -= " + negate + "Vector." + compare + "(" + Load(_kernel.Source, index) + ", " + threshold + ");");
            lines.Add("}");
            lines.Add(Accumulator + " += " + (countIsInt && laneType == "long" ? "(int)" : string.Empty) + "Vector.Sum(" + counts + ");");
        }

        /// <summary>Groups lines into statement texts: a statement ends on a line at brace depth 0 that no <c>else</c> follows.</summary>
        private List<string> Split(List<string> lines)
        {
            var result = new List<string>();
            var text = new StringBuilder();
            var depth = 0;
            for (var k = 0; k < lines.Count; k++)
            {
                var line = lines[k];
                if (line.Length == 0)
                {
                    text.Append(_eol);
                    continue;
                }

                text.Append(line).Append(_eol);
                depth += line.Count(c => c == '{') - line.Count(c => c == '}');
                var continues = line.StartsWith("//", System.StringComparison.Ordinal)
                    || line.StartsWith("for (", System.StringComparison.Ordinal)
                    || line.StartsWith("if (", System.StringComparison.Ordinal)
                    || line == "else"
                    || (k + 1 < lines.Count && lines[k + 1] == "else");
                if (depth == 0 && !continues)
                {
                    result.Add(text.ToString());
                    text.Clear();
                }
            }

            return result;
        }


        /// <summary>The original loop, continuing from the vector loop's index.</summary>
        private StatementSyntax Tail(string index, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var induction = _kernel.Loop.Induction!;
            if (_loop is ForStatementSyntax forLoop)
            {
                var renamed = index == induction.Name
                    ? forLoop
                    : forLoop.ReplaceTokens(
                        forLoop.DescendantTokens().Where(t => t.IsKind(SyntaxKind.IdentifierToken) && t.ValueText == induction.Name && Binds(t, induction, cancellationToken)),
                        (_, token) => Identifier(index).WithTriviaFrom(token));
                return renamed
                    .WithDeclaration(null)
                    .WithInitializers(default)
                    .WithFirstSemicolonToken(Token(SyntaxKind.SemicolonToken).WithTrailingTrivia(Space))
                    .WithLeadingTrivia()
                    .WithTrailingTrivia()
                    .WithAdditionalAnnotations(KernelFixes.KeepText);
            }

            var forEach = (ForEachStatementSyntax)_loop;
            var source = KernelText.Primary(_kernel.Source.Reference.Syntax);
            var body = forEach.Statement.ReplaceNodes(
                forEach.Statement.DescendantNodes().OfType<IdentifierNameSyntax>().Where(n => n.Identifier.ValueText == induction.Name && Binds(n.Identifier, induction, cancellationToken)),
                (_, node) => ParseExpression(source + "[" + index + "]").WithTriviaFrom(node));
            var header = "for (; " + index + " < " + source + ".Length; " + index + "++)";
            if (body is BlockSyntax && Layout.StartsLine(_loop))
            {
                // The body keeps its text: it stays at the loop's indentation.
                return ParseStatement(header + _eol + Layout.LineIndentation(_loop) + body.WithoutTrivia().ToFullString())
                    .WithAdditionalAnnotations(KernelFixes.KeepText);
            }

            var tail = (ForStatementSyntax)ParseStatement(header + _eol + "{" + _eol + "}");
            return tail.WithStatement(body is BlockSyntax ? body.WithoutTrivia() : Block(body.WithoutTrivia()));
        }

        private bool Binds(SyntaxToken token, ILocalSymbol local, CancellationToken cancellationToken)
        {
            if (token.Parent is VariableDeclaratorSyntax declarator)
            {
                return SymbolEqualityComparer.Default.Equals(_model.GetDeclaredSymbol(declarator, cancellationToken), local);
            }

            return token.Parent is IdentifierNameSyntax name && SymbolEqualityComparer.Default.Equals(_model.GetSymbolInfo(name, cancellationToken).Symbol, local);
        }

        /// <summary>True when hoisting <paramref name="name"/> out of the loop would clash with another use in the enclosing block.</summary>
        private bool ConflictsInBlock(string name)
        {
            var scope = _loop.Parent is BlockSyntax block ? (SyntaxNode)block : _loop;
            return scope.DescendantTokens().Any(t => t.IsKind(SyntaxKind.IdentifierToken) && t.ValueText == name && !_loop.Span.Contains(t.Span));
        }
    }
}
