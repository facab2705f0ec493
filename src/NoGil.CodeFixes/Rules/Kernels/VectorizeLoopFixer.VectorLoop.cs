using System.Text;

namespace NoGil.CodeFixes.Rules.Kernels;

public sealed partial class VectorizeLoopFixer
{
    /// <summary>
    /// Writes the <c>Vector&lt;T&gt;</c> form of a kernel: the broadcast scalars and the induction variable declared
    /// first, a loop over whole vectors (one load per array or span, the expression on vectors, one store), then the
    /// original loop, without its declaration, as the scalar tail.
    /// </summary>
    private sealed class VectorLoopWriter
    {
        private readonly SemanticModel _model;
        private readonly ElementwiseKernel _kernel;
        private readonly CancellationToken _cancellationToken;
        private readonly ForStatementSyntax _loop;
        private readonly string _vectorType;
        private readonly bool _hasScalarDivision;
        private readonly bool _wrap;
        private readonly HashSet<string> _used;
        private readonly Dictionary<ElementwiseOperand, string> _names = new();
        private readonly List<string> _loads = new();
        private readonly Dictionary<ISymbol, string> _broadcasts = new(SymbolEqualityComparer.Default);
        private readonly List<string> _hoisted = new();
        private bool _unsupported;

        public VectorLoopWriter(SemanticModel model, KnownTypes types, ElementwiseKernel kernel, CancellationToken cancellationToken)
        {
            _model = model;
            _kernel = kernel;
            _cancellationToken = cancellationToken;
            _loop = kernel.Loop;
            _vectorType = $"Vector<{kernel.ElementTypeName}>";
            _hasScalarDivision = types.VectorOfT!.GetMembers("op_Division").OfType<IMethodSymbol>()
                .Any(m => m.Parameters.Length == 2 && m.Parameters[1].Type is ITypeParameterSymbol);

            // The induction variable now lives in the enclosing block: the loops get a block of their own only when the name
            // is used elsewhere there (another loop's i, a field i), or when the loop is not directly in a block.
            var scope = _loop.Parent switch
            {
                BlockSyntax block => (SyntaxNode)block,
                SwitchSectionSyntax section => section.Parent,
                _ => null,
            };
            _wrap = scope is null || scope.DescendantTokens().Any(t => t.IsKind(SyntaxKind.IdentifierToken) && t.ValueText == kernel.Induction.Name && !_loop.Span.Contains(t.Span));

            // New names must not clash with anything in scope at the loop, nor with any name used where they are declared.
            _used = new HashSet<string>(model.LookupSymbols(_loop.SpanStart).Select(s => s.Name));
            _used.UnionWith((_wrap ? _loop : scope!).DescendantTokens().Where(t => t.IsKind(SyntaxKind.IdentifierToken)).Select(t => t.ValueText));
        }

        private string Index => _kernel.Induction.Name;

        private string Count => _vectorType + ".Count";

        /// <summary>The root with the loop vectorized; null if an operator has no vector form (the analysis never announces such a fix).</summary>
        public SyntaxNode? Rewrite(SyntaxNode root)
        {
            _cancellationToken.ThrowIfCancellationRequested();
            DeclareLoads();
            var (value, precedence) = Render(_kernel.Value);
            if (_unsupported)
            {
                return null;
            }

            var eol = KernelFixes.EndOfLine(root);
            var statements = Statements(VectorLoop(value, precedence, eol), eol);
            // The new statements are formatted, the scalar tail keeps the loop's text (re-indented when it moves into a scope).
            var laidOut = statements.Select((s, k) => k == 0 ? s.WithoutLeadingTrivia() : s).ToList();
            var newRoot = Layout.ReplaceStatement(root, _loop, laidOut, scope: _wrap && _loop.Parent is BlockSyntax or SwitchSectionSyntax, eol)
                          ?? (_wrap
                              ? root.ReplaceNode(_loop, Block(statements).WithTriviaFrom(_loop).WithAdditionalAnnotations(Formatter.Annotation))
                              : root.ReplaceNode(_loop, statements));

            if (!_kernel.OverlapGuards.IsEmpty && !TypeNames.Binds(_model, _loop.SpanStart, "MemoryExtensions", "System.MemoryExtensions"))
            {
                newRoot = Imports.AddUsing(newRoot, "System");
            }

            return TypeNames.Binds(_model, _loop.SpanStart, "Vector", "System.Numerics.Vector`1") && TypeNames.Binds(_model, _loop.SpanStart, "Vector", "System.Numerics.Vector")
                ? newRoot
                : Imports.AddUsing(newRoot, "System.Numerics");
        }

        /// <summary>Loads: one vector per array or span the expression reads, in order of appearance.</summary>
        private void DeclareLoads()
        {
            foreach (var operand in _kernel.Value.DescendantsAndSelf().Where(n => n.IsElement).Select(n => n.Element!).Distinct())
            {
                var name = FreshNames.Next(_used, VectorName(operand.Symbol.Name));
                _names[operand] = name;
                _loads.Add(operand.IsSpan
                    ? $"var {name} = new {_vectorType}({KernelText.Primary(operand.Text)}.Slice({Index}));"
                    : $"var {name} = new {_vectorType}({operand.Text}, {Index});");
            }
        }

        /// <summary>
        /// The vector loop: it runs while a whole vector fits below the bound. With a bound that cannot be negative (a
        /// length, a constant) hi - Count &gt;= -Count cannot overflow. Any other int bound is widened to long first: hi -
        /// Count in int would wrap for hi &lt; int.MinValue + Count and run vectors the original loop never ran. i itself
        /// cannot overflow: a vector is only processed when i + Count &lt;= hi (+ 1 for &lt;=) &lt;= the length of the arrays.
        /// </summary>
        private StatementSyntax VectorLoop(string value, int precedence, string eol)
        {
            var destination = _kernel.Destination;
            var store = (precedence == Precedence.Primary ? value : "(" + value + ")")
                        + (destination.IsSpan ? $".CopyTo({KernelText.Primary(destination.Text)}.Slice({Index}));" : $".CopyTo({destination.Text}, {Index});");

            var upper = _kernel.UpperBound.WithoutTrivia().ToString();
            var bound = _kernel.UpperBoundIsNonNegative ? $"{KernelText.Additive(upper)} - {Count}" : $"(long){KernelText.Primary(upper)} - {Count}";
            var condition = _kernel.UpperInclusive ? $"{Index} <= {bound} + 1" : $"{Index} <= {bound}";

            var text = new StringBuilder();
            text.Append($"for (; {condition}; {Index} += {Count}){eol}{{{eol}");
            foreach (var load in _loads)
            {
                text.Append(load).Append(eol);
            }

            text.Append(store).Append(eol).Append('}').Append(eol);
            return ParseStatement(text.ToString());
        }

        /// <summary>
        /// What replaces the loop: the broadcast scalars, the induction variable (declared before the vector loop, so that
        /// the tail continues from it), the vector loop — behind an overlap check when slices may overlap — and the tail.
        /// </summary>
        private List<StatementSyntax> Statements(StatementSyntax vectorLoop, string eol)
        {
            var statements = _hoisted.Select(h => ParseStatement(h + eol)).ToList();
            statements.Add(LocalDeclarationStatement(_loop.Declaration!.WithoutTrivia()).WithTrailingTrivia(EndOfLine(eol)));
            if (!_kernel.OverlapGuards.IsEmpty)
            {
                // Slices of one buffer may overlap partially; then the original loop alone keeps the original order.
                var guards = _kernel.OverlapGuards.Select(g => "!" + (g.Written.IsSpan ? KernelText.Primary(g.Written.Text) : KernelText.Primary(g.Written.Text) + ".AsSpan()") + ".Overlaps(" + g.Other.Text + ")");
                var guard = (IfStatementSyntax)ParseStatement($"if ({string.Join(" && ", guards)}){eol}{{{eol}}}{eol}");
                statements.Add(guard.WithStatement(Block(vectorLoop)));
            }
            else
            {
                statements.Add(vectorLoop);
            }

            statements = statements.Select(s => s.WithAdditionalAnnotations(Formatter.Annotation)).ToList();
            statements[0] = statements[0].WithLeadingTrivia(_loop.GetLeadingTrivia());

            // The original loop, without its declaration, finishes the elements a whole vector does not cover.
            var indentation = _loop.GetLeadingTrivia().Reverse().TakeWhile(t => t.IsKind(SyntaxKind.WhitespaceTrivia)).Reverse();
            statements.Add(_loop.WithDeclaration(null).WithLeadingTrivia(indentation.Prepend(EndOfLine(eol))));
            return statements;
        }

        /// <summary>The expression on vectors, with its precedence; <see cref="ElementwiseKernel.CanUseVector"/> promises every node has a vector form.</summary>
        private (string Text, int Precedence) Render(ElementwiseNode node)
        {
            _cancellationToken.ThrowIfCancellationRequested();
            switch (node.Operator)
            {
                case ElementwiseOperator.Element:
                    return (_names[node.Element!], Precedence.Primary);
                case ElementwiseOperator.Scalar:
                    return (Broadcast(node.Scalar!), Precedence.Primary);
                case ElementwiseOperator.Negate or ElementwiseOperator.OnesComplement:
                {
                    var (operand, inner) = Render(node.Operands[0]);
                    return ((node.Operator == ElementwiseOperator.Negate ? "-" : "~") + (inner == Precedence.Primary ? operand : "(" + operand + ")"), Precedence.Unary);
                }

                case ElementwiseOperator.Abs or ElementwiseOperator.Sqrt:
                    return ($"Vector.{(node.Operator == ElementwiseOperator.Abs ? "Abs" : "SquareRoot")}({Render(node.Operands[0]).Text})", Precedence.Primary);
                case ElementwiseOperator.Min or ElementwiseOperator.Max:
                {
                    var left = Render(node.Operands[0]).Text;
                    var right = Render(node.Operands[1]).Text;
                    return ($"Vector.{node.Operator}({left}, {right})", Precedence.Primary);
                }

                case ElementwiseOperator.ShiftLeft or ElementwiseOperator.ShiftRightArithmetic or ElementwiseOperator.ShiftRightLogical:
                    return RenderShift(node);
                case ElementwiseOperator.Add or ElementwiseOperator.Subtract or ElementwiseOperator.Multiply or ElementwiseOperator.Divide
                    or ElementwiseOperator.And or ElementwiseOperator.Or or ElementwiseOperator.Xor:
                    return RenderBinary(node);
                default:
                    // No Vector<T> form: ElementwiseKernel.CanUseVector excludes it, so the analysis never announces this fix.
                    _unsupported = true;
                    return (string.Empty, Precedence.Primary);
            }
        }

        private (string Text, int Precedence) RenderShift(ElementwiseNode node)
        {
            var (operand, inner) = Render(node.Operands[0]);
            var op = node.Operator switch
            {
                ElementwiseOperator.ShiftLeft => "<<",
                ElementwiseOperator.ShiftRightArithmetic => ">>",
                _ => NumericTypes.IsSignedInteger(_kernel.ElementType) ? ">>>" : ">>",
            };
            return ($"{Parenthesize(operand, inner, Precedence.Shift, Precedence.Shift)} {op} {node.Shift}", Precedence.Shift);
        }

        private (string Text, int Precedence) RenderBinary(ElementwiseNode node)
        {
            var (op, level) = node.Operator switch
            {
                ElementwiseOperator.Add => ("+", Precedence.Additive),
                ElementwiseOperator.Subtract => ("-", Precedence.Additive),
                ElementwiseOperator.Multiply => ("*", Precedence.Multiplicative),
                ElementwiseOperator.Divide => ("/", Precedence.Multiplicative),
                ElementwiseOperator.And => ("&", Precedence.And),
                ElementwiseOperator.Or => ("|", Precedence.Or),
                _ => ("^", Precedence.Xor),
            };

            // Vector<T> * T, T * Vector<T> and Vector<T> / T take the scalar as it is.
            var leftScalar = node.Operands[0].IsScalar && node.Operator == ElementwiseOperator.Multiply && !node.Operands[1].IsScalar;
            var rightScalar = node.Operands[1].IsScalar && !node.Operands[0].IsScalar
                && (node.Operator == ElementwiseOperator.Multiply || (node.Operator == ElementwiseOperator.Divide && _hasScalarDivision));
            var (left, leftLevel) = leftScalar ? (KernelText.Primary(node.Operands[0].Scalar!.Syntax.ToString()), Precedence.Primary) : Render(node.Operands[0]);
            var (right, rightLevel) = rightScalar ? (KernelText.Primary(node.Operands[1].Scalar!.Syntax.ToString()), Precedence.Primary) : Render(node.Operands[1]);
            return ($"{Parenthesize(left, leftLevel, level, level)} {op} {Parenthesize(right, rightLevel, level + 1, level)}", level);
        }

        /// <summary>A scalar on every lane: locals and parameters are broadcast once, before the loop; constants and other scalars in place.</summary>
        private string Broadcast(IOperation scalar)
        {
            var text = scalar.Syntax.ToString();
            var symbol = scalar.UnwrapConversions() switch
            {
                ILocalReferenceOperation local => (ISymbol)local.Local,
                IParameterReferenceOperation parameter => parameter.Parameter,
                _ => null,
            };

            if (symbol is null)
            {
                return $"new {_vectorType}({text})";
            }

            if (!_broadcasts.TryGetValue(symbol, out var name))
            {
                name = FreshNames.Next(_used, VectorName(symbol.Name));
                _broadcasts[symbol] = name;
                _hoisted.Add($"var {name} = new {_vectorType}({text});");
            }

            return name;
        }

        /// <summary><c>a</c> → <c>va</c>; <c>src</c> → <c>srcVector</c>; <c>_weights</c> → <c>weightsVector</c>.</summary>
        private static string VectorName(string name)
        {
            var trimmed = name.TrimStart('_');
            if (trimmed.Length > 2 && (trimmed.StartsWith("m_", System.StringComparison.Ordinal) || trimmed.StartsWith("s_", System.StringComparison.Ordinal)))
            {
                trimmed = trimmed.Substring(2);
            }

            if (trimmed.Length == 0)
            {
                return "vector";
            }

            trimmed = char.ToLowerInvariant(trimmed[0]) + trimmed.Substring(1);
            return trimmed.Length == 1 ? "v" + trimmed : trimmed + "Vector";
        }

        /// <summary>
        /// Parentheses where C# needs them, and where a reader would want them: arithmetic nests in arithmetic without
        /// them (<c>a * x + y</c>), bitwise operators and shifts keep them around other operators (<c>(a &lt;&lt; 2) ^ (b &amp; m)</c>).
        /// </summary>
        private static string Parenthesize(string text, int precedence, int required, int parent)
        {
            var arithmetic = (precedence is Precedence.Additive or Precedence.Multiplicative) && (parent is Precedence.Additive or Precedence.Multiplicative);
            var clear = precedence >= Precedence.Unary || precedence == parent || arithmetic;
            return precedence >= required && clear ? text : "(" + text + ")";
        }

        /// <summary>C# operator precedence, higher binds tighter.</summary>
        private static class Precedence
        {
            public const int Or = 1;
            public const int Xor = 2;
            public const int And = 3;
            public const int Shift = 4;
            public const int Additive = 5;
            public const int Multiplicative = 6;
            public const int Unary = 7;
            public const int Primary = 8;
        }
    }
}
