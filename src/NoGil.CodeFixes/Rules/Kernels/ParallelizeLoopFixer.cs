namespace NoGil.CodeFixes.Rules.Kernels;

/// <summary>
/// NOGIL301 fix "Run iterations in parallel (Parallel.For)". The loop becomes
/// <list type="bullet">
/// <item><c>Parallel.For(lo, hi, i =&gt; { body })</c> when the body is heavy (<c>continue</c> becomes <c>return</c>);</item>
/// <item><c>Parallel.ForEach(Partitioner.Create(lo, hi), range =&gt; { for (…) { body } })</c> when it is light, guarded by
/// <c>lo &lt; hi</c> (<c>Partitioner.Create</c> rejects an empty range);</item>
/// <item><c>Parallel.ForEach(array, x =&gt; { body })</c> for a <c>foreach</c> over an array;</item>
/// </list>
/// with the <c>localInit</c>/<c>localFinally</c> overloads for a reduction: each worker folds into its own partial result,
/// which is merged into the original variable with <c>Interlocked.Add</c> (int and long sums) or under a lock.
/// The body text is kept.
/// </summary>
/// <remarks>Fix All: fixes in one document are applied one after another: they may add the same using directives.</remarks>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ParallelizeLoopFixer)), Shared]
public sealed partial class ParallelizeLoopFixer() : NoGilCodeFixProvider(FixAllMode.Sequential, RuleIdentifiers.ParallelizeLoop)
{
    /// <summary>Matches the loop as the analyzer did (with the option value it used) and writes its parallel form.</summary>
    protected override SyntaxNode? Render(FixRequest request)
    {
        var allowFloatReassociation = DiagnosticProperties.GetBoolean(request.Diagnostic, DiagnosticProperties.AllowFloatReassociationKey, defaultValue: true);
        if (KernelFixes.LoopAt(request) is not { } loop
            || ParallelLoop.TryMatch(loop.Operation, request.Types, PurityCache.For(request.Model.Compilation), allowFloatReassociation, request.CancellationToken) is not { Fix: { } fix } parallel
            || fix != request.Kind)
        {
            return null;
        }

        // The analyzer validated the project's own Parallel.For replacement and names it only where the fix may call it.
        var helper = DiagnosticProperties.Get(request.Diagnostic, DiagnosticProperties.ParallelForMethodKey) is { } id
            ? DocumentationCommentId.GetFirstSymbolForDeclarationId(id, request.Model.Compilation) as IMethodSymbol
            : null;
        var writer = new Writer(request.Model, loop.Syntax, parallel, request.Types, helper, request.CancellationToken);
        return writer.Rewrite(request.Root);
    }

    /// <summary>Writes the parallel form of one loop.</summary>
    private sealed partial class Writer
    {
        private readonly SemanticModel _model;
        private readonly StatementSyntax _loop;
        private readonly ParallelLoop _parallel;
        private readonly KnownTypes _types;
        private readonly IMethodSymbol? _parallelFor;
        private readonly CancellationToken _cancellationToken;
        private readonly List<string> _usings = new();
        private readonly HashSet<string> _reserved = new();
        private readonly string _eol;

        /// <summary>The loop's indentation and one level of it, for the text written without the formatter.</summary>
        private readonly string _indent;
        private readonly string _unit;

        public Writer(SemanticModel model, StatementSyntax loop, ParallelLoop parallel, KnownTypes types, IMethodSymbol? parallelFor, CancellationToken cancellationToken)
        {
            _model = model;
            _loop = loop;
            _parallel = parallel;
            _types = types;
            _parallelFor = parallelFor;
            _cancellationToken = cancellationToken;
            _eol = KernelFixes.EndOfLine(loop.SyntaxTree.GetRoot(cancellationToken));
            (_indent, _unit) = KernelFixes.Indentation(loop);
            _exact = Layout.StartsLine(loop);
        }

        /// <summary>
        /// The parallel form is written with the loop's own indentation and trivia, and the formatter is not run over it, so
        /// the code it reuses keeps its text: the body (moved one level in by an index range or a guard), the original loop
        /// of a versioned form. Only a loop that does not start its line (<c>if (c) for …</c> on one line) is left to the formatter.
        /// </summary>
        private readonly bool _exact;

        /// <summary>The indentation written in front of a line of the parallel form: the loop's when exact, else the formatter's business.</summary>
        private string Lead => _exact ? _indent : string.Empty;

        /// <summary>One level deeper than <see cref="Lead"/>.</summary>
        private string LeadIn => _exact ? _indent + _unit : string.Empty;

        /// <summary>Text laid out for the loop's indentation, moved one level in (when exact).</summary>
        private string Deeper(SyntaxNode node) => (_exact ? Layout.Reindent(node, _indent, _indent + _unit) : node).ToFullString();

        /// <summary>Statements laid out for the loop's indentation, one level in: each on its own line (when exact).</summary>
        private string Nested(IEnumerable<StatementSyntax> statements) => string.Concat(statements.Select(s => LeadIn + Deeper(s)));

        public SyntaxNode Rewrite(SyntaxNode root)
        {
            var callsHelper = _parallelFor is not null && _parallel.Form == ParallelLoopForm.PerIndex && _parallel.Reduction is null && _loop is ForStatementSyntax;
            var parallelType = callsHelper ? string.Empty : TypeName("Parallel", _types.Parallel!, "System.Threading.Tasks");
            var reduction = _parallel.Reduction is { } r ? Reduction(r, _parallel.Merge!) : null;
            var statements = _loop is ForStatementSyntax forLoop
                ? ForLoop(forLoop, parallelType, reduction)
                : ForEachLoop((ForEachStatementSyntax)_loop, parallelType, reduction);
            if (!_parallel.AliasChecks.IsEmpty)
            {
                statements = new List<StatementSyntax> { Versioned(statements) };
            }

            // The loop's trailing trivia (a comment after its closing brace) ends the new form, unless the code the form
            // reuses keeps it: an embedded body's own statement, the original loop of a versioned form.
            var trailing = _loop.GetTrailingTrivia();
            var keptInside = !_parallel.AliasChecks.IsEmpty || _loop is ForStatementSyntax { Statement: not BlockSyntax } or ForEachStatementSyntax { Statement: not BlockSyntax };
            if (keptInside)
            {
                trailing = trailing.Count > 0 && trailing[trailing.Count - 1].IsKind(SyntaxKind.EndOfLineTrivia) ? TriviaList(EndOfLine(_eol)) : default;
            }

            statements[statements.Count - 1] = statements[statements.Count - 1].WithTrailingTrivia(trailing);
            var newRoot = _exact ? Layout.ReplaceStatement(root, _loop, statements, scope: false, _eol) : null;
            if (newRoot is null)
            {
                // The loop shares its line with what precedes it: the formatter lays the new form out. Its comments stay.
                var leading = _loop.GetLeadingTrivia();
                while (leading.Count > 0 && leading[leading.Count - 1].IsKind(SyntaxKind.WhitespaceTrivia))
                {
                    leading = leading.RemoveAt(leading.Count - 1);
                }

                statements[0] = statements[0].WithLeadingTrivia(leading);
                statements = statements.Select(st => st.WithAdditionalAnnotations(Formatter.Annotation)).ToList();
                newRoot = Layout.NeedsBlock(_loop, statements)
                    ? root.ReplaceNode(_loop, Block(statements).WithTriviaFrom(_loop).WithAdditionalAnnotations(Formatter.Annotation))
                    : _loop.Parent is BlockSyntax or SwitchSectionSyntax ? root.ReplaceNode(_loop, statements) : root.ReplaceNode(_loop, statements[0]);
            }

            foreach (var name in _usings.Distinct())
            {
                newRoot = Imports.AddUsing(newRoot, name);
            }

            return newRoot;
        }

        /// <summary>
        /// <c>if (!ReferenceEquals(c, a) &amp;&amp; …) { parallel form } else { original loop }</c>: the parallel form runs only
        /// when the arrays that may be one object are not; the original loop, unchanged, computes the aliased case.
        /// </summary>
        private StatementSyntax Versioned(List<StatementSyntax> parallel)
        {
            var referenceEquals = ReferenceEqualsName();
            var conditions = _parallel.AliasChecks.Select(c => c.IsRowOf
                ? $"({ArrayName(c.Other)} == null || {ArrayTypeName()}.IndexOf({ArrayName(c.Other)}, {ArrayName(c.Written)}) < 0)"
                : $"!{referenceEquals}({ArrayName(c.Written)}, {ArrayName(c.Other)})");
            // The original loop keeps its text and trivia, one level in; a comment after it stays with it.
            var original = Deeper(_loop.WithoutLeadingTrivia());
            if (!original.EndsWith("\n", StringComparison.Ordinal))
            {
                original += _eol;
            }

            return Statement(
                $"if ({string.Join(" && ", conditions)}){_eol}{Lead}{{{_eol}{Nested(parallel)}{Lead}}}{_eol}"
                + $"{Lead}else{_eol}{Lead}{{{_eol}{LeadIn}{original}{Lead}}}");
        }

        /// <summary><c>Array</c> where the simple name binds to <c>System.Array</c>, else <c>global::System.Array</c>.</summary>
        private string ArrayTypeName()
        {
            var found = _model.LookupNamespacesAndTypes(_loop.SpanStart, name: "Array");
            return found.Length == 1 && found[0] is INamedTypeSymbol { SpecialType: SpecialType.System_Array } ? "Array" : "global::System.Array";
        }

        /// <summary><c>ReferenceEquals</c> where the simple name binds to <c>object.ReferenceEquals</c>, else <c>object.ReferenceEquals</c>.</summary>
        private string ReferenceEqualsName()
        {
            var found = _model.LookupSymbols(_loop.SpanStart, name: "ReferenceEquals");
            return !found.IsEmpty && found.All(s => s is IMethodSymbol { ContainingType.SpecialType: SpecialType.System_Object })
                ? "ReferenceEquals"
                : "object.ReferenceEquals";
        }

        /// <summary>How to name the array variable at the loop: its simple name when that binds to it, else qualified (<c>this._a</c>, <c>Type._a</c>).</summary>
        private string ArrayName(ISymbol symbol)
        {
            var found = _model.LookupSymbols(_loop.SpanStart, name: symbol.Name);
            if (found.Length == 1 && SymbolEqualityComparer.Default.Equals(found[0], symbol))
            {
                return symbol.Name;
            }

            return symbol is IFieldSymbol { IsStatic: true } field
                ? field.ContainingType.ToMinimalDisplayString(_model, _loop.SpanStart) + "." + field.Name
                : "this." + symbol.Name;
        }

        // ----- for (int i = lo; i < hi; i++) -----

        private List<StatementSyntax> ForLoop(ForStatementSyntax forLoop, string parallelType, ReductionPlan? reduction)
        {
            var model = _parallel.Model;
            var declaration = forLoop.Declaration!;
            var lo = model.LowerBound!.Syntax.WithoutTrivia().ToString();
            var hi = ExclusiveUpperBound((ExpressionSyntax)model.UpperBound!.Syntax, model.UpperInclusive);
            var i = model.Induction!.Name;

            if (_parallel.Form == ParallelLoopForm.PerIndex)
            {
                var body = Body(forLoop.Statement, replaceContinue: true, reduction);
                var parallelFor = _parallelFor is null ? parallelType + ".For" : HelperName(_parallelFor);
                return reduction is null
                    ? new List<StatementSyntax> { Statement($"{parallelFor}({lo}, {hi}, {i} =>{_eol}{Lead}{body});") }
                    : WithGate(reduction, Statement($"{parallelType}.For({lo}, {hi}, () => {reduction.Identity}, ({i}, {reduction.StateName}, {reduction.Local}) =>{_eol}{Lead}{body}, {reduction.Merge});"));
            }

            var range = FreshName("range");
            var innerFor = forLoop
                .WithDeclaration(declaration.WithVariables(SingletonSeparatedList(declaration.Variables[0].WithInitializer(
                    declaration.Variables[0].Initializer is { } start
                        ? start.WithValue(ParseExpression(range + ".Item1").WithTriviaFrom(start.Value))
                        : EqualsValueClause(ParseExpression(range + ".Item1"))))))
                .WithCondition(ParseExpression($"{i} < {range}.Item2").WithTriviaFrom(forLoop.Condition!))
                .WithStatement(RewrittenBody(forLoop.Statement, replaceContinue: false, reduction?.Local))
                .WithoutTrivia();
            if (forLoop.Statement is not BlockSyntax)
            {
                // The body's new braces go on their own line.
                var afterHeader = forLoop.CloseParenToken.TrailingTrivia;
                innerFor = innerFor.WithCloseParenToken(innerFor.CloseParenToken.WithTrailingTrivia(
                    afterHeader.Count > 0 && afterHeader[afterHeader.Count - 1].IsKind(SyntaxKind.EndOfLineTrivia)
                        ? afterHeader
                        : TriviaList(afterHeader.Where(t => !t.IsKind(SyntaxKind.WhitespaceTrivia))).Add(EndOfLine(_eol))));
            }

            return Ranged(parallelType, lo, hi, range, innerFor, reduction);
        }

        /// <summary><c>Type.Method</c> of the project's own <c>Parallel.For</c>, with a using of its namespace when needed (nested types in full).</summary>
        private string HelperName(IMethodSymbol helper)
        {
            var type = helper.ContainingType;
            var typeName = type.ContainingType is null && type.ContainingNamespace is { IsGlobalNamespace: false } ns
                ? TypeName(type.Name, type, ns.ToDisplayString())
                : "global::" + type.ToDisplayString();
            return typeName + "." + helper.Name;
        }

        /// <summary><c>hi</c> for <c>i &lt; hi</c>; for <c>i &lt;= hi</c>, <c>n</c> when <c>hi</c> is <c>n - 1</c>, else <c>hi + 1</c>.</summary>
        private static string ExclusiveUpperBound(ExpressionSyntax upper, bool inclusive)
        {
            upper = upper.WithoutTrivia();
            if (!inclusive)
            {
                return upper.ToString();
            }

            if (upper is BinaryExpressionSyntax { RawKind: (int)SyntaxKind.SubtractExpression, Right: LiteralExpressionSyntax { Token.ValueText: "1" } } minusOne)
            {
                return minusOne.Left.WithoutTrivia().ToString();
            }

            var needsParentheses = upper is not (IdentifierNameSyntax or MemberAccessExpressionSyntax or LiteralExpressionSyntax or InvocationExpressionSyntax
                or ElementAccessExpressionSyntax or ParenthesizedExpressionSyntax
                or BinaryExpressionSyntax { RawKind: (int)SyntaxKind.AddExpression or (int)SyntaxKind.SubtractExpression or (int)SyntaxKind.MultiplyExpression or (int)SyntaxKind.DivideExpression or (int)SyntaxKind.ModuloExpression });
            return needsParentheses ? $"({upper}) + 1" : $"{upper} + 1";
        }

        /// <summary>
        /// <c>if (lo &lt; hi) { … }</c>: <c>Partitioner.Create</c> throws on an empty range, the loop does nothing. No guard
        /// where the range is provably non-empty (<see cref="RangeFacts"/>).
        /// </summary>
        private List<StatementSyntax> Guard(string lo, string hi, List<StatementSyntax> statements)
        {
            var model = _parallel.Model;
            if (_loop is ForStatementSyntax && RangeFacts.IsNonEmpty(model.LowerBound, model.UpperBound, model.UpperInclusive))
            {
                return statements;
            }


            var condition = lo == "0" ? $"{hi} > 0" : $"{lo} < {hi}";
            var text = $"if ({condition}){_eol}{Lead}{{{_eol}{Nested(statements)}{Lead}}}";
            return new List<StatementSyntax> { Statement(text) };
        }

        /// <summary>
        /// <c>Parallel.ForEach(Partitioner.Create(lo, hi), range =&gt; { innerFor })</c>, with <c>localInit</c>/<c>localFinally</c>
        /// and the gate before it for a reduction, guarded by <c>lo &lt; hi</c>.
        /// </summary>
        private List<StatementSyntax> Ranged(string parallelType, string lo, string hi, string range, StatementSyntax innerFor, ReductionPlan? reduction)
        {
            var partitioner = TypeName("Partitioner", _types.Partitioner!, "System.Collections.Concurrent");
            var inner = LeadIn + Deeper(innerFor);
            var rangedBody = reduction is null
                ? $"{Lead}{{{_eol}{inner}{_eol}{Lead}}}"
                : $"{Lead}{{{_eol}{inner}{_eol}{_eol}{LeadIn}return {reduction.Local};{_eol}{Lead}}}";
            var call = reduction is null
                ? Statement($"{parallelType}.ForEach({partitioner}.Create({lo}, {hi}), {range} =>{_eol}{rangedBody});")
                : Statement($"{parallelType}.ForEach({partitioner}.Create({lo}, {hi}), () => {reduction.Identity}, ({range}, {reduction.StateName}, {reduction.Local}) =>{_eol}{rangedBody}, {reduction.Merge});");
            return Guard(lo, hi, WithGate(reduction, call));
        }

        // ----- foreach (var x in array) -----

        private List<StatementSyntax> ForEachLoop(ForEachStatementSyntax forEach, string parallelType, ReductionPlan? reduction)
        {
            var item = forEach.Identifier.ValueText;
            var array = forEach.Expression.WithoutTrivia().ToString();
            if (_parallel.Form == ParallelLoopForm.PerIndex)
            {
                var body = Body(forEach.Statement, replaceContinue: true, reduction);
                return reduction is null
                    ? new List<StatementSyntax> { Statement($"{parallelType}.ForEach({array}, {item} =>{_eol}{Lead}{body});") }
                    : WithGate(reduction, Statement($"{parallelType}.ForEach({array}, () => {reduction.Identity}, ({item}, {reduction.StateName}, {reduction.Local}) =>{_eol}{Lead}{body}, {reduction.Merge});"));
            }

            // Light body: index ranges over the array, which is read again in every range.
            var elementType = _model.GetForEachStatementInfo(forEach).ElementType!;
            var range = FreshName("range");
            var index = FreshName("index");
            var itemType = forEach.Type.IsVar ? "var" : elementType.ToMinimalDisplayString(_model, forEach.SpanStart);
            var inner = RewrittenBody(forEach.Statement, replaceContinue: false, reduction?.Local);
            var statementIndent = !_exact ? string.Empty
                : inner.Statements.FirstOrDefault() is { } first && Layout.StartsLine(first) ? Layout.LineIndentation(first) : _indent + _unit;
            var itemDeclaration = Statement($"{itemType} {item} = {array}[{index}];").WithLeadingTrivia(statementIndent.Length == 0 ? default : TriviaList(Whitespace(statementIndent)));
            var innerBody = inner.WithStatements(inner.Statements.Insert(0, itemDeclaration));
            var innerFor = Statement($"for (int {index} = {range}.Item1; {index} < {range}.Item2; {index}++){_eol}{Lead}{innerBody.WithoutTrivia().ToFullString()}");
            return Ranged(parallelType, "0", array + ".Length", range, innerFor.WithoutTrivia(), reduction);
        }
    }
}
