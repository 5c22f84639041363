namespace Ogaki.Migration.Validation.Reconciliation;

/// <summary>What the pipeline reports for an entity's source side: records read, rejected and excluded, each by reason.</summary>
public sealed record SourceCounts(long Read, IReadOnlyDictionary<string, long> RejectedByReason, IReadOnlyDictionary<string, long> ExcludedByReason)
{
    public long Rejected => RejectedByReason.Values.Sum();

    public long Excluded => ExcludedByReason.Values.Sum();
}
