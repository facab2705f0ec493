namespace NoGil.CodeFixes.Rules.Locks;

/// <summary>
/// NOGIL101 and NOGIL102 fix "Move the work out of the lock": the section's lock-free prefix and the extracted value of
/// its first remaining statement run before the lock is taken; the shared reads and writes stay inside. What moves is
/// the section's <see cref="HoistPlan"/>, the same the analyzers announced the fix from.
/// </summary>
/// <remarks>Fix All: applies the hoists one after another, in source order, as applying them one at a time would: each new
/// local's name is chosen against the code as the previous fixes left it (merged independent fixes could give two
/// sections of one method the same name).</remarks>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MoveWorkOutOfLockFixer)), Shared]
public sealed class MoveWorkOutOfLockFixer() : NoGilCodeFixProvider(FixAllMode.Sequential, RuleIdentifiers.MoveWorkOutOfLock, RuleIdentifiers.ComputeOutsideSharedLock)
{
    protected override SyntaxNode? Render(FixRequest request)
    {
        var cancellationToken = request.CancellationToken;
        if (SectionHoister.FindSectionAt(request.Model, request.Node, request.Types, cancellationToken) is not { } section
            || HoistPlan.For(section, PurityCache.For(request.Model.Compilation), cancellationToken) is not { CanFix: true } plan)
        {
            // The section is gone, or an earlier fix of a Fix All changed it: the code no longer matches the diagnostic.
            return null;
        }

        return SectionHoister.Apply(request.Root, plan);
    }
}
