using System.IO;
using System.Threading.Tasks;

namespace NoGil.Showcase;

/// <summary>NOGIL205: asynchronously disposable resources disposed synchronously in async code.</summary>
public static class AsyncDisposal
{
    public static async Task SaveReportAsync(string path, string report)
    {
        // NOGIL205: the writer's final flush and the file's close run synchronously when the method ends;
        // the fix writes 'await using var writer = new StreamWriter(path);'.
        using var writer = new StreamWriter(path);
        await writer.WriteAsync(report);

        // Not reported: an in-memory stream's DisposeAsync does no I/O.
        using var copy = new MemoryStream();
        await copy.WriteAsync(System.Text.Encoding.UTF8.GetBytes(report));
    }
}
