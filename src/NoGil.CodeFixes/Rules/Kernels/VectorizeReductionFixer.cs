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
using NoGil.CodeFixes.Infrastructure;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace NoGil.CodeFixes.Rules.Kernels;

/// <summary>
/// NOGIL303 fixes. "Use TensorPrimitives.X": one <c>TensorPrimitives</c> call over exactly the loop's range, merged
/// into the accumulator (guarded where the range may be empty). "Vectorize with Vector&lt;T&gt;": a vector accumulator
/// loop over whole vectors, its lanes merged into the accumulator, then the original loop as the scalar tail.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(VectorizeReductionFixer)), Shared]
public sealed class VectorizeReductionFixer : CodeFixProvider
{
    public const string TensorPrimitivesKey = RuleIdentifiers.VectorizeReduction + ".TensorPrimitives";
    public const string VectorKey = RuleIdentifiers.VectorizeReduction + ".Vector";

    public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(RuleIdentifiers.VectorizeReduction);

    /// <summary>A fix may hoist the induction variable and add usings, so Fix All applies the fixes one after another.</summary>
    public override FixAllProvider GetFixAllProvider() => FixAllProvider.Create(FixAllInDocumentAsync);

    private static Task<Document?> FixAllInDocumentAsync(FixAllContext context, Document document, ImmutableArray<Diagnostic> diagnostics)
        => SequentialFixAll.FixInOrderAsync(
            document,
            diagnostics,
            (_, root, model, _, diagnostic, cancellationToken) => Task.FromResult(Fix(root, model, diagnostic, cancellationToken)?.Root),
            context.CancellationToken);

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        context.CancellationToken.ThrowIfCancellationRequested();
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            if (Fix(root, model, diagnostic, context.CancellationToken) is not { } fix)
            {
                continue;
            }

            var document = context.Document;
            context.RegisterCodeFix(
                CodeAction.Create(
                    fix.Title,
                    cancellationToken =>
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        return Task.FromResult(document.WithSyntaxRoot(fix.Root));
                    },
                    fix.Kind == ReductionFixKind.TensorPrimitives ? TensorPrimitivesKey : VectorKey),
                diagnostic);
        }
    }

    private sealed class FixResult
    {
        public FixResult(SyntaxNode root, string title, ReductionFixKind kind)
        {
            Root = root;
            Title = title;
            Kind = kind;
        }

        public SyntaxNode Root { get; }

        public string Title { get; }

        public ReductionFixKind Kind { get; }
    }

    private static FixResult? Fix(SyntaxNode root, SemanticModel model, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var span = diagnostic.Location.SourceSpan;
        if (!root.FullSpan.Contains(span)
            || root.FindNode(span, getInnermostNodeForTie: true).AncestorsAndSelf().FirstOrDefault(n => n is ForStatementSyntax or ForEachStatementSyntax) is not StatementSyntax loopSyntax
            || model.GetOperation(loopSyntax, cancellationToken) is not ILoopOperation loop)
        {
            return null;
        }

        var types = new KnownTypes(model.Compilation);
        if (LoopDependence.Analyze(loop, types, PurityCache.For(model.Compilation), cancellationToken) is not { } loopModel
            || ReductionKernel.TryMatch(loopModel) is not { } kernel)
        {
            return null;
        }

        var kind = kernel.ChooseFix(types.HasGenericTensorPrimitives);
        var writer = new Writer(root, model, loopSyntax, kernel);
        var statements = kind switch
        {
            ReductionFixKind.TensorPrimitives => writer.TensorPrimitives(),
            ReductionFixKind.Vector => writer.Vector(cancellationToken),
            _ => null,
        };

        if (statements is null || writer.Usings is null)
        {
            return null;
        }

        var newRoot = Replace(root, loopSyntax, statements);
        if (newRoot is null)
        {
            return null;
        }

        foreach (var name in writer.Usings)
        {
            newRoot = Imports.AddUsing(newRoot, name);
        }

        var title = kind == ReductionFixKind.TensorPrimitives ? "Use TensorPrimitives." + kernel.TensorPrimitivesMethod : "Vectorize with Vector<T>";
        return new FixResult(newRoot, title, kind);
    }

    /// <summary>Puts <paramref name="statements"/> where the loop was: spliced into its block, or as a block of their own.</summary>
    private static SyntaxNode? Replace(SyntaxNode root, StatementSyntax loop, IReadOnlyList<StatementSyntax> statements)
    {
        var annotated = statements.Select(s => s.WithAdditionalAnnotations(Formatter.Annotation)).ToList();
        annotated[0] = annotated[0].WithLeadingTrivia(loop.GetLeadingTrivia());
        annotated[annotated.Count - 1] = annotated[annotated.Count - 1].WithTrailingTrivia(loop.GetTrailingTrivia());
        if (annotated.Count == 1)
        {
            return root.ReplaceNode(loop, annotated[0]);
        }

        return loop.Parent switch
        {
            BlockSyntax => root.ReplaceNode(loop, annotated),
            GlobalStatementSyntax or SwitchSectionSyntax or LabeledStatementSyntax => null,
            _ => root.ReplaceNode(loop, Block(annotated).WithTriviaFrom(loop).WithAdditionalAnnotations(Formatter.Annotation)),
        };
    }

    /// <summary>Writes the replacement statements as text a person would write, then parses them.</summary>
    private sealed class Writer
    {
        private readonly SyntaxNode _root;
        private readonly SemanticModel _model;
        private readonly StatementSyntax _loop;
        private readonly ReductionKernel _kernel;
        private readonly HashSet<string> _used;
        private readonly string _eol;

        public Writer(SyntaxNode root, SemanticModel model, StatementSyntax loop, ReductionKernel kernel)
        {
            _root = root;
            _model = model;
            _loop = loop;
            _kernel = kernel;
            var member = loop.AncestorsAndSelf().FirstOrDefault(n => n is MemberDeclarationSyntax or LocalFunctionStatementSyntax) ?? root;
            _used = new HashSet<string>(member.DescendantTokens().Where(t => t.IsKind(SyntaxKind.IdentifierToken)).Select(t => t.ValueText));
            _eol = root.DescendantTrivia().FirstOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia)).ToString() is { Length: > 0 } eol ? eol : "\n";
            Usings = new List<string>();
        }

        /// <summary>Namespaces to import; null when a name the fix needs is taken by something else.</summary>
        public List<string>? Usings { get; private set; }

        private string ElementType => _kernel.ElementType.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat);

        private string Accumulator => _kernel.Reduction.Update.Descendants()
            .FirstOrDefault(o => o is ILocalReferenceOperation or IParameterReferenceOperation && o.Syntax is IdentifierNameSyntax && Refers(o, _kernel.Reduction.Variable))?.Syntax.ToString()
            ?? _kernel.Reduction.Variable.Name;

        private bool IsForEach => _kernel.Loop.Shape == LoopShape.ForEachArray;

        private string Lower => IsForEach ? "0" : Operand(_kernel.Loop.LowerBound!.Syntax);

        private string Upper => IsForEach ? Operand(_kernel.Source.Reference.Syntax) + ".Length" : Operand(_kernel.Loop.UpperBound!.Syntax);

        private bool LowerIsZero => IsForEach || _kernel.Loop.LowerBound?.ConstantValue is { HasValue: true, Value: 0 };

        public List<StatementSyntax>? TensorPrimitives()
        {
            var tensor = Name("TensorPrimitives", "System.Numerics.Tensors.TensorPrimitives", "System.Numerics.Tensors");
            var method = _kernel.TensorPrimitivesMethod!;
            var typeArgument = _kernel.ElementType.SpecialType == SpecialType.System_Single ? string.Empty : "<" + ElementType + ">";
            var call = tensor + "." + method + typeArgument + "(" + Range(_kernel.Source) + (_kernel.Second is { } second ? ", " + Range(second) : string.Empty) + ")";
            var accumulator = Accumulator;
            string statement;
            bool needsGuard;
            if (_kernel.Kind is ReductionKernelKind.Sum or ReductionKernelKind.Dot or ReductionKernelKind.SumOfSquares or ReductionKernelKind.SumOfMagnitudes)
            {
                statement = accumulator + " += " + call + ";";
                needsGuard = !RangeIsValid;
            }
            else
            {
                // Max and Min throw on an empty span, and merge with the accumulator the way the loop does.
                var math = _kernel.MathMethod is { } mathMethod && _kernel.Reduction.Update.Descendants().OfType<IInvocationOperation>().FirstOrDefault()?.Syntax is InvocationExpressionSyntax invocation
                    ? invocation.Expression.ToString()
                    : Name("Math", "System.Math", "System") + "." + method;
                statement = accumulator + " = " + math + "(" + accumulator + ", " + call + ");";
                needsGuard = true;
            }

            if (Usings is null)
            {
                return null;
            }

            var text = needsGuard ? "if (" + NonEmpty + ")" + _eol + "{" + _eol + statement + _eol + "}" : statement;
            return new List<StatementSyntax> { ParseStatement(text) };
        }

        public List<StatementSyntax>? Vector(CancellationToken cancellationToken)
        {
            if (_loop is ForStatementSyntax forLoop && (forLoop.Declaration is not { Variables.Count: 1 } declaration || declaration.Variables[0].Initializer is null))
            {
                return null;
            }

            var vector = Name("Vector", "System.Numerics.Vector", "System.Numerics");
            var t = ElementType;
            var vectorOfT = "Vector<" + t + ">";
            var inductionName = IsForEach ? "i" : ((ForStatementSyntax)_loop).Declaration!.Variables[0].Identifier.ValueText;
            var index = ConflictsInBlock(inductionName) || IsForEach ? FreshNames.Next(_used, inductionName) : inductionName;
            var declaredType = _loop is ForStatementSyntax { Declaration: { } d } ? d.Type.ToString() : "int";
            var accumulator = Accumulator;
            var lines = new List<string> { declaredType + " " + index + " = " + Lower + ";" };
            var header = "for (; " + index + " <= " + Upper + " - " + vectorOfT + ".Count; " + index + " += " + vectorOfT + ".Count)";
            string Load(ReductionOperand operand) => operand.IsSpan
                ? "new " + vectorOfT + "(" + Operand(operand.Reference.Syntax) + ".Slice(" + index + "))"
                : "new " + vectorOfT + "(" + Operand(operand.Reference.Syntax) + ", " + index + ")";

            switch (_kernel.Kind)
            {
                case ReductionKernelKind.Sum or ReductionKernelKind.Dot or ReductionKernelKind.SumOfSquares or ReductionKernelKind.SumOfMagnitudes:
                {
                    var sum = FreshNames.Next(_used, "vsum");
                    lines.Add("var " + sum + " = " + vectorOfT + ".Zero;");
                    lines.Add(header);
                    lines.Add("{");
                    switch (_kernel.Kind)
                    {
                        case ReductionKernelKind.Sum:
                            lines.Add(sum + " += " + Load(_kernel.Source) + ";");
                            break;
                        case ReductionKernelKind.Dot:
                            lines.Add(sum + " += " + Load(_kernel.Source) + " * " + Load(_kernel.Second!) + ";");
                            break;
                        case ReductionKernelKind.SumOfSquares:
                            var v = FreshNames.Next(_used, "v");
                            lines.Add("var " + v + " = " + Load(_kernel.Source) + ";");
                            lines.Add(sum + " += " + v + " * " + v + ";");
                            break;
                        default:
                            lines.Add(sum + " += " + vector + ".Abs(" + Load(_kernel.Source) + ");");
                            break;
                    }

                    lines.Add("}");
                    lines.Add(accumulator + " += " + vector + ".Sum(" + sum + ");");
                    break;
                }

                case ReductionKernelKind.Max or ReductionKernelKind.Min or ReductionKernelKind.CompareMax or ReductionKernelKind.CompareMin when !_kernel.IsFloatingPoint:
                {
                    // Integers: equal values are indistinguishable, so lane-wise Max/Min in any order is exact.
                    var isMax = _kernel.Kind is ReductionKernelKind.Max or ReductionKernelKind.CompareMax;
                    var best = FreshNames.Next(_used, isMax ? "vmax" : "vmin");
                    var lane = FreshNames.Next(_used, "lane");
                    var math = Name("Math", "System.Math", "System") + "." + (isMax ? "Max" : "Min");
                    lines.Add("var " + best + " = new " + vectorOfT + "(" + accumulator + ");");
                    lines.Add(header);
                    lines.Add("{");
                    lines.Add(best + " = " + vector + "." + (isMax ? "Max" : "Min") + "(" + best + ", " + Load(_kernel.Source) + ");");
                    lines.Add("}");
                    lines.Add("for (int " + lane + " = 0; " + lane + " < " + vectorOfT + ".Count; " + lane + "++)");
                    lines.Add("{");
                    lines.Add(accumulator + " = " + math + "(" + accumulator + ", " + best + "[" + lane + "]);");
                    lines.Add("}");
                    break;
                }

                case ReductionKernelKind.CompareMax or ReductionKernelKind.CompareMin:
                {
                    // Floating point: NaN lanes never win (as in the loop); equal non-zero values have the same bits, so
                    // only a zero result depends on which of +0 and -0 came first: then the scalar loop redoes the range.
                    var isMax = _kernel.Kind == ReductionKernelKind.CompareMax;
                    var best = FreshNames.Next(_used, isMax ? "vmax" : "vmin");
                    var v = FreshNames.Next(_used, "v");
                    var lane = FreshNames.Next(_used, "lane");
                    var result = FreshNames.Next(_used, isMax ? "vectorMax" : "vectorMin");
                    var compare = isMax ? ">" : "<";
                    lines.Add("var " + best + " = new " + vectorOfT + "(" + accumulator + ");");
                    lines.Add(header);
                    lines.Add("{");
                    lines.Add("var " + v + " = " + Load(_kernel.Source) + ";");
                    lines.Add(best + " = " + vector + ".ConditionalSelect(" + vector + "." + (isMax ? "GreaterThan" : "LessThan") + "(" + v + ", " + best + "), " + v + ", " + best + ");");
                    lines.Add("}");
                    lines.Add("var " + result + " = " + accumulator + ";");
                    lines.Add("for (int " + lane + " = 0; " + lane + " < " + vectorOfT + ".Count; " + lane + "++)");
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
                    break;
                }

                case ReductionKernelKind.Count:
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
                    lines.Add("var " + threshold + " = new " + vectorOfT + "(" + Operand(_kernel.Threshold!.Syntax) + ");");
                    lines.Add("var " + counts + " = Vector<" + laneType + ">.Zero;");
                    lines.Add(header);
                    lines.Add("{");
                    lines.Add("// A matching lane is -1 (all bits set): subtracting the mask counts it.");
                    lines.Add(counts + " -= " + negate + vector + "." + compare + "(" + Load(_kernel.Source) + ", " + threshold + ");");
                    lines.Add("}");
                    lines.Add(accumulator + " += " + (countIsInt && laneType == "long" ? "(int)" : string.Empty) + vector + ".Sum(" + counts + ");");
                    break;
                }

                default:
                    return null;
            }

            if (Usings is null || Tail(index, cancellationToken) is not { } tail)
            {
                return null;
            }

            var statements = Split(lines).Select(text => ParseStatement(text)).ToList();
            statements.Add(tail);
            return statements;
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
        private StatementSyntax? Tail(string index, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_loop is ForStatementSyntax forLoop)
            {
                var induction = _kernel.Loop.Induction!;
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
                    .WithTrailingTrivia();
            }

            if (_loop is ForEachStatementSyntax forEach)
            {
                var induction = _kernel.Loop.Induction!;
                var source = Operand(_kernel.Source.Reference.Syntax);
                var body = forEach.Statement.ReplaceNodes(
                    forEach.Statement.DescendantNodes().OfType<IdentifierNameSyntax>().Where(n => n.Identifier.ValueText == induction.Name && Binds(n.Identifier, induction, cancellationToken)),
                    (_, node) => ParseExpression(source + "[" + index + "]").WithTriviaFrom(node));
                return ParseStatement("for (; " + index + " < " + source + ".Length; " + index + "++)" + _eol + "{" + _eol + "}")
                    is ForStatementSyntax tail
                    ? tail.WithStatement(body is BlockSyntax ? body.WithoutTrivia() : Block(body.WithoutTrivia()))
                    : null;
            }

            return null;
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

        /// <summary>The loop's range of <paramref name="operand"/>: the operand itself when the loop covers all of it.</summary>
        private string Range(ReductionOperand operand)
        {
            var text = Operand(operand.Reference.Syntax);
            if (IsForEach || (LowerIsZero && !_kernel.Loop.UpperInclusive && IsLengthOf(_kernel.Loop.UpperBound, operand.Symbol)))
            {
                return text;
            }

            var length = _kernel.Loop.UpperInclusive
                ? (LowerIsZero ? Upper + " + 1" : Upper + " - " + Lower + " + 1")
                : (LowerIsZero ? Upper : Upper + " - " + Lower);
            if (!operand.IsSpan)
            {
                // AsSpan is an extension method of System.MemoryExtensions.
                Name("MemoryExtensions", "System.MemoryExtensions", "System");
            }

            return text + (operand.IsSpan ? ".Slice(" : ".AsSpan(") + (IsForEach ? "0" : _kernel.Loop.LowerBound!.Syntax.ToString()) + ", " + length + ")";
        }

        /// <summary>True when the sliced range cannot be negative or out of order: a foreach, or 0 up to some <c>.Length</c>.</summary>
        private bool RangeIsValid => IsForEach || (LowerIsZero && !_kernel.Loop.UpperInclusive && _kernel.Loop.UpperBound.UnwrapConversionsOrNull() is IPropertyReferenceOperation { Property.Name: "Length" });

        private string NonEmpty => IsForEach
            ? Operand(_kernel.Source.Reference.Syntax) + ".Length > 0"
            : Upper + (_kernel.Loop.UpperInclusive ? " >= " : " > ") + Lower;

        private static bool IsLengthOf(IOperation? bound, ISymbol symbol)
            => bound.UnwrapConversionsOrNull() is IPropertyReferenceOperation { Property.Name: "Length", Instance: { } instance }
               && instance switch
               {
                   ILocalReferenceOperation local => SymbolEqualityComparer.Default.Equals(local.Local, symbol),
                   IParameterReferenceOperation parameter => SymbolEqualityComparer.Default.Equals(parameter.Parameter, symbol),
                   IFieldReferenceOperation field => SymbolEqualityComparer.Default.Equals(field.Field, symbol),
                   _ => false,
               };

        private static bool Refers(IOperation operation, ISymbol symbol) => operation switch
        {
            ILocalReferenceOperation local => SymbolEqualityComparer.Default.Equals(local.Local, symbol),
            IParameterReferenceOperation parameter => SymbolEqualityComparer.Default.Equals(parameter.Parameter, symbol),
            _ => false,
        };

        /// <summary>An expression's text, parenthesized unless it is a primary expression.</summary>
        private static string Operand(SyntaxNode expression) => expression is IdentifierNameSyntax or MemberAccessExpressionSyntax or LiteralExpressionSyntax
            or InvocationExpressionSyntax or ElementAccessExpressionSyntax or ThisExpressionSyntax or ParenthesizedExpressionSyntax
            ? expression.ToString()
            : "(" + expression + ")";

        /// <summary>
        /// The simple name of a type the fix uses, importing its namespace when needed; when the simple name is taken by
        /// something else in scope, <see cref="Usings"/> becomes null and the fix is not offered.
        /// </summary>
        private string Name(string typeName, string metadataName, string namespaceName)
        {
            if (Usings is null || Imports.Binds(_model, _loop.SpanStart, typeName, metadataName))
            {
                return typeName;
            }

            if (_model.LookupNamespacesAndTypes(_loop.SpanStart, name: typeName).Any())
            {
                Usings = null;
                return typeName;
            }

            if (!Usings.Contains(namespaceName))
            {
                Usings.Add(namespaceName);
            }

            return typeName;
        }
    }
}
