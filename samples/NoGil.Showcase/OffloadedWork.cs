using System.Collections.Generic;
using System.Threading.Tasks;

namespace NoGil.Showcase;

/// <summary>NOGIL204: CPU work offloaded one item at a time, or offloaded and then blocked on.</summary>
public static class OffloadedWork
{
    // NOGIL204 (case A): Task.Run(...).Result hops to a pool thread and parks this one; the fix calls Checksum directly.
    public static int ChecksumOf(string text) => Task.Run(() => Checksum(text)).Result;

    // NOGIL204 (case B): each item waits for the previous one; the fix starts them all and awaits Task.WhenAll.
    public static async Task<List<int>> ChecksumsAsync(string[] texts)
    {
        var results = new List<int>();
        foreach (var text in texts)
            results.Add(await Task.Run(() => Checksum(text)));
        return results;
    }

    private static int Checksum(string text)
    {
        var hash = 17;
        foreach (var c in text)
        {
            hash = unchecked((hash * 31) + c);
        }

        return hash;
    }
}
