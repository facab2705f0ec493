using System.Linq;
using System.Threading.Tasks;

namespace NoGil.Showcase;

/// <summary>NOGIL201 and NOGIL203: threads parked on tasks.</summary>
public static class BlockingWaits
{
    public static async Task<string> ReportAsync(int[] values)
    {
        var sumTask = SumAsync(values);
        var maxTask = MaxAsync(values);

        // NOGIL201: blocks a thread inside async code; the fix awaits.
        var sum = sumTask.Result;

        await maxTask;
        var max = maxTask.Result; // not reported: awaited just above

        // NOGIL202: Count has an awaitable twin, CountAsync; async code should call that one.
        return $"sum={sum} max={max} count={Count(values)}";
    }

    // NOGIL203: a synchronous method blocking on async work; the fix makes it async.
    internal static int Count(int[] values) => CountAsync(values).GetAwaiter().GetResult();

    private static async Task<int> SumAsync(int[] values)
    {
        await Task.Yield();
        return values.Sum();
    }

    private static async Task<int> MaxAsync(int[] values)
    {
        await Task.Yield();
        return values.Max();
    }

    private static async Task<int> CountAsync(int[] values)
    {
        await Task.Yield();
        return values.Length;
    }
}
