using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Diagnostics;
using System.Diagnostics.Tracing;
using System.Globalization;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Diagnostics.NETCore.Client;

namespace NoGil.Profile;

/// <summary>
/// Runs a command under EventPipe: the child's runtime starts suspended and connects to a diagnostic port this process
/// listens on; the session starts, the runtime resumes, and the trace streams to a file until the process exits.
/// </summary>
internal static class Recorder
{
    // Microsoft-Windows-DotNETRuntime keywords (the runtime's ClrEtwAll manifest).
    private const long Loader = 0x8;
    private const long Jit = 0x10;
    private const long Contention = 0x4000;
    private const long ThreadPool = 0x10000;
    private const long JittedMethodILToNativeMap = 0x20000;
    private const long Stack = 0x40000000;
    private const long WaitHandle = 0x40000000000;

    public static IReadOnlyList<EventPipeProvider> Providers { get; } = new[]
    {
        new EventPipeProvider("Microsoft-DotNETCore-SampleProfiler", EventLevel.Informational),
        new EventPipeProvider(
            "Microsoft-Windows-DotNETRuntime",
            EventLevel.Verbose,
            Contention | Loader | Jit | JittedMethodILToNativeMap | Stack | ThreadPool | WaitHandle),
    };

    /// <summary>
    /// Records <paramref name="command"/> into <paramref name="nettracePath"/>; returns the child's exit code. Unless
    /// <paramref name="inline"/> (or the environment already sets them), the application runs with the JIT's inlining and
    /// tail calls off: a method the JIT inlines, or one that ends in a tail call, leaves no frame of its own, so its samples,
    /// and the lock or wait in it, would be charged to another method's line — a lock taken in a small method would never
    /// be found at its <c>lock</c> statement.
    /// </summary>
    public static int Record(IReadOnlyList<string> command, string nettracePath, TextWriter progress, bool inline = false)
    {
        // A Unix domain socket in the temporary directory, or a named pipe's name on Windows.
        string name = "nogil-profile-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N").Substring(0, 8);
        string socket = OperatingSystem.IsWindows() ? name : Path.Combine(Path.GetTempPath(), name + ".sock");
        using var cancel = new CancellationTokenSource();
        Task<DiagnosticsClientConnector> connecting = DiagnosticsClientConnector.FromDiagnosticPort(socket + ",listen", cancel.Token);

        // Ctrl+C reaches the child too (same process group): it stops, and the recording ends with it.
        ConsoleCancelEventHandler keepRecording = (_, e) => e.Cancel = true;
        Console.CancelKeyPress += keepRecording;
        try
        {
            return Record(command, nettracePath, progress, socket, connecting, cancel, inline);
        }
        finally
        {
            Console.CancelKeyPress -= keepRecording;
        }
    }

    // Processes the application starts would inherit the variable, suspend at startup and wait for a tool that never
    // resumes them: the variable is cleared in the application before it runs.
    private static void ClearDiagnosticPort(DiagnosticsClient client)
    {
        try
        {
            client.SetEnvironmentVariable("DOTNET_DiagnosticPorts", string.Empty);
        }
        catch (Exception e) when (e is ServerErrorException or UnsupportedCommandException)
        {
            // Runtimes before .NET 5 lack the command: there the processes the application starts inherit the variable.
        }
    }

    private static void SetUnlessSet(ProcessStartInfo start, string name, string value)
    {
        if (!start.Environment.ContainsKey("DOTNET_" + name) && !start.Environment.ContainsKey("COMPlus_" + name))
        {
            start.Environment["DOTNET_" + name] = value;
        }
    }

    private static bool Finished(Task task, TimeSpan timeout) => Task.WhenAny(task, Task.Delay(timeout)).GetAwaiter().GetResult() == task;

    private static int Record(IReadOnlyList<string> command, string nettracePath, TextWriter progress, string socket, Task<DiagnosticsClientConnector> connecting, CancellationTokenSource cancel, bool inline)
    {
        var start = new ProcessStartInfo(command[0]) { UseShellExecute = false };
        for (int i = 1; i < command.Count; i++)
        {
            start.ArgumentList.Add(command[i]);
        }

        start.Environment["DOTNET_DiagnosticPorts"] = socket + ",connect,suspend";
        if (!inline)
        {
            SetUnlessSet(start, "JitNoInline", "1");

            // A call in tail position leaves no frame of the caller either: Math.NET's matrix multiply ends in its parallel
            // dispatcher's call, and its samples were charged to the method that called it (0.7 % instead of 28 %).
            SetUnlessSet(start, "TailCallOpt", "0");
            SetUnlessSet(start, "FastTailCalls", "0");
        }
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new ProfileException($"cannot start '{command[0]}'");
        }
        catch (Win32Exception e)
        {
            cancel.Cancel();
            throw new ProfileException($"cannot start '{command[0]}': {TraceReader.OneLine(e.Message)}");
        }

        using (process)
        {
            // The runtime connects at startup; a process that exits first, or never connects, is not a .NET application.
            var exited = process.WaitForExitAsync();
            Task first = Task.WhenAny(connecting, exited, Task.Delay(TimeSpan.FromSeconds(60))).GetAwaiter().GetResult();
            if (first != connecting || connecting.IsFaulted || connecting.IsCanceled)
            {
                cancel.Cancel();
                if (connecting.IsFaulted)
                {
                    process.Kill(entireProcessTree: true);
                    throw new ProfileException($"cannot listen on the diagnostic port '{socket}': {TraceReader.OneLine(connecting.Exception!.GetBaseException().Message)}");
                }

                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                    process.WaitForExit();
                    throw new ProfileException($"'{command[0]}' did not connect to the diagnostic port within 60 s (is it a .NET application?)");
                }

                throw new ProfileException($"'{command[0]}' exited with code {process.ExitCode} before its .NET runtime started (is it a .NET application?)");
            }

            DiagnosticsClientConnector connector = connecting.GetAwaiter().GetResult();
            try
            {
                DiagnosticsClient client = connector.Instance;
                using EventPipeSession session = client.StartEventPipeSession(Providers, requestRundown: true, circularBufferMB: 256);
                using (FileStream output = File.Create(nettracePath))
                {
                    Task copy = session.EventStream.CopyToAsync(output);
                    ClearDiagnosticPort(client);
                    client.ResumeRuntime();
                    var clock = Stopwatch.StartNew();
                    while (!Finished(copy, TimeSpan.FromSeconds(1)))
                    {
                        if (process.HasExited && !Finished(copy, TimeSpan.FromSeconds(30)))
                        {
                            // The stream ends when the runtime shuts down; one that does not is closed here.
                            session.Dispose();
                            break;
                        }

                        progress.WriteLine(string.Format(CultureInfo.InvariantCulture, "nogil-profile: recording {0:0} s, {1:0.0} MB", clock.Elapsed.TotalSeconds, output.Length / 1048576.0));
                    }

                    // A stream that failed or was cut off leaves what was written; a trace the reader cannot read is then
                    // reported as such.
                    Finished(copy, TimeSpan.FromSeconds(5));
                }

                process.WaitForExit();
                return process.ExitCode;
            }
            finally
            {
                connector.DisposeAsync().AsTask().GetAwaiter().GetResult();
                if (!OperatingSystem.IsWindows())
                {
                    try
                    {
                        File.Delete(socket);
                    }
                    catch (IOException)
                    {
                    }
                }
            }
        }
    }
}
