// The settings of Reconciler: tolerances, control totals, detail limit and the sort's memory and spill folder.

using Ogaki.Migration.Spec;
using Ogaki.Migration.Validation.Canonical;

namespace Ogaki.Migration.Validation.Reconciliation;

/// <summary>Settings of <see cref="Reconciler"/>.</summary>
public sealed record ReconcileOptions
{
    /// <summary>Explicit tolerances; default none (exact).</summary>
    public IReadOnlyList<ToleranceRule> Tolerances { get; init; } = [];

    /// <summary>Tolerance per control-total name (<see cref="ControlTotalDefinition.Name"/>); default none (exact).</summary>
    public IReadOnlyDictionary<string, decimal> ControlTotalTolerances { get; init; } = new Dictionary<string, decimal>(StringComparer.Ordinal);

    /// <summary>Control totals per entity; default <see cref="ControlTotalCatalog.For"/>.</summary>
    public Func<SpecEntity, IReadOnlyList<ControlTotalDefinition>> ControlTotals { get; init; } = ControlTotalCatalog.For;

    /// <summary>At most this many discrepancies per entity are kept in detail (all are counted).</summary>
    public int MaxDiscrepancyDetails { get; init; } = 10_000;

    /// <summary>
    /// Rows per in-memory chunk when a side is sorted; larger inputs spill to disk in sorted runs. 0 (default):
    /// chunks of <see cref="ExternalRowSorter.DefaultChunkBytes"/> of canonical rows (about 7,000 rows of 住民（個人）) —
    /// small enough that a dry run collecting every entity's source side at once stays within its memory budget.
    /// </summary>
    public int SortChunkRows { get; init; }

    /// <summary>Folder for sort spill files (default: the system temp folder). They hold personal data and are deleted after use.</summary>
    public string? TempDirectory { get; init; }
}
