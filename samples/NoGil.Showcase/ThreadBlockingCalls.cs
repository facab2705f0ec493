using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace NoGil.Showcase;

/// <summary>NOGIL202: thread-blocking calls inside async code that have an awaitable twin.</summary>
public static class ThreadBlockingCalls
{
    public static async Task<int> ReadSettingsAsync(string path, CancellationToken cancellationToken)
    {
        await Task.Yield();

        // NOGIL202: parks a thread-pool thread for 10 ms; the fix awaits Task.Delay(10, cancellationToken).
        Thread.Sleep(10);

        // NOGIL202: synchronous file I/O; the fix awaits File.ReadAllTextAsync(path, cancellationToken).
        var text = File.ReadAllText(path);

        // Not reported: an in-memory reader does no I/O.
        using var reader = new StringReader(text);
        var firstLine = reader.ReadLine();

        Thread.Sleep(0); // not reported: a yield, not a wait
        return firstLine?.Length ?? 0;
    }
}
