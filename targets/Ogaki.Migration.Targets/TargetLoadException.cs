using System.Globalization;

namespace Ogaki.Migration.Targets;

/// <summary>A batch could not be loaded. Its transaction was rolled back: no row of it and no ledger row were committed.</summary>
public sealed class TargetLoadException : Exception
{
    public TargetLoadException(LoadBatch batch, string reason, Exception? inner = null)
        : base(Describe(batch) + ": " + reason, inner)
    {
        ArgumentNullException.ThrowIfNull(batch);
        RunId = batch.RunId;
        Entity = batch.Entity.Name;
        BatchNumber = batch.BatchNumber;
    }

    public string RunId { get; } = "";

    public string Entity { get; } = "";

    public int BatchNumber { get; }

    internal static string Describe(LoadBatch batch) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{batch.Entity.Name} batch {batch.BatchNumber} (input records {batch.FirstInput}–{batch.LastInput}, {batch.Records.Count} rows) of run {batch.RunId} was rolled back, nothing of it is committed");
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
