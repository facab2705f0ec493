using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis.Text;
using NoGil.Analyzers.Analysis.Common;

namespace NoGil.Analyzers.Analysis.Profile;

/// <summary>What the profile is to a compilation.</summary>
internal enum ProfileStatus
{
    /// <summary>The project has no profile.</summary>
    Absent,

    /// <summary>The profile has a module for this assembly and every method it names exists: the rules use it.</summary>
    Valid,

    /// <summary>The profile is not JSON, or not format 1 of <c>nogil.profile.json</c>.</summary>
    Malformed,

    /// <summary>The profile has no module for this assembly, or names methods this compilation does not have.</summary>
    Stale,
}

/// <summary>
/// The profile as one compilation sees it, decided once per compilation and profile file and shared by every rule
/// (<see cref="For"/>): whether it applies (<see cref="Status"/>), why not (<see cref="Reason"/>, at
/// <see cref="Location"/> in the file), and for a valid one the measurements of this assembly's module: each method's
/// share of the CPU samples, and the contention and blocked time per source line.
/// </summary>
internal sealed class ProfileFacts
{
    private static readonly ProfileFacts Absent = new(ProfileStatus.Absent, null, string.Empty, null);

    private static readonly ConditionalWeakTable<AdditionalText, ProfileReadResult> Reads = new();
    private static readonly CompilationMemo<AdditionalText, ProfileFacts> ByCompilation = new();

    private readonly Dictionary<string, double> _exactShares = new(StringComparer.Ordinal);
    private readonly Dictionary<string, double> _nameShares = new(StringComparer.Ordinal);
    private readonly Dictionary<int, List<ProfileLine>> _contention = new();
    private readonly Dictionary<int, List<ProfileLine>> _waits = new();

    private ProfileFacts(ProfileStatus status, AdditionalText? file, string reason, Location? location)
    {
        Status = status;
        File = file;
        Reason = reason;
        Location = location;
    }

    public ProfileStatus Status { get; }

    /// <summary>The profile file; null when <see cref="ProfileStatus.Absent"/>.</summary>
    public AdditionalText? File { get; }

    /// <summary>Why a malformed or stale profile is not used; empty otherwise.</summary>
    public string Reason { get; }

    /// <summary>Where in the file the reason is found; null when not known.</summary>
    public Location? Location { get; }

    /// <summary><c>threadPool.starvation</c> of a valid profile.</summary>
    public long Starvation { get; private set; }

    /// <summary><c>threadPool.blocking</c> of a valid profile.</summary>
    public long Blocking { get; private set; }

    /// <summary>The profile of <paramref name="compilation"/> (found among <paramref name="options"/>' additional files), read once per file and decided once per compilation.</summary>
    public static ProfileFacts For(Compilation compilation, AnalyzerOptions options, CancellationToken cancellationToken)
    {
        if (ProfileDiscovery.Find(options) is not { } file)
        {
            return Absent;
        }

        var perFile = ByCompilation.For(compilation);
        return perFile.TryGetValue(file, out var known) ? known : perFile.GetOrAdd(file, Decide(compilation, file, cancellationToken));
    }

    /// <summary>Reads <paramref name="file"/> (once per file object: the IDE makes a new one when the file changes).</summary>
    internal static ProfileReadResult Read(AdditionalText file, CancellationToken cancellationToken)
    {
        if (Reads.TryGetValue(file, out var read))
        {
            return read;
        }

        var text = Text(file, cancellationToken);
        var result = text is null ? ProfileReadResult.Malformed("the file could not be read", 0)
            : text.Length > JsonReader.MaxLength ? ProfileReadResult.Malformed("the file is larger than " + (JsonReader.MaxLength / (1024 * 1024)).ToString(CultureInfo.InvariantCulture) + " MB", 0)
            : ProfileDocument.Read(text.ToString(), cancellationToken);
        return Reads.GetValue(file, _ => result);
    }

    private static SourceText? Text(AdditionalText file, CancellationToken cancellationToken)
    {
        try
        {
            return file.GetText(cancellationToken);
        }
        catch (Exception e) when (e is System.IO.IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            return null; // a host whose additional text reads the file only when asked
        }
    }

    private static ProfileFacts Decide(Compilation compilation, AdditionalText file, CancellationToken cancellationToken)
    {
        var read = Read(file, cancellationToken);
        if (read.Document is not { } document)
        {
            var at = At(file, read.ErrorOffset, cancellationToken);
            return new ProfileFacts(ProfileStatus.Malformed, file, "it is malformed: " + read.Error + Position(at), at);
        }

        var name = compilation.AssemblyName ?? string.Empty;
        if (!document.Modules.Any(m => string.Equals(m.Name, name, StringComparison.Ordinal)))
        {
            return new ProfileFacts(
                ProfileStatus.Stale,
                file,
                "it has no module '" + name + "', so it was recorded from another project or build; record it again from this one",
                At(file, document.ModulesOffset, cancellationToken));
        }

        var missing = MissingMethods(compilation, document, name, cancellationToken);
        if (missing.Count > 0)
        {
            var (id, offset) = missing[0];
            return new ProfileFacts(
                ProfileStatus.Stale,
                file,
                (missing.Count == 1 ? "1 method it names no longer exists" : missing.Count.ToString("N0", CultureInfo.InvariantCulture) + " methods it names no longer exist")
                + " in '" + name + "' (" + (missing.Count == 1 ? string.Empty : "one is ") + "'" + id + "'), so it was recorded from an older build; record it again",
                At(file, offset, cancellationToken));
        }

        var facts = new ProfileFacts(ProfileStatus.Valid, file, string.Empty, null) { Starvation = document.Starvation, Blocking = document.Blocking };
        facts.Index(document, name);
        return facts;
    }

    private void Index(ProfileDocument document, string module)
    {
        foreach (var method in document.Methods)
        {
            if (string.Equals(method.Module, module, StringComparison.Ordinal))
            {
                var (table, key) = method.Exact ? (_exactShares, method.Id) : (_nameShares, MethodIds.NameKey(method.Id));
                table[key] = table.TryGetValue(key, out var known) ? Math.Max(known, method.Inclusive) : method.Inclusive;
            }
        }

        AddLines(_contention, document.Contention, module);
        AddLines(_waits, document.Waits, module);
    }

    private static void AddLines(Dictionary<int, List<ProfileLine>> table, IReadOnlyList<ProfileLine> lines, string module)
    {
        foreach (var line in lines)
        {
            if (!string.Equals(line.Module, module, StringComparison.Ordinal))
            {
                continue;
            }

            if (!table.TryGetValue(line.Line, out var list))
            {
                table[line.Line] = list = new List<ProfileLine>();
            }

            list.Add(line);
        }
    }

    /// <summary>
    /// The share of the CPU samples of <paramref name="member"/> (a method, constructor or accessor): its exact entry, or
    /// the entry of its name when the tool could not tell the overload, whichever is larger; null when it is in neither.
    /// </summary>
    public double? ShareOf(ISymbol member) => ShareAndSourceOf(member)?.Share;

    /// <summary>
    /// <see cref="ShareOf"/>, and whether it is the share of an entry without a parameter list (<c>"exact": false</c>: the
    /// lambdas and local functions of every method of that name, rolled up by name) rather than the member's own.
    /// </summary>
    public (double Share, bool ByName)? ShareAndSourceOf(ISymbol member)
    {
        if (member.GetDocumentationCommentId() is not { } id)
        {
            return null;
        }

        (double Share, bool ByName)? share = _exactShares.TryGetValue(id, out var exact) ? (exact, false) : null;
        if (_nameShares.TryGetValue(MethodIds.NameKey(id), out var byName) && (share is null || byName > share.Value.Share))
        {
            share = (byName, true);
        }

        return share;
    }

    /// <summary>The contention measured in <paramref name="member"/> at one of <paramref name="lines"/> (one-based) of the file <paramref name="fileName"/>.</summary>
    public (double Milliseconds, long Count)? ContentionAt(ISymbol member, string fileName, IEnumerable<int> lines) => Sum(_contention, member, fileName, lines);

    /// <summary>The blocked time measured in <paramref name="member"/> at one of <paramref name="lines"/> (one-based) of the file <paramref name="fileName"/>.</summary>
    public (double Milliseconds, long Count)? WaitsAt(ISymbol member, string fileName, IEnumerable<int> lines) => Sum(_waits, member, fileName, lines);

    private static (double Milliseconds, long Count)? Sum(Dictionary<int, List<ProfileLine>> table, ISymbol member, string fileName, IEnumerable<int> lines)
    {
        if (table.Count == 0 || member.GetDocumentationCommentId() is not { } id)
        {
            return null;
        }

        var found = false;
        var (milliseconds, count) = (0.0, 0L);
        foreach (var line in lines.Distinct())
        {
            if (!table.TryGetValue(line, out var entries))
            {
                continue;
            }

            foreach (var entry in entries)
            {
                if (MethodIds.Matches(entry.Method, id) && string.Equals(ProfileDiscovery.NameOf(entry.File), fileName, StringComparison.OrdinalIgnoreCase))
                {
                    found = true;
                    milliseconds += entry.Milliseconds;
                    count += entry.Count;
                }
            }
        }

        return found ? (milliseconds, count) : null;
    }

    /// <summary>The methods of <paramref name="module"/> the profile names that the compilation does not declare, with their offsets, in file order.</summary>
    private static List<(string Id, int Offset)> MissingMethods(Compilation compilation, ProfileDocument document, string module, CancellationToken cancellationToken)
    {
        var named = new List<(string Id, bool Exact, int Offset)>();
        named.AddRange(document.Methods.Where(m => string.Equals(m.Module, module, StringComparison.Ordinal)).Select(m => (m.Id, m.Exact, m.Offset)));
        named.AddRange(document.Contention.Concat(document.Waits)
            .Where(l => string.Equals(l.Module, module, StringComparison.Ordinal))
            .Select(l => (l.Method, l.Method.IndexOf('(') >= 0, l.Offset)));
        var missing = new List<(string, int)>();
        if (named.Count == 0)
        {
            return missing;
        }

        var declared = MethodIds.Declared(compilation, cancellationToken);
        foreach (var (id, exact, offset) in named.OrderBy(n => n.Offset))
        {
            if (!declared.Exact.Contains(id) && (exact || !declared.Names.Contains(MethodIds.NameKey(id))))
            {
                missing.Add((id, offset));
            }
        }

        return missing;
    }

    /// <summary>A location in the profile file at <paramref name="offset"/> (one character, or none at the end).</summary>
    private static Location? At(AdditionalText file, int offset, CancellationToken cancellationToken)
    {
        if (Text(file, cancellationToken) is not { } text || offset < 0 || offset > text.Length)
        {
            return null;
        }

        var span = new TextSpan(offset, offset < text.Length ? 1 : 0);
        return Location.Create(file.Path ?? ProfileDiscovery.FileName, span, text.Lines.GetLinePositionSpan(span));
    }

    private static string Position(Location? location)
        => location is null ? string.Empty
            : " (line " + (location.GetLineSpan().StartLinePosition.Line + 1).ToString(CultureInfo.InvariantCulture)
              + ", column " + (location.GetLineSpan().StartLinePosition.Character + 1).ToString(CultureInfo.InvariantCulture) + ")";
}
