namespace NoGil.Analyzers.Analysis.Loops;

/// <summary>
/// Which iteration owns an element: an index read as a linear form over the induction variable and the body's variables
/// (<c>i + 1</c>, <c>i * w + j</c>, also through body locals assigned once), normalized to a partition key
/// (<see cref="ElementAccess.Partition"/>).
/// </summary>
internal sealed class LinearIndex
{
    private readonly LoopScope _scope;
    private Dictionary<ILocalSymbol, string?>? _innerRanges;

    public LinearIndex(LoopScope scope) => _scope = scope;

    /// <summary>The partitions <c>"i+0"</c> … <c>"i+15"</c>, built once (a non-negative number prints the same in every culture).</summary>
    private static readonly string[] SmallOffsets = Enumerable.Range(0, 16).Select(k => "i+" + k.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();

    /// <summary>
    /// <c>"i+c"</c> for <c>i + c</c>, <c>"i*w"</c> for a row <c>i * w + j</c> (only when <paramref name="allowRows"/>)
    /// whose <c>j</c> is an inner loop over <c>[0, w)</c>; null when the index does not follow the induction variable
    /// of a <c>for</c> loop.
    /// </summary>
    public string? PartitionOf(IOperation index, bool allowRows)
    {
        if (_scope.Loop is not IForLoopOperation)
        {
            return null;
        }

        // Most indices are the loop variable itself: neither a column nor anything but "i+0".
        var induction = _scope.Induction;
        if (index.UnwrapConversions() is ILocalReferenceOperation bare && _scope.IsInduction(bare.Local))
        {
            return SmallOffsets[0];
        }

        if (allowRows && ColumnOf(index, depth: 0) is { } columnPartition)
        {
            return columnPartition;
        }

        var form = ToLinear(index, depth: 0);
        var at = form.Valid && !form.HasOpaque ? form.IndexOf(induction) : -1;
        if (at < 0)
        {
            return null;
        }

        var coefficient = form.CoefficientAt(at);
        if (coefficient == "1" && form.Count == 1)
        {
            return form.Offset >= 0 && form.Offset < SmallOffsets.Length ? SmallOffsets[form.Offset] : "i+" + form.Offset;
        }

        if (!allowRows || coefficient == "1" || form.Offset != 0 || form.Count != 2)
        {
            return null;
        }

        // The other of the two terms.
        var other = 1 - at;
        return form.CoefficientAt(other) == "1" && form.VariableAt(other) is ILocalSymbol column && IsInnerRangeVariable(column, coefficient)
            ? "i*" + coefficient
            : null;
    }

    /// <summary>
    /// <c>"i%w"</c> for a column of a flattened matrix, <c>e * w + i</c> (either order, also through a body local assigned
    /// once), in a loop <c>for (i = lo; i &lt; w; i++)</c> with a constant <c>lo &gt;= 0</c> and <c>w</c> invariant: with
    /// <c>0 &lt;= i &lt; w</c>, two iterations never reach the same element, whatever <c>e</c> is (another loop's variable,
    /// a row number): <c>a[j * order + i]</c>, <c>a[p * n + k]</c>. Null for anything else.
    /// </summary>
    private string? ColumnOf(IOperation index, int depth)
    {
        var operation = index.UnwrapConversions();
        if (depth > 4)
        {
            return null;
        }

        if (operation is ILocalReferenceOperation local && _scope.IsBodyLocal(local.Local))
        {
            return _scope.TryGetSingleAssignment(local.Local, out var initializer) && initializer is not null ? ColumnOf(initializer, depth + 1) : null;
        }

        if (operation is not IBinaryOperation { OperatorKind: BinaryOperatorKind.Add } sum
            || _scope.Loop is not IForLoopOperation loop
            || !LoopHeader.TryReadFor(loop, out _, out var lower, out var upper, out var inclusive)
            || inclusive
            || lower.ConstantValue is not { HasValue: true } start
            || !LoopHeader.TryToLong(start.Value, out var first)
            || first < 0)
        {
            return null;
        }

        var width = KeyOf(upper);
        foreach (var (column, multiple) in new[] { (sum.LeftOperand, sum.RightOperand), (sum.RightOperand, sum.LeftOperand) })
        {
            if (column.UnwrapConversions() is ILocalReferenceOperation variable && _scope.IsInduction(variable.Local)
                && multiple.UnwrapConversions() is IBinaryOperation { OperatorKind: BinaryOperatorKind.Multiply } product
                && ((_scope.IsInvariant(product.RightOperand) && KeyOf(product.RightOperand) == width)
                    || (_scope.IsInvariant(product.LeftOperand) && KeyOf(product.LeftOperand) == width)))
            {
                return "i%" + width;
            }
        }

        return null;
    }

    /// <summary>The text that stands for an invariant factor: a constant's value, or the expression without spaces.</summary>
    public static string KeyOf(IOperation operation)
    {
        operation = operation.UnwrapConversions();
        return operation.ConstantValue is { HasValue: true, Value: { } value } ? value.ToString() : operation.Syntax.ToString().Replace(" ", string.Empty);
    }

    /// <summary><paramref name="variable"/> is the induction variable of an inner canonical loop over <c>[0, width)</c>, not written in its body.</summary>
    private bool IsInnerRangeVariable(ILocalSymbol variable, string width)
    {
        if (_innerRanges is null)
        {
            _innerRanges = new Dictionary<ILocalSymbol, string?>(SymbolEqualityComparer.Default);
            foreach (var operation in _scope.Body.DescendantsAndSelf())
            {
                if (operation is IForLoopOperation inner && LoopHeader.TryReadFor(inner, out var induction, out var lower, out var upper, out var inclusive))
                {
                    var canonical = !inclusive && lower.ConstantValue is { HasValue: true, Value: 0 }
                                    && !inner.Body.DescendantsAndSelf().Any(o => WriteTargets.IsWriteTarget(o, out var t) && t is not null && SymbolEqualityComparer.Default.Equals(WriteTargets.SymbolOf(t), induction));
                    _innerRanges[induction] = canonical ? KeyOf(upper) : null;
                }
            }
        }

        return _innerRanges.TryGetValue(variable, out var bound) && bound == width;
    }

    private Form ToLinear(IOperation expression, int depth)
    {
        var operation = expression.UnwrapConversions();
        if (depth > 8)
        {
            return Form.Invalid;
        }

        if (operation.ConstantValue is { HasValue: true } constant && LoopHeader.TryToLong(constant.Value, out var value))
        {
            return new Form { Offset = value };
        }

        switch (operation)
        {
            case ILocalReferenceOperation local when _scope.IsInduction(local.Local):
                return Form.Variable(local.Local);

            case ILocalReferenceOperation local when _scope.IsBodyLocal(local.Local):
                if (_scope.TryGetSingleAssignment(local.Local, out var initializer) && initializer is not null)
                {
                    return ToLinear(initializer, depth + 1);
                }

                // A loop variable of an inner loop (written by its own step) or another body variable.
                return Form.Variable(local.Local);

            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Add or BinaryOperatorKind.Subtract } binary:
                return Sum(binary, depth);

            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Multiply } product:
                return Product(product, depth);

            default:
                // An invariant offset we cannot compare (e.g. 'start + i') is opaque; anything else is not linear.
                return _scope.IsInvariant(operation) ? new Form { HasOpaque = true } : Form.Invalid;
        }
    }

    /// <summary><c>a + b</c> or <c>a - b</c>: each variable may appear once, and none may be subtracted.</summary>
    private Form Sum(IBinaryOperation binary, int depth)
    {
        var left = ToLinear(binary.LeftOperand, depth + 1);
        var right = ToLinear(binary.RightOperand, depth + 1);
        if (!left.Valid || !right.Valid)
        {
            return Form.Invalid;
        }

        var negate = binary.OperatorKind == BinaryOperatorKind.Subtract;
        var result = new Form();
        for (var k = 0; k < left.Count; k++)
        {
            result.Add(left.VariableAt(k), left.CoefficientAt(k));
        }

        for (var k = 0; k < right.Count; k++)
        {
            if (negate || result.IndexOf(right.VariableAt(k)) >= 0)
            {
                return Form.Invalid; // i - j, or i appearing twice: not a form we partition
            }

            result.Add(right.VariableAt(k), right.CoefficientAt(k));
        }

        result.Offset = negate ? left.Offset - right.Offset : left.Offset + right.Offset;
        result.HasOpaque = left.HasOpaque || right.HasOpaque;
        return result;
    }

    /// <summary><c>v * k</c> or <c>k * v</c> with <c>k</c> invariant and <c>v</c> a single variable: the term <c>v</c> with coefficient <c>k</c>.</summary>
    private Form Product(IBinaryOperation product, int depth)
    {
        var (variablePart, factor) = _scope.IsInvariant(product.RightOperand) ? (product.LeftOperand, product.RightOperand)
            : _scope.IsInvariant(product.LeftOperand) ? (product.RightOperand, product.LeftOperand)
            : (null, null);
        if (variablePart is null || factor is null)
        {
            return Form.Invalid;
        }

        var inner = ToLinear(variablePart, depth + 1);
        if (!inner.Valid || inner.HasOpaque || inner.Offset != 0 || inner.Count != 1 || inner.CoefficientAt(0) != "1")
        {
            return Form.Invalid;
        }

        var result = new Form();
        result.Add(inner.VariableAt(0), KeyOf(factor));
        return result;
    }

    /// <summary>
    /// A linear form: coefficient keys per variable ("1", a constant, or an invariant's text), in the order added, and a
    /// constant offset. An index names a variable or two: a short list, not a dictionary.
    /// </summary>
    private sealed class Form
    {
        /// <summary>The form of every expression that is not linear (never changed).</summary>
        public static readonly Form Invalid = new() { Valid = false };

        public long Offset;
        public bool HasOpaque;
        public bool Valid = true;

        private readonly List<(ISymbol Variable, string Coefficient)> _terms = new(2);

        /// <summary>The number of variables with a coefficient.</summary>
        public int Count => _terms.Count;

        public static Form Variable(ISymbol variable)
        {
            var form = new Form();
            form.Add(variable, "1");
            return form;
        }

        public ISymbol VariableAt(int k) => _terms[k].Variable;

        public string CoefficientAt(int k) => _terms[k].Coefficient;

        /// <summary>The position of <paramref name="variable"/>'s term, or -1.</summary>
        public int IndexOf(ISymbol variable)
        {
            for (var k = 0; k < Count; k++)
            {
                if (SymbolEqualityComparer.Default.Equals(VariableAt(k), variable))
                {
                    return k;
                }
            }

            return -1;
        }

        /// <summary>Adds the term of a variable the form does not have yet.</summary>
        public void Add(ISymbol variable, string coefficient) => _terms.Add((variable, coefficient));
    }
}
