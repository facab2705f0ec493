using NoGil.Analyzers.Analysis.Loops;

namespace NoGil.Analyzers.Analysis.Kernels;

/// <summary>
/// The one table of reasons why the kernel rules leave a loop alone, each with its stable code (NOGIL300 reports the
/// code in its message and in the <see cref="DiagnosticProperties.ReasonKey"/> property; codes never change once shipped).
/// <para>
/// A reason is one line below. Declaration order is priority order: when a loop has several obstacles, NOGIL300 names
/// the one declared first (the most fundamental). A reason that explains a <see cref="LoopObstacleKind"/> of the loop
/// model names it; the others are decided by <see cref="ParallelLoop.Decide"/>.
/// </para>
/// </summary>
public sealed class RejectionReason
{
    private static readonly List<RejectionReason> Table = new();

    // Where the loop runs: nothing to parallelize whatever its body does.
    public static readonly RejectionReason AlreadyParallel = new("already-parallel", "the loop already runs inside a concurrent body (Parallel.*, PLINQ, Task.Run, a thread)");
    public static readonly RejectionReason Constructor = new("constructor", "the loop is in a constructor: state built once per object or type");
    public static readonly RejectionReason Factory = new("factory", "the loop fills arrays its method created, and the method is a static factory of its own type (it returns a new instance of the type that declares it): the new instance's state, built as a constructor builds it");
    public static readonly RejectionReason SmallTripCount = new("small-trip-count", "the loop runs a small constant number of times, or at most a small number by construction (the length of a small fixed array, Math.Min(n, c))");
    public static readonly RejectionReason SmallTotalWork = new("small-total-work", "the loop runs at most a fixed number of times (a constant, a guard such as if (n < 20)) and that many iterations of its light body cost less than starting Parallel.For");
    public static readonly RejectionReason SideLoop = new("side-loop", "a deeper loop nest beside it in the same method — written there or run by a method it calls, or, for a loop in a lambda that a call runs (CommonParallel.For(0, n, size, (a, b) => …)), beside that call — does the method's real work");
    public static readonly RejectionReason SideLoopOfCallers = new("side-loop-of-callers", "the loop is in a private method, and every call of it (in its type's declarations) sits beside a deeper loop nest of the caller, which does the caller's real work");

    // How much the body does: heavy only by what the cost estimate leaves out.
    public static readonly RejectionReason MemoryBound = new("memory-bound", "the body only moves, converts or stores elements — in an inner loop, or in a method it calls whose loop does a few operations per element: bound by memory, not by a core");
    public static readonly RejectionReason StreamingNest = new("streaming-nest", "a loop nest that reads each element once (every element access of the inner loop depends on both loops' variables: no reuse) with fewer operations per element than a flat loop needs: a flat loop over its elements, bound by memory");
    public static readonly RejectionReason LightWork = new("light-work", "too little work per iteration once index arithmetic, element moves and one-line forwarding methods are not counted");
    public static readonly RejectionReason TableLoop = new("table-loop", "the loop fills a table from its index and scalars (an array the method created, no element read, no nested work): setup built once and reused");

    // The loop model's obstacles (LoopModel.Obstacles): the iterations are not proven independent.
    public static readonly RejectionReason Unsupported = new("unsupported", "the body uses something the analysis does not follow (lambdas, local functions, pointers, dynamic)", LoopObstacleKind.Unsupported);
    public static readonly RejectionReason EarlyExit = new("early-exit", "break, return, goto, yield or await in the body", LoopObstacleKind.Exit);
    public static readonly RejectionReason Exceptions = new("exceptions", "throw, try/catch/finally, using or lock in the body", LoopObstacleKind.ExceptionSensitive);
    public static readonly RejectionReason ThrowingCallee = new("throwing-callee", "a method of the project called in the body throws (itself or through its callees): under Parallel.For the first failure would no longer be the one reported", LoopObstacleKind.ThrowingCall);
    public static readonly RejectionReason BoundVaries = new("bound-varies", "the loop's bound may change inside the loop", LoopObstacleKind.BoundNotInvariant);
    public static readonly RejectionReason InductionWritten = new("induction-written", "the loop variable is written in the body", LoopObstacleKind.InductionWritten);
    public static readonly RejectionReason ImpureCall = new("impure-call", "a call that is not known to be free of side effects", LoopObstacleKind.ImpureCall);
    public static readonly RejectionReason FieldWrite = new("field-write", "a field, static, property or event is written", LoopObstacleKind.FieldWrite);
    public static readonly RejectionReason VolatileRead = new("volatile-read", "a volatile field is read", LoopObstacleKind.VolatileRead);
    public static readonly RejectionReason OuterWrite = new("outer-write", "a variable declared outside the loop is written, and not as a reduction", LoopObstacleKind.OuterVariableWrite);
    public static readonly RejectionReason UnpartitionedWrite = new("unpartitioned-write", "an element is written that another iteration may write too", LoopObstacleKind.UnpartitionedWrite);
    public static readonly RejectionReason LoopCarried = new("loop-carried", "an element is read that another iteration writes", LoopObstacleKind.CrossIterationRead);
    public static readonly RejectionReason MayAlias = new("may-alias", "two arrays that may be the same object are accessed at different elements", LoopObstacleKind.MayAlias);
    public static readonly RejectionReason SpanOverlap = new("span-overlap", "a written span may overlap another span or array", LoopObstacleKind.SpanOverlap);

    // Independent iterations, but no kernel rule's shape.
    public static readonly RejectionReason VectorKernel = new("vector-kernel", "one element-wise statement or reduction update that NOGIL302/NOGIL303 vectorize, left to them (here they do not report it: an option of theirs declines it)");
    public static readonly RejectionReason ReductionOrder = new("reduction-order", "a floating-point compare-and-assign minimum or maximum keeps the first of equal values, so per-worker results cannot be merged");
    public static readonly RejectionReason ReductionType = new("reduction-type", "a reduction whose per-worker results cannot be merged exactly for its type or operator");
    public static readonly RejectionReason ReassociationOff = new("reassociation-off", "a floating-point sum or product, with NOGIL301.allow_float_reassociation = false");
    public static readonly RejectionReason SpanCapture = new("span-capture", "the body uses a span, which a lambda cannot capture: the loop has no parallel form, and span kernels are per-buffer primitives whose callers split the work");

    private RejectionReason(string code, string summary, LoopObstacleKind? explains = null)
    {
        Code = code;
        Summary = summary;
        Explains = explains;
        Priority = Table.Count;
        Table.Add(this);
    }

    /// <summary>Every reason, in priority order (most fundamental first).</summary>
    public static IReadOnlyList<RejectionReason> All => Table;

    /// <summary>The stable code, e.g. <c>loop-carried</c>.</summary>
    public string Code { get; }

    /// <summary>What the code means, for the rule's page.</summary>
    public string Summary { get; }

    /// <summary>The loop model's obstacle kind this reason explains, or null for a decision of the kernel rules.</summary>
    public LoopObstacleKind? Explains { get; }

    /// <summary>Lower is more fundamental: the position in the table.</summary>
    public int Priority { get; }

    /// <summary>The reason that explains obstacles of <paramref name="kind"/>; <see cref="Unsupported"/> for a kind without a row.</summary>
    public static RejectionReason For(LoopObstacleKind kind)
    {
        foreach (var reason in Table)
        {
            if (reason.Explains == kind)
            {
                return reason;
            }
        }

        return Unsupported;
    }

    public override string ToString() => Code;
}

/// <summary>Why a kernel rule does not report a loop: the reason, the operation at fault and a sentence about it.</summary>
public sealed class KernelRejection
{
    public KernelRejection(RejectionReason reason, IOperation operation, string message, ImmutableArray<RejectionReason> others = default)
    {
        Reason = reason;
        Operation = operation;
        Message = message;
        Others = others.IsDefault ? ImmutableArray<RejectionReason>.Empty : others;
    }

    public RejectionReason Reason { get; }

    /// <summary>The operation at fault (the read, the call, the enclosing <c>Parallel.For</c> …); the loop itself when nothing narrower is.</summary>
    public IOperation Operation { get; }

    /// <summary>The sentence, e.g. "'a[i - 1]' is read after 'a[i]' is written by an earlier iteration".</summary>
    public string Message { get; }

    /// <summary>The reasons of the loop's other obstacles, distinct and in priority order, without <see cref="Reason"/>.</summary>
    public ImmutableArray<RejectionReason> Others { get; }

    /// <summary>
    /// The rejection for a loop whose model has obstacles: the obstacle whose reason comes first in the table (the first
    /// found among equals), with the distinct reasons of the others.
    /// </summary>
    public static KernelRejection FromObstacles(ImmutableArray<LoopObstacle> obstacles)
    {
        var first = obstacles[0];
        foreach (var obstacle in obstacles)
        {
            if (RejectionReason.For(obstacle.Kind).Priority < RejectionReason.For(first.Kind).Priority)
            {
                first = obstacle;
            }
        }

        var reason = RejectionReason.For(first.Kind);
        var others = obstacles.Select(o => RejectionReason.For(o.Kind)).Where(r => r != reason).Distinct().OrderBy(r => r.Priority).ToImmutableArray();
        return new KernelRejection(reason, first.Operation, first.Reason, others);
    }

    public override string ToString() => "[" + Reason.Code + "] " + Message;
}
