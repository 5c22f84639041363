using System.Text.Json;
using Ogaki.Migration.Adapters.Sdk;
using Ogaki.Migration.Mappers.Conversions;

namespace Ogaki.Migration.Mappers.Engine;

/// <summary>
/// A source that does not account for its data: a control count that disagrees, a file cut short, a source that is
/// empty or unreadable, or fewer (or more) records than the extract's expected count. A run with one is not
/// reconciled, whatever the target holds: records that were never read cannot be missed in the target.
/// </summary>
/// <param name="Source">The adapter's name of the source (<c>fixed:JUMIN.dat</c>, <c>sqlite:jidoteate.db:JUKYUSHA</c>).</param>
/// <param name="Kind">One of <see cref="SourceProblemKinds"/>.</param>
/// <param name="Message">What is wrong, naming the record or offset where there is one.</param>
public sealed record SourceProblem(string Source, string Kind, string Message)
{
    public override string ToString() => $"{Source}: {Kind}: {Message}";
}

/// <summary>The kinds of <see cref="SourceProblem"/>.</summary>
public static class SourceProblemKinds
{
    /// <summary>A header or trailer count (or control total) disagrees with the records read, or the trailer is missing.</summary>
    public const string ControlCount = "control-count";
    /// <summary>The last record is cut short: the file was truncated.</summary>
    public const string Truncated = "truncated";
    /// <summary>The source holds no record.</summary>
    public const string Empty = "empty";
    /// <summary>More than half of the source's records could not be decoded (the wrong file, layout or encoding).</summary>
    public const string Unreadable = "unreadable";
    /// <summary>The records read differ from the count the extract announces (<see cref="ExpectedCounts"/>).</summary>
    public const string ExpectedCount = "expected-count";
}

/// <summary>Checks each source's counts and adapter rejects for data that was lost before mapping.</summary>
public static class SourceAccounting
{
    static readonly string ControlReason = MappingRejectReasons.SourceReject + ":" + RejectReasons.ControlCountMismatch;
    static readonly string TruncatedReason = MappingRejectReasons.SourceReject + ":" + RejectReasons.TruncatedRecord;
    static readonly string EmptyReason = MappingRejectReasons.SourceReject + ":" + RejectReasons.EmptyFile;
    const string AdapterPrefix = MappingRejectReasons.SourceReject + ":";

    public static IReadOnlyList<SourceProblem> Check(IReadOnlyList<SourceCounts> counts, IReadOnlyList<MappingReject> rejects)
    {
        var problems = new List<SourceProblem>();
        var bySource = rejects.Where(r => r.Reason.StartsWith(AdapterPrefix, StringComparison.Ordinal))
            .GroupBy(r => r.Source, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        foreach (var c in counts)
        {
            var adapterRejects = bySource.GetValueOrDefault(c.Source) ?? [];
            var emptyFile = false;
            foreach (var r in adapterRejects)
            {
                var kind = r.Reason == ControlReason ? SourceProblemKinds.ControlCount
                    : r.Reason == TruncatedReason ? SourceProblemKinds.Truncated
                    : r.Reason == EmptyReason ? SourceProblemKinds.Empty
                    : null;
                if (kind is null) continue;
                emptyFile |= kind == SourceProblemKinds.Empty;
                problems.Add(new SourceProblem(c.Source, kind, $"{Where(r.Location)}: {r.Issues[0].Message}"));
            }
            // Findings about the whole file (record number 0) are not records of it.
            var records = c.Read - adapterRejects.Count(r => r.Location.RecordNumber == 0);
            var undecoded = adapterRejects.Count(r => r.Location.RecordNumber > 0);
            if (records == 0 && !emptyFile && c.Expected != 0)
                problems.Add(new SourceProblem(c.Source, SourceProblemKinds.Empty, "the source holds no record"));
            else if (records > 0 && undecoded * 2 > records)
            {
                // Most records failing to decode means the wrong file, layout or encoding, not a few bad records.
                var first = adapterRejects.First(r => r.Location.RecordNumber > 0);
                var share = undecoded == records ? $"none of its {records} records could be decoded" : $"{undecoded} of its {records} records could not be decoded";
                problems.Add(new SourceProblem(c.Source, SourceProblemKinds.Unreadable,
                    FormattableString.Invariant($"{share} (first: {Where(first.Location)}: {first.Issues[0].Message})")));
            }
            if (c.Expected is { } expected && expected != records)
                problems.Add(new SourceProblem(c.Source, SourceProblemKinds.ExpectedCount,
                    FormattableString.Invariant($"{records} records read; {c.ExpectedFrom} announces {expected} ({Math.Abs(expected - records)} {(records < expected ? "missing" : "more than announced")})")));
        }
        return problems;
    }

    static string Where(SourceLocation l) => l.RecordNumber > 0 ? l.ToString()
        : $"{l.File}" + (l.ByteOffset > 0 ? FormattableString.Invariant($" (end of file, byte offset {l.ByteOffset})") : "") + (l.Field is null ? "" : $" field {l.Field}");
}

/// <summary>
/// The record counts a legacy extract announces for its files: <c>expected-counts.json</c> beside the data (written by
/// the legacy side of a real extract), else the <c>estate.json</c> of a generated sample. Both hold an object
/// <c>"counts"</c> keyed by the file path under the extract (<c>opensys/JUMIN.dat</c>), a SQLite table
/// (<c>sqlite/jidoteate.db:JUKYUSHA</c>) or a fixed-length file's record type (<c>mainframe/ZEIMAST.dat:D</c>).
/// </summary>
public sealed class ExpectedCounts
{
    public const string FileName = "expected-counts.json";
    public const string SampleFileName = "estate.json";

    readonly Dictionary<string, long> _counts;

    ExpectedCounts(string file, Dictionary<string, long> counts)
    {
        File = file;
        _counts = counts;
    }

    /// <summary>The file the counts came from (for messages).</summary>
    public string File { get; }

    /// <summary>The counts of an extract folder, or null when it has neither file.</summary>
    public static ExpectedCounts? Load(string root)
    {
        var path = new[] { FileName, SampleFileName }.Select(f => Path.Combine(root, f)).FirstOrDefault(System.IO.File.Exists);
        if (path is null) return null;
        var name = Path.GetFileName(path);
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        try
        {
            using var doc = JsonDocument.Parse(System.IO.File.ReadAllBytes(path));
            if (doc.RootElement.ValueKind != JsonValueKind.Object || !doc.RootElement.TryGetProperty("counts", out var c) || c.ValueKind != JsonValueKind.Object)
                throw new InputFormatException(name, 0, "expected an object with a \"counts\" object (file → record count)");
            foreach (var p in c.EnumerateObject())
            {
                if (p.Value.ValueKind != JsonValueKind.Number || !p.Value.TryGetInt64(out var n) || n < 0)
                    throw new InputFormatException(name, 0, $"count of \"{p.Name}\" must be a whole number ≥ 0, not {p.Value.GetRawText()}");
                counts[p.Name] = n;
            }
        }
        catch (JsonException e)
        {
            throw new InputFormatException(name, (e.LineNumber ?? 0) + 1, "not valid JSON: " + e.Message, e);
        }
        return new ExpectedCounts(name, counts);
    }

    /// <summary>
    /// The records expected in <paramref name="key"/>: its own count, else the sum over its record types
    /// (<paramref name="recordTypes"/>: selector values) when every one of them is counted; null when not announced.
    /// </summary>
    public long? For(string key, IEnumerable<string>? recordTypes = null)
    {
        if (_counts.TryGetValue(key, out var n)) return n;
        var types = recordTypes?.ToList();
        if (types is not { Count: > 0 }) return null;
        long sum = 0;
        foreach (var t in types)
        {
            if (!_counts.TryGetValue(key + ":" + t, out var m)) return null;
            sum += m;
        }
        return sum;
    }
}
