namespace NoGil.Analyzers.Analysis.Loops;

/// <summary>Why a loop's iterations cannot be proven independent.</summary>
public enum LoopObstacleKind
{
    /// <summary>The loop is not in a canonical shape (induction variable, step, bound).</summary>
    NotCanonical,

    /// <summary>The induction variable is written in the body.</summary>
    InductionWritten,

    /// <summary>The bound is written in the body (or is not a local, parameter, constant, length or field).</summary>
    BoundNotInvariant,

    /// <summary><c>break</c>, <c>return</c>, <c>goto</c>, <c>yield</c> or <c>await</c> in the body.</summary>
    Exit,

    /// <summary><c>throw</c>, <c>try</c>/<c>catch</c>/<c>finally</c>, <c>using</c> or <c>lock</c> in the body.</summary>
    ExceptionSensitive,

    /// <summary>
    /// A call whose callee — or a source method it calls, as deep as the purity proof goes — throws explicitly (an
    /// argument validator, a throw helper, a parser's "could not read"); or a call of a BCL throw helper
    /// (<c>ArgumentNullException.ThrowIfNull</c>). Run in parallel, the first failure would no longer be the one reported.
    /// </summary>
    ThrowingCall,

    /// <summary>A call that is not known to be pure (or a delegate invocation, object creation with side effects …).</summary>
    ImpureCall,

    /// <summary>A field or static is written.</summary>
    FieldWrite,

    /// <summary>A local or parameter declared outside the loop is written, and the write is not a recognized reduction.</summary>
    OuterVariableWrite,

    /// <summary>An array or span element is written at an index that is not the induction variable (or a row of it).</summary>
    UnpartitionedWrite,

    /// <summary>A written array or span is read at another iteration's index.</summary>
    CrossIterationRead,

    /// <summary>Two arrays or spans that may be the same object are accessed at different indices.</summary>
    MayAlias,

    /// <summary>A written span may partially overlap another span or array of the same element type.</summary>
    SpanOverlap,

    /// <summary>A <c>volatile</c> field is read.</summary>
    VolatileRead,

    /// <summary>Lambdas, local functions, pointers, <c>stackalloc</c>, ref locals or other constructs the model does not follow.</summary>
    Unsupported,
}

/// <summary>One reason why a loop is not independent, with the operation that causes it.</summary>
public sealed class LoopObstacle
{
    public LoopObstacle(LoopObstacleKind kind, IOperation operation, string reason, AliasCheck? aliasCheck = null)
    {
        Kind = kind;
        Operation = operation;
        Reason = reason;
        AliasCheck = aliasCheck;
    }

    public LoopObstacleKind Kind { get; }

    public IOperation Operation { get; }

    /// <summary>A short human-readable explanation, e.g. "'a' is read at i - 1, which another iteration writes".</summary>
    public string Reason { get; }

    /// <summary>
    /// For <see cref="LoopObstacleKind.MayAlias"/>: the two arrays, when a check before the loop can tell them apart
    /// (<see cref="Loops.AliasCheck"/>); null when it cannot, and for every other kind.
    /// </summary>
    public AliasCheck? AliasCheck { get; }

    public override string ToString() => Kind + ": " + Reason;
}

/// <summary>
/// Two arrays that may be one object, named by variables that hold the same array for the whole loop (parameters,
/// locals declared before it, fields of <c>this</c> or static fields, none written in the body), of element types that
/// are not arrays (1-D or rectangular): <c>ReferenceEquals</c> before the loop tells whether they are the same object,
/// and when they are not, they share no element. With <see cref="IsRowOf"/>, <see cref="Other"/> is a jagged array
/// whose rows have the written array's type: <c>Array.IndexOf(other, written) &lt; 0</c> before the loop tells that
/// no row the loop may read is the written array.
/// </summary>
public sealed class AliasCheck : IEquatable<AliasCheck>
{
    public AliasCheck(ISymbol written, ISymbol other, bool isRowOf = false)
    {
        Written = written;
        Other = other;
        IsRowOf = isRowOf;
    }

    /// <summary>The array the loop writes.</summary>
    public ISymbol Written { get; }

    /// <summary>The other array (read, or written at other elements), or with <see cref="IsRowOf"/> the jagged array whose rows the loop reads.</summary>
    public ISymbol Other { get; }

    /// <summary>The check is that <see cref="Written"/> is not one of the rows of the jagged array <see cref="Other"/>.</summary>
    public bool IsRowOf { get; }

    public bool Equals(AliasCheck? other)
        => other is not null
           && IsRowOf == other.IsRowOf
           && ((SymbolEqualityComparer.Default.Equals(Written, other.Written) && SymbolEqualityComparer.Default.Equals(Other, other.Other))
               || (!IsRowOf && SymbolEqualityComparer.Default.Equals(Written, other.Other) && SymbolEqualityComparer.Default.Equals(Other, other.Written)));

    public override bool Equals(object? obj) => Equals(obj as AliasCheck);

    public override int GetHashCode() => SymbolEqualityComparer.Default.GetHashCode(Written) ^ SymbolEqualityComparer.Default.GetHashCode(Other);

    public override string ToString() => Written.Name + (IsRowOf ? " not a row of " : " vs ") + Other.Name;
}

/// <summary>The fold of a reduction.</summary>
public enum ReductionOperator
{
    /// <summary><c>s += e</c>, <c>s = s + e</c>, <c>s -= e</c> (<see cref="LoopReduction.IsNegated"/>), <c>s++</c>.</summary>
    Add,

    /// <summary><c>s *= e</c>, <c>s = s * e</c>.</summary>
    Multiply,

    /// <summary><c>s = Math.Min(s, e)</c> (also <c>MathF</c>, either argument order).</summary>
    MathMin,

    /// <summary><c>s = Math.Max(s, e)</c> (also <c>MathF</c>, either argument order).</summary>
    MathMax,

    /// <summary><c>if (e &lt; s) s = e;</c> — keeps the first minimum, NaN never wins (unlike <c>Math.Min</c>).</summary>
    CompareMin,

    /// <summary><c>if (e &gt; s) s = e;</c> — keeps the first maximum, NaN never wins (unlike <c>Math.Max</c>).</summary>
    CompareMax,

    /// <summary><c>s &amp;= e</c>.</summary>
    And,

    /// <summary><c>s |= e</c>.</summary>
    Or,

    /// <summary><c>s ^= e</c>.</summary>
    Xor,
}

/// <summary>A variable declared outside the loop that every iteration folds one value into, and the body reads nowhere else.</summary>
public sealed class LoopReduction
{
    public LoopReduction(ILocalSymbol? local, IParameterSymbol? parameter, ReductionOperator @operator, IOperation update, IOperation? value, IOperation? condition, bool isNegated, ITypeSymbol type)
    {
        Local = local;
        Parameter = parameter;
        Operator = @operator;
        Update = update;
        Value = value;
        Condition = condition;
        IsNegated = isNegated;
        Type = type;
    }

    /// <summary>The accumulator when it is a local (else null).</summary>
    public ILocalSymbol? Local { get; }

    /// <summary>The accumulator when it is a by-value parameter (else null).</summary>
    public IParameterSymbol? Parameter { get; }

    /// <summary>The accumulator.</summary>
    public ISymbol Variable => (ISymbol?)Local ?? Parameter!;

    public ReductionOperator Operator { get; }

    /// <summary>The statement that updates the accumulator (an expression statement, or the <c>if</c> of a compare-min/max or conditional update).</summary>
    public IOperation Update { get; }

    /// <summary>The value folded in each iteration (<c>e</c>); null for <c>s++</c>/<c>s--</c>.</summary>
    public IOperation? Value { get; }

    /// <summary>The condition of a conditional update (<c>if (a[i] &gt; t) count++;</c>), or of a compare-min/max; else null.</summary>
    public IOperation? Condition { get; }

    /// <summary>True for <c>s -= e</c> and <c>s--</c> (the value is subtracted).</summary>
    public bool IsNegated { get; }

    /// <summary>The accumulator's type.</summary>
    public ITypeSymbol Type { get; }

    /// <summary>True when the accumulator is <c>float</c>, <c>double</c> or <c>decimal</c>: reordering changes rounding.</summary>
    public bool IsFloatingPoint => Type.SpecialType is SpecialType.System_Single or SpecialType.System_Double or SpecialType.System_Decimal;
}

/// <summary>How an element access uses the arrays or spans of the loop.</summary>
public enum ElementAccessKind
{
    Read,
    Write,

    /// <summary>Compound assignment, increment or decrement of the element (<c>c[i, j] += …</c>).</summary>
    ReadWrite,
}

/// <summary>An access to an element of an array (one-dimensional, jagged or rectangular) or a span in the loop body.</summary>
public sealed class ElementAccess
{
    public ElementAccess(IOperation operation, ISymbol? @base, ITypeSymbol elementType, bool isSpan, ImmutableArray<IOperation> indices, ElementAccessKind kind, string? partition)
    {
        Operation = operation;
        Base = @base;
        ElementType = elementType;
        IsSpan = isSpan;
        Indices = indices;
        Kind = kind;
        Partition = partition;
    }

    /// <summary>The array element reference, or the span indexer reference.</summary>
    public IOperation Operation { get; }

    /// <summary>The local, parameter or field holding the outermost array or span (for <c>c[i][j]</c>: <c>c</c>); null when it is another expression.</summary>
    public ISymbol? Base { get; }

    public ITypeSymbol ElementType { get; }

    public bool IsSpan { get; }

    /// <summary>The indices, outermost first (<c>c[i][j]</c> and <c>c[i, j]</c> both give <c>[i, j]</c>).</summary>
    public ImmutableArray<IOperation> Indices { get; }

    public ElementAccessKind Kind { get; }

    /// <summary>
    /// Which iteration owns the element, normalized: <c>"i+0"</c> for <c>a[i]</c>, <c>"i+1"</c> for <c>a[i + 1]</c>,
    /// <c>"i*width"</c> for a row <c>a[i * width + j]</c> with <c>0 &lt;= j &lt; width</c>; null when the index does not
    /// follow the induction variable.
    /// </summary>
    public string? Partition { get; }

    /// <summary>True for a one-dimensional access at exactly the induction variable (<c>a[i]</c>).</summary>
    public bool IsAtInduction => Indices.Length == 1 && Partition == "i+0";
}

/// <summary>A cost estimate of one iteration.</summary>
public sealed class LoopCost
{
    public LoopCost(int operations, bool hasInnerLoop, bool hasTranscendental, bool callsLoopingMethod, bool callsSourceMethod, bool callsRecursiveMethod, int discounted = 0, bool streamsMemory = false, int streamingNestOperations = 0)
    {
        Discounted = discounted;
        StreamingNestOperations = streamingNestOperations;
        StreamsMemory = streamsMemory;
        Operations = operations;
        HasInnerLoop = hasInnerLoop;
        HasTranscendental = hasTranscendental;
        CallsLoopingMethod = callsLoopingMethod;
        CallsSourceMethod = callsSourceMethod;
        CallsRecursiveMethod = callsRecursiveMethod;
    }

    /// <summary>
    /// Arithmetic, comparison, element access and call operations in the body (inner loops counted once), plus those of
    /// the pure source methods it calls (<see cref="CallCost"/>).
    /// </summary>
    public int Operations { get; }

    /// <summary>
    /// Operations the estimate leaves out: index arithmetic (<c>i * n + j</c>, a bounds guard), the call weight of element
    /// moves (<c>Slice</c>, <c>BinaryPrimitives</c>) and of one-line forwarders. For explanations only.
    /// </summary>
    public int Discounted { get; }

    /// <summary>
    /// The body contains a loop that is not small but only moves, converts or stores elements, or one that with this loop
    /// visits each element once with a few operations (<see cref="StreamingNestOperations"/>), or calls a source method
    /// whose every loop streams memory (<see cref="CallCost.OnlyLightLoops"/>): none makes the body heavy.
    /// </summary>
    public bool StreamsMemory { get; }

    /// <summary>
    /// The most operations per element of an inner loop that, with this loop, visits each element once
    /// (<see cref="StreamingNest"/>): a nest counted as a flat loop over its elements, not as heavy. 0 when there is none.
    /// </summary>
    public int StreamingNestOperations { get; }

    /// <summary>
    /// True when the body is light (<see cref="IsWorthParallelizing"/> is false) only because of what the estimate
    /// leaves out: counted as before (<see cref="Discounted"/> operations, streaming loops as heavy) it would be worth a
    /// worker. What NOGIL300 explains as <c>memory-bound</c>.
    /// </summary>
    public bool IsLightOnlyByDiscount => !IsWorthParallelizing && (StreamsMemory || Operations + Discounted >= LoopDependence.ParallelOperationThreshold);

    /// <summary>
    /// The body contains a loop that is not trivially small (a constant trip count of at most 16, in either direction, is
    /// small) and that computes: a loop that only allocates, copies or stores elements does not count.
    /// </summary>
    public bool HasInnerLoop { get; }

    /// <summary>
    /// The body, or a source method it calls, calls <c>Math.Exp/Log/Sin/Cos/Tan/Pow…</c> (or the <c>MathF</c> twins; not
    /// <c>Sqrt</c>, one instruction).
    /// </summary>
    public bool HasTranscendental { get; }

    /// <summary>The body calls a (pure) source method that loops.</summary>
    public bool CallsLoopingMethod { get; }

    /// <summary>The body calls a (pure) source method.</summary>
    public bool CallsSourceMethod { get; }

    /// <summary>The body calls a (pure) source method that calls itself back: recursion repeats work like a loop.</summary>
    public bool CallsRecursiveMethod { get; }

    /// <summary>Worth one delegate call per iteration: an inner loop or a call that loops.</summary>
    public bool IsHeavy => HasInnerLoop || CallsLoopingMethod;

    /// <summary>
    /// Worth scheduling on several cores (in ranges, if not <see cref="IsHeavy"/>): heavy, a transcendental call, a
    /// recursive call, or at least <see cref="LoopDependence.ParallelOperationThreshold"/> operations, counting those of
    /// called source methods. A call into source code is not enough by itself: a one-line helper is a few instructions.
    /// </summary>
    public bool IsWorthParallelizing => IsHeavy || HasTranscendental || CallsRecursiveMethod || Operations >= LoopDependence.ParallelOperationThreshold;
}

/// <summary>The shape of a loop.</summary>
public enum LoopShape
{
    /// <summary><c>for (int i = lo; i &lt; hi; i++)</c> (also <c>&lt;=</c>, <c>++i</c>, <c>i += 1</c>).</summary>
    For,

    /// <summary><c>foreach (var x in array)</c> over a one-dimensional array.</summary>
    ForEachArray,
}

/// <summary>
/// What the loop dependence analysis knows about one loop. Built by <see cref="LoopDependence.Analyze"/>; a rule
/// reads it, it never re-derives it.
/// </summary>
public sealed class LoopModel
{
    /// <summary>The cost, counted when a rule first reads <see cref="Cost"/> (<see cref="DeferredCost"/>).</summary>
    private readonly Lazy<LoopCost> _cost;

    internal LoopModel(
        ILoopOperation loop,
        LoopShape shape,
        ILocalSymbol? induction,
        IOperation? lowerBound,
        IOperation? upperBound,
        bool upperInclusive,
        long? tripCount,
        IOperation body,
        ImmutableArray<LoopObstacle> obstacles,
        ImmutableArray<LoopReduction> reductions,
        ImmutableArray<ElementAccess> accesses,
        Lazy<LoopCost> cost,
        bool usesSpans,
        bool hasCheckedArithmetic,
        IOperation? concurrentStarter,
        bool canMoveBodyIntoLambda,
        ImmutableArray<AliasCheck> aliasChecks)
    {
        Loop = loop;
        Shape = shape;
        Induction = induction;
        LowerBound = lowerBound;
        UpperBound = upperBound;
        UpperInclusive = upperInclusive;
        TripCount = tripCount;
        Body = body;
        Obstacles = obstacles;
        Reductions = reductions;
        Accesses = accesses;
        _cost = cost;
        UsesSpans = usesSpans;
        HasCheckedArithmetic = hasCheckedArithmetic;
        ConcurrentStarter = concurrentStarter;
        CanMoveBodyIntoLambda = canMoveBodyIntoLambda;
        AliasChecks = aliasChecks;
    }

    public ILoopOperation Loop { get; }

    public LoopShape Shape { get; }

    /// <summary>The <c>for</c> loop's induction variable; for <c>foreach</c>, the iteration variable.</summary>
    public ILocalSymbol? Induction { get; }

    /// <summary>The initial value of the induction variable (<c>for</c> only).</summary>
    public IOperation? LowerBound { get; }

    /// <summary>The right operand of the condition (<c>for</c>), or the array (<c>foreach</c>).</summary>
    public IOperation? UpperBound { get; }

    /// <summary>True for <c>i &lt;= hi</c>.</summary>
    public bool UpperInclusive { get; }

    /// <summary>The number of iterations when both bounds are constants.</summary>
    public long? TripCount { get; }

    /// <summary>
    /// The most iterations the loop can run when the code fixes it by construction (<see cref="TripBound"/>): a constant
    /// bound, the length of an array created with a constant size, <c>Math.Min(n, 8)</c>; null when nothing bounds it.
    /// Read from the loop's facts when asked (computed there once per loop): a rule reads it only of a loop whose bounds
    /// are not constants, after the checks that may end its question first.
    /// </summary>
    public long? MaxTripCount => TripBound.Of(Loop);

    /// <summary>The loop body.</summary>
    public IOperation Body { get; }

    /// <summary>Every reason found why iterations are not independent; empty when they are.</summary>
    public ImmutableArray<LoopObstacle> Obstacles { get; }

    /// <summary>True when the iterations are proven independent, apart from the recognized <see cref="Reductions"/>.</summary>
    public bool IsIndependent => Obstacles.IsEmpty;

    /// <summary>
    /// When the only obstacles are arrays that may be the same object (<see cref="LoopObstacleKind.MayAlias"/>), each
    /// with an <see cref="AliasCheck"/>: those checks, distinct. The iterations are independent whenever every pair is
    /// two different arrays — the loop can be versioned, as optimizing compilers do: checked with
    /// <c>ReferenceEquals</c> first, the original loop kept for the aliased case. Empty otherwise (also when independent).
    /// </summary>
    public ImmutableArray<AliasCheck> AliasChecks { get; }

    /// <summary>True when the iterations are independent, or independent once <see cref="AliasChecks"/> have passed.</summary>
    public bool IsIndependentUnlessAliased => IsIndependent || !AliasChecks.IsEmpty;

    /// <summary>The first obstacle's reason, or null when independent.</summary>
    public string? WhyNot => Obstacles.IsEmpty ? null : Obstacles[0].Reason;

    /// <summary>Variables declared outside the loop that the body folds values into: one entry per variable (its first update).</summary>
    public ImmutableArray<LoopReduction> Reductions { get; }

    /// <summary>Every array and span element access in the body (inner loops included).</summary>
    public ImmutableArray<ElementAccess> Accesses { get; }

    /// <summary>The estimated work of one iteration (counted on first use, <see cref="DeferredCost"/>).</summary>
    public LoopCost Cost => _cost.Value;

    /// <summary>The body reads or writes a <c>Span&lt;T&gt;</c>/<c>ReadOnlySpan&lt;T&gt;</c> (lambdas cannot capture them).</summary>
    public bool UsesSpans { get; }

    /// <summary>The body contains arithmetic in a <c>checked</c> context (overflow throws; reordering changes where).</summary>
    public bool HasCheckedArithmetic { get; }

    /// <summary>The loop is already inside a concurrent body (<see cref="ConcurrentStarter"/>).</summary>
    public bool IsInsideConcurrentBody => ConcurrentStarter is not null;

    /// <summary>
    /// The call that already runs the loop's enclosing lambda concurrently (<c>Parallel.For</c>, PLINQ, <c>Task.Run</c>,
    /// <c>new Thread</c> …, or a source method that hands the lambda on to one: <see cref="ConcurrentBody.EnclosingStarter"/>);
    /// null when there is none. Helpers named only in the options are not included (the rule checks them).
    /// </summary>
    public IOperation? ConcurrentStarter { get; }

    /// <summary>
    /// False when the body uses something a lambda cannot capture: a span or other ref struct, a <c>ref</c>/<c>out</c>/<c>in</c>
    /// parameter, a ref local, or <c>this</c> of a struct.
    /// </summary>
    public bool CanMoveBodyIntoLambda { get; }

    /// <summary>
    /// True when the loop runs at most <see cref="CpuWork.TrivialLoopBound"/> iterations: its bounds are constants
    /// (<see cref="TripCount"/>), or the code bounds it by construction (<see cref="IsSmallByConstruction"/>).
    /// </summary>
    public bool IsTriviallySmall => (TripCount is { } count && count <= TripBound.SmallTripCount) || IsSmallByConstruction;

    /// <summary>
    /// True when the bound is not a constant but is proven small all the same (<see cref="MaxTripCount"/> at most
    /// <see cref="TripBound.SmallTripCount"/>): <c>i &lt; w.Length</c> for <c>var w = new double[3]</c>, a
    /// <c>static readonly</c> table of 10 coefficients.
    /// </summary>
    public bool IsSmallByConstruction => TripCount is null && MaxTripCount is { } bound && bound <= TripBound.SmallTripCount;
}
