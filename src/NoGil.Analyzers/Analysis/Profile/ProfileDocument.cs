using System.Globalization;

namespace NoGil.Analyzers.Analysis.Profile;

/// <summary>A source method's share of the CPU samples (<c>methods[]</c>).</summary>
internal sealed class ProfileMethod(string module, string id, bool exact, double inclusive, int offset)
{
    public string Module { get; } = module;

    /// <summary>The documentation comment ID; without a parameter list when <see cref="Exact"/> is false.</summary>
    public string Id { get; } = id;

    /// <summary>False when the tool could not tell the overload: the entry stands for every overload of the name.</summary>
    public bool Exact { get; } = exact;

    /// <summary>The share of the samples whose stack contains the method, from 0 to 1.</summary>
    public double Inclusive { get; } = inclusive;

    public int Offset { get; } = offset;
}

/// <summary>Time spent waiting at one source line (<c>contention[]</c> or <c>waits[]</c>).</summary>
internal sealed class ProfileLine(string module, string method, string file, int line, double milliseconds, long count, int offset)
{
    public string Module { get; } = module;

    /// <summary>The documentation comment ID of the method whose line this is.</summary>
    public string Method { get; } = method;

    /// <summary>The source path the PDB records (matched by file name).</summary>
    public string File { get; } = file;

    /// <summary>The one-based line.</summary>
    public int Line { get; } = line;

    public double Milliseconds { get; } = milliseconds;

    public long Count { get; } = count;

    public int Offset { get; } = offset;
}

/// <summary>
/// The part of a <c>nogil.profile.json</c> (format 1, docs/profile-guided.md) the analyzers use, with the offset of each
/// entry in the file. Members the analyzers do not use, and unknown members, are not read.
/// </summary>
internal sealed class ProfileDocument
{
    public const string Format = "nogil-profile";

    public const int Version = 1;

    private ProfileDocument(List<(string Name, int Offset)> modules, List<ProfileMethod> methods, List<ProfileLine> contention, List<ProfileLine> waits, long starvation, long blocking, int modulesOffset)
    {
        Modules = modules;
        Methods = methods;
        Contention = contention;
        Waits = waits;
        Starvation = starvation;
        Blocking = blocking;
        ModulesOffset = modulesOffset;
    }

    public IReadOnlyList<(string Name, int Offset)> Modules { get; }

    /// <summary>The offset of the <c>modules</c> array, or of the root object when it is absent.</summary>
    public int ModulesOffset { get; }

    public IReadOnlyList<ProfileMethod> Methods { get; }

    public IReadOnlyList<ProfileLine> Contention { get; }

    public IReadOnlyList<ProfileLine> Waits { get; }

    /// <summary><c>threadPool.starvation</c>: how often the thread pool added a thread because its queue did not move.</summary>
    public long Starvation { get; }

    /// <summary><c>threadPool.blocking</c>: how often the thread pool added a thread because one of its threads was blocked in a wait on a task (0 when absent).</summary>
    public long Blocking { get; }

    /// <summary>Reads <paramref name="text"/>; never throws (but for cancellation). A malformed file gives the reason and its offset.</summary>
    public static ProfileReadResult Read(string? text, CancellationToken cancellationToken)
    {
        var json = JsonReader.Read(text, cancellationToken);
        if (json.Root is not { } root)
        {
            return ProfileReadResult.Malformed(json.Error ?? "not JSON", json.ErrorOffset);
        }

        try
        {
            return ProfileReadResult.Valid(Bind(root, cancellationToken));
        }
        catch (ProfileFormatException e)
        {
            return ProfileReadResult.Malformed(e.Message, e.Offset);
        }
    }

    private static ProfileDocument Bind(JsonValue root, CancellationToken cancellationToken)
    {
        if (root.Kind != JsonKind.Object)
        {
            throw new ProfileFormatException("the file is not a JSON object", root.Offset);
        }

        var format = root.Get("format");
        if (format is not { Kind: JsonKind.String, Text: Format })
        {
            throw new ProfileFormatException("'format' is not \"" + Format + "\"", format?.Offset ?? root.Offset);
        }

        var version = root.Get("version");
        if (version is not { Kind: JsonKind.Number } || version.Number != Math.Floor(version.Number) || version.Number < 1)
        {
            throw new ProfileFormatException("'version' is not a whole number from 1", version?.Offset ?? root.Offset);
        }

        if (version.Number > Version)
        {
            throw new ProfileFormatException("'version' " + version.Number.ToString(CultureInfo.InvariantCulture) + " is newer than the version these analyzers read (" + Version.ToString(CultureInfo.InvariantCulture) + ")", version.Offset);
        }

        var modules = new List<(string, int)>();
        foreach (var module in Items(root, "modules"))
        {
            modules.Add((RequiredString(module, "name"), module.Offset));
        }

        var methods = new List<ProfileMethod>();
        foreach (var method in Items(root, "methods"))
        {
            if ((methods.Count & 1023) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            var inclusive = OptionalNumber(method, "inclusive") ?? 0;
            if (inclusive is < 0 or > 1)
            {
                throw new ProfileFormatException("'inclusive' is not between 0 and 1", method.Get("inclusive")!.Offset);
            }

            methods.Add(new ProfileMethod(RequiredString(method, "module"), RequiredString(method, "id"), OptionalBoolean(method, "exact") ?? true, inclusive, method.Offset));
        }

        var threadPool = root.Get("threadPool");
        if (threadPool is not null and not { Kind: JsonKind.Object or JsonKind.Null })
        {
            throw new ProfileFormatException("'threadPool' is not an object", threadPool.Offset);
        }

        var starvation = threadPool is { Kind: JsonKind.Object } ? Count(threadPool, "starvation") : 0;
        var blocking = threadPool is { Kind: JsonKind.Object } ? Count(threadPool, "blocking") : 0;
        var modulesOffset = root.Get("modules")?.Offset ?? root.Offset;
        return new ProfileDocument(modules, methods, Lines(root, "contention", cancellationToken), Lines(root, "waits", cancellationToken), starvation, blocking, modulesOffset);
    }

    private static List<ProfileLine> Lines(JsonValue root, string name, CancellationToken cancellationToken)
    {
        var lines = new List<ProfileLine>();
        foreach (var entry in Items(root, name))
        {
            if ((lines.Count & 1023) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            // Line 0 (with an empty file) is an entry the tool could not place: a module without a PDB. It is valid and
            // matches no code.
            var line = OptionalNumber(entry, "line");
            if (line is not { } number || number != Math.Floor(number) || number is < 0 or > int.MaxValue)
            {
                throw new ProfileFormatException("'line' is not a line number", entry.Get("line")?.Offset ?? entry.Offset);
            }

            var milliseconds = OptionalNumber(entry, "ms") ?? 0;
            if (milliseconds < 0)
            {
                throw new ProfileFormatException("'ms' is negative", entry.Get("ms")!.Offset);
            }

            lines.Add(new ProfileLine(
                RequiredString(entry, "module"), RequiredString(entry, "method"), RequiredString(entry, "file"), (int)number, milliseconds, Count(entry, "count"), entry.Offset));
        }

        return lines;
    }

    /// <summary>The objects of the array member <paramref name="name"/>; none when it is absent or null.</summary>
    private static IEnumerable<JsonValue> Items(JsonValue parent, string name)
    {
        var array = parent.Get(name);
        if (array is null or { Kind: JsonKind.Null })
        {
            yield break;
        }

        if (array.Kind != JsonKind.Array)
        {
            throw new ProfileFormatException("'" + name + "' is not an array", array.Offset);
        }

        foreach (var item in array.Items)
        {
            if (item.Kind != JsonKind.Object)
            {
                throw new ProfileFormatException("an item of '" + name + "' is not an object", item.Offset);
            }

            yield return item;
        }
    }

    private static string RequiredString(JsonValue entry, string name)
        => entry.Get(name) is { Kind: JsonKind.String } value
            ? value.Text
            : throw new ProfileFormatException("'" + name + "' is missing or not a string", entry.Get(name)?.Offset ?? entry.Offset);

    private static double? OptionalNumber(JsonValue entry, string name)
        => entry.Get(name) switch
        {
            null or { Kind: JsonKind.Null } => null,
            { Kind: JsonKind.Number } value => value.Number,
            var other => throw new ProfileFormatException("'" + name + "' is not a number", other.Offset),
        };

    private static bool? OptionalBoolean(JsonValue entry, string name)
        => entry.Get(name) switch
        {
            null or { Kind: JsonKind.Null } => null,
            { Kind: JsonKind.True } => true,
            { Kind: JsonKind.False } => false,
            var other => throw new ProfileFormatException("'" + name + "' is not true or false", other.Offset),
        };

    /// <summary>A count: a whole number from 0; 0 when absent.</summary>
    private static long Count(JsonValue entry, string name)
    {
        var value = OptionalNumber(entry, name) ?? 0;
        return value == Math.Floor(value) && value is >= 0 and <= long.MaxValue / 2
            ? (long)value
            : throw new ProfileFormatException("'" + name + "' is not a whole number from 0", entry.Get(name)!.Offset);
    }

    /// <summary>A value of the wrong type or range; caught in <see cref="Read"/> (it never leaves the reader).</summary>
    private sealed class ProfileFormatException(string message, int offset) : Exception(message)
    {
        public int Offset { get; } = offset;
    }
}

/// <summary>What reading a profile file gave: the document, or the reason it is malformed and the offset of the fault.</summary>
internal sealed class ProfileReadResult
{
    private ProfileReadResult(ProfileDocument? document, string? error, int errorOffset)
    {
        Document = document;
        Error = error;
        ErrorOffset = errorOffset;
    }

    public ProfileDocument? Document { get; }

    public string? Error { get; }

    public int ErrorOffset { get; }

    public static ProfileReadResult Valid(ProfileDocument document) => new(document, null, 0);

    public static ProfileReadResult Malformed(string error, int offset) => new(null, error, offset);
}
