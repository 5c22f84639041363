// SourceSide: the source side of one entity collected while the mapping streams by (sorted rows, totals, locations).

using Ogaki.Migration.Adapters;
using Ogaki.Migration.Spec;

namespace Ogaki.Migration.Validation;

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
        // A second record with the same key hash (a duplicate key, or a hash collision) makes the location unknown, never wrong.
        var hash = Sorter.AddHashingKey(record);
        _locations[hash] = _locations.ContainsKey(hash) || at.RecordNumber > int.MaxValue
            ? CompactLocation.Ambiguous
            : new CompactLocation(FileIndex(at.File), (int)at.RecordNumber, at.ByteOffset);
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

    /// <summary>A location in 16 bytes (file as an index into the side's file names), so the index costs little per record.</summary>
    readonly record struct CompactLocation(int File, int RecordNumber, long ByteOffset)
    {
        public static readonly CompactLocation Ambiguous = new(-1, 0, 0);
    }

    readonly List<string> _files = [];

    /// <summary>
    /// Tells where a record about to be <see cref="Add(IStandardRecord)">added</see> came from in the legacy data, so a
    /// discrepancy of its key can name the file, record and offset. Kept until the record is added.
    /// </summary>
    public void Locate(IStandardRecord record, SourceLocation location) => _pending[record] = location;

    readonly Dictionary<IStandardRecord, SourceLocation> _pending = new(ReferenceEqualityComparer.Instance);

    // Key hash → location (Ambiguous: more than one record had the hash). One entry (about 32 bytes) per located record.
    readonly Dictionary<ulong, CompactLocation> _locations = [];

    /// <summary>The source location of the record with this canonical key, when it was located and is unambiguous.</summary>
    internal SourceLocation? LocationOf(ReadOnlySpan<byte> key) =>
        _locations.Count > 0 && _locations.TryGetValue(ExternalRowSorter.KeyHash(key), out var at) && at.File >= 0
            ? new SourceLocation(_files[at.File], at.RecordNumber, at.ByteOffset)
            : null;

    public void Add(object?[] row)
    {
        ArgumentNullException.ThrowIfNull(row);
        if (row.Length != Entity.Items.Count)
            throw new ArgumentException($"a row of {Entity.Name} has {Entity.Items.Count} values, not {row.Length}", nameof(row));
        Sorter.Add(row); // and to the totals
    }

    /// <summary>Writes what is buffered to disk (when it is more than a few rows), freeing its memory until the reconciliation reads it.</summary>
    public Task SpillAsync() => Sorter.SpillAsync();

    public ValueTask DisposeAsync() => Sorter.DisposeAsync();
}
