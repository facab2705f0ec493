using System.Runtime.CompilerServices;

namespace NoGil.Analyzers.Analysis.Loops;

/// <summary>
/// The loop nests of one function (a method, accessor, constructor, lambda or local function; nested lambdas and local
/// functions are functions of their own): for each loop, the longest chain of nested loops that runs through it — the
/// exponent of its work, O(n) for one loop, O(n²) for a loop in a loop. Loops proven small (<see cref="TripBound"/>,
/// a constant trip count of at most <see cref="CpuWork.TrivialLoopBound"/>) add nothing to a chain; a call in a loop
/// to a method that loops (<see cref="CpuWork"/>) adds one.
/// <para>
/// A loop <em>carries its function's dominant work</em> when no longer chain runs beside it on the same path: an O(n)
/// loop next to an O(n²) nest in the same method is a side loop (setup, a norm, a copy of the result), whatever it
/// costs per element — making it faster changes little of the method's time. Loops in the two arms of an
/// <c>if</c>/<c>else</c>, a conditional expression or in different <c>switch</c> sections never run together and are not
/// compared. Computed once per function and cached.
/// </para>
/// </summary>
public sealed partial class LoopNest
{
    private static readonly ConditionalWeakTable<IOperation, LoopNest> Cache = new();

    private readonly Dictionary<ILoopOperation, Entry> _entries;

    /// <summary>Calls outside every loop of the function, each with the nest depth of what it runs (at least 1).</summary>
    private readonly List<(IOperation Call, int Depth)> _calls;

    private readonly int _longest;

    private LoopNest(Dictionary<ILoopOperation, Entry> entries, List<(IOperation Call, int Depth)> calls)
    {
        _entries = entries;
        _calls = calls;
        _longest = System.Math.Max(entries.Count == 0 ? 0 : entries.Values.Max(e => e.Chain), calls.Count == 0 ? 0 : calls.Max(c => c.Depth));
    }

    /// <summary>The longest chain of nested loops in the function, counting what its calls run.</summary>
    public int Longest => _longest;

    /// <summary>The nests of the function that contains <paramref name="loop"/>.</summary>
    public static LoopNest Of(ILoopOperation loop, PurityCache purity, CancellationToken cancellationToken)
        => OfFunction(FunctionOf(loop), purity, cancellationToken);

    /// <summary>
    /// The nest depth of what a call to <paramref name="method"/> runs: the longest chain of nested loops in its body,
    /// counting its own calls the same way, as deep as the purity proof follows calls (<see cref="Purity.MaxCallDepth"/>);
    /// at least 1 when the CPU-work estimate finds that it loops (<see cref="CpuWork"/>: a deeper callee, a sort …).
    /// </summary>
    private static int CallDepth(IOperation call, IMethodSymbol? method, PurityCache purity, int depth, CancellationToken cancellationToken)
    {
        // The callee's own nest first: when it loops, whether the call is CPU work by itself (at most 1) adds nothing.
        var found = SourceNestDepth(method, purity, depth, cancellationToken);
        return found > 0 ? found : (CpuWork.IsHeavyItself(call, purity, cancellationToken) ? 1 : 0);
    }

    /// <summary>The longest chain of nested loops in the body of source method <paramref name="method"/> (0 when none, not in source or too deep).</summary>
    private static int SourceNestDepth(IMethodSymbol? method, PurityCache purity, int depth, CancellationToken cancellationToken)
    {
        if (method is null)
        {
            return 0;
        }

        var definition = (method.PartialImplementationPart ?? method).OriginalDefinition;
        if (!Purity.IsInSource(definition) || definition.IsAbstract || depth + 1 >= Purity.MaxCallDepth || definition.DeclaringSyntaxReferences.Length != 1)
        {
            return 0;
        }

        if (purity.TryGetNestDepth(definition, depth, out var known))
        {
            return known;
        }

        var found = 0;
        var syntax = definition.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken);
        if (purity.GetModel(syntax.SyntaxTree)?.GetOperation(syntax, cancellationToken) is { } body)
        {
            found = Build(body, purity, depth + 1, cancellationToken).Longest;
        }

        // The answer depends on the depth only through the depth bound: memoized per depth.
        purity.SetNestDepth(definition, depth, found);
        return found;
    }

    /// <summary>The source method an operation calls — a method, an operator, a constructor — or null.</summary>
    private static IMethodSymbol? CalleeOf(IOperation operation) => operation switch
    {
        IInvocationOperation invocation => invocation.TargetMethod,
        IBinaryOperation { OperatorMethod: { } method } => method,
        IUnaryOperation { OperatorMethod: { } method } => method,
        IObjectCreationOperation { Constructor: { } constructor } => constructor,
        _ => null,
    };

    /// <summary>The number of loops in the longest chain through <paramref name="loop"/> (1 for a lone loop); 0 when unknown or small.</summary>
    public int ChainThrough(ILoopOperation loop) => _entries.TryGetValue(loop, out var entry) ? entry.Chain : 0;

    /// <summary>
    /// A loop of a longer nest that runs beside <paramref name="loop"/> on the same path — the outermost loop of that
    /// nest that does not enclose <paramref name="loop"/> — or null when <paramref name="loop"/> carries its function's
    /// dominant work.
    /// </summary>
    public IOperation? DeeperNestBeside(ILoopOperation loop)
        => _entries.TryGetValue(loop, out var entry) && entry.Chain < _longest ? DeepestBeside(loop, entry.Chain).Nest : null;

    /// <summary>
    /// Why <paramref name="loop"/> is a side loop, or null when it carries the dominant work of everything it is compared
    /// with: a deeper nest beside it in its own function (<see cref="DeeperNestBeside"/>); else, for a loop in a lambda
    /// that <paramref name="runner"/> runs (the loop model's <see cref="LoopModel.ConcurrentStarter"/>, a
    /// <c>CommonParallel.For(0, n, 4096, (a, b) =&gt; …)</c>), a deeper nest beside that call in the function that makes
    /// it — the lambda is that function's work, its chain counted from the call; else, for a loop in a private method, a
    /// deeper nest beside every one of its calls (found in its type's declarations, partial parts included) — the
    /// method is a side computation of each caller, as if written where it is called.
    /// </summary>
    public static SideNest? FindSideNest(ILoopOperation loop, IOperation? runner, PurityCache purity, CancellationToken cancellationToken)
    {
        var nest = Of(loop, purity, cancellationToken);
        if (!nest._entries.TryGetValue(loop, out var entry) || entry.Chain == 0)
        {
            return null;
        }

        if (nest.DeeperNestBeside(loop) is { } beside)
        {
            return new SideNest(beside, via: null, SideNestPlace.SameFunction);
        }

        var function = FunctionOf(loop);
        if (function is IAnonymousFunctionOperation lambda && runner is not null && IsArgumentOf(lambda, runner))
        {
            var outer = OfFunction(FunctionOf(runner), purity, cancellationToken);
            var chain = outer.DepthAt(runner) + entry.Chain;
            return chain < outer._longest && outer.DeepestBeside(runner, chain).Nest is { } besideRunner
                ? new SideNest(besideRunner, runner, SideNestPlace.BesideRunner)
                : null;
        }

        // Only a private ordinary method has callers known to CallerRoom: a body declared with an access modifier other than
        // 'private', or of a constructor, accessor or operator, has none (no symbol lookup needed to tell).
        if (function is IAnonymousFunctionOperation or ILocalFunctionOperation
            || (function is IMethodBodyBaseOperation && !MayBePrivateMethod(function.Syntax))
            || loop.SemanticModel?.GetEnclosingSymbol(loop.Syntax.SpanStart, cancellationToken) is not IMethodSymbol method)
        {
            return null;
        }

        var room = CallerRoom.Of(method, purity, cancellationToken);
        return entry.Chain < room.Value ? new SideNest(room.Nest!, room.Site, SideNestPlace.BesideEveryCall) : null;
    }

    /// <summary>A method declaration without a <c>public</c>, <c>internal</c> or <c>protected</c> modifier.</summary>
    private static bool MayBePrivateMethod(SyntaxNode declaration)
    {
        if (declaration is not MethodDeclarationSyntax method)
        {
            return false;
        }

        foreach (var modifier in method.Modifiers)
        {
            if ((SyntaxKind)modifier.RawKind is SyntaxKind.PublicKeyword or SyntaxKind.InternalKeyword or SyntaxKind.ProtectedKeyword)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// The deepest nest that runs beside <paramref name="at"/> (a loop of this function, or a call in it) on the same path
    /// with a chain longer than <paramref name="chain"/>, and that chain; among equals, the first in the source. A longer
    /// nest in another arm of an if or switch does not count, nor one that encloses <paramref name="at"/> or that it
    /// encloses, but a shorter one beside it that is still deeper than <paramref name="chain"/> does.
    /// </summary>
    private (IOperation? Nest, int Chain) DeepestBeside(IOperation at, int chain)
    {
        IOperation? best = null;
        var bestChain = chain;
        foreach (var (call, depth) in _calls.OrderBy(c => c.Call.Syntax.SpanStart))
        {
            if (depth > bestChain && call != at && !Encloses(call, at) && !Encloses(at, call) && !AreExclusive(at, call))
            {
                best = call;
                bestChain = depth;
            }
        }

        foreach (var pair in _entries.OrderBy(p => p.Key.Syntax.SpanStart))
        {
            var other = pair.Value;
            if (other.Chain <= bestChain || pair.Key == at || Encloses(pair.Key, at) || Encloses(at, pair.Key) || AreExclusive(at, pair.Key))
            {
                continue;
            }

            best = OutermostBeside(pair.Key, at);
            bestChain = other.Chain;
        }

        return (best, bestChain);
    }

    /// <summary>The weights of the loops of this function around <paramref name="operation"/> (0 outside every loop).</summary>
    private int DepthAt(IOperation operation)
    {
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            if (current is ILoopOperation loop && _entries.TryGetValue(loop, out var entry))
            {
                return entry.Depth;
            }

            if (current is IAnonymousFunctionOperation or ILocalFunctionOperation or IMethodBodyBaseOperation)
            {
                break;
            }
        }

        return 0;
    }

    /// <summary>Is <paramref name="lambda"/> an argument of <paramref name="call"/> (through a delegate creation or conversion)?</summary>
    private static bool IsArgumentOf(IAnonymousFunctionOperation lambda, IOperation call)
        => call.ChildOperations.Any(child => child is IArgumentOperation argument && LambdaOf(argument.Value) == lambda);

    /// <summary>The lambda an argument's value is, through delegate creations and conversions; null when it is none.</summary>
    private static IAnonymousFunctionOperation? LambdaOf(IOperation value)
    {
        while (value is IDelegateCreationOperation or IConversionOperation)
        {
            value = value is IDelegateCreationOperation creation ? creation.Target : ((IConversionOperation)value).Operand;
        }

        return value as IAnonymousFunctionOperation;
    }

    /// <summary>The nests of <paramref name="root"/>, a function body (<see cref="FunctionOf"/>).</summary>
    private static LoopNest OfFunction(IOperation root, PurityCache purity, CancellationToken cancellationToken)
    {
        if (Cache.TryGetValue(root, out var known))
        {
            return known;
        }

        var built = Build(root, purity, callDepth: 0, cancellationToken);
        return Cache.GetValue(root, _ => built);
    }

    /// <summary>The function body <paramref name="operation"/> belongs to (a lambda's or local function's own body).</summary>
    private static IOperation FunctionOf(IOperation operation)
    {
        var current = operation;
        while (current.Parent is { } parent)
        {
            if (parent is IAnonymousFunctionOperation or ILocalFunctionOperation or IMethodBodyBaseOperation)
            {
                return parent;
            }

            current = parent;
        }

        return current;
    }

    /// <param name="countedOnly">Weigh only <c>for</c> and <c>foreach</c> loops (for a lambda's nest, <see cref="RunLambdaDepth"/>).</param>
    private static LoopNest Build(IOperation root, PurityCache purity, int callDepth, CancellationToken cancellationToken, bool countedOnly = false)
    {
        var entries = new Dictionary<ILoopOperation, Entry>();
        var calls = new List<(IOperation Call, int Depth)>();
        var order = new List<ILoopOperation>();
        var stack = new Stack<(IOperation Operation, ILoopOperation? Enclosing)>(64);
        stack.Push((root, null));
        while (stack.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (operation, enclosing) = stack.Pop();
            if (operation != root && operation is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                continue; // a function of its own, run where it is called
            }

            if (operation is ILoopOperation loop)
            {
                var weight = TripBound.IsSmall(loop) || (countedOnly && loop.LoopKind is not (LoopKind.For or LoopKind.ForEach)) ? 0 : 1;
                var depth = weight + (enclosing is null ? 0 : entries[enclosing].Depth);
                entries[loop] = new Entry(enclosing, weight, depth);
                if (enclosing is not null)
                {
                    entries[enclosing].Children.Add(loop);
                }

                order.Add(loop);
                enclosing = loop;
            }
            else if (operation is IInvocationOperation or IObjectCreationOperation || CalleeOf(operation) is not null)
            {
                // A call runs its callee's nest where it stands: inside a loop it deepens that loop's chain, outside every
                // loop it is a nest of its own (a determinant, a factorization) beside the function's loops.
                var depth = System.Math.Max(
                    CallDepth(operation, CalleeOf(operation), purity, callDepth, cancellationToken),
                    RunLambdaDepth(operation, purity, callDepth, cancellationToken));
                if (depth > 0 && enclosing is not null)
                {
                    entries[enclosing].CallDepth = System.Math.Max(entries[enclosing].CallDepth, depth);
                }
                else if (depth > 0)
                {
                    calls.Add((operation, depth));
                }
            }

            foreach (var child in operation.ChildOperations)
            {
                stack.Push((child, enclosing));
            }
        }

        // Children were found after their parents: the reverse order sees every child first.
        for (var k = order.Count - 1; k >= 0; k--)
        {
            var entry = entries[order[k]];
            var below = entry.CallDepth;
            foreach (var child in entry.Children)
            {
                below = System.Math.Max(below, entries[child].Degree);
            }

            entry.Degree = entry.Weight + below;
        }

        foreach (var entry in entries.Values)
        {
            entry.Chain = entry.Depth + entry.Degree - entry.Weight;
        }

        return new LoopNest(entries, calls);
    }

    /// <summary>
    /// The longest chain of the lambdas handed to <paramref name="call"/> when it is a statement of its own
    /// (<c>CommonParallel.For(0, n, 4096, (a, b) =&gt; { for … })</c>, <c>Parallel.For</c>, <c>list.ForEach</c>): a call whose
    /// result is dropped does its work through the lambdas it receives, which run there — their nests are the
    /// function's work, as if written where the call stands. 0 for any other call. Only the lambdas' <c>for</c> and
    /// <c>foreach</c> loops count: that the call runs the lambda is inferred, not seen, and a <c>while</c> in such a
    /// lambda is as often a rarely taken retry (<c>while (r == 0.0) r = rnd.NextDouble();</c>) as a sweep.
    /// </summary>
    private static int RunLambdaDepth(IOperation call, PurityCache purity, int callDepth, CancellationToken cancellationToken)
    {
        if (call is not IInvocationOperation { Parent: IExpressionStatementOperation } invocation)
        {
            return 0;
        }

        var longest = 0;
        foreach (var argument in invocation.Arguments)
        {
            if (LambdaOf(argument.Value) is { } lambda)
            {
                longest = System.Math.Max(longest, Build(lambda, purity, callDepth, cancellationToken, countedOnly: true).Longest);
            }
        }

        return longest;
    }

    /// <summary>Do <paramref name="a"/> and <paramref name="b"/> sit in different arms of one <c>if</c>, conditional or <c>switch</c>?</summary>
    private static bool AreExclusive(IOperation a, IOperation b)
    {
        var ancestorsOfA = new Dictionary<IOperation, IOperation>(); // ancestor -> its child on the way to a
        for (IOperation child = a, current = a.Parent!; current is not null; child = current, current = current.Parent!)
        {
            ancestorsOfA[current] = child;
        }

        for (IOperation child = b, current = b.Parent!; current is not null; child = current, current = current.Parent!)
        {
            if (!ancestorsOfA.TryGetValue(current, out var towardA))
            {
                continue;
            }

            return current switch
            {
                IConditionalOperation conditional => towardA != child && towardA != conditional.Condition && child != conditional.Condition,
                ISwitchOperation => towardA != child && towardA is ISwitchCaseOperation && child is ISwitchCaseOperation,
                ISwitchExpressionOperation => towardA != child && towardA is ISwitchExpressionArmOperation && child is ISwitchExpressionArmOperation,
                _ => false,
            };
        }

        return false;
    }

    /// <summary>The outermost loop enclosing <paramref name="inner"/> (or itself) that does not enclose <paramref name="other"/>.</summary>
    private ILoopOperation OutermostBeside(ILoopOperation inner, IOperation other)
    {
        var result = inner;
        for (var current = _entries[inner].Enclosing; current is not null; current = _entries[current].Enclosing)
        {
            if (Encloses(current, other))
            {
                break;
            }

            result = current;
        }

        return result;
    }

    private static bool Encloses(IOperation outer, IOperation inner)
    {
        for (var current = inner.Parent; current is not null; current = current.Parent)
        {
            if (current == outer)
            {
                return true;
            }
        }

        return false;
    }

    private sealed class Entry
    {
        public Entry(ILoopOperation? enclosing, int weight, int depth)
        {
            Enclosing = enclosing;
            Weight = weight;
            Depth = depth;
        }

        /// <summary>The nearest loop around this one in the same function.</summary>
        public ILoopOperation? Enclosing { get; }

        /// <summary>1, or 0 for a loop proven small.</summary>
        public int Weight { get; }

        /// <summary>The weights of this loop and the loops around it.</summary>
        public int Depth { get; }

        public List<ILoopOperation> Children { get; } = new();

        /// <summary>The deepest nest that a call in the loop's body (outside its inner loops) runs; 0 for none.</summary>
        public int CallDepth { get; set; }

        /// <summary>The longest chain of weights from this loop down (itself included).</summary>
        public int Degree { get; set; }

        /// <summary>The longest chain through this loop: the loops around it, itself, and the deepest chain below it.</summary>
        public int Chain { get; set; }
    }
}
