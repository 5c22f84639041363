using Ogaki.Migration.Adapters.Sdk;
using Ogaki.Migration.Mappers.Config;
using Ogaki.Migration.Spec;

namespace Ogaki.Migration.Mappers.Engine;

/// <summary>
/// A legacy record that did not become standard records: where it is, its key (clear business key for the
/// migration team's reject stream, and the pseudonym used in reports), and every problem found.
/// The clear value of 個人番号 is never held here.
/// </summary>
public sealed record MappingReject(string Source, string Area, SourceLocation Location, string? Entity, string RecordKey, string PseudonymKey, IReadOnlyList<RejectIssue> Issues)
{
    /// <summary>The first (primary) reason.</summary>
    public string Reason => Issues[0].Reason;

    public bool HasReason(string reason) => Issues.Any(i => string.Equals(i.Reason, reason, StringComparison.Ordinal));

    public override string ToString() => $"{Location}: {string.Join("; ", Issues)}";
}

/// <summary>A record excluded from the standard entities with a reason (住登外 → 宛名 register; control records).</summary>
public sealed record ExcludedRecord(string Source, string Area, SourceLocation Location, string RecordKey, string PseudonymKey, string Reason);

/// <summary>Counts of one source: read = mapped + rejected + excluded, always.</summary>
public sealed class SourceCounts(string source, string area, string system)
{
    public string Source { get; } = source;

    public string Area { get; } = area;

    public string System { get; } = system;

    public long Read { get; internal set; }

    public long Mapped { get; internal set; }

    public long Rejected { get; internal set; }

    public long Excluded { get; internal set; }

    /// <summary>Rejected records per reason (a record with several reasons counts under each).</summary>
    public SortedDictionary<string, long> RejectedByReason { get; } = new(StringComparer.Ordinal);

    /// <summary>Excluded records per reason.</summary>
    public SortedDictionary<string, long> ExcludedByReason { get; } = new(StringComparer.Ordinal);

    /// <summary>Standard records produced per entity (one legacy record may give several).</summary>
    public SortedDictionary<string, long> RecordsByEntity { get; } = new(StringComparer.Ordinal);

    public bool Balances => Read == Mapped + Rejected + Excluded;

    /// <summary>Records the extract announces for the source (<see cref="ExpectedCounts"/>), or null.</summary>
    public long? Expected { get; init; }

    /// <summary>The file that announces <see cref="Expected"/>.</summary>
    public string? ExpectedFrom { get; init; }
}

/// <summary>One line of a report: a value seen (code, 外字, 町字 text, item) with its count and example pseudonymised keys.</summary>
public sealed record ReportLine(string Kind, string System, string Table, string Value, string Field, long Count, IReadOnlyList<string> ExampleKeys);

/// <summary>Everything a dry-run consumes from one mapping run.</summary>
public sealed class MappingResult
{
    internal MappingResult(MappingConfig config, IReadOnlyDictionary<string, IReadOnlyList<IStandardRecord>> records,
        IReadOnlyList<MappingReject> rejects, IReadOnlyList<ExcludedRecord> excluded, IReadOnlyList<SourceCounts> counts, IReadOnlyList<SourceProblem> sourceProblems,
        IReadOnlyList<ReportLine> unmappedCodes, IReadOnlyList<ReportLine> unmappedGaiji, IReadOnlyList<ReportLine> unmatchedAddresses,
        IReadOnlyList<ReportLine> keptUnknownDates)
    {
        ConfigVersions = config.Versions;
        ConfigSha256 = config.Sha256;
        Records = records;
        Rejects = rejects;
        Excluded = excluded;
        Counts = counts;
        SourceProblems = sourceProblems;
        UnmappedCodes = unmappedCodes;
        UnmappedGaiji = unmappedGaiji;
        UnmatchedAddresses = unmatchedAddresses;
        KeptUnknownDates = keptUnknownDates;
    }

    /// <summary>Configuration files used with their SHA-256 (record these with the run).</summary>
    public IReadOnlyList<ConfigFileVersion> ConfigVersions { get; }

    public string ConfigSha256 { get; }

    /// <summary>Mapped records per entity name, in deterministic (source) order.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<IStandardRecord>> Records { get; }

    public IReadOnlyList<IStandardRecord> RecordsOf(string entity) => Records.TryGetValue(entity, out var l) ? l : [];

    /// <summary>The reject stream, in source order (sources in processing order).</summary>
    public IReadOnlyList<MappingReject> Rejects { get; }

    /// <summary>The excluded register (住登外 and control records), in source order.</summary>
    public IReadOnlyList<ExcludedRecord> Excluded { get; }

    public IReadOnlyList<SourceCounts> Counts { get; }

    /// <summary>Sources that do not account for their data (control counts, truncation, empty, unreadable, expected counts).</summary>
    public IReadOnlyList<SourceProblem> SourceProblems { get; }

    /// <summary>Legacy codes seen without a mapping, with record counts.</summary>
    public IReadOnlyList<ReportLine> UnmappedCodes { get; }

    /// <summary>外字 (PUA scalars) absent from the 外字 table, with counts and example keys.</summary>
    public IReadOnlyList<ReportLine> UnmappedGaiji { get; }

    /// <summary>Address texts that matched no ABR 町字.</summary>
    public IReadOnlyList<ReportLine> UnmatchedAddresses { get; }

    /// <summary>Non-existent or 不詳 dates carried by 不詳フラグ/不詳表記 pairs (standard §1.1.8), per DATE item.</summary>
    public IReadOnlyList<ReportLine> KeptUnknownDates { get; }

    /// <summary>True when every source balances (read = mapped + rejected + excluded).</summary>
    public bool Balances => Counts.All(c => c.Balances);

    /// <summary>The run's reports as deterministic Markdown (no clear personal data: keys are pseudonyms).</summary>
    public string ToMarkdown() => MappingReportWriter.Write(this);
}
