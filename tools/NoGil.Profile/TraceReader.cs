using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Etlx;
using Microsoft.Diagnostics.Tracing.EventPipe;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

namespace NoGil.Profile;

/// <summary>An error the tool reports in one line and exits 2 for, writing no file.</summary>
internal sealed class ProfileException : Exception
{
    public ProfileException(string message)
        : base(message)
    {
    }
}

/// <summary>
/// Reads an EventPipe trace (.nettrace) and computes the profile: CPU shares per source method of the application's
/// modules, contention and wait time per source line, and the thread pool's starvation adjustments.
/// </summary>
internal sealed class TraceReader : IDisposable
{
    private readonly TraceLog _log;
    private readonly IReadOnlyList<string> _moduleDirectories;
    private readonly Dictionary<ModuleFileIndex, UserModule?> _modules = new();
    private readonly Dictionary<CodeAddressIndex, Frame?> _frames = new();
    private readonly string _nettracePath;
    private NativeMaps? _maps;

    private TraceReader(TraceLog log, string nettracePath, IReadOnlyList<string> moduleDirectories)
    {
        _nettracePath = nettracePath;
        _log = log;
        _moduleDirectories = moduleDirectories;
    }

    /// <summary>
    /// Converts the trace and computes its profile. <paramref name="moduleDirectories"/> are searched by file name for
    /// modules that are no longer at the path the trace recorded (a trace taken on another machine).
    /// </summary>
    public static Profile Read(string nettracePath, string command, IReadOnlyList<string> moduleDirectories)
    {
        if (!File.Exists(nettracePath))
        {
            throw new ProfileException($"the trace '{nettracePath}' does not exist");
        }

        string etlx = Path.Combine(Path.GetTempPath(), "nogil-profile-" + Guid.NewGuid().ToString("N") + ".etlx");
        try
        {
            try
            {
                TraceLog.CreateFromEventPipeDataFile(nettracePath, etlx, new TraceLogOptions { ConversionLog = TextWriter.Null });
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                throw new ProfileException($"cannot read the trace '{nettracePath}': {OneLine(e.Message)}");
            }

            using var log = new TraceLog(etlx);
            using var reader = new TraceReader(log, nettracePath, moduleDirectories);
            return reader.Compute(command);
        }
        finally
        {
            try
            {
                File.Delete(etlx);
            }
            catch (IOException)
            {
            }
        }
    }

    internal static string OneLine(string message) => message.Replace('\r', ' ').Replace('\n', ' ').Trim();

    private Profile Compute(string command)
    {
        int samples = 0;
        var inclusive = new Dictionary<(UserModule, SourceMethod), int>();
        var exclusive = new Dictionary<(UserModule, SourceMethod), int>();
        var contention = new Dictionary<LineKey, (double Ms, int Count)>();
        var waits = new Dictionary<LineKey, (double Ms, int Count)>();
        var contentionStarts = new Dictionary<int, (double Time, CallStackIndex Stack)>();
        var waitStarts = new Dictionary<int, (double Time, CallStackIndex Stack)>();
        int starvation = 0;
        int blocking = 0;
        double first = double.MaxValue;
        double last = double.MinValue;
        var seen = new HashSet<(UserModule, SourceMethod)>();

        foreach (TraceEvent data in _log.Events)
        {
            double time = data.TimeStampRelativeMSec;
            first = Math.Min(first, time);
            last = Math.Max(last, time);
            switch (data)
            {
                case ClrThreadSampleTraceData sample when sample.Type == ClrThreadSampleType.Managed:
                    samples++;
                    seen.Clear();
                    bool innermost = true;
                    foreach (Frame frame in UserFrames(sample.CallStackIndex()))
                    {
                        var key = (frame.Module, frame.Method);
                        if (innermost)
                        {
                            exclusive[key] = exclusive.GetValueOrDefault(key) + 1;
                            innermost = false;
                        }

                        if (seen.Add(key))
                        {
                            inclusive[key] = inclusive.GetValueOrDefault(key) + 1;
                        }
                    }

                    break;
                case ContentionStartTraceData start:
                    contentionStarts[start.ThreadID] = (time, start.CallStackIndex());
                    break;
                case ContentionStopTraceData stop:
                    if (contentionStarts.Remove(stop.ThreadID, out var contended))
                    {
                        // .NET 8 and later measure the wait themselves; earlier runtimes leave the difference of the events.
                        double ms = stop.Version >= 1 && stop.DurationNs > 0 ? stop.DurationNs / 1e6 : time - contended.Time;
                        Add(contention, contended.Stack, ms);
                    }

                    break;
                case WaitHandleWaitStartTraceData waitStart:
                    // A contended lock waits too (Monitor.Enter's slow path): that time is the lock's, in `contention`.
                    if (!contentionStarts.ContainsKey(waitStart.ThreadID))
                    {
                        waitStarts[waitStart.ThreadID] = (time, waitStart.CallStackIndex());
                    }

                    break;
                case WaitHandleWaitStopTraceData waitStop:
                    if (waitStarts.Remove(waitStop.ThreadID, out var waited))
                    {
                        Add(waits, waited.Stack, time - waited.Time);
                    }

                    break;
                case ThreadPoolWorkerThreadAdjustmentTraceData adjustment when adjustment.Reason == ThreadAdjustmentReason.Starvation:
                    starvation++;
                    break;
                case ThreadPoolWorkerThreadAdjustmentTraceData adjustment when adjustment.Reason == ThreadAdjustmentReason.CooperativeBlocking:
                    blocking++;
                    break;
            }
        }

        if (samples == 0 || inclusive.Count == 0)
        {
            throw new ProfileException(samples == 0
                ? "the trace has no CPU samples of managed code (was it recorded with the Microsoft-DotNETCore-SampleProfiler provider?)"
                : "the trace has no CPU samples in the application's own code (only in the runtime's and framework's modules)");
        }

        List<MethodEntry> methods = inclusive
            .Select(p => new MethodEntry(
                p.Key.Item1.Name,
                p.Key.Item2.Id,
                p.Key.Item2.Exact,
                Round4((double)p.Value / samples),
                Round4((double)exclusive.GetValueOrDefault(p.Key) / samples),
                p.Value))
            .OrderByDescending(m => m.Inclusive)
            .ThenBy(m => m.Id, StringComparer.Ordinal)
            .ThenBy(m => m.Module, StringComparer.Ordinal)
            .ToList();

        List<LineEntry> contentionEntries = Lines(contention);
        List<LineEntry> waitEntries = Lines(waits);
        var used = new HashSet<string>(methods.Select(m => m.Module).Concat(contentionEntries.Select(c => c.Module)).Concat(waitEntries.Select(w => w.Module)), StringComparer.Ordinal);
        List<ModuleEntry> modules = _modules.Values
            .Where(m => m is not null && used.Contains(m.Name))
            .Select(m => new ModuleEntry(m!.Name, m.Mvid, m.PdbId))
            .DistinctBy(m => m.Name)
            .OrderBy(m => m.Name, StringComparer.Ordinal)
            .ToList();

        return new Profile
        {
            Command = command,
            DurationMs = last >= first ? last - first : 0,
            Samples = samples,
            Modules = modules,
            Methods = methods,
            Contention = contentionEntries,
            Waits = waitEntries,
            Starvation = starvation,
            CooperativeBlocking = blocking,
        };
    }

    private static double Round4(double value) => Math.Round(value, 4, MidpointRounding.AwayFromZero);

    private static double Round1(double value) => Math.Round(value, 1, MidpointRounding.AwayFromZero);

    private static List<LineEntry> Lines(Dictionary<LineKey, (double Ms, int Count)> lines) => lines
        .Select(p => new LineEntry(p.Key.Module, p.Key.Method, p.Key.File, p.Key.Line, Round1(p.Value.Ms), p.Value.Count))
        .OrderByDescending(e => e.Ms)
        .ThenBy(e => e.Method, StringComparer.Ordinal)
        .ThenBy(e => e.Line)
        .ThenBy(e => e.Module, StringComparer.Ordinal)
        .ThenBy(e => e.File, StringComparer.Ordinal)
        .ToList();

    private void Add(Dictionary<LineKey, (double Ms, int Count)> lines, CallStackIndex stack, double ms)
    {
        // The innermost frame in the application's source code: the line that takes the lock or waits.
        var callees = new List<string>();
        foreach (Frame frame in UserFrames(stack, callees))
        {
            SourceLine? line = frame.Module.GetSourceLine(frame.Token, CallOffset(frame, callees));
            var key = new LineKey(frame.Module.Name, frame.Method.Id, line?.File ?? string.Empty, line?.Line ?? 0);
            (double Ms, int Count) total = lines.GetValueOrDefault(key);
            lines[key] = (total.Ms + Math.Max(0, ms), total.Count + 1);
            return;
        }
    }

    /// <summary>
    /// The IL offset of the call a frame waits in. The JIT's map of optimized code gives an IL range that may hold
    /// several statements; the call in it is the one to the method of the next frame (or, when that was inlined, to a
    /// method of the same type as a frame further in: get_Result inlined leaves Task`1.GetResultCore on the stack).
    /// </summary>
    private int CallOffset(Frame frame, List<string> callees)
    {
        _maps ??= new NativeMaps(_nettracePath);
        if (_maps.ILRange(frame.Address, frame.Leaf) is not (int start, int end))
        {
            return frame.ILOffset;
        }

        IReadOnlyList<(int Offset, string Type, string Name)> calls = frame.Module.CallsIn(frame.Token, start, end);
        if (calls.Count > 1)
        {
            foreach (string callee in callees)
            {
                (string type, string name) = SplitMethodName(callee);
                foreach (var call in calls)
                {
                    if (call.Name == name && call.Type == type)
                    {
                        return call.Offset;
                    }
                }
            }

            foreach (string callee in callees)
            {
                (string type, _) = SplitMethodName(callee);
                int match = -1;
                foreach (var call in calls)
                {
                    if (call.Type == type)
                    {
                        match = match < 0 ? call.Offset : -2;
                    }
                }

                if (match >= 0)
                {
                    return match;
                }
            }
        }

        return calls.Count == 1 ? calls[0].Offset : start;
    }

    /// <summary>"Task`1" and "GetResultCore" from "System.Threading.Tasks.Task`1[System.Int32].GetResultCore(bool)".</summary>
    internal static (string Type, string Name) SplitMethodName(string fullName)
    {
        var text = new System.Text.StringBuilder();
        int depth = 0;
        foreach (char c in fullName)
        {
            if (c == '(' && depth == 0)
            {
                break;
            }

            if (c == '[')
            {
                depth++;
            }
            else if (c == ']')
            {
                depth--;
            }
            else if (depth == 0)
            {
                text.Append(c);
            }
        }

        string name = text.ToString();
        int dot = name.LastIndexOf('.');
        if (dot < 0)
        {
            return (string.Empty, name);
        }

        string type = name.Substring(0, dot);
        return (type.Substring(Math.Max(type.LastIndexOf('.'), type.LastIndexOf('+')) + 1), name.Substring(dot + 1));
    }

    private IEnumerable<Frame> UserFrames(CallStackIndex stack, List<string>? callees = null)
    {
        TraceCallStacks stacks = _log.CallStacks;
        bool leaf = true;
        for (CallStackIndex current = stack; current != CallStackIndex.Invalid; current = stacks.Caller(current))
        {
            CodeAddressIndex address = stacks.CodeAddressIndex(current);
            Frame? frame = GetFrame(address);
            if (frame is null && callees is not null)
            {
                // Frames inside the runtime and the framework, innermost first: the callees of the first user frame.
                MethodIndex method = _log.CodeAddresses.MethodIndex(address);
                callees.Insert(0, method == MethodIndex.Invalid ? string.Empty : _log.CodeAddresses.Methods.FullMethodName(method) ?? string.Empty);
            }

            if (frame is not null)
            {
                yield return leaf ? frame : frame with { Leaf = false };
            }

            leaf = false;
        }
    }

    private Frame? GetFrame(CodeAddressIndex address)
    {
        if (_frames.TryGetValue(address, out Frame? frame))
        {
            return frame;
        }

        frame = null;
        TraceCodeAddresses addresses = _log.CodeAddresses;
        MethodIndex method = addresses.MethodIndex(address);
        if (method != MethodIndex.Invalid)
        {
            ModuleFileIndex moduleFile = addresses.Methods.MethodModuleFileIndex(method);
            int token = addresses.Methods.MethodToken(method);
            UserModule? module = moduleFile == ModuleFileIndex.Invalid ? null : GetModule(moduleFile);
            SourceMethod? source = module?.GetSourceMethod(token);
            if (module is not null && source is SourceMethod found)
            {
                frame = new Frame(module, found, token, addresses.Address(address), addresses.ILOffset(address), true);
            }
        }

        _frames.Add(address, frame);
        return frame;
    }

    private UserModule? GetModule(ModuleFileIndex index)
    {
        if (_modules.TryGetValue(index, out UserModule? module))
        {
            return module;
        }

        module = null;
        TraceModuleFile file = _log.ModuleFiles[index];
        string path = file.FilePath ?? string.Empty;
        if (!IsFramework(path))
        {
            foreach (string candidate in Candidates(path))
            {
                UserModule? opened = UserModule.TryOpen(candidate);
                if (opened is null)
                {
                    continue;
                }

                // The build that ran, when the trace names it: a module rebuilt since has other tokens and lines.
                if (IsFrameworkName(opened.Name) || (file.PdbSignature != Guid.Empty && opened.CodeViewGuid != file.PdbSignature))
                {
                    opened.Dispose();
                    continue;
                }

                module = opened;
                break;
            }
        }

        _modules.Add(index, module);
        return module;
    }

    private IEnumerable<string> Candidates(string path)
    {
        if (path.Length > 0 && File.Exists(path))
        {
            yield return path;
        }

        // The trace may come from another machine (or a Windows path read on Unix): look the file up by name.
        string name = path.Replace('\\', '/');
        name = name.Substring(name.LastIndexOf('/') + 1);
        if (name.Length == 0)
        {
            yield break;
        }

        foreach (string directory in _moduleDirectories)
        {
            string candidate = Path.Combine(directory, name);
            if (File.Exists(candidate))
            {
                yield return candidate;
            }
        }
    }

    /// <summary>The runtime's shared framework (…/shared/Microsoft.NETCore.App/10.0.0/…) and its assemblies.</summary>
    internal static bool IsFramework(string path)
    {
        string normalized = path.Replace('\\', '/');
        if (normalized.Contains("/shared/Microsoft.", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        string name = Path.GetFileNameWithoutExtension(normalized);
        return IsFrameworkName(name);
    }

    internal static bool IsFrameworkName(string name) =>
        name.Equals("System", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("System.", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("Microsoft.", StringComparison.OrdinalIgnoreCase)
        || name.Equals("mscorlib", StringComparison.OrdinalIgnoreCase)
        || name.Equals("netstandard", StringComparison.OrdinalIgnoreCase);

    public void Dispose()
    {
        foreach (UserModule? module in _modules.Values)
        {
            module?.Dispose();
        }
    }

    private sealed record Frame(UserModule Module, SourceMethod Method, int Token, ulong Address, int ILOffset, bool Leaf);

    private readonly record struct LineKey(string Module, string Method, string File, int Line);
}
