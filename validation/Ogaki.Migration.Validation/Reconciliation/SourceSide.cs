// SourceSide: the source side of one entity collected while the mapping streams by (sorted rows, totals, locations).

using System.Buffers.Binary;
using Ogaki.Migration.Adapters.Sdk;
using Ogaki.Migration.Spec;
using Ogaki.Migration.Validation.Canonical;

namespace Ogaki.Migration.Validation.Reconciliation;

/// <summary>
/// The source side of one entity, collected while the mapping streams by: its rows are kept in canonical form,
/// sorted by key with bounded memory (spilled in sorted runs), and its control totals taken, so the mapped records
/// need not be kept for the reconciliation. Spill files hold personal data and are deleted on dispose.
/// </summary>
public sealed class SourceSide : IAsyncDisposable
{
    internal SourceSide(SpecEntity entity, ExternalRowSorter sorter)
    {
        Entity = entity;
        Sorter = sorter;
    }

    public SpecEntity Entity { get; }

    internal ExternalRowSorter Sorter { get; }

    /// <summary>The totals the sorter adds every row to.</summary>
    internal ControlTotalAccumulator Totals => Sorter.Totals!;

    /// <summary>Rows added.</summary>
    public long Count => Sorter.Count;

    public void Add(IStandardRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (!ReferenceEquals(record.Entity, Entity) && record.Entity.Name != Entity.Name)
            throw new ArgumentException($"a {record.Entity.Name} record cannot join the source side of {Entity.Name}", nameof(record));
        if (!_pending.Remove(record, out var at))
        {
            Sorter.Add(record); // and to the totals
            return;
        }
        Span<byte> payload = stackalloc byte[LocationBytes];
        BinaryPrimitives.WriteInt32LittleEndian(payload, FileIndex(at.File));
        BinaryPrimitives.WriteInt64LittleEndian(payload[4..], at.RecordNumber);
        BinaryPrimitives.WriteInt64LittleEndian(payload[12..], at.ByteOffset);
        _located ??= new ExternalRowSorter(Entity, Sorter.ChunkRows > 0 ? Math.Min(Sorter.ChunkRows, LocationChunkRows) : LocationChunkRows, Sorter.TempDirectory);
        Sorter.Add(record, _located, payload); // and to the totals
        if (_pending.Count == 0 && _pendingPeak > 4096)
        {
            _pending.TrimExcess();
            _pendingPeak = 0;
        }
    }

    int FileIndex(string file)
    {
        // Records of one file come in a row: the last file is checked first.
        if (_files.Count > 0 && ReferenceEquals(_files[^1], file)) return _files.Count - 1;
        var i = _files.IndexOf(file);
        if (i >= 0) return i;
        _files.Add(file);
        return _files.Count - 1;
    }

    readonly List<string> _files = [];

    /// <summary>
    /// Tells where a record about to be <see cref="Add(IStandardRecord)">added</see> came from in the legacy data, so a
    /// discrepancy of its key can name the file, record and offset. Kept until the record is added.
    /// </summary>
    public void Locate(IStandardRecord record, SourceLocation location)
    {
        _pending[record] = location;
        _pendingPeak = Math.Max(_pendingPeak, _pending.Count);
    }

    readonly Dictionary<IStandardRecord, SourceLocation> _pending = new(ReferenceEqualityComparer.Instance);
    // The most records located before being added (a batch; all households at once): the table is let go once drained.
    int _pendingPeak;

    // Locations (file index, record number, byte offset) sorted by the record's canonical key with bounded memory, spilled like
    // the rows, so the index does not grow in memory with the estate: the merge asks for keys in ascending order and reads it once.
    const int LocationBytes = 20;
    // About 1 MiB of locations and keys per chunk: every entity's side holds one while the mapping runs.
    internal const int LocationChunkRows = 16_384;
    ExternalRowSorter? _located;
    IAsyncEnumerator<CanonicalRowBatch>? _locations;
    int _locationIndex = -1;
    bool _locationsDone;

    /// <summary>
    /// The source location of the record with this canonical key, when it was located and no other located record has
    /// the key. Keys must be asked in ascending order (as the merge meets them): the index is read forward, once.
    /// </summary>
    internal async ValueTask<SourceLocation?> LocationOfAsync(byte[] key)
    {
        if (_located is null) return null;
        _locations ??= _located.SortedAsync().GetAsyncEnumerator();
        SourceLocation? found = null;
        var matches = 0;
        while (!_locationsDone)
        {
            if (_locationIndex < 0)
            {
                if (!await _locations.MoveNextAsync().ConfigureAwait(false)) _locationsDone = true;
                else if (_locations.Current.Count > 0) _locationIndex = 0;
                continue;
            }
            // A batch is valid until the next is asked for: what a match needs is read from it before that.
            var batch = _locations.Current;
            var c = batch.Key(_locationIndex).SequenceCompareTo(key);
            if (c > 0) break;
            if (c == 0)
            {
                var row = batch.Row(_locationIndex);
                found = new SourceLocation(_files[BinaryPrimitives.ReadInt32LittleEndian(row)], BinaryPrimitives.ReadInt64LittleEndian(row[4..]),
                    BinaryPrimitives.ReadInt64LittleEndian(row[12..]));
                matches++;
            }
            if (++_locationIndex == batch.Count) _locationIndex = -1; // the next batch is read when needed
        }
        // Two located records with one key (a duplicate key) make the location unknown, never wrong.
        return matches == 1 ? found : null;
    }

    public void Add(object?[] row)
    {
        ArgumentNullException.ThrowIfNull(row);
        if (row.Length != Entity.Items.Count)
            throw new ArgumentException($"a row of {Entity.Name} has {Entity.Items.Count} values, not {row.Length}", nameof(row));
        Sorter.Add(row); // and to the totals
    }

    /// <summary>Writes what is buffered to disk (when it is more than a few rows), freeing its memory until the reconciliation reads it.</summary>
    public async Task SpillAsync()
    {
        await Sorter.SpillAsync().ConfigureAwait(false);
        if (_located is not null) await _located.SpillAsync().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (_locations is not null) await _locations.DisposeAsync().ConfigureAwait(false);
        if (_located is not null) await _located.DisposeAsync().ConfigureAwait(false);
        await Sorter.DisposeAsync().ConfigureAwait(false);
    }
}
