namespace Ogaki.Migration.Adapters.Sdk;

/// <summary>Why an input was rejected. Stable codes: reports and tests count by them.</summary>
public static class RejectReasons
{
    public const string TruncatedRecord = "truncated-record";
    public const string WrongRecordLength = "wrong-record-length";
    public const string UnbalancedShift = "unbalanced-shift";          // SO without SI, nested SO, SI without SO
    public const string OddDbcsLength = "odd-dbcs-length";
    public const string InvalidPacked = "invalid-packed-decimal";
    public const string InvalidZoned = "invalid-zoned-decimal";
    public const string UndefinedBytes = "undefined-bytes";            // not defined in the code page
    public const string NulBytes = "nul-bytes";
    public const string UnexpectedBom = "unexpected-bom";
    public const string MixedLineEndings = "mixed-line-endings";
    public const string EmptyFile = "empty-file";
    public const string UnknownRecordType = "unknown-record-type";
    public const string ControlCountMismatch = "control-count-mismatch"; // header/trailer count ≠ records read
    public const string MalformedRow = "malformed-row";                // CSV/database row that cannot be typed
    public const string OccursOutOfRange = "occurs-out-of-range";      // OCCURS … DEPENDING ON count outside min..max
}

/// <summary>
/// A rejected input: where it is, which field, a stable reason code and one clear sentence. The raw
/// bytes are kept for the reject stream (they may hold personal data: never log them).
/// </summary>
public sealed record LegacyReject(SourceLocation Location, string Reason, string Message, ReadOnlyMemory<byte> RawBytes = default)
{
    public override string ToString() => $"{Location}: {Reason}: {Message}";
}

/// <summary>One item of an adapter's stream: a record or a reject, never both.</summary>
public readonly record struct LegacyReadResult(LegacyRecord? Record, LegacyReject? Reject)
{
    public static implicit operator LegacyReadResult(LegacyRecord record) => new(record, null);

    public static implicit operator LegacyReadResult(LegacyReject reject) => new(null, reject);

    public bool IsRecord => Record is not null;
}

/// <summary>
/// A legacy source. Streams records and rejects in source order, async and cancellable, with bounded
/// memory. It never throws for bad data: every bad input becomes a <see cref="LegacyReject"/> and the
/// stream goes on, so records read = records passed on + records rejected. It throws only for
/// conditions that stop the whole source (file missing, cancellation).
/// </summary>
public interface ILegacyAdapter
{
    /// <summary>A name for reports, e.g. <c>mainframe:JUKIMAST</c>.</summary>
    string Name { get; }

    IAsyncEnumerable<LegacyReadResult> ReadAsync(CancellationToken cancellationToken = default);
}
