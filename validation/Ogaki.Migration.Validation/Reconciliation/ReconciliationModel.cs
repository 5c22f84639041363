using Ogaki.Migration.Adapters;
using Ogaki.Migration.Spec;

namespace Ogaki.Migration.Validation;

/// <summary>The kinds of record-level difference between source and target.</summary>
public enum DiscrepancyKind
{
    /// <summary>The key is in the mapped source but not in the target.</summary>
    MissingInTarget,
    /// <summary>The key is in the target but not in the mapped source.</summary>
    UnexpectedInTarget,
    /// <summary>The key occurs more than once on one side (or both).</summary>
    Duplicate,
    /// <summary>Both sides have the key once and at least one item differs beyond tolerance.</summary>
    FieldMismatch,
}

/// <summary>One differing item of a record. Values are as shown in reports (pseudonymised or masked as the privacy says).</summary>
public sealed record FieldDifference(string ItemId, string ItemNameJa, string Identifier, string? Source, string? Target);

/// <summary>One record-level discrepancy, keyed by the pseudonymised record key.</summary>
public sealed record Discrepancy(string Entity, DiscrepancyKind Kind, string Key, int SourceCount, int TargetCount, IReadOnlyList<FieldDifference> Fields)
{
    /// <summary>Where the source record is in the legacy data (file, record, offset), when known; null for a row only the target has.</summary>
    public SourceLocation? Location { get; init; }
}

/// <summary>
/// An explicit tolerance (the default is none: exact). <paramref name="Entity"/> may be <c>*</c>.
/// Either the item is ignored, or amounts may differ by at most <paramref name="AbsoluteAmount"/>.
/// </summary>
public sealed record ToleranceRule(string Entity, string Identifier, decimal AbsoluteAmount = 0m, bool Ignore = false)
{
    public bool AppliesTo(SpecEntity entity, SpecItem item) =>
        (Entity == "*" || string.Equals(Entity, entity.Name, StringComparison.Ordinal)) && string.Equals(Identifier, item.Identifier, StringComparison.Ordinal);
}

/// <summary>What the pipeline reports for an entity's source side: records read, rejected and excluded, each by reason.</summary>
public sealed record SourceCounts(long Read, IReadOnlyDictionary<string, long> RejectedByReason, IReadOnlyDictionary<string, long> ExcludedByReason)
{
    public long Rejected => RejectedByReason.Values.Sum();

    public long Excluded => ExcludedByReason.Values.Sum();
}

/// <summary>One control total compared: a count or a sum for one group, computed separately on each side.</summary>
/// <param name="Name">Stable id of the definition (e.g. <c>TaxAssessment.NenZeigaku.sum</c>).</param>
/// <param name="NameJa">Japanese label (年税額 合計).</param>
/// <param name="Group">The group, e.g. <c>課税年度=2024</c> (empty for the whole entity).</param>
public sealed record ControlTotal(string Name, string NameJa, string Group, decimal Source, decimal Target, decimal Tolerance)
{
    public decimal Difference => Target - Source;

    public bool Matches => Math.Abs(Difference) <= Tolerance;
}

/// <summary>A rejected input as reports show it (the raw bytes are never reported).</summary>
/// <param name="Reason">Stable reason code (<c>invalid-packed-decimal</c>, <c>mapping:required</c>).</param>
/// <param name="Message">The reason as one sentence; never a value.</param>
public sealed record RejectEntry(string Source, string File, long RecordNumber, long ByteOffset, string? Field, string Reason, string Message)
{
    /// <summary>The record's pseudonymised key (<c>p-…</c>), when the record got as far as having one.</summary>
    public string? KeyPseudonym { get; init; }

    /// <summary>The standard item the problem is in (JUKI-0022), or null for a record-level problem.</summary>
    public string? ItemId { get; init; }

    /// <summary>The item's Japanese name (項目名, e.g. 生年月日).</summary>
    public string? ItemNameJa { get; init; }

    /// <summary>From an adapter reject; a 個人番号 in the message is redacted.</summary>
    public static RejectEntry From(string source, LegacyReject reject) => new(source, reject.Location.File, reject.Location.RecordNumber,
        reject.Location.ByteOffset, reject.Location.Field, reject.Reason, PersonalDataScanner.RedactMyNumbers(reject.Message));

    /// <summary>One entry per problem of a record the mapping rejected, each with its own key, item and reason fields.</summary>
    public static IEnumerable<RejectEntry> From(Mappers.Engine.MappingReject reject) => reject.Issues.Select(i => new RejectEntry(reject.Source, reject.Location.File,
        reject.Location.RecordNumber, reject.Location.ByteOffset, i.Field ?? reject.Location.Field, i.Reason, PersonalDataScanner.RedactMyNumbers(i.Message))
    {
        KeyPseudonym = reject.PseudonymKey,
        ItemId = i.ItemId,
        ItemNameJa = i.ItemNameJa,
    });
}

/// <summary>Run identity and timing: the only part of a report that differs between identical runs (tests scrub it).</summary>
public sealed record RunMetadata(string RunId, DateTimeOffset StartedUtc, DateTimeOffset FinishedUtc, string Machine, string ToolVersion)
{
    public static RunMetadata Now(string runId, DateTimeOffset started) => new(runId, started, DateTimeOffset.UtcNow, System.Environment.MachineName,
        Validation.ToolVersion.Current);
}

/// <summary>Reconciliation of one entity: counts, control totals and record-level discrepancies.</summary>
public sealed class EntityReconciliation
{
    public required SpecEntity Entity { get; init; }

    /// <summary>Read, rejected and excluded as the pipeline reports them; null when not given.</summary>
    public SourceCounts? SourceCounts { get; init; }

    /// <summary>Rows of the mapped source (standard records) seen by the reconciliation.</summary>
    public long Mapped { get; init; }

    /// <summary>Rows read back from the target.</summary>
    public long Loaded { get; init; }

    /// <summary>Keys present once on both sides with equal canonical forms.</summary>
    public long Matched { get; init; }

    /// <summary>Keys whose only differences are within the configured tolerances.</summary>
    public long MatchedWithinTolerance { get; init; }

    public long MissingInTarget { get; init; }

    public long UnexpectedInTarget { get; init; }

    public long Duplicates { get; init; }

    public long FieldMismatches { get; init; }

    public required IReadOnlyList<ControlTotal> ControlTotals { get; init; }

    /// <summary>Discrepancies sorted by key then kind; at most the configured number.</summary>
    public required IReadOnlyList<Discrepancy> Discrepancies { get; init; }

    public bool DiscrepanciesTruncated { get; init; }

    /// <summary>SHA-256 over the source rows' canonical forms one after the other, in key order (base64url).</summary>
    public string SourceDigest { get; init; } = "";

    public string TargetDigest { get; init; } = "";

    /// <summary>Why the entity could not be reconciled (order violation, unreadable target), or null.</summary>
    public string? Error { get; init; }

    public long DiscrepancyCount => MissingInTarget + UnexpectedInTarget + Duplicates + FieldMismatches;

    /// <summary>
    /// Source accounting: read = mapped + rejected + excluded (DOMAIN §11), when the pipeline counts are known. Says
    /// nothing about the target: an entity can be accounted for and still miss rows in the target.
    /// </summary>
    public bool? SourceBalanced => SourceCounts is null ? null : SourceCounts.Read == Mapped + SourceCounts.Rejected + SourceCounts.Excluded;

    /// <summary>
    /// Target agreement: the entity could be reconciled, loaded = mapped, every mapped row is matched (exactly or
    /// within tolerance), no record discrepancy (missing, unexpected, duplicate, mismatch) and every control total matches.
    /// </summary>
    public bool TargetAgrees => Error is null && Loaded == Mapped && Matched + MatchedWithinTolerance == Mapped && DiscrepancyCount == 0
        && ControlTotals.All(t => t.Matches);

    /// <summary>The reasons this entity is not reconciled (empty when it is).</summary>
    public IReadOnlyList<string> Problems()
    {
        var p = new List<string>();
        var name = Entity.Name;
        // An entity that could not be compared has no meaningful counts: its error is the one problem to act on.
        if (Error is not null) return [$"{name}: not compared: {Error}"];
        if (SourceBalanced == false)
            p.Add(FormattableString.Invariant($"{name}: read {SourceCounts!.Read} ≠ mapped {Mapped} + rejected {SourceCounts.Rejected} + excluded {SourceCounts.Excluded}"));
        if (Loaded != Mapped) p.Add(FormattableString.Invariant($"{name}: loaded {Loaded} ≠ mapped {Mapped}"));
        if (DiscrepancyCount > 0) p.Add(FormattableString.Invariant($"{name}: {DiscrepancyCount} record discrepancies"));
        var totals = ControlTotals.Count(t => !t.Matches);
        if (totals > 0) p.Add(FormattableString.Invariant($"{name}: {totals} control totals differ"));
        return p;
    }
}

/// <summary>What the CLI should exit with.</summary>
public enum ReconciliationOutcome
{
    /// <summary>Everything matched: exit code 0.</summary>
    Reconciled = 0,
    /// <summary>The comparison ran and found differences (or validation errors): exit code 1.</summary>
    Discrepancies = 1,
    /// <summary>The comparison could not be completed (target unreachable, a table gone): exit code 3, the CLI's infrastructure failure.</summary>
    Error = 2,
}

/// <summary>The full result of a run's reconciliation: what the reports are written from.</summary>
public sealed class ReconciliationResult
{
    public const string SchemaVersion = "1.0";

    /// <summary>What reports and the console say when the development pseudonym key was used.</summary>
    public const string DevelopmentKeyWarning = "OGAKI_PSEUDONYM_KEY was not set: pseudonyms use the public development key and can be reversed. Not for production reports.";

    public required string SpecVersion { get; init; }

    public required RunMetadata Run { get; init; }

    public required string PseudonymKeyId { get; init; }

    public required PseudonymKeySource PseudonymKeySource { get; init; }

    public required ReportPrivacy Privacy { get; init; }

    /// <summary>Entities in the order given (normally spec catalog order).</summary>
    public required IReadOnlyList<EntityReconciliation> Entities { get; init; }

    /// <summary>Rejects sorted by source, file, record number, field, reason.</summary>
    public required IReadOnlyList<RejectEntry> Rejects { get; init; }

    public ValidationSummary? Validation { get; init; }

    public IReadOnlyList<ToleranceRule> Tolerances { get; init; } = [];

    /// <summary>Sources that lost data before mapping (control counts, truncation, empty, unreadable, expected counts).</summary>
    public IReadOnlyList<Ogaki.Migration.Mappers.Engine.SourceProblem> SourceProblems { get; init; } = [];

    /// <summary>Reasons the run is not reconciled: the sources' first, then in entity order.</summary>
    public IReadOnlyList<string> Problems
    {
        get
        {
            var p = SourceProblems.Select(s => "source " + s).ToList();
            p.AddRange(Entities.SelectMany(e => e.Problems()));
            if (Validation is { Errors: > 0 } v) p.Add(FormattableString.Invariant($"validation: {v.Errors} errors"));
            return p;
        }
    }

    public ReconciliationOutcome Outcome =>
        Entities.Any(e => e.Error is not null) ? ReconciliationOutcome.Error
        : Problems.Count > 0 ? ReconciliationOutcome.Discrepancies
        : ReconciliationOutcome.Reconciled;

    /// <summary>The process exit code for this outcome, the one the reports print and the CLI returns: 0 reconciled, 1 discrepancies, 3 could not compare.</summary>
    public int ExitCode => Outcome switch
    {
        ReconciliationOutcome.Reconciled => 0,
        ReconciliationOutcome.Discrepancies => 1,
        _ => 3,
    };

    /// <summary>Builds a result with rejects sorted for deterministic reports.</summary>
    public static ReconciliationResult Create(string specVersion, RunMetadata run, Pseudonymizer pseudonymizer, ReportPrivacy privacy,
        IEnumerable<EntityReconciliation> entities, IEnumerable<RejectEntry>? rejects = null, ValidationSummary? validation = null,
        IEnumerable<ToleranceRule>? tolerances = null, IEnumerable<Ogaki.Migration.Mappers.Engine.SourceProblem>? sourceProblems = null) => new()
    {
        SpecVersion = specVersion,
        Run = run,
        PseudonymKeyId = pseudonymizer.KeyId,
        PseudonymKeySource = pseudonymizer.Source,
        Privacy = privacy,
        Entities = entities.ToList(),
        Rejects = (rejects ?? []).OrderBy(r => r.Source, StringComparer.Ordinal).ThenBy(r => r.File, StringComparer.Ordinal)
            .ThenBy(r => r.RecordNumber).ThenBy(r => r.Field, StringComparer.Ordinal).ThenBy(r => r.Reason, StringComparer.Ordinal)
            .ThenBy(r => r.Message, StringComparer.Ordinal).ToList(),
        Validation = validation,
        Tolerances = (tolerances ?? []).ToList(),
        SourceProblems = (sourceProblems ?? []).ToList(),
    };
}
