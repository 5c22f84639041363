using Ogaki.Migration.Spec;

namespace Ogaki.Migration.Targets;

/// <summary>
/// A database that receives standard records: PostgreSQL (binary COPY) or SQLite (embedded default).
/// The pipeline writes through this interface only and never knows which database it is.
/// </summary>
public interface IStandardTarget : IAsyncDisposable
{
    /// <summary>"postgresql" or "sqlite".</summary>
    string Kind { get; }

    /// <summary>Creates or upgrades the schema for the spec's entities (derived from the spec metadata) and the run ledger.</summary>
    Task EnsureSchemaAsync(IReadOnlyList<SpecEntity> entities, CancellationToken cancellationToken = default);

    /// <summary>
    /// Loads one batch of one entity in one transaction, together with its run-ledger row; a batch already
    /// recorded as complete for this run is skipped (idempotent rerun and resume).
    /// </summary>
    Task<BatchResult> LoadBatchAsync(LoadBatch batch, CancellationToken cancellationToken = default);

    /// <summary>
    /// Reads an entity back: values in spec item order, with the CLR types of the generated records
    /// (string, int, decimal, DateOnly, WarekiDate, YearMonth, bool), ordered by the entity key (ordinal).
    /// </summary>
    IAsyncEnumerable<object?[]> ReadBackAsync(SpecEntity entity, CancellationToken cancellationToken = default);
}

/// <summary>One batch: run, spec version, entity, batch number, the input range it covers and its records.</summary>
public sealed record LoadBatch(string RunId, string SpecVersion, SpecEntity Entity, int BatchNumber, long FirstInput, long LastInput, IReadOnlyList<IStandardRecord> Records);

/// <summary>What a batch load did: rows written (0 when skipped as already complete) and the batch checksum.</summary>
public sealed record BatchResult(int BatchNumber, long RowsWritten, bool Skipped, string Checksum);
