using Ogaki.Migration.Spec;

namespace Ogaki.Migration.Validation.Reconciliation;

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
