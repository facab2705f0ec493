using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;

namespace NoGil.Profile;

/// <summary>
/// nogil-profile run -o nogil.profile.json -- &lt;command&gt; [args…]
/// nogil-profile import &lt;trace.nettrace&gt; -o nogil.profile.json [--modules &lt;dir&gt;]…
/// </summary>
internal static class Program
{
    private const string Usage =
        "usage: nogil-profile run [-o nogil.profile.json] [--trace <file.nettrace>] [--inline] -- <command> [args...]\n" +
        "       nogil-profile import <trace.nettrace> [-o nogil.profile.json] [--modules <dir>]...";

    public static int Main(string[] args) => Run(args, Console.Error);

    internal static int Run(string[] args, TextWriter error)
    {
        try
        {
            if (args.Length == 0 || args[0] is "-h" or "--help")
            {
                error.WriteLine(Usage);
                return args.Length == 0 ? 2 : 0;
            }

            return args[0] switch
            {
                "run" => RunCommand(args.Skip(1).ToArray(), error),
                "import" => ImportCommand(args.Skip(1).ToArray(), error),
                _ => throw new ProfileException($"unknown command '{args[0]}'; see nogil-profile --help"),
            };
        }
        catch (ProfileException e)
        {
            error.WriteLine("nogil-profile: error: " + e.Message);
            return 2;
        }
        catch (IOException e)
        {
            error.WriteLine("nogil-profile: error: " + TraceReader.OneLine(e.Message));
            return 2;
        }
        catch (UnauthorizedAccessException e)
        {
            error.WriteLine("nogil-profile: error: " + TraceReader.OneLine(e.Message));
            return 2;
        }
    }

    private static int ImportCommand(string[] args, TextWriter error)
    {
        string output = "nogil.profile.json";
        string? trace = null;
        var directories = new List<string>();
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "-o" or "--output":
                    output = Value(args, ref i);
                    break;
                case "--modules":
                    directories.Add(Value(args, ref i));
                    break;
                default:
                    if (args[i].StartsWith('-') || trace is not null)
                    {
                        throw new ProfileException($"unexpected argument '{args[i]}'; see nogil-profile --help");
                    }

                    trace = args[i];
                    break;
            }
        }

        if (trace is null)
        {
            throw new ProfileException("import needs a trace file; see nogil-profile --help");
        }

        // Modules that moved since the trace was taken are looked up next to the trace too.
        directories.Add(Path.GetDirectoryName(Path.GetFullPath(trace)) ?? ".");
        Profile profile = TraceReader.Read(trace, Path.GetFileName(trace), directories);
        ProfileJson.WriteFile(output, profile);
        Report(profile, output, error);
        return 0;
    }

    private static int RunCommand(string[] args, TextWriter error)
    {
        string output = "nogil.profile.json";
        string? keepTrace = null;
        bool inline = false;
        int separator = Array.IndexOf(args, "--");
        string[] options = separator < 0 ? args : args.Take(separator).ToArray();
        for (int i = 0; i < options.Length; i++)
        {
            switch (options[i])
            {
                case "-o" or "--output":
                    output = Value(options, ref i);
                    break;
                case "--trace":
                    keepTrace = Value(options, ref i);
                    break;
                case "--inline":
                    inline = true;
                    break;
                default:
                    throw new ProfileException($"unexpected argument '{options[i]}'; see nogil-profile --help");
            }
        }

        string[] command = separator < 0 ? Array.Empty<string>() : args.Skip(separator + 1).ToArray();
        if (command.Length == 0)
        {
            throw new ProfileException("run needs a command after '--'; see nogil-profile --help");
        }

        string trace = keepTrace ?? Path.Combine(Path.GetTempPath(), "nogil-profile-" + Guid.NewGuid().ToString("N") + ".nettrace");
        try
        {
            int exitCode = Recorder.Record(command, trace, error, inline);
            if (exitCode != 0)
            {
                error.WriteLine(string.Format(CultureInfo.InvariantCulture, "nogil-profile: the command exited with code {0}", exitCode));
            }

            Profile profile = TraceReader.Read(trace, string.Join(' ', command.Select(Quote)), Array.Empty<string>());
            ProfileJson.WriteFile(output, profile);
            Report(profile, output, error);
            return exitCode;
        }
        finally
        {
            if (keepTrace is null && File.Exists(trace))
            {
                File.Delete(trace);
            }
        }
    }

    private static void Report(Profile profile, string output, TextWriter error) =>
        error.WriteLine(string.Format(
            CultureInfo.InvariantCulture,
            "nogil-profile: wrote {0}: {1} samples, {2} methods, {3} contended lines, {4} wait lines",
            output,
            profile.Samples,
            profile.Methods.Count,
            profile.Contention.Count,
            profile.Waits.Count));

    private static string Value(string[] args, ref int i)
    {
        if (i + 1 >= args.Length)
        {
            throw new ProfileException($"'{args[i]}' needs a value; see nogil-profile --help");
        }

        return args[++i];
    }

    private static string Quote(string arg) => arg.Length > 0 && !arg.Any(c => char.IsWhiteSpace(c) || c == '"') ? arg : "\"" + arg.Replace("\"", "\\\"") + "\"";
}
