using System;
using System.Collections.Generic;

namespace NoGil.Profile;

/// <summary>What nogil.profile.json holds (docs/profile-guided.md, format 1).</summary>
internal sealed class Profile
{
    public required string Command { get; init; }

    public required double DurationMs { get; init; }

    public required int Samples { get; init; }

    public required IReadOnlyList<ModuleEntry> Modules { get; init; }

    public required IReadOnlyList<MethodEntry> Methods { get; init; }

    public required IReadOnlyList<LineEntry> Contention { get; init; }

    public required IReadOnlyList<LineEntry> Waits { get; init; }

    public required int Starvation { get; init; }

    /// <summary>Threads the pool added because its threads were blocked in waits (the runtime's cooperative-blocking adjustments).</summary>
    public int CooperativeBlocking { get; init; }
}

internal sealed record ModuleEntry(string Name, Guid Mvid, string PdbId);

internal sealed record MethodEntry(string Module, string Id, bool Exact, double Inclusive, double Exclusive, int Samples);

internal sealed record LineEntry(string Module, string Method, string File, int Line, double Ms, int Count);
