namespace Ogaki.Migration.Validation.Reports;

/// <summary>Where reports go: a folder, the artifact store, memory. Names are plain file names (reconciliation.json).</summary>
public interface IReportSink
{
    Task WriteAsync(string name, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default);
}

/// <summary>Writes reports as files into a folder (created when missing).</summary>
public sealed class DirectoryReportSink(string directory) : IReportSink
{
    public string Directory { get; } = directory;

    public async Task WriteAsync(string name, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        if (name.Contains('/', StringComparison.Ordinal) || name.Contains('\\', StringComparison.Ordinal) || name.Contains("..", StringComparison.Ordinal))
            throw new ArgumentException($"report name '{name}' must be a plain file name", nameof(name));
        System.IO.Directory.CreateDirectory(Directory);
        await File.WriteAllBytesAsync(Path.Combine(Directory, name), content.ToArray(), cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>Keeps reports in memory (tests, or a caller that uploads them itself).</summary>
public sealed class MemoryReportSink : IReportSink
{
    readonly SortedDictionary<string, byte[]> _files = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, byte[]> Files => _files;

    public Task WriteAsync(string name, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        _files[name] = content.ToArray();
        return Task.CompletedTask;
    }
}

/// <summary>The report file names.</summary>
public static class ReportFiles
{
    public const string Json = "reconciliation.json";
    public const string Html = "reconciliation.html";
    public const string Markdown = "reconciliation.md";
    public const string DiscrepanciesCsv = "discrepancies.csv";
    public const string RejectsCsv = "rejects.csv";
    public const string FindingsCsv = "findings.csv";

    public static IReadOnlyList<string> All { get; } = [Json, Html, Markdown, DiscrepanciesCsv, RejectsCsv, FindingsCsv];
}

/// <summary>
/// Removes the run-metadata block (run id, timestamps, machine) from a report so two runs over the same inputs
/// compare byte for byte. Markdown and HTML mark the block with <c>run-metadata:begin/end</c> comments; in JSON
/// it is the last property, <c>"run"</c>. CSV reports carry no run metadata.
/// </summary>
public static class ReportScrubber
{
    public const string Begin = "<!-- run-metadata:begin -->";
    public const string End = "<!-- run-metadata:end -->";

    public static string Scrub(string name, string text) =>
        name.EndsWith(".json", StringComparison.Ordinal) ? ScrubJson(text) : ScrubMarked(text);

    public static string ScrubMarked(string text)
    {
        var b = text.IndexOf(Begin, StringComparison.Ordinal);
        var e = text.IndexOf(End, StringComparison.Ordinal);
        if (b < 0 || e < b) return text;
        return string.Concat(text.AsSpan(0, b + Begin.Length), "\n(scrubbed)\n", text.AsSpan(e));
    }

    public static string ScrubJson(string text)
    {
        const string marker = "\n  \"run\": {";
        var b = text.IndexOf(marker, StringComparison.Ordinal);
        if (b < 0) return text;
        var e = text.IndexOf("\n  }", b + marker.Length, StringComparison.Ordinal);
        if (e < 0) return text;
        return string.Concat(text.AsSpan(0, b), "\n  \"run\": \"(scrubbed)\"", text.AsSpan(e + 4));
    }
}
