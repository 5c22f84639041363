using System.Globalization;
using Ogaki.Migration.Spec;

namespace Ogaki.Migration.Targets;

/// <summary>Row count and content checksum of one entity's table.</summary>
/// <param name="Entity">Entity name.</param>
/// <param name="Table">Table name.</param>
/// <param name="RowCount">Rows in the table.</param>
/// <param name="Sha256">SHA-256 (hex) of the canonical rows (<see cref="CanonicalValue"/>) in key order: equal for PostgreSQL and SQLite holding the same rows.</param>
public sealed record TableChecksum(string Entity, string Table, long RowCount, string Sha256)
{
    /// <summary>Reads the whole table back (key order) and hashes its canonical rows.</summary>
    public static async Task<TableChecksum> ComputeAsync(IStandardTarget target, SpecEntity entity, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(entity);
        using var hasher = new RowHasher();
        await foreach (var row in target.ReadBackAsync(entity, cancellationToken).ConfigureAwait(false))
            hasher.AddRow(row);
        return new TableChecksum(entity.Name, entity.Table, hasher.Rows, hasher.Finish());
    }

    public override string ToString() => $"{Entity} ({Table}): {RowCount.ToString(CultureInfo.InvariantCulture)} rows, sha256 {Sha256}";
}
