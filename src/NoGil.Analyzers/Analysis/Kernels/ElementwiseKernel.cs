using NoGil.Analyzers.Analysis.Loops;

namespace NoGil.Analyzers.Analysis.Kernels;

/// <summary>
/// A <c>for</c> loop whose body is one element-wise statement <c>dst[i] = f(a[i], b[i], scalars…)</c> (or <c>dst[i] op=
/// …</c>) over arrays or spans of one primitive numeric type, with operations that <c>Vector&lt;T&gt;</c> or one
/// <c>TensorPrimitives</c> call compute exactly the way the loop does — the kernel NOGIL302 vectorizes.
/// </summary>
public sealed partial class ElementwiseKernel
{
    private ElementwiseKernel(
        LoopModel model,
        ForStatementSyntax loop,
        ILocalSymbol induction,
        ITypeSymbol elementType,
        ElementwiseOperand destination,
        ElementwiseNode value,
        ImmutableArray<ElementwiseOperand> operands,
        ImmutableArray<(ElementwiseOperand Written, ElementwiseOperand Other)> overlapGuards,
        bool canUseVector,
        TensorPrimitivesCall? tensorPrimitives,
        bool upperBoundIsNonNegative,
        ElementwiseOperand? upperBoundLengthOf)
    {
        Model = model;
        Loop = loop;
        Induction = induction;
        ElementType = elementType;
        Destination = destination;
        Value = value;
        Operands = operands;
        OverlapGuards = overlapGuards;
        CanUseVector = canUseVector;
        TensorPrimitives = tensorPrimitives;
        UpperBoundIsNonNegative = upperBoundIsNonNegative;
        UpperBoundLengthOf = upperBoundLengthOf;
    }

    public LoopModel Model { get; }

    /// <summary>The loop: <c>for (int i = lo; i &lt; hi; i++)</c> (or <c>&lt;=</c>, <c>++i</c>, <c>i += 1</c>).</summary>
    public ForStatementSyntax Loop { get; }

    public ILocalSymbol Induction { get; }

    /// <summary>The element type of every array and span of the kernel.</summary>
    public ITypeSymbol ElementType { get; }

    /// <summary>The element type as the fixes write it (<c>float</c>, <c>int</c> …).</summary>
    public string ElementTypeName => ElementType.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat);

    /// <summary>The array or span written at <c>[i]</c>.</summary>
    public ElementwiseOperand Destination { get; }

    /// <summary>The value stored into <c>Destination[i]</c> (a compound assignment is expanded: <c>d[i] += e</c> is <c>d[i] + e</c>).</summary>
    public ElementwiseNode Value { get; }

    /// <summary>Every distinct array or span of the kernel, destination included, in order of first appearance.</summary>
    public ImmutableArray<ElementwiseOperand> Operands { get; }

    /// <summary>
    /// Pairs that may partially overlap (a written span and another span or array, or a written array and a span), which a
    /// vectorized loop must check with <c>Overlaps</c> before it reads a whole vector ahead of the scalar order.
    /// </summary>
    public ImmutableArray<(ElementwiseOperand Written, ElementwiseOperand Other)> OverlapGuards { get; }

    /// <summary>Every operation maps to a <c>Vector&lt;T&gt;</c> operator or <c>Vector</c> method with the same semantics.</summary>
    public bool CanUseVector { get; }

    /// <summary>The one <c>TensorPrimitives</c> call that computes the whole loop, or null.</summary>
    public TensorPrimitivesCall? TensorPrimitives { get; }

    /// <summary>The loop's upper bound cannot be negative (a length, or a constant), so <c>hi - Vector&lt;T&gt;.Count</c> cannot overflow.</summary>
    public bool UpperBoundIsNonNegative { get; }

    /// <summary>When the loop runs <c>0 .. x.Length</c> with exclusive bound: the operand <c>x</c>; else null.</summary>
    public ElementwiseOperand? UpperBoundLengthOf { get; }

    /// <summary>The lower bound expression (<c>lo</c>).</summary>
    public ExpressionSyntax LowerBound => Loop.Declaration!.Variables[0].Initializer!.Value;

    /// <summary>The upper bound expression (<c>hi</c>).</summary>
    public ExpressionSyntax UpperBound => ((BinaryExpressionSyntax)Loop.Condition!).Right;

    /// <summary>True for <c>i &lt;= hi</c>.</summary>
    public bool UpperInclusive => Loop.Condition.IsKind(SyntaxKind.LessThanOrEqualExpression);

    /// <summary>The single statement of the body.</summary>
    public StatementSyntax Statement => Loop.Statement is BlockSyntax block ? block.Statements[0] : Loop.Statement;

    /// <summary>True when at least one vectorized form exists (a Vector&lt;T&gt; loop, or a TensorPrimitives call).</summary>
    public bool IsVectorizable => CanUseVector || TensorPrimitives is not null;

    /// <summary>
    /// The element-wise kernel of <paramref name="model"/>'s loop, or null. Requires the loop to be independent (a
    /// possible span overlap is accepted: <see cref="OverlapGuards"/>), unchecked, not trivially small, a canonical
    /// <c>for</c> over an <c>int</c> induction variable, and a body of one assignment whose every array or span access
    /// is at exactly <c>[i]</c>.
    /// </summary>
    public static ElementwiseKernel? TryMatch(LoopModel? model, KnownTypes types, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (model is null
            || model.Shape != LoopShape.For
            || model.Induction is not { Type.SpecialType: SpecialType.System_Int32 } induction
            || model.HasCheckedArithmetic
            || model.IsTriviallySmall
            || model.Obstacles.Any(o => o.Kind != LoopObstacleKind.SpanOverlap)
            || model.Loop.Syntax is not ForStatementSyntax loop
            || !IsCanonicalSyntax(loop, induction.Name)
            || SingleStatement(loop.Statement) is not ExpressionStatementSyntax statement)
        {
            return null;
        }

        if (model.Body.DescendantsAndSelf().OfType<IExpressionStatementOperation>().FirstOrDefault(s => s.Syntax == statement)?.Operation is not { } assignment)
        {
            return null;
        }

        var matcher = new Matcher(model, model.Loop.Syntax, induction, types, cancellationToken);
        return matcher.Match(loop, assignment);
    }

    /// <summary>
    /// What <see cref="TryMatch"/> requires of the syntax alone, read before any model is built: a canonical header over
    /// the variable the loop declares and one expression statement (a model's induction variable is that variable).
    /// </summary>
    internal static bool MayMatch(ForStatementSyntax loop)
        => loop.Declaration is { Variables.Count: 1 } declaration
           && IsCanonicalSyntax(loop, declaration.Variables[0].Identifier.ValueText)
           && SingleStatement(loop.Statement) is ExpressionStatementSyntax;

    /// <summary>
    /// What <see cref="TryMatch"/> requires of the loop's one statement (<paramref name="statement"/>, the body without its
    /// blocks of one statement), read before any model is built: an assignment
    /// (not by reference) or a built-in, unchecked compound assignment of a vector element type, into an array element or an
    /// indexer at exactly <paramref name="induction"/> (<c>d[i] = …</c>, <c>d[i] += …</c>) — the only destination
    /// <c>KernelAccesses.FindAtInduction</c> finds — of a value the kernel computes (<c>Matcher.MayMatchValue</c>: arithmetic,
    /// conversions and <c>Math</c> functions of elements and loop-invariant scalars, not a copy or a fill). A store into a
    /// local (<c>s += a[i]</c>, NOGIL303's kind), a field or an element at another index, or of a value computed by another
    /// method, is not an element-wise kernel.
    /// </summary>
    internal static bool MayMatch(IOperation statement, ILocalSymbol? induction, SyntaxNode loop, KnownTypes types, CancellationToken cancellationToken)
    {
        var assignment = (statement as IExpressionStatementOperation)?.Operation;
        var target = Matcher.TargetOf(assignment);

        var index = target switch
        {
            IArrayElementReferenceOperation { Indices.Length: 1 } element => element.Indices[0],
            IPropertyReferenceOperation { Property.IsIndexer: true, Instance: not null, Arguments.Length: 1 } indexer => indexer.Arguments[0].Value,
            _ => null,
        };

        return induction is not null && index is ILocalReferenceOperation local && SymbolEqualityComparer.Default.Equals(local.Local, induction)
               && NumericTypes.IsVectorElementType(target!.Type)
               && new Matcher(model: null, loop, induction, types, cancellationToken).MayMatchValue(assignment!);
    }

    private static StatementSyntax? SingleStatement(StatementSyntax statement)
        => statement is BlockSyntax block ? (block.Statements.Count == 1 ? block.Statements[0] : null) : statement;

    /// <summary><c>for (int i = lo; i &lt; hi; i++)</c> exactly: the shape the fix rewrites.</summary>
    private static bool IsCanonicalSyntax(ForStatementSyntax loop, string induction)
    {
        if (loop.Declaration is not { Variables.Count: 1 } declaration
            || declaration.Variables[0] is not { Initializer: not null } variable
            || variable.Identifier.ValueText != induction
            || loop.Initializers.Count != 0
            || loop.Condition is not BinaryExpressionSyntax condition
            || !(condition.IsKind(SyntaxKind.LessThanExpression) || condition.IsKind(SyntaxKind.LessThanOrEqualExpression))
            || condition.Left is not IdentifierNameSyntax left
            || left.Identifier.ValueText != induction
            || loop.Incrementors.Count != 1)
        {
            return false;
        }

        return loop.Incrementors[0] switch
        {
            PostfixUnaryExpressionSyntax { Operand: IdentifierNameSyntax id } post => post.IsKind(SyntaxKind.PostIncrementExpression) && id.Identifier.ValueText == induction,
            PrefixUnaryExpressionSyntax { Operand: IdentifierNameSyntax id } pre => pre.IsKind(SyntaxKind.PreIncrementExpression) && id.Identifier.ValueText == induction,
            AssignmentExpressionSyntax { Left: IdentifierNameSyntax id, Right: LiteralExpressionSyntax { Token.Value: 1 } } add
                => add.IsKind(SyntaxKind.AddAssignmentExpression) && id.Identifier.ValueText == induction,
            _ => false,
        };
    }

    /// <summary>The local, parameter or field (static, or of <c>this</c>) a kernel may read an array or span from, or null.</summary>
    internal static ISymbol? SymbolOf(IOperation reference) => reference switch
    {
        ILocalReferenceOperation local when !local.Local.IsRef => local.Local,
        IParameterReferenceOperation parameter when parameter.Parameter.RefKind == RefKind.None => parameter.Parameter,
        IFieldReferenceOperation { Instance: null or IInstanceReferenceOperation } field when !field.Field.IsVolatile => field.Field,
        _ => null,
    };
}
