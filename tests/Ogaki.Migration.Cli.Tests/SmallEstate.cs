namespace Ogaki.Migration.Cli.Tests;

/// <summary>A small sample estate (scale 0.002, seed 42) written once per test process, and copies of it to damage.</summary>
static class SmallEstate
{
    static readonly Lazy<Task<string>> Written = new(async () =>
    {
        var dir = Path.Combine(Path.GetTempPath(), "ogaki-cli-small-estate-" + Environment.ProcessId);
        if (!File.Exists(Path.Combine(dir, "estate.json")))
        {
            var r = await CliRunner.RunAsync("sample", "--scale", "0.002", "--seed", "42", "--out", dir);
            Assert.True(r.ExitCode == ExitCodes.Ok, r.Output + r.Error);
        }
        return dir;
    });

    public static Task<string> PathAsync() => Written.Value;

    /// <summary>Copies every file under <paramref name="from"/> to <paramref name="to"/>.</summary>
    public static void Copy(string from, string to)
    {
        foreach (var f in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, f));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(f, target);
        }
    }
}
