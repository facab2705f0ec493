namespace NoGil.Analyzers.Analysis.Kernels;

/// <summary>Where a fix that reorders floating-point additions or multiplications may be applied.</summary>
public enum FloatReassociationPolicy
{
    /// <summary>Not at all: a loop whose fix would reorder them is not reported.</summary>
    Never,

    /// <summary>One fix at a time, from the light bulb, where the notice is read; Fix All and <c>dotnet format</c> skip it (the default).</summary>
    Interactive,

    /// <summary>Also in bulk: Fix All and <c>dotnet format</c> apply it.</summary>
    Bulk,
}

/// <summary>
/// The one switch for fixes that reassociate floating-point operations (NOGIL301 float reductions, NOGIL303 float
/// sums, dot products, sums of squares and magnitudes): <c>nogil.float_reassociation = never | interactive | bulk</c>.
/// The older per-rule booleans are still read when the switch is not set: <c>NOGIL301.allow_float_reassociation</c>
/// and <c>NOGIL303.allow_float_reassociation</c> = <c>false</c> mean <c>never</c> for that rule, <c>true</c> means the
/// default, <c>interactive</c>.
/// </summary>
public static class FloatReassociation
{
    /// <summary>.editorconfig: <c>never</c>, <c>interactive</c> (default) or <c>bulk</c>; when set, it wins over the per-rule booleans.</summary>
    public static readonly RuleOption<FloatReassociationPolicy?> Option = new(
        "nogil.float_reassociation",
        defaultValue: null,
        static text => text.Trim().ToLowerInvariant() switch
        {
            "never" => (true, FloatReassociationPolicy.Never),
            "interactive" => (true, FloatReassociationPolicy.Interactive),
            "bulk" => (true, FloatReassociationPolicy.Bulk),
            _ => (false, null),
        });

    /// <summary>The policy for <paramref name="tree"/>: the switch when set, else <c>never</c> where <paramref name="legacy"/> is false, else <c>interactive</c>.</summary>
    public static FloatReassociationPolicy Get(AnalyzerOptions options, SyntaxTree tree, RuleOption<bool> legacy)
        => Option.Get(options, tree) is { } policy ? policy
            : legacy.Get(options, tree) ? FloatReassociationPolicy.Interactive
            : FloatReassociationPolicy.Never;

    /// <summary>
    /// The diagnostic property of a diagnostic whose fix reassociates: <see cref="DiagnosticProperties.InteractiveOnlyKey"/>
    /// unless the project opted in to bulk application; nothing for a fix that does not reassociate.
    /// </summary>
    public static (string Key, string? Value) InteractiveOnly(bool reassociates, FloatReassociationPolicy policy)
        => (DiagnosticProperties.InteractiveOnlyKey, reassociates && policy != FloatReassociationPolicy.Bulk ? "true" : null);
}
