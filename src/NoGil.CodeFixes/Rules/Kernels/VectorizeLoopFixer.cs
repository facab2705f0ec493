using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Operations;
using NoGil.Analyzers.Analysis.Common;
using NoGil.Analyzers.Analysis.Kernels;
using NoGil.Analyzers.Analysis.Loops;
using NoGil.Analyzers.Infrastructure;
using NoGil.Analyzers.Rules.Kernels;
using NoGil.CodeFixes.Infrastructure;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace NoGil.CodeFixes.Rules.Kernels;

/// <summary>
/// NOGIL302 fixes: "Use TensorPrimitives.X" (one call over the loop's range) and "Vectorize with Vector&lt;T&gt;" (a
/// vector loop, then the original loop as the scalar tail).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(VectorizeLoopFixer)), Shared]
public sealed class VectorizeLoopFixer : CodeFixProvider
{
    public const string TensorPrimitivesKey = RuleIdentifiers.VectorizeLoop + ".TensorPrimitives";
    public const string VectorKey = RuleIdentifiers.VectorizeLoop + ".Vector";

    public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(RuleIdentifiers.VectorizeLoop);

    /// <summary>Fix All applies the fixes one after another: every fix may add the same using directives.</summary>
    public override FixAllProvider GetFixAllProvider() => FixAllProvider.Create(FixAllInDocumentAsync);

    private static Task<Document?> FixAllInDocumentAsync(FixAllContext context, Document document, ImmutableArray<Diagnostic> diagnostics)
    {
        var key = context.CodeActionEquivalenceKey;
        if (key is not (TensorPrimitivesKey or VectorKey))
        {
            return Task.FromResult<Document?>(null);
        }

        var property = key == TensorPrimitivesKey ? VectorizeLoopAnalyzer.TensorPrimitivesProperty : VectorizeLoopAnalyzer.VectorProperty;
        return SequentialFixAll.FixInOrderAsync(
            document,
            diagnostics.Where(d => d.Properties.TryGetValue(property, out var value) && value is not null),
            (_, root, model, node, _, cancellationToken) => Task.FromResult(
                Kernel(model, node, cancellationToken) is { } kernel
                    ? (key == TensorPrimitivesKey ? UseTensorPrimitives(root, model, kernel, cancellationToken) : UseVector(root, model, kernel, cancellationToken))
                    : null),
            context.CancellationToken);
    }

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            if (!root.FullSpan.Contains(diagnostic.Location.SourceSpan)
                || Kernel(model, root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true), context.CancellationToken) is not { } kernel)
            {
                continue;
            }

            // TensorPrimitives first: one call says it best. Without System.Numerics.Tensors only the Vector<T> fix exists.
            if (diagnostic.Properties.TryGetValue(VectorizeLoopAnalyzer.TensorPrimitivesProperty, out var method) && method is not null
                && kernel.TensorPrimitives is { } call && call.Method == method
                && UseTensorPrimitives(root, model, kernel, context.CancellationToken) is { } tensorRoot)
            {
                var title = call.IsApproximate
                    ? $"Use TensorPrimitives.{call.Method} (results may differ from {call.Approximates} in the last bits)"
                    : $"Use TensorPrimitives.{call.Method}";
                context.RegisterCodeFix(CodeAction.Create(title, _ => Task.FromResult(context.Document.WithSyntaxRoot(tensorRoot)), TensorPrimitivesKey), diagnostic);
            }

            if (diagnostic.Properties.TryGetValue(VectorizeLoopAnalyzer.VectorProperty, out var vector) && vector == "true"
                && kernel.CanUseVector
                && UseVector(root, model, kernel, context.CancellationToken) is { } vectorRoot)
            {
                var title = $"Vectorize with Vector<{TypeName(kernel)}>";
                context.RegisterCodeFix(CodeAction.Create(title, _ => Task.FromResult(context.Document.WithSyntaxRoot(vectorRoot)), VectorKey), diagnostic);
            }
        }
    }

    private static ElementwiseKernel? Kernel(SemanticModel model, SyntaxNode node, CancellationToken cancellationToken)
    {
        if (node.FirstAncestorOrSelf<ForStatementSyntax>() is not { } loop
            || model.GetOperation(loop, cancellationToken) is not ILoopOperation operation)
        {
            return null;
        }

        var types = KnownTypes.For(model.Compilation);
        return ElementwiseKernel.TryMatch(LoopDependence.Analyze(operation, types, PurityCache.For(model.Compilation), cancellationToken), types, cancellationToken);
    }

    private static string TypeName(ElementwiseKernel kernel) => kernel.ElementType.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat);

    // ----- TensorPrimitives.X(a, b, …, destination) -----

    private static SyntaxNode? UseTensorPrimitives(SyntaxNode root, SemanticModel model, ElementwiseKernel kernel, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (kernel.TensorPrimitives is not { } call || TypeNames.ConflictsWithName(model, kernel.Loop.SpanStart, "TensorPrimitives", "System.Numerics.Tensors.TensorPrimitives"))
        {
            return null;
        }

        // Every span covers exactly [0, hi), the elements the loop touches: TensorPrimitives throws when lengths differ.
        var count = kernel.UpperBound.WithoutTrivia().ToString();
        string Span(ElementwiseOperand operand, bool qualified)
        {
            if (kernel.UpperBoundLengthOf is { } whole && SymbolEqualityComparer.Default.Equals(whole.Symbol, operand.Symbol) && whole.Text == operand.Text)
            {
                return operand.Text;
            }

            return operand.IsSpan
                ? $"{Primary(operand.Text)}.Slice(0, {count})"
                : qualified ? $"global::System.MemoryExtensions.AsSpan({operand.Text}, 0, {count})" : $"{Primary(operand.Text)}.AsSpan(0, {count})";
        }

        string Arguments(bool qualified)
        {
            var arguments = call.Arguments.Select(a => a.Operand is { } operand ? Span(operand, qualified) : a.Shift is { } shift ? shift.ToString(System.Globalization.CultureInfo.InvariantCulture) : a.Scalar!.Syntax.ToString());
            return string.Join(", ", arguments.Append(Span(kernel.Destination, qualified)));
        }

        // Bind the call where the loop is, first with inferred type arguments (arrays do not infer T from ReadOnlySpan<T>
        // before C# 14), then with an explicit one.
        var typeName = TypeName(kernel);
        string? typeArguments = null;
        foreach (var candidate in new[] { string.Empty, "<" + typeName + ">" })
        {
            var qualified = ParseExpression($"global::System.Numerics.Tensors.TensorPrimitives.{call.Method}{candidate}({Arguments(qualified: true)})");
            var bound = model.GetSpeculativeSymbolInfo(kernel.Loop.SpanStart, qualified, SpeculativeBindingOption.BindAsExpression).Symbol as IMethodSymbol;
            if (bound is { Name: var name, ReturnsVoid: true } && name == call.Method
                && KnownTypes.Is(bound.ContainingType, KnownTypes.For(model.Compilation).TensorPrimitives))
            {
                typeArguments = candidate;
                break;
            }
        }

        if (typeArguments is null)
        {
            return null;
        }

        var text = $"TensorPrimitives.{call.Method}{typeArguments}({Arguments(qualified: false)});";
        if (call.ThrowsOnEmpty)
        {
            // The loop does nothing for an empty range; this method would throw.
            var eol = root.DescendantTrivia().FirstOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia)).ToString() is { Length: > 0 } e ? e : "\n";
            text = $"if ({Additive(count)} > 0){eol}{{{eol}{text}{eol}}}";
        }

        var statement = ParseStatement(text)
            .WithTriviaFrom(kernel.Loop)
            .WithAdditionalAnnotations(Formatter.Annotation);
        var newRoot = root.ReplaceNode(kernel.Loop, statement);
        if (call.Arguments.Select(a => a.Operand).Append(kernel.Destination).Any(o => o is { IsSpan: false } && Span(o, qualified: false) != o.Text)
            && !Imports.Binds(model, kernel.Loop.SpanStart, "MemoryExtensions", "System.MemoryExtensions"))
        {
            newRoot = Imports.AddUsing(newRoot, "System");
        }

        return Imports.AddUsing(newRoot, "System.Numerics.Tensors");
    }

    // ----- Vector<T> loop, then the original loop as the scalar tail -----

    private static SyntaxNode? UseVector(SyntaxNode root, SemanticModel model, ElementwiseKernel kernel, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var loop = kernel.Loop;
        var types = KnownTypes.For(model.Compilation);
        if (!kernel.CanUseVector || types.VectorOfT is null
            || TypeNames.ConflictsWithName(model, loop.SpanStart, "Vector", "System.Numerics.Vector`1", "System.Numerics.Vector"))
        {
            return null;
        }

        // The induction variable now lives in the enclosing block: the loops get a block of their own when the name is
        // used elsewhere there (another loop's i, a field i), or when the loop is not directly in a block.
        var scope = loop.Parent switch
        {
            BlockSyntax block => (SyntaxNode)block,
            SwitchSectionSyntax section => section.Parent,
            _ => null,
        };
        var wrap = scope is null || scope.DescendantTokens().Any(t => t.IsKind(SyntaxKind.IdentifierToken) && t.ValueText == kernel.Induction.Name && !loop.Span.Contains(t.Span));

        // New names must not clash with anything in scope at the loop, nor with any name used where they are declared.
        var used = new HashSet<string>(model.LookupSymbols(loop.SpanStart).Select(s => s.Name));
        used.UnionWith((wrap ? loop : scope!).DescendantTokens().Where(t => t.IsKind(SyntaxKind.IdentifierToken)).Select(t => t.ValueText));
        var i = kernel.Induction.Name;
        var type = TypeName(kernel);
        var vectorType = $"Vector<{type}>";
        var count = vectorType + ".Count";

        // Loads: one vector per array or span the expression reads, in order of appearance.
        var names = new Dictionary<ElementwiseOperand, string>();
        var loads = new List<string>();
        foreach (var operand in kernel.Value.DescendantsAndSelf().Where(n => n.IsElement).Select(n => n.Element!).Distinct())
        {
            var name = FreshNames.Next(used, VectorName(operand.Symbol.Name));
            names[operand] = name;
            loads.Add(operand.IsSpan
                ? $"var {name} = new {vectorType}({Primary(operand.Text)}.Slice({i}));"
                : $"var {name} = new {vectorType}({operand.Text}, {i});");
        }

        // Broadcasts of locals and parameters are hoisted out of the loop; constants and other scalars are broadcast in place.
        var hoisted = new List<string>();
        var broadcasts = new Dictionary<ISymbol, string>(SymbolEqualityComparer.Default);
        string Broadcast(IOperation scalar)
        {
            var text = scalar.Syntax.ToString();
            var symbol = scalar switch
            {
                ILocalReferenceOperation local => (ISymbol)local.Local,
                IParameterReferenceOperation parameter => parameter.Parameter,
                IConversionOperation { IsImplicit: true, Operand: ILocalReferenceOperation local } => local.Local,
                IConversionOperation { IsImplicit: true, Operand: IParameterReferenceOperation parameter } => parameter.Parameter,
                _ => null,
            };

            if (symbol is null)
            {
                return $"new {vectorType}({text})";
            }

            if (!broadcasts.TryGetValue(symbol, out var name))
            {
                name = FreshNames.Next(used, VectorName(symbol.Name));
                broadcasts[symbol] = name;
                hoisted.Add($"var {name} = new {vectorType}({text});");
            }

            return name;
        }

        var hasScalarDivision = types.VectorOfT.GetMembers("op_Division").OfType<IMethodSymbol>()
            .Any(m => m.Parameters.Length == 2 && m.Parameters[1].Type is ITypeParameterSymbol);
        string? Render(ElementwiseNode node, out int precedence)
        {
            cancellationToken.ThrowIfCancellationRequested();
            precedence = Precedence.Primary;
            switch (node.Operator)
            {
                case ElementwiseOperator.Element:
                    return names[node.Element!];
                case ElementwiseOperator.Scalar:
                    return Broadcast(node.Scalar!);
                case ElementwiseOperator.Negate:
                case ElementwiseOperator.OnesComplement:
                {
                    var operand = Render(node.Operands[0], out var inner);
                    precedence = Precedence.Unary;
                    return operand is null ? null : (node.Operator == ElementwiseOperator.Negate ? "-" : "~") + (inner == Precedence.Primary ? operand : "(" + operand + ")");
                }

                case ElementwiseOperator.Abs:
                case ElementwiseOperator.Sqrt:
                {
                    var operand = Render(node.Operands[0], out _);
                    return operand is null ? null : $"Vector.{(node.Operator == ElementwiseOperator.Abs ? "Abs" : "SquareRoot")}({operand})";
                }

                case ElementwiseOperator.Min:
                case ElementwiseOperator.Max:
                {
                    var left = Render(node.Operands[0], out _);
                    var right = Render(node.Operands[1], out _);
                    return left is null || right is null ? null : $"Vector.{node.Operator}({left}, {right})";
                }

                case ElementwiseOperator.ShiftLeft:
                case ElementwiseOperator.ShiftRightArithmetic:
                case ElementwiseOperator.ShiftRightLogical:
                {
                    var operand = Render(node.Operands[0], out var inner);
                    precedence = Precedence.Shift;
                    var op = node.Operator switch
                    {
                        ElementwiseOperator.ShiftLeft => "<<",
                        ElementwiseOperator.ShiftRightArithmetic => ">>",
                        _ => IsSignedInteger(kernel.ElementType) ? ">>>" : ">>",
                    };
                    return operand is null ? null : $"{Parenthesize(operand, inner, Precedence.Shift, Precedence.Shift)} {op} {node.Shift}";
                }

                case ElementwiseOperator.Add:
                case ElementwiseOperator.Subtract:
                case ElementwiseOperator.Multiply:
                case ElementwiseOperator.Divide:
                case ElementwiseOperator.And:
                case ElementwiseOperator.Or:
                case ElementwiseOperator.Xor:
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
                        && (node.Operator == ElementwiseOperator.Multiply || (node.Operator == ElementwiseOperator.Divide && hasScalarDivision));
                    int leftLevel = Precedence.Primary, rightLevel = Precedence.Primary;
                    var left = leftScalar ? Primary(node.Operands[0].Scalar!.Syntax.ToString()) : Render(node.Operands[0], out leftLevel);
                    var right = rightScalar ? Primary(node.Operands[1].Scalar!.Syntax.ToString()) : Render(node.Operands[1], out rightLevel);
                    precedence = level;
                    return left is null || right is null
                        ? null
                        : $"{Parenthesize(left, leftLevel, level, level)} {op} {Parenthesize(right, rightLevel, level + 1, level)}";
                }

                default:
                    return null;
            }
        }

        if (Render(kernel.Value, out var valuePrecedence) is not { } value)
        {
            return null;
        }

        var destination = kernel.Destination;
        var store = (valuePrecedence == Precedence.Primary ? value : "(" + value + ")")
                    + (destination.IsSpan ? $".CopyTo({Primary(destination.Text)}.Slice({i}));" : $".CopyTo({destination.Text}, {i});");

        // The vector loop runs while a whole vector fits below the bound. With a bound that cannot be negative (a
        // length, a constant) hi - Count >= -Count cannot overflow. Any other int bound is widened to long first: hi -
        // Count in int would wrap for hi < int.MinValue + Count and run vectors the original loop never ran. i itself
        // cannot overflow: a vector is only processed when i + Count <= hi (+ 1 for <=) <= the length of the arrays.
        var upper = kernel.UpperBound.WithoutTrivia().ToString();
        var bound = kernel.UpperBoundIsNonNegative ? $"{Additive(upper)} - {count}" : $"(long){Primary(upper)} - {count}";
        var condition = kernel.UpperInclusive ? $"{i} <= {bound} + 1" : $"{i} <= {bound}";

        var eol = root.DescendantTrivia().FirstOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia)).ToString() is { Length: > 0 } e ? e : "\n";
        var text = new StringBuilder();
        text.Append($"for (; {condition}; {i} += {count}){eol}{{{eol}");
        foreach (var load in loads)
        {
            text.Append(load).Append(eol);
        }

        text.Append(store).Append(eol).Append('}').Append(eol);
        var vectorLoop = (StatementSyntax)ParseStatement(text.ToString());
        if (vectorLoop.ContainsDiagnostics)
        {
            return null;
        }

        // Broadcast scalars, the induction variable (declared before the vector loop, so that the tail continues from it), the vector loop.
        var statements = hoisted.Select(h => ParseStatement(h + eol)).ToList();
        statements.Add(LocalDeclarationStatement(loop.Declaration!.WithoutTrivia()).WithTrailingTrivia(EndOfLine(eol)));
        if (!kernel.OverlapGuards.IsEmpty)
        {
            // Slices of one buffer may overlap partially; then the original loop alone keeps the original order.
            var guards = kernel.OverlapGuards.Select(g => "!" + (g.Written.IsSpan ? Primary(g.Written.Text) : Primary(g.Written.Text) + ".AsSpan()") + ".Overlaps(" + g.Other.Text + ")");
            var guard = (IfStatementSyntax)ParseStatement($"if ({string.Join(" && ", guards)}){eol}{{{eol}}}{eol}");
            statements.Add(guard.WithStatement(Block(vectorLoop)));
        }
        else
        {
            statements.Add(vectorLoop);
        }

        statements = statements.Select(s => s.WithAdditionalAnnotations(Formatter.Annotation)).ToList();
        statements[0] = statements[0].WithLeadingTrivia(loop.GetLeadingTrivia());

        // The original loop, without its declaration, finishes the elements a whole vector does not cover.
        var indentation = loop.GetLeadingTrivia().Reverse().TakeWhile(t => t.IsKind(SyntaxKind.WhitespaceTrivia)).Reverse();
        statements.Add(loop.WithDeclaration(null).WithLeadingTrivia(indentation.Prepend(EndOfLine(eol))));

        var newRoot = wrap
            ? root.ReplaceNode(loop, Block(statements).WithTriviaFrom(loop).WithAdditionalAnnotations(Formatter.Annotation))
            : root.ReplaceNode(loop, statements);

        if (!kernel.OverlapGuards.IsEmpty && !Imports.Binds(model, loop.SpanStart, "MemoryExtensions", "System.MemoryExtensions"))
        {
            newRoot = Imports.AddUsing(newRoot, "System");
        }

        return Imports.Binds(model, loop.SpanStart, "Vector", "System.Numerics.Vector`1") && Imports.Binds(model, loop.SpanStart, "Vector", "System.Numerics.Vector")
            ? newRoot
            : Imports.AddUsing(newRoot, "System.Numerics");
    }

    private static bool IsSignedInteger(ITypeSymbol type) => type.SpecialType is SpecialType.System_SByte or SpecialType.System_Int16
        or SpecialType.System_Int32 or SpecialType.System_Int64;

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

    /// <summary>The text as an operand of member access or a cast: parenthesized unless it is a name, literal, member access or call.</summary>
    private static string Primary(string text)
    {
        var expression = ParseExpression(text);
        return expression is IdentifierNameSyntax or LiteralExpressionSyntax or MemberAccessExpressionSyntax or InvocationExpressionSyntax
            or ElementAccessExpressionSyntax or ParenthesizedExpressionSyntax or ThisExpressionSyntax or GenericNameSyntax
            ? text
            : "(" + text + ")";
    }

    /// <summary>The text as the left operand of a subtraction.</summary>
    private static string Additive(string text)
    {
        var expression = ParseExpression(text);
        return expression is BinaryExpressionSyntax binary && !(binary.IsKind(SyntaxKind.AddExpression) || binary.IsKind(SyntaxKind.SubtractExpression)
                                                                || binary.IsKind(SyntaxKind.MultiplyExpression) || binary.IsKind(SyntaxKind.DivideExpression)
                                                                || binary.IsKind(SyntaxKind.ModuloExpression))
            || expression is ConditionalExpressionSyntax or AssignmentExpressionSyntax
            ? "(" + text + ")"
            : text;
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
