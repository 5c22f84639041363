using System.Globalization;

namespace Ogaki.Migration.Targets;

/// <summary>A batch could not be loaded. Its transaction was rolled back: no row of it and no ledger row were committed.</summary>
public sealed class TargetLoadException : Exception
{
    public TargetLoadException(LoadBatch batch, string reason, Exception? inner = null)
        : this(batch.RunId, batch.Entity.Name, BatchSpan.Of(batch), reason, inner)
    {
    }

    /// <summary>Consecutive batches loaded in one transaction, all rolled back together.</summary>
    public TargetLoadException(string runId, string entity, BatchSpan batches, string reason, Exception? inner = null)
        : base(Describe(runId, entity, batches) + ": " + reason, inner)
    {
        RunId = runId;
        Entity = entity;
        BatchNumber = batches.FirstBatch;
        LastBatchNumber = batches.LastBatch;
    }

    public string RunId { get; } = "";

    public string Entity { get; } = "";

    /// <summary>The (first) batch rolled back.</summary>
    public int BatchNumber { get; }

    /// <summary>The last batch rolled back with <see cref="BatchNumber"/> (the same for one batch).</summary>
    public int LastBatchNumber { get; }

    static string Describe(string runId, string entity, BatchSpan b) => string.Create(CultureInfo.InvariantCulture,
        $"{b.Label(entity)} (input records {b.FirstInput}–{b.LastInput}, {b.Rows} rows) of run {runId}") + (b.FirstBatch == b.LastBatch
            ? " was rolled back, nothing of it is committed"
            : ", loaded in one transaction, were rolled back, nothing of them is committed");
}

/// <summary>Batches of one entity taken together: their numbers, the input records they cover and their rows.</summary>
public readonly record struct BatchSpan(int FirstBatch, int LastBatch, long FirstInput, long LastInput, long Rows)
{
    /// <summary>One batch.</summary>
    public static BatchSpan Of(LoadBatch batch) => new(batch.BatchNumber, batch.BatchNumber, batch.FirstInput, batch.LastInput, batch.Records.Count);

    /// <summary>This span with <paramref name="batch"/> added after it.</summary>
    public BatchSpan With(LoadBatch batch) => With(Of(batch));

    /// <summary>This span with the batches of <paramref name="later"/> added after it.</summary>
    public BatchSpan With(BatchSpan later) => new(FirstBatch, later.LastBatch, FirstInput, later.LastInput, Rows + later.Rows);

    /// <summary>"Resident batch 3", or "Resident batches 3–5" for several.</summary>
    public string Label(string entity) => FirstBatch == LastBatch
        ? string.Create(CultureInfo.InvariantCulture, $"{entity} batch {FirstBatch}")
        : string.Create(CultureInfo.InvariantCulture, $"{entity} batches {FirstBatch}–{LastBatch}");
}

/// <summary>
/// The primary key of a table could not be built after the load (see <see cref="IStandardTarget.CompleteLoadAsync"/>).
/// The loaded batches stay committed; the message names the table and the key, never key values.
/// </summary>
public sealed class TargetKeyException(string table, string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>The table whose key could not be built.</summary>
    public string Table { get; } = table;
}
