using System.Runtime.CompilerServices;

namespace NoGil.Analyzers.Analysis.Blocking;

/// <summary>
/// Dual-mode functions: one body for both APIs, switching on a mode (<c>if (isAsync) await s.ReadAsync(…); else
/// s.Read(…);</c>). Their synchronous branches are deliberate; an unconditional blocking call in them is reported but not
/// rewritten, because the synchronous mode would then block on asynchronous work.
/// </summary>
public sealed partial class AsyncTwinCall
{
    private static readonly ConditionalWeakTable<IOperation, object> DualModeByFunction = new();

    /// <summary>
    /// The function containing <paramref name="operation"/> branches between a call <c>M</c> and a call <c>MAsync</c>
    /// somewhere (the two branches of an <c>if</c>/<c>else</c>, a conditional expression, or two <c>switch</c> cases), or
    /// on a mode (<see cref="IsModeTest"/>) between a branch that awaits and one that does not; or it takes a mode
    /// parameter (<see cref="ModeParameter"/>) — it forwards the mode to calls that branch on it.
    /// </summary>
    public static bool IsInDualModeFunction(IOperation operation, CancellationToken cancellationToken)
    {
        var function = operation;
        while (function.Parent is not null && function is not (IAnonymousFunctionOperation or ILocalFunctionOperation))
        {
            function = function.Parent;
        }

        if (DualModeByFunction.TryGetValue(function, out var known))
        {
            return (bool)known;
        }

        var dualMode = FunctionSymbol(function, cancellationToken) is { } symbol && symbol.Parameters.Any(ModeParameter.IsModeParameter);
        foreach (var descendant in dualMode ? Enumerable.Empty<IOperation>() : function.Descendants())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (descendant is IConditionalOperation { WhenFalse: { } whenFalse } conditional
                && (AreModeBranches(conditional.WhenTrue, whenFalse) || IsModeTest(conditional.Condition) && Awaits(conditional.WhenTrue) != Awaits(whenFalse))
                || descendant is ISwitchOperation switchStatement && switchStatement.Cases.Any(a => switchStatement.Cases.Any(b => a != b && AreModeBranches(a, b))))
            {
                dualMode = true;
                break;
            }
        }

        return (bool)DualModeByFunction.GetValue(function, _ => dualMode);
    }

    /// <summary>
    /// A condition that reads a mode: it mentions a parameter, local, field, property or enum member whose name says
    /// "async" (<c>isAsync</c>, <c>useAsync</c>, <c>ioBehavior == IOBehavior.Asynchronous</c>).
    /// </summary>
    private static bool IsModeTest(IOperation condition)
        => condition.DescendantsAndSelf().Any(operation => operation switch
        {
            IParameterReferenceOperation parameter => SaysAsync(parameter.Parameter.Name),
            ILocalReferenceOperation local => SaysAsync(local.Local.Name),
            IMemberReferenceOperation member => SaysAsync(member.Member.Name),
            _ => false,
        });

    private static bool SaysAsync(string name) => name.IndexOf("async", StringComparison.OrdinalIgnoreCase) >= 0;

    private static bool Awaits(IOperation branch) => branch.DescendantsAndSelf().Any(d => d is IAwaitOperation);

    private static IMethodSymbol? FunctionSymbol(IOperation function, CancellationToken cancellationToken)
        => function switch
        {
            IAnonymousFunctionOperation lambda => lambda.Symbol,
            ILocalFunctionOperation local => local.Symbol,
            _ => function.SemanticModel?.GetDeclaredSymbol(function.Syntax, cancellationToken) as IMethodSymbol,
        };

    /// <summary>One branch calls <c>M</c> and the other <c>MAsync</c>.</summary>
    private static bool AreModeBranches(IOperation left, IOperation right)
    {
        var leftNames = CalledNames(left);
        var rightNames = CalledNames(right);
        return leftNames.Any(name => rightNames.Contains(name + "Async")) || rightNames.Any(name => leftNames.Contains(name + "Async"));

        static HashSet<string> CalledNames(IOperation branch)
            => new(branch.DescendantsAndSelf().OfType<IInvocationOperation>().Select(call => call.TargetMethod.Name), StringComparer.Ordinal);
    }

    /// <summary>
    /// In a dual-mode function, the branch of a condition that awaits nothing while its sibling awaits: the synchronous
    /// mode, whatever the sibling's awaitable is (<c>await Task.Factory.FromAsync(socket.BeginConnect, …)</c> beside
    /// <c>socket.Connect(…)</c>).
    /// </summary>
    private static bool IsSyncModeBranch(IOperation branch, IOperation? sibling, IOperation invocation, CancellationToken cancellationToken)
        => sibling is not null
           && Awaits(sibling)
           && !Awaits(branch)
           && IsInDualModeFunction(invocation, cancellationToken);

    private const string DualModeNoFixReason = "the method also runs in a synchronous mode (it takes or branches on the mode), which an await here would make block on asynchronous work; call the twin in the async branch only";
}
