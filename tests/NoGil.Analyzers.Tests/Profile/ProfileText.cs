using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace NoGil.Analyzers.Tests.Profile;

/// <summary>
/// Profile files (<c>nogil.profile.json</c>, format 1) for tests, written as the tool writes them. The test project's
/// assembly, and so the module the analyzers look for, is <see cref="Module"/>; test sources are <c>/0/Test0.cs</c>.
/// </summary>
public static class ProfileText
{
    /// <summary>The assembly name of the projects Microsoft.CodeAnalysis.Testing builds.</summary>
    public const string Module = "TestProject";

    /// <summary>The path the tests give the profile as an additional file.</summary>
    public const string Path = "/0/nogil.profile.json";

    /// <summary>A <c>methods[]</c> entry.</summary>
    public static string Method(string id, double inclusive, bool exact = true, string module = Module)
        => "{ \"module\": \"" + module + "\", \"id\": \"" + id + "\", \"exact\": " + (exact ? "true" : "false")
           + ", \"inclusive\": " + inclusive.ToString(CultureInfo.InvariantCulture) + ", \"exclusive\": " + inclusive.ToString(CultureInfo.InvariantCulture) + ", \"samples\": 100 }";

    /// <summary>A <c>contention[]</c> or <c>waits[]</c> entry for a line of <c>Test0.cs</c>.</summary>
    public static string Line(string method, int line, double ms, long count, string file = "/src/TestProject/Test0.cs", string module = Module)
        => "{ \"module\": \"" + module + "\", \"method\": \"" + method + "\", \"file\": \"" + file + "\", \"line\": " + line.ToString(CultureInfo.InvariantCulture)
           + ", \"ms\": " + ms.ToString(CultureInfo.InvariantCulture) + ", \"count\": " + count.ToString(CultureInfo.InvariantCulture) + " }";

    /// <summary>A whole profile of <see cref="Module"/> (and <paramref name="modules"/>).</summary>
    public static string Of(IEnumerable<string>? methods = null, IEnumerable<string>? contention = null, IEnumerable<string>? waits = null, long starvation = 0, IEnumerable<string>? modules = null, long blocking = 0)
        => "{\n  \"format\": \"nogil-profile\",\n  \"version\": 1,\n  \"command\": \"dotnet TestProject.dll\",\n  \"durationMs\": 5123.4,\n  \"samples\": 10240,\n"
           + "  \"modules\": [\n    " + string.Join(",\n    ", (modules ?? new[] { Module }).Select(m => "{ \"name\": \"" + m + "\", \"mvid\": \"5b0e3c1e-8d5e-4f6e-9a55-3c6f0e2a1b7d\", \"pdbId\": \"\" }")) + "\n  ],\n"
           + "  \"methods\": [\n    " + string.Join(",\n    ", methods ?? Enumerable.Empty<string>()) + "\n  ],\n"
           + "  \"contention\": [\n    " + string.Join(",\n    ", contention ?? Enumerable.Empty<string>()) + "\n  ],\n"
           + "  \"waits\": [\n    " + string.Join(",\n    ", waits ?? Enumerable.Empty<string>()) + "\n  ],\n"
           + "  \"threadPool\": { \"starvation\": " + starvation.ToString(CultureInfo.InvariantCulture)
           + (blocking == 0 ? string.Empty : ", \"blocking\": " + blocking.ToString(CultureInfo.InvariantCulture)) + " }\n}\n";
}
