using Ogaki.Migration.Spec;

namespace Ogaki.Migration.Targets;

/// <summary>
/// A database that receives standard records: PostgreSQL (binary COPY) or SQLite (embedded default).
/// The pipeline writes through this interface only and never knows which database it is.
/// Create one with <see cref="TargetFactory.Create(string)"/>.
/// </summary>
public interface IStandardTarget : IAsyncDisposable
{
    /// <summary>"postgresql" or "sqlite".</summary>
    string Kind { get; }

    /// <summary>Where the target points, with any password masked (safe for logs).</summary>
    string Description { get; }

    /// <summary>
    /// Creates or upgrades the schema for the spec's entities (derived from the spec metadata) and the run ledger.
    /// Tables of entities not named here are left as they are; items are never dropped.
    /// </summary>
    /// <param name="entities">The entities to create or upgrade.</param>
    /// <param name="specVersion">Spec version recorded with the schema (e.g. <c>StandardSpec.Version</c>).</param>
    /// <param name="cancellationToken">Cancels the schema change (rolled back).</param>
    Task EnsureSchemaAsync(IReadOnlyList<SpecEntity> entities, string specVersion, CancellationToken cancellationToken = default);

    /// <summary>Creates or upgrades the schema for the compiled spec version (<c>StandardSpec.Version</c>).</summary>
    Task EnsureSchemaAsync(IReadOnlyList<SpecEntity> entities, CancellationToken cancellationToken = default) =>
        EnsureSchemaAsync(entities, Ogaki.Migration.Standard.StandardSpec.Version, cancellationToken);

    /// <summary>How many batches the target can load at once, each in its own connection (1: one writer at a time).</summary>
    int LoadParallelism => 1;

    /// <summary>
    /// Before the first batch of a load: lets the target load the way bulk loaders such as pgloader do. PostgreSQL drops
    /// the primary key of every entity table that is still empty, so COPY only appends rows and the key is built once,
    /// in one sort, by <see cref="CompleteLoadAsync"/>. A table that already holds rows (a resumed run) keeps its key.
    /// </summary>
    Task BeginLoadAsync(IReadOnlyList<SpecEntity> entities, CancellationToken cancellationToken = default) => Task.CompletedTask;

    /// <summary>
    /// After the last batch: builds again what <see cref="BeginLoadAsync"/> set aside (PostgreSQL: the primary key of
    /// each table that has none, tables in parallel). Idempotent, so a resumed run ends with every key in place.
    /// Returns the tables whose key was built now (none for a target that loads with its keys in place).
    /// </summary>
    /// <exception cref="TargetKeyException">A key cannot be built (rows with the same key, added behind the pipeline's back).</exception>
    Task<IReadOnlyList<string>> CompleteLoadAsync(IReadOnlyList<SpecEntity> entities, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<string>>([]);

    /// <summary>
    /// Loads one batch of one entity in one transaction, together with its run-ledger row; a batch already
    /// recorded as complete for this run is skipped (idempotent rerun and resume). A failure rolls the whole
    /// batch back and surfaces as a <see cref="TargetLoadException"/> that names run, entity, batch and input range.
    /// </summary>
    Task<BatchResult> LoadBatchAsync(LoadBatch batch, CancellationToken cancellationToken = default);

    /// <summary>
    /// Loads consecutive batches of one run and one entity, taken as <paramref name="batches"/> yields them, and yields
    /// each batch's result once the batch is committed. Every batch keeps its own ledger row and checksum, exactly as
    /// <see cref="LoadBatchAsync"/> would write them, so resume stays per batch. By default each batch is its own
    /// transaction; PostgreSQL streams them all into one COPY and commits them together with their ledger rows, so a
    /// failure rolls back every batch of the call not yet yielded (and the exception names them) and nothing else.
    /// </summary>
    async IAsyncEnumerable<BatchResult> LoadBatchesAsync(IAsyncEnumerable<LoadBatch> batches,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batches);
        await foreach (var batch in batches.WithCancellation(cancellationToken).ConfigureAwait(false))
            yield return await LoadBatchAsync(batch, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Reads an entity back: values in spec item order, with the CLR types of the generated records
    /// (string, int, decimal, DateOnly, YearMonth, bool), ordered by the entity key (ordinal / C collation).
    /// </summary>
    IAsyncEnumerable<object?[]> ReadBackAsync(SpecEntity entity, CancellationToken cancellationToken = default);

    /// <summary>
    /// Reads an entity back in canonical form (<see cref="CanonicalRow"/>, with each row's <see cref="CanonicalKey"/>),
    /// ordered by the key bytes, in batches that are valid until the next is requested. The reconciliation reads the
    /// target this way; by default the rows of <see cref="ReadBackAsync"/> are encoded.
    /// </summary>
    IAsyncEnumerable<CanonicalRowBatch> ReadBackCanonicalAsync(SpecEntity entity, CancellationToken cancellationToken = default) =>
        CanonicalRowBatch.FromValuesAsync(entity, ReadBackAsync(entity, cancellationToken), "target", cancellationToken);

    /// <summary>Number of rows in the entity's table.</summary>
    Task<long> CountAsync(SpecEntity entity, CancellationToken cancellationToken = default);

    /// <summary>The completed batches of a run (all runs when <paramref name="runId"/> is null), ordered by entity and batch.</summary>
    Task<IReadOnlyList<LedgerEntry>> GetLedgerAsync(string? runId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Drops the migration's own tables (the entity tables this tool created, the run ledger, the schema table) so a
    /// new rehearsal can load from scratch; other tables are never touched. Returns the tables dropped.
    /// </summary>
    Task<IReadOnlyList<string>> ResetAsync(CancellationToken cancellationToken = default);
}

/// <summary>One batch: run, spec version, entity, batch number, the input range it covers and its records.</summary>
/// <param name="RunId">Run id; the same id on a rerun makes completed batches skip.</param>
/// <param name="SpecVersion">Spec version of the records.</param>
/// <param name="Entity">Entity of every record in the batch.</param>
/// <param name="BatchNumber">Batch number within the run and entity; must be deterministic for resume.</param>
/// <param name="FirstInput">First input record number covered by the batch.</param>
/// <param name="LastInput">Last input record number covered by the batch.</param>
/// <param name="Records">Records of <paramref name="Entity"/>.</param>
public sealed record LoadBatch(string RunId, string SpecVersion, SpecEntity Entity, int BatchNumber, long FirstInput, long LastInput, IReadOnlyList<IStandardRecord> Records);

/// <summary>What a batch load did: rows written (0 when skipped as already complete) and the batch checksum.</summary>
/// <param name="BatchNumber">The batch.</param>
/// <param name="RowsWritten">Rows written now; 0 when skipped.</param>
/// <param name="Skipped">True when the ledger already held this batch of this run.</param>
/// <param name="Checksum">SHA-256 (hex) of the batch's rows in input order, as the target encodes them (canonical rows; PostgreSQL: its binary COPY tuples); compared only with the same target's ledger.</param>
public sealed record BatchResult(int BatchNumber, long RowsWritten, bool Skipped, string Checksum);

/// <summary>A run-ledger row: a batch committed together with its rows.</summary>
public sealed record LedgerEntry(string RunId, string SpecVersion, string Entity, int BatchNumber, long FirstInput, long LastInput, long RowCount, string Checksum, DateTime CompletedAtUtc);
