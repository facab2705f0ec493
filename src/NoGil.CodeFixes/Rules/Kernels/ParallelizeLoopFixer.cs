using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Globalization;
using System.Linq;
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
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ParallelizeLoopFixer)), Shared]
public sealed class ParallelizeLoopFixer : CodeFixProvider
{
    public const string EquivalenceKey = RuleIdentifiers.ParallelizeLoop + ".ParallelFor";

    public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(RuleIdentifiers.ParallelizeLoop);

    /// <summary>Fixes in one document are applied one after another: they may add the same using directives.</summary>
    public override FixAllProvider GetFixAllProvider() => FixAllProvider.Create(FixAllInDocumentAsync);

    private static Task<Document?> FixAllInDocumentAsync(FixAllContext context, Document document, ImmutableArray<Diagnostic> diagnostics)
        => context.CodeActionEquivalenceKey != EquivalenceKey
            ? Task.FromResult<Document?>(null)
            : SequentialFixAll.FixInOrderAsync(
                document,
                diagnostics.Where(IsFixable),
                (_, root, model, node, diagnostic, cancellationToken) => Task.FromResult(Fix(root, model, node, diagnostic, cancellationToken)),
                context.CancellationToken);

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
            if (!IsFixable(diagnostic) || !root.FullSpan.Contains(diagnostic.Location.SourceSpan))
            {
                continue;
            }

            var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
            if (Fix(root, model, node, diagnostic, context.CancellationToken) is not { } newRoot)
            {
                continue;
            }

            context.RegisterCodeFix(
                CodeAction.Create("Run iterations in parallel (Parallel.For)", _ => Task.FromResult(context.Document.WithSyntaxRoot(newRoot)), EquivalenceKey),
                diagnostic);
        }
    }

    private static bool IsFixable(Diagnostic diagnostic)
        => diagnostic.Properties.TryGetValue(ParallelizeLoopAnalyzer.FixableProperty, out var fixable) && fixable == "true";

    private static SyntaxNode? Fix(SyntaxNode root, SemanticModel model, SyntaxNode node, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var span = diagnostic.Location.SourceSpan;
        var loopSyntax = node.AncestorsAndSelf().OfType<StatementSyntax>()
            .FirstOrDefault(s => s is ForStatementSyntax or ForEachStatementSyntax && s.Span.Start == span.Start);
        if (loopSyntax is null
            || model.GetOperation(loopSyntax, cancellationToken) is not ILoopOperation loop)
        {
            return null;
        }

        var allowFloatReassociation = diagnostic.Properties.TryGetValue(ParallelizeLoopAnalyzer.AllowFloatReassociationProperty, out var allow) ? allow != "false" : true;
        var types = KnownTypes.For(model.Compilation);
        if (ParallelLoop.TryMatch(loop, types, PurityCache.For(model.Compilation), allowFloatReassociation, cancellationToken) is not { CanFix: true } parallel)
        {
            return null;
        }

        var writer = new Writer(model, loopSyntax, parallel, types, cancellationToken);
        return writer.Rewrite(root);
    }

    /// <summary>Writes the parallel form of one loop.</summary>
    private sealed class Writer
    {
        private readonly SemanticModel _model;
        private readonly StatementSyntax _loop;
        private readonly ParallelLoop _parallel;
        private readonly KnownTypes _types;
        private readonly CancellationToken _cancellationToken;
        private readonly List<string> _usings = new();
        private readonly string _eol;

        public Writer(SemanticModel model, StatementSyntax loop, ParallelLoop parallel, KnownTypes types, CancellationToken cancellationToken)
        {
            _model = model;
            _loop = loop;
            _parallel = parallel;
            _types = types;
            _cancellationToken = cancellationToken;
            var endOfLine = loop.SyntaxTree.GetRoot(cancellationToken).DescendantTrivia().FirstOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia));
            _eol = endOfLine.IsKind(SyntaxKind.EndOfLineTrivia) ? endOfLine.ToString() : "\n";
        }

        public SyntaxNode? Rewrite(SyntaxNode root)
        {
            var parallelType = TypeName("Parallel", _types.Parallel, "System.Threading.Tasks");
            if (parallelType is null)
            {
                return null;
            }

            var reduction = _parallel.Reduction is { } r ? Reduction(r) : null;
            if (_parallel.Reduction is not null && reduction is null)
            {
                return null;
            }

            var statements = _loop switch
            {
                ForStatementSyntax forLoop => ForLoop(forLoop, parallelType, reduction),
                ForEachStatementSyntax forEach => ForEachLoop(forEach, parallelType, reduction),
                _ => null,
            };

            if (statements is null || statements.Count == 0)
            {
                return null;
            }

            // The loop's comments stay; its indentation is left to the formatter, which indents the lambda body from it.
            var leading = _loop.GetLeadingTrivia();
            while (leading.Count > 0 && leading[leading.Count - 1].IsKind(SyntaxKind.WhitespaceTrivia))
            {
                leading = leading.RemoveAt(leading.Count - 1);
            }

            statements[0] = statements[0].WithLeadingTrivia(leading);
            statements[statements.Count - 1] = statements[statements.Count - 1].WithTrailingTrivia(_loop.GetTrailingTrivia());
            for (var k = 0; k < statements.Count; k++)
            {
                statements[k] = statements[k].WithAdditionalAnnotations(Formatter.Annotation);
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

        // ----- for (int i = lo; i < hi; i++) -----

        private List<StatementSyntax>? ForLoop(ForStatementSyntax forLoop, string parallelType, ReductionPlan? reduction)
        {
            var model = _parallel.Model;
            if (forLoop.Declaration is not { Variables.Count: 1 } declaration
                || declaration.Variables[0].Initializer is null
                || forLoop.Initializers.Count != 0
                || forLoop.Incrementors.Count != 1
                || model.Induction is not { } induction
                || model.LowerBound?.Syntax is not ExpressionSyntax lowerSyntax
                || model.UpperBound?.Syntax is not ExpressionSyntax upperSyntax
                || induction.Type.SpecialType is not (SpecialType.System_Int32 or SpecialType.System_Int64))
            {
                return null;
            }

            var lo = lowerSyntax.WithoutTrivia().ToString();
            var hi = ExclusiveUpperBound(upperSyntax, model.UpperInclusive);
            var i = induction.Name;

            if (_parallel.Form == ParallelLoopForm.PerIndex)
            {
                // Parallel.For(int, int, …) or (long, long, …): the lambda's index must keep the induction variable's type.
                if (!BoundsSelect(induction.Type.SpecialType, model.LowerBound!, model.UpperBound!))
                {
                    return null;
                }

                var body = Body(forLoop.Statement, replaceContinue: true, reduction);
                return reduction is null
                    ? new List<StatementSyntax> { Statement($"{parallelType}.For({lo}, {hi}, {i} =>{_eol}{body});") }
                    : WithGate(reduction, Statement($"{parallelType}.For({lo}, {hi}, () => {reduction.Identity}, ({i}, {reduction.StateName}, {reduction.Local}) =>{_eol}{body}, {reduction.Merge});"));
            }

            // Partitioner.Create(int, int) or (long, long): the range's ends must fit the induction variable.
            var partitioner = TypeName("Partitioner", _types.Partitioner, "System.Collections.Concurrent");
            if (partitioner is null || !BoundsFit(induction.Type.SpecialType, model.LowerBound!, model.UpperBound!))
            {
                return null;
            }

            var range = FreshName("range");
            var innerFor = forLoop
                .WithDeclaration(declaration.WithVariables(SingletonSeparatedList(declaration.Variables[0].WithInitializer(
                    EqualsValueClause(ParseExpression(range + ".Item1"))))))
                .WithCondition(ParseExpression($"{i} < {range}.Item2"))
                .WithStatement(RewrittenBody(forLoop.Statement, replaceContinue: false, reduction?.Local))
                .WithoutTrivia();
            var rangedBody = reduction is null
                ? $"{{{_eol}{innerFor.ToFullString()}{_eol}}}"
                : $"{{{_eol}{innerFor.ToFullString()}{_eol}{_eol}return {reduction.Local};{_eol}}}";
            var call = reduction is null
                ? Statement($"{parallelType}.ForEach({partitioner}.Create({lo}, {hi}), {range} =>{_eol}{rangedBody});")
                : Statement($"{parallelType}.ForEach({partitioner}.Create({lo}, {hi}), () => {reduction.Identity}, ({range}, {reduction.StateName}, {reduction.Local}) =>{_eol}{rangedBody}, {reduction.Merge});");
            var guarded = reduction?.Gate is { } gate ? new List<StatementSyntax> { GateDeclaration(gate), call } : new List<StatementSyntax> { call };
            return new List<StatementSyntax> { Guard(lo, hi, guarded) };
        }

        /// <summary>
        /// True when <c>Parallel.For(lo, hi, …)</c> picks the overload whose index has the induction variable's type:
        /// int bounds for an int index; for a long index, at least one long bound.
        /// </summary>
        private static bool BoundsSelect(SpecialType induction, IOperation lower, IOperation upper)
        {
            var lowerType = lower.UnwrapConversions().Type?.SpecialType ?? SpecialType.None;
            var upperType = upper.UnwrapConversions().Type?.SpecialType ?? SpecialType.None;
            static bool FitsLong(SpecialType t) => FitsInt(t) || t is SpecialType.System_Int64 or SpecialType.System_UInt32;
            return induction == SpecialType.System_Int32
                ? FitsInt(lowerType) && FitsInt(upperType)
                : FitsLong(lowerType) && FitsLong(upperType) && (lowerType == SpecialType.System_Int64 || upperType == SpecialType.System_Int64);
        }

        /// <summary>True when <c>Partitioner.Create(lo, hi)</c> gives ranges whose ends convert implicitly to the induction variable's type.</summary>
        private static bool BoundsFit(SpecialType induction, IOperation lower, IOperation upper)
        {
            var lowerType = lower.UnwrapConversions().Type?.SpecialType ?? SpecialType.None;
            var upperType = upper.UnwrapConversions().Type?.SpecialType ?? SpecialType.None;
            return induction == SpecialType.System_Int64 || (FitsInt(lowerType) && FitsInt(upperType));
        }

        private static bool FitsInt(SpecialType type)
            => type is SpecialType.System_Int32 or SpecialType.System_Int16 or SpecialType.System_UInt16 or SpecialType.System_Byte or SpecialType.System_SByte or SpecialType.System_Char;

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

        /// <summary><c>if (lo &lt; hi) { … }</c>: <c>Partitioner.Create</c> throws on an empty range, the loop does nothing.</summary>
        private StatementSyntax Guard(string lo, string hi, List<StatementSyntax> statements)
        {
            var condition = lo == "0" ? $"{hi} > 0" : $"{lo} < {hi}";
            var text = $"if ({condition}){_eol}{{{_eol}{string.Concat(statements.Select(s => s.ToFullString()))}}}";
            return Statement(text);
        }

        // ----- foreach (var x in array) -----

        private List<StatementSyntax>? ForEachLoop(ForEachStatementSyntax forEach, string parallelType, ReductionPlan? reduction)
        {
            if (forEach.Type is RefTypeSyntax
                || _model.GetForEachStatementInfo(forEach) is not { ElementConversion.IsIdentity: true, ElementType: { } elementType }
                || _model.GetTypeInfo(forEach.Expression, _cancellationToken).Type is not IArrayTypeSymbol { Rank: 1 })
            {
                return null;
            }

            var item = forEach.Identifier.ValueText;
            var array = forEach.Expression.WithoutTrivia().ToString();
            if (_parallel.Form == ParallelLoopForm.PerIndex)
            {
                var body = Body(forEach.Statement, replaceContinue: true, reduction);
                return reduction is null
                    ? new List<StatementSyntax> { Statement($"{parallelType}.ForEach({array}, {item} =>{_eol}{body});") }
                    : WithGate(reduction, Statement($"{parallelType}.ForEach({array}, () => {reduction.Identity}, ({item}, {reduction.StateName}, {reduction.Local}) =>{_eol}{body}, {reduction.Merge});"));
            }

            // Light body: index ranges over the array, which is read again in every range (so it must be a local or parameter).
            var partitioner = TypeName("Partitioner", _types.Partitioner, "System.Collections.Concurrent");
            if (partitioner is null
                || _model.GetOperation(forEach.Expression, _cancellationToken) is not (ILocalReferenceOperation or IParameterReferenceOperation))
            {
                return null;
            }

            var range = FreshName("range");
            var index = FreshName("index");
            var itemType = forEach.Type.IsVar ? "var" : elementType.ToMinimalDisplayString(_model, forEach.SpanStart);
            var inner = RewrittenBody(forEach.Statement, replaceContinue: false, reduction?.Local);
            var innerBody = inner.WithStatements(inner.Statements.Insert(0, Statement($"{itemType} {item} = {array}[{index}];")));
            var innerFor = $"for (int {index} = {range}.Item1; {index} < {range}.Item2; {index}++){_eol}{innerBody.WithoutTrivia().ToFullString()}";
            var rangedBody = reduction is null
                ? $"{{{_eol}{innerFor}{_eol}}}"
                : $"{{{_eol}{innerFor}{_eol}{_eol}return {reduction.Local};{_eol}}}";
            var hi = array + ".Length";
            var call = reduction is null
                ? Statement($"{parallelType}.ForEach({partitioner}.Create(0, {hi}), {range} =>{_eol}{rangedBody});")
                : Statement($"{parallelType}.ForEach({partitioner}.Create(0, {hi}), () => {reduction.Identity}, ({range}, {reduction.StateName}, {reduction.Local}) =>{_eol}{rangedBody}, {reduction.Merge});");
            var guarded = reduction?.Gate is { } gate ? new List<StatementSyntax> { GateDeclaration(gate), call } : new List<StatementSyntax> { call };
            return new List<StatementSyntax> { Guard("0", hi, guarded) };
        }

        // ----- bodies -----

        /// <summary>The lambda body: the loop body as a block, the accumulator renamed, <c>continue</c> as <c>return</c>, and a final <c>return partial;</c>.</summary>
        private string Body(StatementSyntax statement, bool replaceContinue, ReductionPlan? reduction)
        {
            var block = RewrittenBody(statement, replaceContinue, reduction?.Local);
            if (reduction is not null && block.Statements.LastOrDefault() is not ReturnStatementSyntax)
            {
                var last = block.Statements.LastOrDefault();
                var needsBlankLine = last is not null && !(last is ExpressionStatementSyntax or LocalDeclarationStatementSyntax);
                var returnStatement = Statement($"return {reduction.Local};");
                if (needsBlankLine)
                {
                    returnStatement = returnStatement.WithLeadingTrivia(EndOfLine(_eol));
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

            // An embedded statement gets braces, one statement per line.
            return Block(rewritten.WithoutTrivia().WithTrailingTrivia(EndOfLine(_eol)))
                .WithOpenBraceToken(Token(SyntaxKind.OpenBraceToken).WithTrailingTrivia(EndOfLine(_eol)));
        }

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

        private ReductionPlan? Reduction(LoopReduction reduction)
        {
            var accumulator = reduction.Variable.Name;
            var type = reduction.Type;
            var local = FreshName("local" + char.ToUpperInvariant(accumulator[0]) + accumulator.Substring(1));
            var state = FreshName("loopState");
            var identity = Identity(reduction.Operator, type);
            if (identity is null)
            {
                return null;
            }

            if (reduction.Operator == ReductionOperator.Add && type.SpecialType is SpecialType.System_Int32 or SpecialType.System_Int64)
            {
                var interlocked = TypeName("Interlocked", _types.Interlocked, "System.Threading");
                return interlocked is null ? null : new ReductionPlan(local, state, identity, $"{local} => {interlocked}.Add(ref {accumulator}, {local})", gate: null);
            }

            string? merge = reduction.Operator switch
            {
                ReductionOperator.Add => $"{accumulator} += {local};",
                ReductionOperator.Multiply => $"{accumulator} *= {local};",
                ReductionOperator.MathMin or ReductionOperator.MathMax => MathCall(reduction) is { } math ? $"{accumulator} = {math}({accumulator}, {local});" : null,
                ReductionOperator.CompareMin => $"if ({local} < {accumulator}) {accumulator} = {local};",
                ReductionOperator.CompareMax => $"if ({local} > {accumulator}) {accumulator} = {local};",
                ReductionOperator.And => $"{accumulator} &= {local};",
                ReductionOperator.Or => $"{accumulator} |= {local};",
                ReductionOperator.Xor => $"{accumulator} ^= {local};",
                _ => null,
            };

            if (merge is null)
            {
                return null;
            }

            var gate = FreshName("gate", local: true);
            return new ReductionPlan(local, state, identity, $"{local} => {{ lock ({gate}) {{ {merge} }} }}", gate);
        }

        /// <summary>The <c>Math.Max</c>/<c>MathF.Min</c>… of the update, as written (the merge must use the same function).</summary>
        private static string? MathCall(LoopReduction reduction)
            => reduction.Update.Descendants().OfType<IInvocationOperation>()
                .FirstOrDefault(call => call.TargetMethod.Name is "Min" or "Max" && call.Arguments.Length == 2 && call.TargetMethod.ContainingType?.Name is "Math" or "MathF")
                ?.Syntax is InvocationExpressionSyntax { Expression: var expression } ? expression.WithoutTrivia().ToString() : null;

        private static string? Identity(ReductionOperator kind, ITypeSymbol type)
        {
            var special = type.SpecialType;
            var keyword = type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat);
            var isFloat = special is SpecialType.System_Single or SpecialType.System_Double;
            var isUnsigned = special is SpecialType.System_Byte or SpecialType.System_UInt16 or SpecialType.System_UInt32 or SpecialType.System_UInt64;
            return kind switch
            {
                ReductionOperator.Add or ReductionOperator.Or or ReductionOperator.Xor => special == SpecialType.System_Boolean ? "false" : Typed(0, special),
                ReductionOperator.Multiply => Typed(1, special),
                ReductionOperator.And => special == SpecialType.System_Boolean ? "true" : isUnsigned ? keyword + ".MaxValue" : Typed(-1, special),
                ReductionOperator.MathMax or ReductionOperator.CompareMax => isFloat ? keyword + ".NegativeInfinity" : keyword + ".MinValue",
                ReductionOperator.MathMin or ReductionOperator.CompareMin => isFloat ? keyword + ".PositiveInfinity" : keyword + ".MaxValue",
                _ => null,
            };
        }

        /// <summary>A literal of <paramref name="type"/>: <c>0</c>, <c>0L</c>, <c>0.0</c>, <c>(short)0</c>….</summary>
        private static string? Typed(int value, SpecialType type)
        {
            var text = value.ToString(CultureInfo.InvariantCulture);
            return type switch
            {
                SpecialType.System_Int32 => text,
                SpecialType.System_Int64 => text + "L",
                SpecialType.System_UInt32 => text + "U",
                SpecialType.System_UInt64 => text + "UL",
                SpecialType.System_Single => text + "f",
                SpecialType.System_Double => text + ".0",
                SpecialType.System_Int16 => "(short)" + (value < 0 ? "(" + text + ")" : text),
                SpecialType.System_UInt16 => "(ushort)" + text,
                SpecialType.System_Byte => "(byte)" + text,
                SpecialType.System_SByte => "(sbyte)" + (value < 0 ? "(" + text + ")" : text),
                _ => null,
            };
        }

        private List<StatementSyntax> WithGate(ReductionPlan reduction, StatementSyntax call)
            => reduction.Gate is { } gate ? new List<StatementSyntax> { GateDeclaration(gate), call } : new List<StatementSyntax> { call };

        private StatementSyntax GateDeclaration(string gate) => Statement($"var {gate} = new object();");

        // ----- names -----

        private StatementSyntax Statement(string text) => ParseStatement(text + _eol);

        /// <summary>
        /// How to write <paramref name="name"/>: the simple name when it binds to <paramref name="type"/>, or when nothing binds and a
        /// using directive for its namespace can be added; the qualified name when the simple name means something else.
        /// </summary>
        private string? TypeName(string name, INamedTypeSymbol? type, string namespaceName)
        {
            if (type is null)
            {
                return null;
            }

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
            for (var k = 0; ; k++)
            {
                var candidate = k == 0 ? baseName : baseName + k.ToString(CultureInfo.InvariantCulture);
                if (!used.Contains(candidate) && _model.LookupSymbols(_loop.SpanStart, name: candidate).IsEmpty)
                {
                    _reserved.Add(candidate);
                    return candidate;
                }
            }
        }

        private readonly HashSet<string> _reserved = new();
    }
}
