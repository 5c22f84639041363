using Ogaki.Migration.Adapters.Sdk;

namespace Ogaki.Migration.Validation.Reconciliation;

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

/// <summary>One record-level discrepancy, keyed by the pseudonymised record key.</summary>
public sealed record Discrepancy(string Entity, DiscrepancyKind Kind, string Key, int SourceCount, int TargetCount, IReadOnlyList<FieldDifference> Fields)
{
    /// <summary>Where the source record is in the legacy data (file, record, offset), when known; null for a row only the target has.</summary>
    public SourceLocation? Location { get; init; }
}
