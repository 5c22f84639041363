namespace Ogaki.Migration.Cli.Tests;

/// <summary>The example conformance suites shipped for vendors (one per built-in legacy system) pass against a generated sample.</summary>
public class ConformanceExampleTests
{
    static readonly string Examples = FindExamples();

    static string FindExamples()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "adapters", "Ogaki.Migration.Adapters.Conformance", "examples");
            if (Directory.Exists(candidate)) return candidate;
        }
        throw new DirectoryNotFoundException("adapters/Ogaki.Migration.Adapters.Conformance/examples was not found above " + AppContext.BaseDirectory);
    }

    /// <summary>The examples copied beside a freshly generated estate, as the README tells a vendor to lay them out.</summary>
    static async Task<string> LayOutAsync(TempFolder tmp)
    {
        foreach (var file in Directory.EnumerateFiles(Examples, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(Examples, file);
            if (relative.StartsWith("estate", StringComparison.Ordinal)) continue;
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(tmp.Path, relative))!);
            File.Copy(file, Path.Combine(tmp.Path, relative));
        }
        var sample = await CliRunner.RunAsync("sample", "--scale", "0.002", "--seed", "42", "--no-defects", "--out", Path.Combine(tmp.Path, "estate"));
        Assert.True(sample.ExitCode == ExitCodes.Ok, sample.Output + sample.Error);
        return tmp.Path;
    }

    [Fact]
    public async Task Every_built_in_legacy_system_has_an_example_suite_that_passes()
    {
        using var tmp = new TempFolder();
        var root = await LayOutAsync(tmp);
        var suites = Directory.GetDirectories(Examples).Select(Path.GetFileName).Where(n => n != "estate").Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["csv", "mainframe", "opensys", "sqlite"], suites); // the four systems of samples/Ogaki.Migration.LegacyEstate
        foreach (var suite in suites)
        {
            var r = await CliRunner.RunAsync("conformance", Path.Combine(root, suite!, "conformance.json"));
            Assert.True(r.ExitCode == ExitCodes.Ok, suite + ":\n" + r.Output + r.Error);
            Assert.Contains("— PASSED", r.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("[FAIL]", r.Output, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("\"expectedRecordCount\": 779,", "", "'expectedRecordCount' is required (a whole number)")]
    [InlineData("\"sample\": \"../estate/csv/IDO_RIREKI.csv\",", "", "'sample' is required (a string)")]
    [InlineData("{ \"record\": 2, \"offset\": 300,", "{ \"offset\": 300,", "'record' is required in expectedRecords[1] (a whole number)")]
    [InlineData("\"reason\": \"empty-file\", ", "", "'reason' is required in badInputs[1] (a string)")]
    public async Task A_manifest_missing_a_key_is_refused_naming_the_key(string remove, string replacement, string message)
    {
        using var tmp = new TempFolder();
        var root = await LayOutAsync(tmp);
        var manifest = Path.Combine(root, "csv", "conformance.json");
        var text = await File.ReadAllTextAsync(manifest, TestContext.Current.CancellationToken);
        Assert.Contains(remove, text, StringComparison.Ordinal);
        await File.WriteAllTextAsync(manifest, text.Replace(remove, replacement, StringComparison.Ordinal), TestContext.Current.CancellationToken);
        var r = await CliRunner.RunAsync("conformance", manifest);
        Assert.Equal(ExitCodes.InvalidInput, r.ExitCode);
        Assert.Contains("conformance.json: " + message, r.Error, StringComparison.Ordinal);
        Assert.Single(r.Error.Trim().Split('\n'));
    }
}
