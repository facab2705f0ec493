namespace NoGil.Analyzers.Analysis.Kernels;

/// <summary>An operation of an element-wise kernel expression.</summary>
public enum ElementwiseOperator
{
    /// <summary><c>x[i]</c>: an element of an array or span, at the induction variable.</summary>
    Element,

    /// <summary>A loop-invariant scalar, broadcast to every lane.</summary>
    Scalar,

    Add,
    Subtract,
    Multiply,

    /// <summary>Floating point only (integer division has no <c>Vector&lt;T&gt;</c> instruction and throws on zero).</summary>
    Divide,
    Negate,
    And,
    Or,
    Xor,
    OnesComplement,

    /// <summary><c>x &lt;&lt; k</c>, <c>k</c> a constant in [1, bits - 1].</summary>
    ShiftLeft,

    /// <summary><c>x &gt;&gt; k</c> on a signed type.</summary>
    ShiftRightArithmetic,

    /// <summary><c>x &gt;&gt; k</c> on an unsigned type, or <c>x &gt;&gt;&gt; k</c>.</summary>
    ShiftRightLogical,

    /// <summary><c>Math.Abs</c>/<c>MathF.Abs</c> on <c>float</c>/<c>double</c> (clears the sign bit; integers throw on MinValue and are not accepted).</summary>
    Abs,
    Sqrt,
    Min,
    Max,
    Exp,
    Log,
    Sin,
    Cos,
    Tanh,
}

/// <summary>An array or span the kernel reads or writes, at the induction variable only.</summary>
public sealed class ElementwiseOperand
{
    internal ElementwiseOperand(ISymbol symbol, IOperation reference, bool isSpan, bool isReadOnlySpan)
    {
        Symbol = symbol;
        Reference = reference;
        IsSpan = isSpan;
        IsReadOnlySpan = isReadOnlySpan;
    }

    /// <summary>The local, parameter or field (static, or of <c>this</c>) that holds the array or span.</summary>
    public ISymbol Symbol { get; }

    /// <summary>The first reference to it in the loop body.</summary>
    public IOperation Reference { get; }

    /// <summary>The reference as written (<c>a</c>, <c>this.a</c>, <c>_a</c>).</summary>
    public string Text => Reference.Syntax.ToString();

    public bool IsSpan { get; }

    public bool IsReadOnlySpan { get; }

    public override string ToString() => Text;
}

/// <summary>A node of an element-wise kernel expression; every node's value has the kernel's element type.</summary>
public sealed class ElementwiseNode
{
    internal ElementwiseNode(ElementwiseOperator @operator, ImmutableArray<ElementwiseNode> operands, ElementwiseOperand? element = null, IOperation? scalar = null, int shift = 0, string? method = null)
    {
        Operator = @operator;
        Method = method;
        Operands = operands;
        Element = element;
        Scalar = scalar;
        Shift = shift;
    }

    public ElementwiseOperator Operator { get; }

    public ImmutableArray<ElementwiseNode> Operands { get; }

    /// <summary>The array or span of an <see cref="ElementwiseOperator.Element"/> node.</summary>
    public ElementwiseOperand? Element { get; }

    /// <summary>The expression of a <see cref="ElementwiseOperator.Scalar"/> node (as written, before any implicit conversion to the element type).</summary>
    public IOperation? Scalar { get; }

    /// <summary>The <c>Math</c>/<c>MathF</c> method of a function node, as written in the loop (<c>Math.Exp</c>).</summary>
    public string? Method { get; }

    /// <summary>The constant shift count of a shift node.</summary>
    public int Shift { get; }

    public bool IsElement => Operator == ElementwiseOperator.Element;

    public bool IsScalar => Operator == ElementwiseOperator.Scalar;

    /// <summary>The nodes of the tree, this one first.</summary>
    public IEnumerable<ElementwiseNode> DescendantsAndSelf()
    {
        yield return this;
        foreach (var operand in Operands)
        {
            foreach (var node in operand.DescendantsAndSelf())
            {
                yield return node;
            }
        }
    }
}
