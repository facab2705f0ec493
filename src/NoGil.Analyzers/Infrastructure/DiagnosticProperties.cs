namespace NoGil.Analyzers.Infrastructure;

/// <summary>
/// The shapes of fix a diagnostic can announce. The analyzer decides which of them a diagnostic gets (none when the
/// rewrite is not provably safe); the fixer registers exactly those and never decides again.
/// </summary>
public enum FixKind
{
    /// <summary>NOGIL201: <c>t.Result</c>/<c>t.Wait()</c>/<c>GetAwaiter().GetResult()</c> becomes <c>await t</c>.</summary>
    AwaitTask,

    /// <summary>NOGIL201: <c>Task.WaitAll(…)</c> becomes <c>await Task.WhenAll(…)</c>.</summary>
    AwaitWhenAll,

    /// <summary>NOGIL201: <c>Task.WaitAny(…)</c> becomes <c>Array.IndexOf(…, await Task.WhenAny(…))</c> or its plain await.</summary>
    AwaitWhenAny,

    /// <summary>NOGIL202: the blocking call becomes an awaited call of its <c>…Async</c> twin.</summary>
    AwaitTwin,

    /// <summary>NOGIL203: the method becomes <c>async</c>, its waits awaits, its callers in the document updated.</summary>
    MakeMethodAsync,

    /// <summary>NOGIL203 in top-level statements: the wait becomes an <c>await</c>.</summary>
    AwaitInTopLevelCode,

    /// <summary>NOGIL204: <c>Task.Run(f).Result</c> becomes a direct call of <c>f</c>.</summary>
    CallDirectly,

    /// <summary>NOGIL204: a loop that awaits one offload per item starts them all and awaits <c>Task.WhenAll</c>.</summary>
    RunConcurrently,

    /// <summary>NOGIL205: <c>using</c> of an asynchronously disposable resource becomes <c>await using</c>.</summary>
    AwaitUsing,

    /// <summary>NOGIL205: <c>using … CreateScope()</c> becomes <c>await using … CreateAsyncScope()</c>.</summary>
    AwaitUsingAsyncScope,

    /// <summary>NOGIL101/NOGIL102: the statements that need no lock move to just before the section.</summary>
    HoistOutOfLock,

    /// <summary>NOGIL103: the concurrent loop gets per-worker partials merged once per worker.</summary>
    ThreadLocalAggregation,

    /// <summary>NOGIL104: the attribute goes; a private lock covers only the shared-state part.</summary>
    PrivateLock,

    /// <summary>NOGIL301: the loop becomes <c>Parallel.For</c>/<c>Parallel.ForEach</c>.</summary>
    ParallelFor,

    /// <summary>
    /// NOGIL301: arrays the loop writes may be arrays it reads (or writes) at other elements: the parallel form runs
    /// behind <c>!ReferenceEquals(…)</c> checks, the original loop in the <c>else</c> branch for the aliased case.
    /// </summary>
    GuardedParallelFor,

    /// <summary>NOGIL302/NOGIL303: one <c>TensorPrimitives</c> call replaces the loop.</summary>
    TensorPrimitives,

    /// <summary>NOGIL302/NOGIL303: a <c>Vector&lt;T&gt;</c> loop followed by the original loop as the scalar tail.</summary>
    VectorLoop,
}

/// <summary>
/// The one home of the diagnostic properties that travel from an analyzer to its fixer: the fixes a diagnostic
/// announces (<see cref="FixKind"/> values) and the few facts a fixer needs to title or render them.
/// </summary>
public static class DiagnosticProperties
{
    /// <summary>The announced fixes: <see cref="FixKind"/> names separated by commas; absent when there is none.</summary>
    public const string FixesKey = "NoGil.Fixes";

    /// <summary>
    /// <c>true</c> when the diagnostic's fixes are offered one at a time only: Fix All and <c>dotnet format</c> skip it
    /// (a fix that reorders floating-point operations where the project did not opt in to bulk application,
    /// <c>nogil.float_reassociation</c>). Absent: the fixes apply in bulk too.
    /// </summary>
    public const string InteractiveOnlyKey = "NoGil.InteractiveOnly";

    /// <summary>NOGIL302/NOGIL303: the <c>TensorPrimitives</c> method the loop maps to.</summary>
    public const string TensorPrimitivesMethodKey = "NoGil.TensorPrimitivesMethod";

    // ----- Kernels (NOGIL301–NOGIL303) -----

    /// <summary>NOGIL302: what a <c>TensorPrimitives</c> fix approximates (<c>Math.Exp</c>, the sigmoid …), for its title; absent when the call is exact.</summary>
    public const string ApproximatesKey = "NoGil.Approximates";

    /// <summary>NOGIL302: the kernel's element type as the <c>Vector&lt;T&gt;</c> fix's title writes it (<c>float</c>).</summary>
    public const string ElementTypeKey = "NoGil.ElementType";

    /// <summary>NOGIL301: whether floating-point reductions may be reassociated (the project's option).</summary>
    public const string AllowFloatReassociationKey = "NoGil.AllowFloatReassociation";

    /// <summary>NOGIL300: the stable code of the reason the loop is not reported by a kernel rule (<c>loop-carried</c>).</summary>
    public const string ReasonKey = "NoGil.Reason";

    /// <summary>NOGIL300: the codes of the loop's other obstacles, separated by commas; absent when there is none.</summary>
    public const string OtherReasonsKey = "NoGil.OtherReasons";

    /// <summary>
    /// NOGIL301: the documentation ID of the project's own <c>Parallel.For</c> replacement the per-index fix calls
    /// (<c>NOGIL301.parallel_for_method</c>, validated by the analyzer); absent: the fix writes <c>Parallel.For</c>.
    /// </summary>
    public const string ParallelForMethodKey = "NoGil.ParallelForMethod";

    /// <summary>NOGIL202: how the twin is shown in the fix's title.</summary>
    public const string TwinDisplayKey = "NoGil.Twin";

    // ---- Blocking waits (NOGIL201–NOGIL204) ----

    /// <summary>NOGIL202: the twin's method name (<c>ReadAllTextAsync</c>, <c>Delay</c>).</summary>
    public const string TwinNameKey = "NoGil.TwinName";

    /// <summary>NOGIL202: <c>true</c> when the twin is <c>Task.Delay</c> (the call was <c>Thread.Sleep</c>).</summary>
    public const string TwinIsDelayKey = "NoGil.TwinIsDelay";

    /// <summary>NOGIL202: what the twin call passes for its token parameter (<c>AsyncTwinTokenArgument</c>); absent: nothing.</summary>
    public const string TokenArgumentKey = "NoGil.TokenArgument";

    /// <summary>NOGIL202: the local or parameter forwarded as the twin's cancellation token.</summary>
    public const string TokenKey = "NoGil.Token";

    /// <summary>NOGIL202: the name of the twin's token parameter, when the added argument must be named.</summary>
    public const string TokenParameterKey = "NoGil.TokenParameter";

    /// <summary>NOGIL205: <c>true</c> when the resource gets <c>.ConfigureAwait(false)</c>, as the function's own awaits do.</summary>
    public const string ConfigureAwaitFalseKey = "NoGil.ConfigureAwaitFalse";

    public static readonly ImmutableDictionary<string, string?> None = ImmutableDictionary<string, string?>.Empty;

    /// <summary>Properties that announce <paramref name="fixes"/> (in order) and carry <paramref name="facts"/>; null facts are left out.</summary>
    public static ImmutableDictionary<string, string?> Create(IEnumerable<FixKind> fixes, params (string Key, string? Value)[] facts)
    {
        var builder = ImmutableDictionary.CreateBuilder<string, string?>();
        var list = string.Join(",", fixes);
        if (list.Length > 0)
        {
            builder[FixesKey] = list;
        }

        foreach (var (key, value) in facts)
        {
            if (value is not null)
            {
                builder[key] = value;
            }
        }

        return builder.ToImmutable();
    }

    /// <summary>Properties that announce one fix, or none when <paramref name="fix"/> is null.</summary>
    public static ImmutableDictionary<string, string?> Create(FixKind? fix, params (string Key, string? Value)[] facts)
        => Create(fix is { } kind ? new[] { kind } : Array.Empty<FixKind>(), facts);

    /// <summary>The fixes <paramref name="diagnostic"/> announces, in the analyzer's order; empty when it has none.</summary>
    public static ImmutableArray<FixKind> GetFixes(Diagnostic diagnostic) => GetFixes(diagnostic.Properties);

    /// <summary>The fixes <paramref name="properties"/> announce, in the analyzer's order; empty when they announce none.</summary>
    public static ImmutableArray<FixKind> GetFixes(ImmutableDictionary<string, string?> properties)
    {
        if (!properties.TryGetValue(FixesKey, out var list) || string.IsNullOrEmpty(list))
        {
            return ImmutableArray<FixKind>.Empty;
        }

        var builder = ImmutableArray.CreateBuilder<FixKind>();
        foreach (var name in list!.Split(','))
        {
            if (Enum.TryParse<FixKind>(name, out var kind) && Enum.IsDefined(typeof(FixKind), kind) && !builder.Contains(kind))
            {
                builder.Add(kind);
            }
        }

        return builder.ToImmutable();
    }

    public static bool Announces(Diagnostic diagnostic, FixKind kind) => GetFixes(diagnostic).Contains(kind);

    /// <summary>The fix the analyzer prefers (the first it announces), which Fix All of the rule applies; null when there is none.</summary>
    public static FixKind? GetPreferredFix(Diagnostic diagnostic) => GetFixes(diagnostic) is { IsEmpty: false } fixes ? fixes[0] : null;

    /// <summary>Whether Fix All and <c>dotnet format</c> may apply the diagnostic's fixes (<see cref="InteractiveOnlyKey"/>).</summary>
    public static bool AppliesInBulk(Diagnostic diagnostic) => !GetBoolean(diagnostic, InteractiveOnlyKey, defaultValue: false);

    /// <summary>A fact carried by <paramref name="diagnostic"/>, or null.</summary>
    public static string? Get(Diagnostic diagnostic, string key)
        => diagnostic.Properties.TryGetValue(key, out var value) ? value : null;

    /// <summary>A boolean fact, <paramref name="defaultValue"/> when absent or not a boolean.</summary>
    public static bool GetBoolean(Diagnostic diagnostic, string key, bool defaultValue)
        => bool.TryParse(Get(diagnostic, key), out var value) ? value : defaultValue;

    /// <summary>An enum fact, null when absent or not one of <typeparamref name="TEnum"/>'s names.</summary>
    public static TEnum? GetEnum<TEnum>(Diagnostic diagnostic, string key)
        where TEnum : struct, Enum
        => Enum.TryParse<TEnum>(Get(diagnostic, key), out var value) && Enum.IsDefined(typeof(TEnum), value) ? value : null;
}
