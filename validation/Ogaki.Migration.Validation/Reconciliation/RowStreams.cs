// RowStreams: records and in-memory rows as the async row streams the Reconciler reads.

using System.Runtime.CompilerServices;
using Ogaki.Migration.Spec;
using Ogaki.Migration.Validation.Checks;

namespace Ogaki.Migration.Validation.Reconciliation;

/// <summary>Adapters from records to rows.</summary>
public static class RowStreams
{
    /// <summary>The values of each record in spec item order (<see cref="IStandardRecord.GetValue"/>).</summary>
    public static async IAsyncEnumerable<object?[]> FromRecords(IAsyncEnumerable<IStandardRecord> records, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var r in records.WithCancellation(cancellationToken).ConfigureAwait(false)) yield return StandardRecordValidator.Row(r);
    }

    public static IAsyncEnumerable<object?[]> FromRecords(IEnumerable<IStandardRecord> records) => FromRows(records.Select(StandardRecordValidator.Row));

    /// <summary>An in-memory sequence of rows as an async stream.</summary>
#pragma warning disable CS1998 // synchronous source, async interface
    public static async IAsyncEnumerable<object?[]> FromRows(IEnumerable<object?[]> rows)
#pragma warning restore CS1998
    {
        foreach (var r in rows) yield return r;
    }
}
