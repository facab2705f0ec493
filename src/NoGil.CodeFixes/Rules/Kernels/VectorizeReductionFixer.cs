namespace NoGil.CodeFixes.Rules.Kernels;

/// <summary>
/// NOGIL303 fixes. "Use TensorPrimitives.X": one <c>TensorPrimitives</c> call over exactly the loop's range, merged
/// into the accumulator (guarded where the range may be empty). "Vectorize with Vector&lt;T&gt;": a vector accumulator
/// loop over whole vectors, its lanes merged into the accumulator, then the original loop as the scalar tail.
/// </summary>
/// <remarks>Fix All: a fix may hoist the induction variable and add usings, so Fix All applies the fixes one after another.</remarks>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(VectorizeReductionFixer)), Shared]
public sealed partial class VectorizeReductionFixer() : NoGilCodeFixProvider(FixAllMode.Sequential, RuleIdentifiers.VectorizeReduction)
{
    protected override string GetTitle(Diagnostic diagnostic, FixKind kind)
        => kind == FixKind.TensorPrimitives
            ? "Use TensorPrimitives." + DiagnosticProperties.Get(diagnostic, DiagnosticProperties.TensorPrimitivesMethodKey)
            : "Vectorize with Vector<T>";

    /// <summary>Matches the kernel as the analyzer did and writes the announced fix, importing the namespaces of the types it names.</summary>
    protected override SyntaxNode? Render(FixRequest request)
    {
        if (KernelFixes.LoopAt(request) is not { } loop
            || KernelFixes.Model(request, loop.Operation) is not { } model
            || ReductionKernel.TryMatch(model) is not { } kernel)
        {
            return null;
        }

        var syntax = loop.Syntax;
        var writer = new Writer(request.Root, request.Model, syntax, kernel);
        var statements = request.Kind == FixKind.TensorPrimitives
            ? new List<StatementSyntax> { writer.TensorPrimitives() }
            : writer.Vector(request.CancellationToken);
        if (statements is null)
        {
            return null;
        }

        var newRoot = Replace(request.Root, syntax, statements);
        foreach (var type in kernel.TypesWritten(request.Kind))
        {
            if (!TypeNames.Binds(request.Model, syntax.SpanStart, type.Name, type.MetadataName))
            {
                newRoot = Imports.AddUsing(newRoot, type.Namespace);
            }
        }

        return newRoot;
    }

    /// <summary>
    /// Puts <paramref name="statements"/> where the loop was: in its place, spliced into its block, or as a block of
    /// their own in place of an embedded statement (the analysis offers several statements nowhere else).
    /// </summary>
    private static SyntaxNode Replace(SyntaxNode root, StatementSyntax loop, IReadOnlyList<StatementSyntax> statements)
    {
        // The original loop's text stays as it was (the scalar tail of a Vector<T> fix): only the new statements are
        // formatted, also in the block an embedded loop gets (Layout).
        var exact = Layout.ReplaceStatement(
            root,
            loop,
            statements.Select((s, k) => (s.HasAnnotation(KernelFixes.KeepText) ? s : s.WithAdditionalAnnotations(Formatter.Annotation))
                .WithTrailingTrivia(k == statements.Count - 1 ? loop.GetTrailingTrivia() : s.GetTrailingTrivia())).ToList(),
            scope: false,
            KernelFixes.EndOfLine(root));
        if (exact is not null)
        {
            return exact;
        }

        // The loop shares its line with what precedes it: the formatter lays everything out.
        var inBlock = loop.Parent is BlockSyntax;
        var indent = KernelFixes.Indentation(loop).Indent;
        var annotated = statements
            .Select(s => inBlock && s.HasAnnotation(KernelFixes.KeepText) ? s.WithLeadingTrivia(Whitespace(indent)) : s.WithAdditionalAnnotations(Formatter.Annotation))
            .ToList();
        annotated[0] = annotated[0].WithLeadingTrivia(loop.GetLeadingTrivia());
        annotated[annotated.Count - 1] = annotated[annotated.Count - 1].WithTrailingTrivia(loop.GetTrailingTrivia());
        if (annotated.Count == 1)
        {
            return root.ReplaceNode(loop, annotated[0]);
        }

        return loop.Parent is BlockSyntax
            ? root.ReplaceNode(loop, annotated)
            : root.ReplaceNode(loop, Block(annotated).WithTriviaFrom(loop).WithAdditionalAnnotations(Formatter.Annotation));
    }

    /// <summary>Writes the replacement statements as text a person would write, then parses them.</summary>
    private sealed partial class Writer
    {
        private readonly SemanticModel _model;
        private readonly StatementSyntax _loop;
        private readonly ReductionKernel _kernel;
        private readonly HashSet<string> _used;
        private readonly string _eol;

        public Writer(SyntaxNode root, SemanticModel model, StatementSyntax loop, ReductionKernel kernel)
        {
            _model = model;
            _loop = loop;
            _kernel = kernel;
            var member = loop.AncestorsAndSelf().FirstOrDefault(n => n is MemberDeclarationSyntax or LocalFunctionStatementSyntax) ?? root;
            _used = new HashSet<string>(member.DescendantTokens().Where(t => t.IsKind(SyntaxKind.IdentifierToken)).Select(t => t.ValueText));
            _eol = KernelFixes.EndOfLine(root);
        }

        private string ElementType => _kernel.ElementType.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat);

        private string Accumulator => _kernel.Reduction.Update.Descendants()
            .FirstOrDefault(o => o.Syntax is IdentifierNameSyntax && o.IsReferenceToLocalOrParameter(_kernel.Reduction.Variable))?.Syntax.ToString()
            ?? _kernel.Reduction.Variable.Name;

        private bool IsForEach => _kernel.Loop.Shape == LoopShape.ForEachArray;

        private string Lower => IsForEach ? "0" : KernelText.Primary(_kernel.Loop.LowerBound!.Syntax);

        private string Upper => IsForEach ? KernelText.Primary(_kernel.Source.Reference.Syntax) + ".Length" : KernelText.Primary(_kernel.Loop.UpperBound!.Syntax);

        /// <summary>The accumulator merged with one <c>TensorPrimitives</c> call over the loop's range, guarded where that range may be empty.</summary>
        public StatementSyntax TensorPrimitives()
        {
            var method = _kernel.TensorPrimitivesMethod!;
            var typeArgument = _kernel.ElementType.SpecialType == SpecialType.System_Single ? string.Empty : "<" + ElementType + ">";
            var call = "TensorPrimitives." + method + typeArgument + "(" + Range(_kernel.Source) + (_kernel.Second is { } second ? ", " + Range(second) : string.Empty) + ")";
            var accumulator = Accumulator;
            string statement;
            bool needsGuard;
            if (_kernel.Kind is ReductionKernelKind.Sum or ReductionKernelKind.Dot or ReductionKernelKind.SumOfSquares or ReductionKernelKind.SumOfMagnitudes)
            {
                statement = accumulator + " += " + call + ";";
                needsGuard = !_kernel.HasValidRange;
            }
            else
            {
                // Max and Min throw on an empty span, and merge with the accumulator the way the loop does.
                statement = accumulator + " = " + (_kernel.MathFunction ?? "Math." + method) + "(" + accumulator + ", " + call + ");";
                needsGuard = true;
            }

            // No dead guard: a range that is provably non-empty needs none (RangeFacts).
            needsGuard = needsGuard && (IsForEach || !RangeFacts.IsNonEmpty(_kernel.Loop.LowerBound, _kernel.Loop.UpperBound, _kernel.Loop.UpperInclusive));
            var text = needsGuard ? "if (" + NonEmpty + ")" + _eol + "{" + _eol + statement + _eol + "}" : statement;
            return ParseStatement(text);
        }

        /// <summary>The loop's range of <paramref name="operand"/>: the operand itself when the loop covers all of it.</summary>
        private string Range(ReductionOperand operand)
        {
            var text = KernelText.Primary(operand.Reference.Syntax);
            if (_kernel.IsWholeRange(operand))
            {
                return text;
            }

            var lowerIsZero = _kernel.LowerIsZero;
            var length = _kernel.Loop.UpperInclusive
                ? (lowerIsZero ? Upper + " + 1" : Upper + " - " + Lower + " + 1")
                : (lowerIsZero ? Upper : Upper + " - " + Lower);
            return text + (operand.IsSpan ? ".Slice(" : ".AsSpan(") + (IsForEach ? "0" : _kernel.Loop.LowerBound!.Syntax.ToString()) + ", " + length + ")";
        }

        private string NonEmpty => IsForEach
            ? KernelText.Primary(_kernel.Source.Reference.Syntax) + ".Length > 0"
            : Upper + (_kernel.Loop.UpperInclusive ? " >= " : " > ") + Lower;
    }
}
