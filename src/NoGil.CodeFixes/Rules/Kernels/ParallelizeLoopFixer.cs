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
            // A versioned loop nests the parallel form in an if/else: the formatter indents that.
            _exact = parallel.Form == ParallelLoopForm.PerIndex && loop.Parent is BlockSyntax or SwitchSectionSyntax && parallel.AliasChecks.IsEmpty;
        }

        /// <summary>
        /// Per index, in a block, the body moves into the lambda at the indentation it has: the parallel form is written
        /// with the loop's own indentation and trivia, and the formatter is not run over it, so the body keeps its text.
        /// Index ranges nest the body deeper, and an embedded loop gets a block: the formatter indents those.
        /// </summary>
        private readonly bool _exact;

        /// <summary>The indentation written in front of a line of the parallel form: the loop's when exact, else the formatter's business.</summary>
        private string Lead => _exact ? _indent : string.Empty;

        public SyntaxNode Rewrite(SyntaxNode root)
        {
            var callsHelper = _parallelFor is not null && _parallel.Form == ParallelLoopForm.PerIndex && _parallel.Reduction is null && _loop is ForStatementSyntax;
            var parallelType = callsHelper ? string.Empty : TypeName("Parallel", _types.Parallel!, "System.Threading.Tasks");
            var reduction = _parallel.Reduction is { } r ? Reduction(r, _parallel.Merge!) : null;
            var statements = _loop is ForStatementSyntax forLoop
                ? ForLoop(forLoop, parallelType, reduction)
                : ForEachLoop((ForEachStatementSyntax)_loop, parallelType, reduction);

            var exact = _exact;
            if (!_parallel.AliasChecks.IsEmpty)
            {
                statements = new List<StatementSyntax> { Versioned(statements) };
            }

            // The loop's comments stay; unless exact, its indentation is left to the formatter, which indents the lambda body from it.
            var leading = _loop.GetLeadingTrivia();
            while (!exact && leading.Count > 0 && leading[leading.Count - 1].IsKind(SyntaxKind.WhitespaceTrivia))
            {
                leading = leading.RemoveAt(leading.Count - 1);
            }

            statements[0] = statements[0].WithLeadingTrivia(leading);
            statements[statements.Count - 1] = statements[statements.Count - 1].WithTrailingTrivia(_loop.GetTrailingTrivia());
            for (var k = 0; k < statements.Count; k++)
            {
                statements[k] = exact
                    ? (k == 0 ? statements[k] : statements[k].WithLeadingTrivia(Whitespace(_indent)))
                    : statements[k].WithAdditionalAnnotations(Formatter.Annotation);
            }

            SyntaxNode newRoot;
            if (_loop.Parent is BlockSyntax or SwitchSectionSyntax)
            {
                newRoot = root.ReplaceNode(_loop, statements);
            }
            else if (statements.Count == 1)
            {
                newRoot = root.ReplaceNode(_loop, statements[0]);
            }
            else
            {
                newRoot = root.ReplaceNode(_loop, Block(statements).WithTriviaFrom(_loop).WithAdditionalAnnotations(Formatter.Annotation));
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
            var original = _loop.WithoutLeadingTrivia().WithoutTrailingTrivia().ToFullString();
            return Statement(
                $"if ({string.Join(" && ", conditions)}){_eol}{{{_eol}{string.Concat(parallel.Select(s => s.ToFullString()))}}}{_eol}"
                + $"else{_eol}{{{_eol}{original}{_eol}}}");
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
                    EqualsValueClause(ParseExpression(range + ".Item1"))))))
                .WithCondition(ParseExpression($"{i} < {range}.Item2"))
                .WithStatement(RewrittenBody(forLoop.Statement, replaceContinue: false, reduction?.Local))
                .WithoutTrivia();
            return Ranged(parallelType, lo, hi, range, innerFor.ToFullString(), reduction);
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
            var text = $"if ({condition}){_eol}{{{_eol}{string.Concat(statements.Select(s => s.ToFullString()))}}}";
            return new List<StatementSyntax> { Statement(text) };
        }

        /// <summary>
        /// <c>Parallel.ForEach(Partitioner.Create(lo, hi), range =&gt; { innerFor })</c>, with <c>localInit</c>/<c>localFinally</c>
        /// and the gate before it for a reduction, guarded by <c>lo &lt; hi</c>.
        /// </summary>
        private List<StatementSyntax> Ranged(string parallelType, string lo, string hi, string range, string innerFor, ReductionPlan? reduction)
        {
            var partitioner = TypeName("Partitioner", _types.Partitioner!, "System.Collections.Concurrent");
            var rangedBody = reduction is null
                ? $"{{{_eol}{innerFor}{_eol}}}"
                : $"{{{_eol}{innerFor}{_eol}{_eol}return {reduction.Local};{_eol}}}";
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
            var innerBody = inner.WithStatements(inner.Statements.Insert(0, Statement($"{itemType} {item} = {array}[{index}];")));
            var innerFor = $"for (int {index} = {range}.Item1; {index} < {range}.Item2; {index}++){_eol}{innerBody.WithoutTrivia().ToFullString()}";
            return Ranged(parallelType, "0", array + ".Length", range, innerFor, reduction);
        }
    }
}
