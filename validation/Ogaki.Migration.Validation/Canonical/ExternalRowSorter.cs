using System.Runtime.CompilerServices;
using Ogaki.Migration.Spec;

namespace Ogaki.Migration.Validation;

/// <summary>
/// Sorts a row stream by the entity key with bounded memory: rows are sorted in chunks, chunks beyond the
/// first are spilled to temporary files as sorted runs, and the runs are merged. Spill files hold personal
/// data: they are created in the caller's temporary folder and deleted on dispose. A full chunk is sorted and
/// written by a background task while the next one fills, so the producer (e.g. the mapping's ordered stage)
/// does not wait on the disk.
/// </summary>
public sealed class ExternalRowSorter : IAsyncDisposable
{
    readonly RowKeyComparer _comparer;
    readonly int _chunkRows;
    readonly string _tempDirectory;
    readonly List<string> _runs = [];
    List<object?[]> _buffer = [];
    Task _spilling = Task.CompletedTask;

    public ExternalRowSorter(SpecEntity entity, int chunkRows = 200_000, string? tempDirectory = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkRows, 1);
        _comparer = new RowKeyComparer(entity);
        _chunkRows = chunkRows;
        _tempDirectory = tempDirectory ?? Path.GetTempPath();
    }

    /// <summary>How many sorted runs went to disk (0 when the data fitted in one chunk).</summary>
    public int SpilledRuns => _runs.Count;

    /// <summary>Rows added so far.</summary>
    public long Count { get; private set; }

    public void Add(object?[] row)
    {
        _buffer.Add(row);
        Count++;
        if (_buffer.Count >= _chunkRows) Spill();
    }

    void Spill()
    {
        // At most one chunk is being written while the next fills: memory stays at two chunks.
        _spilling.GetAwaiter().GetResult();
        var chunk = _buffer;
        var path = Path.Combine(_tempDirectory, "ogaki-reconcile-" + Guid.NewGuid().ToString("N") + ".run");
        _runs.Add(path);
        _buffer = new List<object?[]>(Math.Min(_chunkRows, 1 << 16));
        _spilling = Task.Run(() => WriteRun(chunk, path));
    }

    /// <summary>Writes the buffered rows as a sorted run (if more than a few) and waits for the write to finish.</summary>
    public async Task SpillAsync()
    {
        if (_buffer.Count > 64) Spill();
        await _spilling.ConfigureAwait(false);
    }

    void WriteRun(List<object?[]> chunk, string path)
    {
        chunk.Sort(_comparer);
        using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.None);
        using var writer = new BinaryWriter(stream);
        foreach (var row in chunk) RowSerializer.Write(writer, row);
    }

    /// <summary>The rows in key order. Call once, after the last <see cref="Add"/>.</summary>
    public async IAsyncEnumerable<object?[]> SortedAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (_runs.Count == 0)
        {
            _buffer.Sort(_comparer);
            foreach (var row in _buffer)
            {
                cancellationToken.ThrowIfCancellationRequested();
                yield return row;
            }
            _buffer = [];
            yield break;
        }
        if (_buffer.Count > 0) Spill();
        await _spilling.ConfigureAwait(false);
        var readers = _runs.Select(p => new BinaryReader(new FileStream(p, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16))).ToList();
        try
        {
            // Ties go to the lower run index, so equal keys keep a deterministic order.
            var queue = new PriorityQueue<(object?[] Row, int Run), (object?[] Row, int Run)>(
                Comparer<(object?[] Row, int Run)>.Create((a, b) =>
                {
                    var c = _comparer.Compare(a.Row, b.Row);
                    return c != 0 ? c : a.Run.CompareTo(b.Run);
                }));
            for (var i = 0; i < readers.Count; i++)
                if (RowSerializer.TryRead(readers[i], out var first)) queue.Enqueue((first, i), (first, i));
            var n = 0;
            while (queue.TryDequeue(out var item, out _))
            {
                if ((++n & 0xFFF) == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    await Task.Yield();
                }
                yield return item.Row;
                if (RowSerializer.TryRead(readers[item.Run], out var next)) queue.Enqueue((next, item.Run), (next, item.Run));
            }
        }
        finally
        {
            foreach (var r in readers) r.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        try { await _spilling.ConfigureAwait(false); }
        catch (IOException) { /* the run's error was reported by SortedAsync; only clean up here */ }
        foreach (var p in _runs)
        {
            try { File.Delete(p); }
            catch (IOException) { /* best effort: the temp folder is the caller's */ }
        }
        _runs.Clear();
        _buffer = [];
    }
}

/// <summary>Binary form of a row of standard values (tagged), for spill files only.</summary>
internal static class RowSerializer
{
    public static void Write(BinaryWriter w, object?[] row)
    {
        w.Write(row.Length);
        foreach (var v in row)
        {
            switch (v)
            {
                case null: w.Write((byte)0); break;
                case string s: w.Write((byte)1); w.Write(s); break;
                case int i: w.Write((byte)2); w.Write(i); break;
                case long l: w.Write((byte)3); w.Write(l); break;
                case decimal d: w.Write((byte)4); w.Write(d); break;
                case DateOnly d: w.Write((byte)5); w.Write(d.DayNumber); break;
                case WarekiDate wd:
                    w.Write((byte)6); w.Write(wd.Era); w.Write(wd.Year); w.Write(wd.Month); w.Write(wd.Day);
                    w.Write(wd.UnknownText is not null);
                    if (wd.UnknownText is not null) w.Write(wd.UnknownText);
                    break;
                case YearMonth ym: w.Write((byte)7); w.Write(ym.Year); w.Write(ym.Month); break;
                case bool b: w.Write((byte)8); w.Write(b); break;
                default: throw new NotSupportedException($"cannot spill values of type {v.GetType().FullName}");
            }
        }
    }

    public static bool TryRead(BinaryReader r, out object?[] row)
    {
        if (r.BaseStream.Position >= r.BaseStream.Length)
        {
            row = [];
            return false;
        }
        var n = r.ReadInt32();
        row = new object?[n];
        for (var i = 0; i < n; i++)
        {
            row[i] = r.ReadByte() switch
            {
                0 => null,
                1 => r.ReadString(),
                2 => r.ReadInt32(),
                3 => r.ReadInt64(),
                4 => r.ReadDecimal(),
                5 => DateOnly.FromDayNumber(r.ReadInt32()),
                6 => ReadWareki(r),
                7 => new YearMonth(r.ReadInt32(), r.ReadInt32()),
                8 => r.ReadBoolean(),
                var t => throw new InvalidDataException($"unknown value tag {t} in spill file"),
            };
        }
        return true;
    }

    static WarekiDate ReadWareki(BinaryReader r)
    {
        int era = r.ReadInt32(), year = r.ReadInt32(), month = r.ReadInt32(), day = r.ReadInt32();
        var text = r.ReadBoolean() ? r.ReadString() : null;
        return new WarekiDate(era, year, month, day, text);
    }
}
