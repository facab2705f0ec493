using Xunit;

namespace NoGil.Profile.Tests;

/// <summary>Which modules are the application's, and which generated names roll up to which member.</summary>
public class ModuleSelectionTests
{
    [Theory]
    [InlineData("/usr/share/dotnet/shared/Microsoft.NETCore.App/10.0.12/System.Private.CoreLib.dll", true)]
    [InlineData(@"C:\Program Files\dotnet\shared\Microsoft.AspNetCore.App\8.0.0\Microsoft.AspNetCore.Http.dll", true)]
    [InlineData("/app/System.Text.Json.dll", true)]
    [InlineData("/app/Microsoft.Extensions.Logging.dll", true)]
    [InlineData("/app/netstandard.dll", true)]
    [InlineData("/app/Scenario.dll", false)]
    [InlineData("/app/Systematic.Core.dll", false)]
    [InlineData("/src/shared/Scenario/bin/Scenario.dll", false)]
    public void FrameworkModulesAreNotTheApplications(string path, bool framework) =>
        Assert.Equal(framework, TraceReader.IsFramework(path));

    [Theory]
    [InlineData("<Run>b__0_1", "Run")]
    [InlineData("<Run>g__Local|0_0", "Run")]
    [InlineData("<Run>d__3", "Run")]
    [InlineData("<<Run>b__0_0>d", "Run")]
    [InlineData("<.ctor>b__2_1", ".ctor")]
    [InlineData("<<Main>$>b__0_0", "<Main>$")]
    [InlineData("<Main>$", "<Main>$")]
    [InlineData("<System-IDisposable-Dispose>d__4", "System-IDisposable-Dispose")]
    [InlineData("<>c", null)]
    [InlineData("<>c__DisplayClass0_0", null)]
    [InlineData("Run", null)]
    public void GeneratedNamesNameTheirMember(string name, string? member) =>
        Assert.Equal(member, UserModule.GeneratedMemberName(name));

    [Theory]
    [InlineData("System.Threading.Tasks.Task`1[System.Int32].GetResultCore(bool)", "Task`1", "GetResultCore")]
    [InlineData("System.Threading.Monitor.Enter(class System.Object,bool&)", "Monitor", "Enter")]
    [InlineData("System.Collections.Generic.Dictionary`2[System.String,System.Int32].TryGetValue(!0,!1&)", "Dictionary`2", "TryGetValue")]
    public void CalleeNamesSplitIntoTypeAndMethod(string fullName, string type, string method) =>
        Assert.Equal((type, method), TraceReader.SplitMethodName(fullName));
}
