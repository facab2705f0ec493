namespace NoGil.Analyzers.Infrastructure;

/// <summary>
/// The one home of the rules' descriptors, by family and ID: title, message, category, default severity and
/// description. Each analyzer passes its descriptor to <see cref="NoGilAnalyzer"/>; the help link is the rule's page.
/// </summary>
public static class Descriptors
{
    // NOGIL0xx: the package's own inputs.
    public static readonly DiagnosticDescriptor UseCurrentProfile = Rule(
        RuleIdentifiers.UseCurrentProfile,
        title: "Use a profile recorded from the current build",
        messageFormat: "The profile '{0}' is not used, so every rule reports as without one: {1}",
        RuleCategories.Profile,
        DiagnosticSeverity.Info,
        description: "With a profile (nogil.profile.json, written by the nogil-profile tool), kernel findings are reported in hot code with the measured share and lock and blocking findings carry the measured waits. A profile that is malformed, was recorded from another project, or names methods this build no longer has would put those numbers on the wrong code, so it is not used at all. Record the profile again from the current build.");

    // NOGIL1xx: work serialized under a lock.
    public static readonly DiagnosticDescriptor MoveWorkOutOfLock = Rule(
        RuleIdentifiers.MoveWorkOutOfLock,
        title: "Move CPU work out of the critical section",
        messageFormat: "{0} inside the critical section on '{1}' touches nothing the lock protects; every other thread waits for it. Move it out of the lock{2}.",
        RuleCategories.Locks,
        DiagnosticSeverity.Warning,
        description: "A lock should be held only while shared state is read or written. CPU work on locals, parameters and fresh objects inside the section makes every other thread that needs the lock wait for it: compute first, then take the lock for the shared update.");

    public static readonly DiagnosticDescriptor ComputeOutsideSharedLock = Rule(
        RuleIdentifiers.ComputeOutsideSharedLock,
        title: "Compute outside the lock shared by every parallel iteration",
        messageFormat: "Every {0} iteration takes the lock on '{1}' while it runs {2}, so the iterations run one at a time; {3}",
        RuleCategories.Locks,
        DiagnosticSeverity.Warning,
        description: "A lock taken by every iteration of a parallel loop, or by every worker started in a loop, serializes whatever runs under it: N threads, one runs. Compute outside the lock and keep only the shared update inside.");

    public static readonly DiagnosticDescriptor UseThreadLocalAggregation = Rule(
        RuleIdentifiers.UseThreadLocalAggregation,
        title: "Aggregate per worker instead of synchronizing every iteration",
        messageFormat: "Every {0} iteration {1} '{2}', so the workers contend for it once per item; keep a partial result per worker (localInit/localFinally) and merge once per worker{3}",
        RuleCategories.Locks,
        DiagnosticSeverity.Warning,
        description: "Updating one shared accumulator under a lock, or with Interlocked, in every iteration of a parallel loop makes all workers fight over one lock or cache line. The Parallel.For/ForEach overloads with localInit and localFinally keep a partial result per worker and merge it once.");

    public static readonly DiagnosticDescriptor LockOnlySharedState = Rule(
        RuleIdentifiers.LockOnlySharedState,
        title: "Lock only the shared-state part instead of synchronizing the whole method",
        messageFormat: "[MethodImpl(MethodImplOptions.Synchronized)] holds a lock on {0} for the whole of '{1}', including {2}; lock a private object around the shared-state part only{3}",
        RuleCategories.Locks,
        DiagnosticSeverity.Warning,
        description: "MethodImplOptions.Synchronized locks 'this' (or the type, for a static method) for the whole call: every caller waits for the method's CPU work, and any code that locks the same public object can interfere. Lock a private object around the statements that touch shared state.");

    // NOGIL2xx: work blocked behind synchronous waits.
    public static readonly DiagnosticDescriptor UseAwaitInsteadOfBlockingWait = Rule(
        RuleIdentifiers.UseAwaitInsteadOfBlockingWait,
        title: "Use await instead of a blocking wait in async code",
        messageFormat: "'{0}' blocks a thread until the task completes; await it instead{1}",
        RuleCategories.Blocking,
        DiagnosticSeverity.Warning,
        description: "An async function that blocks on a task holds a thread-pool thread hostage for the whole wait and can deadlock under a synchronization context. Await the task instead.");

    public static readonly DiagnosticDescriptor UseAsyncTwin = Rule(
        RuleIdentifiers.UseAsyncTwin,
        title: "Use the awaitable twin of a thread-blocking call in async code",
        messageFormat: "'{0}' blocks the thread in async code; await '{1}' instead{2}",
        RuleCategories.Blocking,
        DiagnosticSeverity.Warning,
        description: "A synchronous sleep, wait or I/O call inside an async function blocks a thread-pool thread for its whole duration. Await the asynchronous twin instead.");

    public static readonly DiagnosticDescriptor MakeMethodAsync = Rule(
        RuleIdentifiers.MakeMethodAsync,
        title: "Make the method async instead of blocking on a task",
        messageFormat: "Sync-over-async: '{0}' blocks the calling thread until the task completes{1}",
        RuleCategories.Blocking,
        DiagnosticSeverity.Info,
        description: "A synchronous method that blocks on async work ties up a thread for the whole operation, starves the thread pool under load and can deadlock under a synchronization context. Make the method async and await the task.");

    public static readonly DiagnosticDescriptor RunOffloadedWorkConcurrently = Rule(
        RuleIdentifiers.RunOffloadedWorkConcurrently,
        title: "Run offloaded work concurrently, or do not offload it",
        messageFormat: "{0}",
        RuleCategories.Blocking,
        DiagnosticSeverity.Warning,
        description: "Awaiting Task.Run once per loop iteration runs the items strictly one after another on a pool thread; blocking on Task.Run right after starting it only adds a thread hop. Start the items together and await them all, or call the work directly.");

    public static readonly DiagnosticDescriptor UseAwaitUsing = Rule(
        RuleIdentifiers.UseAwaitUsing,
        title: "Use await using for an asynchronously disposable resource in async code",
        messageFormat: "'{0}' is disposed synchronously in async code, which blocks the thread on its flush or close; {1}",
        RuleCategories.Blocking,
        DiagnosticSeverity.Warning,
        description: "A using statement or declaration calls Dispose, and for a stream, writer, connection or service scope that flushes, closes or disposes asynchronously disposable services, Dispose does its I/O synchronously: an async function then blocks a thread-pool thread on it. 'await using' calls DisposeAsync instead; a dependency-injection scope is created with CreateAsyncScope so that it can be disposed asynchronously.");

    // NOGIL3xx: kernels: loops that could use every core and every lane.

    /// <summary>NOGIL300 is off until a project or file turns it on (.editorconfig); no preset turns it on.</summary>
    public static readonly DiagnosticDescriptor ExplainLoop = Rule(
        RuleIdentifiers.ExplainLoop,
        title: "Why this loop is not parallelized or vectorized",
        messageFormat: "[{0}] {1}{2}",
        RuleCategories.Kernels,
        DiagnosticSeverity.Info,
        description: "Opt-in explanation for a loop with enough work to run on several cores that no kernel rule (NOGIL301–NOGIL303) reports: the reason, as a stable code, and the operation at fault — a value carried from one iteration to the next, arrays that may be the same object, a call with side effects, a loop that already runs inside Parallel.For. Off by default; turn it on per project or file with dotnet_diagnostic.NOGIL300.severity = suggestion.",
        isEnabledByDefault: false);

    public static readonly DiagnosticDescriptor ParallelizeLoop = Rule(
        RuleIdentifiers.ParallelizeLoop,
        title: "Run independent loop iterations in parallel",
        messageFormat: "The iterations of this loop are independent{0} and heavy enough to pay for a worker: run them on every core with {1}{2}",
        RuleCategories.Kernels,
        DiagnosticSeverity.Info,
        description: "A loop whose iterations write only their own elements, body-local variables or one reduction variable, and call only pure code, computes the same result when its iterations run on several cores. Parallel.For runs them on the thread pool: one delegate call per index for heavy bodies, index ranges for lighter ones, and a partial result per worker for reductions (for a floating-point sum or product the order of the operations changes, so rounding may differ).");

    public static readonly DiagnosticDescriptor VectorizeLoop = Rule(
        RuleIdentifiers.VectorizeLoop,
        title: "Vectorize the element-wise loop",
        messageFormat: "This loop computes its '{0}' elements one at a time; {1}",
        RuleCategories.Kernels,
        DiagnosticSeverity.Info,
        description: "A loop that computes dst[i] = f(a[i], b[i], …) over arrays or spans of a primitive numeric type runs one element per instruction: the JIT does not vectorize loops. Vector<T> processes 4 to 64 elements per instruction with the same results, and System.Numerics.Tensors.TensorPrimitives has ready-made vectorized kernels.");

    public static readonly DiagnosticDescriptor VectorizeReduction = Rule(
        RuleIdentifiers.VectorizeReduction,
        title: "Vectorize the reduction",
        messageFormat: "This loop computes {0} one element at a time; {1}{2}",
        RuleCategories.Kernels,
        DiagnosticSeverity.Info,
        description: "A sum, dot product, sum of squares, minimum, maximum or count over an array or span can process a whole SIMD vector of elements per step. TensorPrimitives (System.Numerics.Tensors) has these reductions built in; otherwise a Vector<T> accumulator loop followed by the original loop for the remaining elements does the same. Integer results are exact; floating-point sums add in a different order, so rounding may differ (the rule page gives the bound).");

    private static DiagnosticDescriptor Rule(string id, string title, string messageFormat, string category, DiagnosticSeverity severity, string description, bool isEnabledByDefault = true)
        => new(id, title, messageFormat, category, severity, isEnabledByDefault, description: description, helpLinkUri: RuleHelp.GetHelpUri(id));
}
