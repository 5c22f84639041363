using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using Ogaki.Migration.Spec;
using Ogaki.Migration.Validation.Reconciliation;

namespace Ogaki.Migration.Validation.Canonical;

/// <summary>
/// Sorts an entity's rows by key with bounded memory. Rows are kept in canonical form with their
/// <see cref="CanonicalKey"/> (<see cref="CanonicalRowBatch"/>), so sorting compares bytes and spilling copies them.
/// A chunk is sorted when full and spilled to a temporary file as a sorted run; the runs are merged in the end.
/// Spill files hold personal data: they are created in the caller's temporary folder and deleted on dispose.
/// A full chunk is sorted and written by a background task while the next one fills, so the producer
/// (e.g. the mapping's ordered stage) does not wait on the disk.
/// </summary>
public sealed class ExternalRowSorter : IAsyncDisposable
{
    /// <summary>Bytes of canonical rows per chunk when no row limit is given (two chunks in memory per sorter; about 250 runs per GB of rows).</summary>
    public const int DefaultChunkBytes = 4 << 20;

    const int OutputRows = 1024;
    readonly CanonicalKey _key;
    readonly int _chunkRows;
    readonly string _tempDirectory;
    readonly List<string> _runs = [];
    CanonicalRowBatch _chunk = new(1 << 16);
    CanonicalRowBatch? _spare;
    Task _spilling = Task.CompletedTask;

    /// <param name="entity">The entity whose rows are sorted.</param>
    /// <param name="chunkRows">Rows per chunk; 0 for chunks of <see cref="DefaultChunkBytes"/>.</param>
    /// <param name="tempDirectory">Folder for spill files (default: the system temp folder).</param>
    public ExternalRowSorter(SpecEntity entity, int chunkRows = 0, string? tempDirectory = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(chunkRows);
        Entity = entity;
        _key = new CanonicalKey(entity);
        _chunkRows = chunkRows;
        _tempDirectory = tempDirectory ?? Path.GetTempPath();
    }

    public SpecEntity Entity { get; }

    /// <summary>How many sorted runs went to disk (0 when the data fitted in one chunk).</summary>
    public int SpilledRuns => _runs.Count;

    /// <summary>Rows added so far.</summary>
    public long Count { get; private set; }

    /// <summary>Control totals every added row goes to (a source side's), or null.</summary>
    internal ControlTotalAccumulator? Totals { get; init; }

    /// <summary>Adds a row: values in spec item order with the CLR types of the generated records.</summary>
    public void Add(object?[] row)
    {
        ArgumentNullException.ThrowIfNull(row);
        _chunk.Add(row, _key);
        Added();
    }

    /// <summary>Adds a standard record of the sorter's entity.</summary>
    public void Add(IStandardRecord record)
    {
        _chunk.Add(record, _key);
        Added();
    }

    /// <summary>
    /// Adds a standard record, and <paramref name="payload"/> under the same canonical key to <paramref name="keyed"/>
    /// (e.g. the record's source location, so it comes out of that sorter in the same key order as the row).
    /// </summary>
    internal void Add(IStandardRecord record, ExternalRowSorter keyed, ReadOnlySpan<byte> payload)
    {
        _chunk.Add(record, _key);
        keyed.Add(payload, _chunk.Key(_chunk.Count - 1));
        Added(); // may spill and swap the chunk: the key is read before
    }

    /// <summary>Folder of the spill files.</summary>
    internal string TempDirectory => _tempDirectory;

    /// <summary>Rows per chunk as given (0: chunks of <see cref="DefaultChunkBytes"/>).</summary>
    internal int ChunkRows => _chunkRows;

    /// <summary>Adds a row already in canonical form (with its key).</summary>
    public void Add(ReadOnlySpan<byte> row, ReadOnlySpan<byte> key)
    {
        _chunk.Add(row, key);
        Totals?.Add(row);
        Count++;
        if (Full()) Spill();
    }

    void Added()
    {
        Totals?.Add(_chunk.Row(_chunk.Count - 1));
        Count++;
        if (Full()) Spill();
    }

    // A little under the limit, so the buffer (grown by doubling from 64 KiB) never doubles past it for the last row.
    bool Full() => _chunkRows > 0 ? _chunk.Count >= _chunkRows : _chunk.Length >= DefaultChunkBytes - (DefaultChunkBytes >> 4);

    void Spill()
    {
        // At most one chunk is being written while the next fills: memory stays at two chunks.
        _spilling.GetAwaiter().GetResult();
        var chunk = _chunk;
        var path = Path.Combine(_tempDirectory, "ogaki-reconcile-" + Guid.NewGuid().ToString("N") + ".run");
        _runs.Add(path);
        // The second chunk is made as large as the first grew: growing it again by doubling would allocate twice its
        // size in large arrays, and every large allocation brings the next full (gen2) collection nearer.
        _chunk = _spare ?? new CanonicalRowBatch(chunk.Capacity.Bytes, chunk.Capacity.Rows);
        _chunk.Clear();
        _spare = null;
        _spilling = Task.Run(() =>
        {
            WriteRun(chunk, path);
            chunk.Clear();
            _spare = chunk;
        });
    }

    /// <summary>
    /// Writes the buffered rows as a sorted run (if more than a few), waits for the write to finish and lets the
    /// chunk and sort-order buffers go, so a side that is complete holds almost no memory until the reconciliation reads it.
    /// </summary>
    public async Task SpillAsync()
    {
        if (_chunk.Count > 64) Spill();
        await _spilling.ConfigureAwait(false);
        _spare = null;
        _order = [];
        if (_chunk.Count == 0) _chunk = new CanonicalRowBatch(1 << 16);
    }

    /// <summary>The chunk's row indices in key order, in a buffer kept for the next chunk (one chunk is sorted at a time).</summary>
    ArraySegment<int> SortedOrder(CanonicalRowBatch chunk)
    {
        if (_order.Length < chunk.Count) _order = new int[chunk.Capacity.Rows];
        var order = new ArraySegment<int>(_order, 0, chunk.Count);
        for (var i = 0; i < order.Count; i++) order[i] = i;
        // Most chunks arrive in key order already (a master file in key order, a table read back by its key: two thirds
        // of a scale-1 dry run's rows): one pass finds that and the sort is skipped; ties keep insertion order either way.
        var inOrder = true;
        for (var i = 1; i < order.Count && inOrder; i++) inOrder = chunk.Key(i - 1).SequenceCompareTo(chunk.Key(i)) <= 0;
        if (inOrder) return order;
        // Equal keys keep their insertion order, so duplicates come out deterministically.
        order.AsSpan().Sort((a, b) =>
        {
            var c = chunk.Key(a).SequenceCompareTo(chunk.Key(b));
            return c != 0 ? c : a.CompareTo(b);
        });
        return order;
    }

    int[] _order = [];

    void WriteRun(CanonicalRowBatch chunk, string path)
    {
        var order = SortedOrder(chunk);
        using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.None);
        foreach (var i in order) stream.Write(chunk.Record(i));
    }

    /// <summary>
    /// The rows in key order, in batches (each valid until the next is requested). Call once, after the last
    /// <see cref="Add(object?[])"/>.
    /// </summary>
    public async IAsyncEnumerable<CanonicalRowBatch> SortedAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var output = new CanonicalRowBatch(1 << 17, OutputRows);
        if (_runs.Count == 0)
        {
            var chunk = _chunk;
            foreach (var i in SortedOrder(chunk))
            {
                output.AddRecord(chunk.Record(i));
                if (output.Count < OutputRows) continue;
                cancellationToken.ThrowIfCancellationRequested();
                yield return output;
                output.Clear();
            }
            if (output.Count > 0) yield return output;
            _chunk = new CanonicalRowBatch(64);
            yield break;
        }
        if (_chunk.Count > 0) Spill();
        await _spilling.ConfigureAwait(false);
        _spare = null;
        // One read buffer per run: with more runs than one merge reads (a large estate), the first ones are merged into
        // one beforehand — just enough of them that the final merge reads MaxMergeRuns, so as few rows as possible are
        // written and read twice.
        while (_runs.Count > MaxMergeRuns)
        {
            cancellationToken.ThrowIfCancellationRequested();
            MergeFirstRuns(Math.Min(MaxMergeRuns, _runs.Count - MaxMergeRuns + 1));
        }
        var readers = _runs.Select(p => new RunReader(p)).ToList();
        try
        {
            var queue = MergeQueue(readers);
            while (queue.TryDequeue(out var run, out _))
            {
                output.AddRecord(readers[run].Record);
                if (readers[run].MoveNext()) queue.Enqueue(run, run);
                if (output.Count < OutputRows) continue;
                cancellationToken.ThrowIfCancellationRequested();
                yield return output;
                output.Clear();
            }
            if (output.Count > 0) yield return output;
        }
        finally
        {
            foreach (var r in readers) r.Dispose();
        }
    }

    /// <summary>
    /// Runs read at once by a merge, each through a <see cref="RunBufferBytes"/> buffer (16 MiB in all). The largest side
    /// of a scale-10 estate spills about 320 runs: with 64 at once they were merged in groups first, rewriting four
    /// fifths of the side before the reconciliation compared a row (its sorted read took 3.2 s; now 1.3 s).
    /// </summary>
    public const int MaxMergeRuns = 512;

    /// <summary>Read buffer of one run in a merge (grown for a longer row).</summary>
    const int RunBufferBytes = 32 << 10;

    /// <summary>The run readers' indices by current key; ties go to the lower run index, so equal keys keep their insertion order.</summary>
    static PriorityQueue<int, int> MergeQueue(List<RunReader> readers)
    {
        var queue = new PriorityQueue<int, int>(Comparer<int>.Create((a, b) =>
        {
            var c = readers[a].Key.SequenceCompareTo(readers[b].Key);
            return c != 0 ? c : a.CompareTo(b);
        }));
        for (var i = 0; i < readers.Count; i++)
            if (readers[i].MoveNext()) queue.Enqueue(i, i);
        return queue;
    }

    /// <summary>Merges the first <paramref name="count"/> runs into one that takes their place (first, so ties keep their order).</summary>
    void MergeFirstRuns(int count)
    {
        var path = Path.Combine(_tempDirectory, "ogaki-reconcile-" + Guid.NewGuid().ToString("N") + ".run");
        _runs.Insert(count, path); // deleted on dispose even if the merge fails
        var readers = _runs.Take(count).Select(p => new RunReader(p)).ToList();
        try
        {
            using var output = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.None);
            var queue = MergeQueue(readers);
            while (queue.TryDequeue(out var run, out _))
            {
                output.Write(readers[run].Record);
                if (readers[run].MoveNext()) queue.Enqueue(run, run);
            }
        }
        finally
        {
            foreach (var r in readers) r.Dispose();
        }
        foreach (var p in _runs.Take(count)) File.Delete(p);
        _runs.RemoveRange(0, count);
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
        _chunk = new CanonicalRowBatch(64);
        _spare = null;
    }

    /// <summary>Reads a spilled run record by record through one buffer.</summary>
    sealed class RunReader(string path) : IDisposable
    {
        readonly FileStream _stream = new(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        byte[] _buffer = new byte[RunBufferBytes];
        int _start, _end, _record;

        public ReadOnlySpan<byte> Record => _buffer.AsSpan(_start, _record);

        public ReadOnlySpan<byte> Key
        {
            get
            {
                var rowLength = BinaryPrimitives.ReadInt32LittleEndian(_buffer.AsSpan(_start));
                return _buffer.AsSpan(_start + 8 + rowLength, _record - 8 - rowLength);
            }
        }

        public bool MoveNext()
        {
            _start += _record;
            _record = 0;
            if (!Fill(8)) return false;
            var length = 8 + BinaryPrimitives.ReadInt32LittleEndian(_buffer.AsSpan(_start)) + BinaryPrimitives.ReadInt32LittleEndian(_buffer.AsSpan(_start + 4));
            Fill(length);
            _record = length;
            return true;
        }

        bool Fill(int need)
        {
            if (_end - _start >= need) return true;
            // Move the partial record to the front (growing the buffer for a long one) and read more behind it.
            var have = _end - _start;
            if (need > _buffer.Length) Array.Resize(ref _buffer, Math.Max(need, _buffer.Length * 2));
            _buffer.AsSpan(_start, have).CopyTo(_buffer);
            _start = 0;
            _end = have;
            while (_end < need)
            {
                var n = _stream.Read(_buffer, _end, _buffer.Length - _end);
                if (n == 0)
                {
                    if (_end == 0) return false;
                    throw new InvalidDataException($"spill file {Path.GetFileName(path)} ends inside a row");
                }
                _end += n;
            }
            return true;
        }

        public void Dispose() => _stream.Dispose();
    }
}
