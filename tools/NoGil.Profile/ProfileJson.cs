using System;
using System.Buffers;
using System.Globalization;
using System.IO;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace NoGil.Profile;

/// <summary>
/// Writes a profile as nogil.profile.json: members in the documented order, one array element per line, numbers in
/// invariant form, "\n" line ends on every platform. The same profile gives the same bytes.
/// </summary>
internal static class ProfileJson
{
    private static readonly JsonWriterOptions Compact = new()
    {
        Indented = false,
        // Documentation IDs keep their backticks and angle brackets readable; quotes and control characters are still escaped.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static byte[] Write(Profile profile)
    {
        var text = new StringBuilder();
        text.Append("{\n");
        text.Append("  \"format\": \"nogil-profile\",\n");
        text.Append("  \"version\": 1,\n");
        text.Append("  \"command\": ").Append(Value(w => w.WriteStringValue(profile.Command))).Append(",\n");
        text.Append("  \"durationMs\": ").Append(Number(Math.Round(profile.DurationMs, 1, MidpointRounding.AwayFromZero))).Append(",\n");
        text.Append("  \"samples\": ").Append(profile.Samples.ToString(CultureInfo.InvariantCulture)).Append(",\n");
        Array(text, "modules", profile.Modules, (w, m) =>
        {
            w.WriteString("name", m.Name);
            w.WriteString("mvid", m.Mvid.ToString("D"));
            w.WriteString("pdbId", m.PdbId);
        });
        text.Append(",\n");
        Array(text, "methods", profile.Methods, (w, m) =>
        {
            w.WriteString("module", m.Module);
            w.WriteString("id", m.Id);
            w.WriteBoolean("exact", m.Exact);
            w.WriteNumber("inclusive", Share(m.Inclusive));
            w.WriteNumber("exclusive", Share(m.Exclusive));
            w.WriteNumber("samples", m.Samples);
        });
        text.Append(",\n");
        Array(text, "contention", profile.Contention, LineEntry);
        text.Append(",\n");
        Array(text, "waits", profile.Waits, LineEntry);
        text.Append(",\n");
        text.Append("  \"threadPool\": { \"starvation\": ").Append(profile.Starvation.ToString(CultureInfo.InvariantCulture))
            .Append(", \"blocking\": ").Append(profile.CooperativeBlocking.ToString(CultureInfo.InvariantCulture)).Append(" }\n");
        text.Append("}\n");
        return new UTF8Encoding(false).GetBytes(text.ToString());
    }

    private static void LineEntry(Utf8JsonWriter w, LineEntry e)
    {
        w.WriteString("module", e.Module);
        w.WriteString("method", e.Method);
        w.WriteString("file", e.File);
        w.WriteNumber("line", e.Line);
        w.WriteNumber("ms", Math.Round(e.Ms, 1, MidpointRounding.AwayFromZero));
        w.WriteNumber("count", e.Count);
    }

    private static double Share(double value) => Math.Round(value, 4, MidpointRounding.AwayFromZero);

    private static string Number(double value) => Value(w => w.WriteNumberValue(value));

    private static void Array<T>(StringBuilder text, string name, System.Collections.Generic.IReadOnlyList<T> items, Action<Utf8JsonWriter, T> members)
    {
        text.Append("  \"").Append(name).Append("\": [");
        if (items.Count == 0)
        {
            text.Append(']');
            return;
        }

        text.Append('\n');
        for (int i = 0; i < items.Count; i++)
        {
            T item = items[i];
            text.Append("    ").Append(Value(w =>
            {
                w.WriteStartObject();
                members(w, item);
                w.WriteEndObject();
            }));
            text.Append(i + 1 < items.Count ? ",\n" : "\n");
        }

        text.Append("  ]");
    }

    private static string Value(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, Compact))
        {
            write(writer);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Writes the file only once the whole profile is in memory, through a temporary file and a move.</summary>
    public static void WriteFile(string path, Profile profile)
    {
        byte[] bytes = Write(profile);
        string full = Path.GetFullPath(path);
        string temp = full + ".tmp-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        try
        {
            File.WriteAllBytes(temp, bytes);
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }
}
