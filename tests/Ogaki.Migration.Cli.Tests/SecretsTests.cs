namespace Ogaki.Migration.Cli.Tests;

/// <summary>Secrets reach a run only from the environment or the command line, and leave it nowhere.</summary>
[Collection(nameof(EnvironmentCollection))]
public class SecretsTests
{
    const string Sas = "BlobEndpoint=http://127.0.0.1:1/devstoreaccount1;SharedAccessSignature=sv=2020-08-04&ss=b&srt=sco&sp=rwdlac&se=2099-01-01&sig=SECRETSIGxyz%3D";

    [Fact]
    public async Task Passwords_and_signatures_on_the_command_line_appear_in_no_log_output_or_error()
    {
        using var tmp = new TempFolder();
        var estate = await CommandTests.Estate.Value;
        var runs = Path.Combine(tmp.Path, "runs");
        // Server= (not Host=) once made the description fall back to "folder <the whole string>".
        var r = await CliRunner.RunAsync("dry-run", "--source", estate, "--runs", runs, "--store", Sas,
            "--target", "Server=127.0.0.1;Port=1;Username=x;Password=secret-pw;Database=x;Timeout=2");
        Assert.Equal(ExitCodes.Infrastructure, r.ExitCode);
        var log = await File.ReadAllTextAsync(Directory.EnumerateFiles(runs, "run.log", SearchOption.AllDirectories).Single(), TestContext.Current.CancellationToken);
        Assert.Contains("postgresql (Server=127.0.0.1", log, StringComparison.Ordinal);
        Assert.Contains("azure blob (", log, StringComparison.Ordinal);
        foreach (var text in new[] { log, r.Output, r.Error })
        {
            Assert.DoesNotContain("secret-pw", text, StringComparison.Ordinal);
            Assert.DoesNotContain("SECRETSIG", text, StringComparison.Ordinal);
        }
    }

    static async Task<CliRunner.Result> DryRunWithConfigAsync(string folder, string json)
    {
        var config = Path.Combine(folder, "rehearsal.json");
        await File.WriteAllTextAsync(config, json, TestContext.Current.CancellationToken);
        return await CliRunner.RunAsync("dry-run", "--config", config, "--runs", folder);
    }

    [Theory]
    [InlineData("""{ "Target": "Host=db;Username=mig;Password=hunter2;Database=mig" }""", "'Target' holds a secret (Password)")]
    [InlineData("""{ "Store": "AccountName=a;AccountKey=c2VjcmV0;EndpointSuffix=core.windows.net" }""", "'Store' holds a secret (AccountKey)")]
    [InlineData("""{ "Target": "postgres://mig:hunter2@db/mig" }""", "'Target' holds a secret (URI password)")]
    public async Task A_configuration_file_holding_a_secret_is_refused_naming_the_key(string json, string expected)
    {
        using var tmp = new TempFolder();
        var r = await DryRunWithConfigAsync(tmp.Path, json);
        Assert.Equal(ExitCodes.InvalidInput, r.ExitCode);
        Assert.Contains(expected, r.Error, StringComparison.Ordinal);
        Assert.Contains("environment", r.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", r.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("c2VjcmV0", r.Error, StringComparison.Ordinal);
        Assert.Single(r.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Theory]
    [InlineData("""{ "Taget": "sqlite:t.db" }""", "unknown key 'Taget'")]
    [InlineData("""{ "Sample": { "Sclae": 2 } }""", "unknown key 'Sample:Sclae'")]
    public async Task Unknown_configuration_keys_are_refused_naming_the_key(string json, string expected)
    {
        using var tmp = new TempFolder();
        var r = await DryRunWithConfigAsync(tmp.Path, json);
        Assert.Equal(ExitCodes.InvalidInput, r.ExitCode);
        Assert.Contains(expected, r.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(Directory.EnumerateFileSystemEntries(tmp.Path), p => Path.GetFileName(p) != "rehearsal.json");
    }
}
