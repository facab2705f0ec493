using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using VerifyBlocking = NoGil.Analyzers.Tests.Infrastructure.CodeFixVerifier<
    NoGil.Analyzers.Rules.Blocking.UseAwaitInsteadOfBlockingWaitAnalyzer,
    NoGil.CodeFixes.Rules.Blocking.UseAwaitInsteadOfBlockingWaitFixer>;
using VerifyLock = NoGil.Analyzers.Tests.Infrastructure.CodeFixVerifier<
    NoGil.Analyzers.Rules.Locks.MoveWorkOutOfLockAnalyzer,
    NoGil.CodeFixes.Rules.Locks.MoveWorkOutOfLockFixer>;

namespace NoGil.Analyzers.Tests.Profile;

/// <summary>
/// Lock and blocking findings with a valid profile: the contention measured at the flagged lock, or the blocked time at
/// the flagged wait (and the thread pool's starvation), is appended to the message; the severity, the location and the
/// fix stay as they are. An entry of another line, file or method adds nothing.
/// </summary>
public sealed class ProfileNoteTests
{
    private const string PutId = "M:Cache.Put(System.String,System.Byte[])";

    private const string LockSource = """
        using System.Collections.Generic;
        using System.Security.Cryptography;
        class Cache
        {
            private readonly object _gate = new object();
            private readonly Dictionary<string, byte[]> _cache = new Dictionary<string, byte[]>();
            public void Put(string key, byte[] data)
            {
                {|#0:lock (_gate)|}
                {
                    var h = SHA256.HashData(data);
                    _cache[key] = h;
                }
            }
        }
        """;

    private const string LoadId = "M:Loader.LoadAsync(System.Threading.Tasks.Task{System.Int32})";

    private const string WaitSource = """
        using System.Threading.Tasks;
        class Loader
        {
            public async Task<int> LoadAsync(Task<int> pending)
            {
                await Task.Yield();
                var value =
                    {|#0:pending.Result|};
                return value;
            }
        }
        """;

    [Fact]
    public Task ContentionAtTheLock_IsInTheMessage()
        => VerifyLockAsync(
            ProfileText.Of(methods: new[] { ProfileText.Method(PutId, 0.1) }, contention: new[] { ProfileText.Line(PutId, 9, 1903.2, 12400) }),
            " — threads waited 1.9 s here in the profile, 12,400 times");

    [Fact]
    public Task ContentionEntries_OfTheSameLine_AreSummed_AndSmallTimesInMilliseconds()
        => VerifyLockAsync(
            ProfileText.Of(contention: new[] { ProfileText.Line(PutId, 9, 300.4, 1), ProfileText.Line("M:Cache.Put", 9, 512, 40, file: @"C:\\src\\TestProject\\Test0.cs") }),
            " — threads waited 812 ms here in the profile, 41 times");

    [Fact]
    public Task ContentionAtTheBodysOpeningBrace_WhenTheLockIsItsFirstStatement_IsInTheMessage()
        // The compiler's PDB puts a lock on System.Threading.Lock that opens a method body under the body's '{' (line 8).
        => VerifyLockAsync(
            ProfileText.Of(contention: new[] { ProfileText.Line(PutId, 8, 1174, 52) }),
            " — threads waited 1.2 s here in the profile, 52 times");

    [Fact]
    public Task ContentionWithoutASourceLine_AddsNothing_AndTheProfileIsUsed()
        => VerifyLockAsync(
            ProfileText.Of(contention: new[] { ProfileText.Line(PutId, 9, 1903.2, 12400), ProfileText.Line(PutId, 0, 5000, 10, file: string.Empty) }),
            " — threads waited 1.9 s here in the profile, 12,400 times");

    [Fact]
    public Task ContentionAtTheMethodsSignature_AddsNothing()
        => VerifyLockAsync(ProfileText.Of(contention: new[] { ProfileText.Line(PutId, 7, 1174, 52) }), string.Empty);

    [Fact]
    public Task ContentionElsewhere_AddsNothing()
        => VerifyLockAsync(
            ProfileText.Of(contention: new[]
            {
                ProfileText.Line(PutId, 10, 1903.2, 12400), // another line
                ProfileText.Line(PutId, 9, 1903.2, 12400, file: "/src/TestProject/Other.cs"), // another file
                ProfileText.Line("M:Cache.#ctor", 9, 1903.2, 12400), // another method
            }),
            string.Empty);

    [Fact]
    public Task BlockedTimeAtTheWait_IsInTheMessage_WithTheStarvation()
        => VerifyWaitAsync(
            ProfileText.Of(waits: new[] { ProfileText.Line(LoadId, 8, 812.3, 64) }, starvation: 3),
            " — threads were blocked 812 ms here in the profile, 64 times; the thread pool starved 3 times during the run");

    // The PDB's sequence point covers the statement: an entry may name the statement's first line.
    [Fact]
    public Task BlockedTime_OnTheStatementsFirstLine_WithoutStarvation()
        => VerifyWaitAsync(
            ProfileText.Of(waits: new[] { ProfileText.Line(LoadId, 7, 4.25, 1) }),
            " — threads were blocked 4.3 ms here in the profile, once");

    [Fact]
    public Task BlockedTimeAtTheWait_IsInTheMessage_WithTheThreadsAddedForBlockedWaits()
        => VerifyWaitAsync(
            ProfileText.Of(waits: new[] { ProfileText.Line(LoadId, 8, 174878.5, 128) }, blocking: 137),
            " — threads were blocked 175 s here in the profile, 128 times; the thread pool added a thread 137 times for threads blocked in waits");

    [Fact]
    public Task Starvation_WithoutAWaitAtTheSite_AddsNothing()
        => VerifyWaitAsync(ProfileText.Of(waits: new[] { ProfileText.Line(LoadId, 9, 812.3, 64) }, starvation: 3), string.Empty);

    private static Task VerifyLockAsync(string profile, string note)
    {
        var test = new VerifyLock.Test { TestCode = LockSource };
        test.TestState.AdditionalFiles.Add((ProfileText.Path, profile));
        test.ExpectedDiagnostics.Add(VerifyLock.Diagnostic().WithLocation(0).WithArguments("The call to 'SHA256.HashData'", "_gate", note));
        return test.RunAsync(CancellationToken.None);
    }

    private static Task VerifyWaitAsync(string profile, string note)
    {
        var test = new VerifyBlocking.Test { TestCode = WaitSource };
        test.TestState.AdditionalFiles.Add((ProfileText.Path, profile));
        test.ExpectedDiagnostics.Add(VerifyBlocking.Diagnostic().WithLocation(0).WithArguments("Result", note));
        return test.RunAsync(CancellationToken.None);
    }
}
