using Ogaki.Migration.Adapters.Sdk;

namespace Ogaki.Migration.Adapters.Conformance;

/// <summary>One expected record of a sample: its position, type and the field values it must carry.</summary>
/// <param name="RecordNumber">1-based record number the adapter must report.</param>
/// <param name="Fields">Field path (as <see cref="LegacyRecord.Get"/> reads it) → expected value: a string (compared
/// ordinally, characters kept), a decimal (compared exactly; must be a <see cref="decimal"/>), or null.</param>
/// <param name="RecordType">Expected record type, when the source has several.</param>
/// <param name="ByteOffset">Expected byte offset of the record, or null to skip; -1 for sources without bytes.</param>
public sealed record ExpectedRecord(long RecordNumber, IReadOnlyDictionary<string, object?> Fields, string? RecordType = null, long? ByteOffset = null);

/// <summary>
/// A bad input the vendor supplies, with what the adapter must do: reject it with <paramref name="Reason"/> (one of
/// <see cref="RejectReasons"/>) at <paramref name="RecordNumber"/> (0 for file-level problems), naming
/// <paramref name="Field"/> when given, and still read the other records: <paramref name="ExpectedRecords"/> good
/// records and at least one reject, never throwing.
/// </summary>
public sealed record BadInputCase(string DataPath, string Reason, long RecordNumber, int ExpectedRecords, string? Field = null, string? Description = null);

/// <summary>
/// What a vendor points the conformance kit at: a factory building their adapter for a data file, a good sample with
/// its expectations, and bad-input samples. All paths are files the vendor ships with their test project.
/// </summary>
public sealed class ConformanceSuite
{
    /// <summary>A name for the report, e.g. the vendor product and the file kind.</summary>
    public required string Name { get; init; }

    /// <summary>Builds the adapter under test for a data file (the good sample or one of the bad inputs).</summary>
    public required Func<string, ILegacyAdapter> CreateAdapter { get; init; }

    /// <summary>The good sample: every record must pass.</summary>
    public required string SamplePath { get; init; }

    /// <summary>Number of records the good sample holds.</summary>
    public required long ExpectedRecordCount { get; init; }

    /// <summary>Records to compare field by field (a subset is fine; include every field type the format has).</summary>
    public required IReadOnlyList<ExpectedRecord> ExpectedRecords { get; init; }

    /// <summary>Bad inputs; each supplied case is a required check, reasons not supplied are reported as not tested.</summary>
    public IReadOnlyList<BadInputCase> BadInputs { get; init; } = [];

    /// <summary>True when the format carries typed numbers (then the expectations must include decimals); false for
    /// all-text formats such as CSV, where the decimal checks are not applicable.</summary>
    public bool HasTypedNumbers { get; init; } = true;

    /// <summary>True when the source has byte offsets (files); false for databases (offset −1).</summary>
    public bool HasByteOffsets { get; init; } = true;

    /// <summary>Reject reasons that cannot occur in this format (e.g. <c>unbalanced-shift</c> in UTF-8 CSV): reported as not applicable.</summary>
    public IReadOnlySet<string> NotApplicable { get; init; } = new HashSet<string>(StringComparer.Ordinal);
}
