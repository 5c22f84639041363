using System.Diagnostics;

namespace Ogaki.Migration.Adapters.Tests;

/// <summary>Runs glibc iconv as a separate process: the independent reference for our codecs.</summary>
internal static class EncodingIconv
{
    public static string? Path { get; } = Find();

    static string? Find()
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(System.IO.Path.PathSeparator))
        {
            if (dir.Length == 0) continue;
            var p = System.IO.Path.Combine(dir, "iconv");
            if (File.Exists(p)) return p;
        }
        return null;
    }

    public static void SkipIfAbsent() => Assert.SkipWhen(Path is null, "iconv is not installed");

    /// <summary>Converts; returns null when iconv reports an error (exit code ≠ 0).</summary>
    public static byte[]? Convert(string from, string to, byte[] input)
    {
        var psi = new ProcessStartInfo(Path!, ["-f", from, "-t", to])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var p = Process.Start(psi)!;
        var stdout = new MemoryStream();
        var copy = p.StandardOutput.BaseStream.CopyToAsync(stdout);
        var err = p.StandardError.ReadToEndAsync();
        p.StandardInput.BaseStream.Write(input);
        p.StandardInput.Close();
        copy.Wait();
        p.WaitForExit();
        _ = err.Result;
        return p.ExitCode == 0 ? stdout.ToArray() : null;
    }
}
