using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using Ogaki.Migration.Targets;

namespace Ogaki.Migration.Pipeline;

/// <summary>
/// Hands ledgered batches to a target the way bulk loaders feed a server. Each entity's batches go, in the order sent,
/// to one connection at a time: a table is never loaded by two connections at once, which would only make them
/// contend for its last page. Up to <see cref="IStandardTarget.LoadParallelism"/> entities load side by side. Batches
/// of an entity waiting one after another load together as one group (<see cref="IStandardTarget.LoadBatchesAsync"/>:
/// on PostgreSQL one COPY and one transaction) of at most <see cref="MaxGroup"/> batches, so the per-transaction round
/// trips are paid once per group; each batch still has its own ledger row, so resume stays per batch.
/// Memory stays flat: at most <see cref="WaitingPerEntity"/> batches of an entity, and that many per connection in
/// all, wait to load at once, and a sender waits for room. The cap per entity keeps one sender from taking all the
/// room while another entity's connection runs dry. The target is made ready first (while the sender already maps);
/// the first error stops every connection and is the one the next <see cref="SendAsync"/> or
/// <see cref="CompleteAsync"/> throws.
/// </summary>
public sealed class BatchLoader
{
    /// <summary>Batches loaded in one transaction at most: bounds what a failure rolls back and how long others wait for a connection.</summary>
    public const int MaxGroup = 16;

    /// <summary>
    /// Batches of one entity waiting at most: the one its connection copies next, and one more, so that when a sender
    /// of another entity is waiting for room this entity's connection still has work.
    /// </summary>
    public const int WaitingPerEntity = 2;

    readonly IStandardTarget _target;
    readonly int _maxGroup;
    readonly Lock _gate = new();
    readonly Dictionary<string, Lane> _lanes = new(StringComparer.Ordinal);
    readonly List<Task> _running = [];
    readonly SemaphoreSlim _room;
    readonly SemaphoreSlim _slots;
    readonly CancellationTokenSource _cts;
    readonly Task _ready;
    readonly Stopwatch _busy = new();
    readonly SortedDictionary<string, long> _written = new(StringComparer.Ordinal);
    bool _completed;
    int _slotWanted, _working, _batches, _skipped;
    long _loadedRows;
    Exception? _failure;

    /// <param name="target">The target the batches go to.</param>
    /// <param name="prepare">Makes the target ready (schema, <see cref="IStandardTarget.BeginLoadAsync"/>) before the first batch; starts now.</param>
    /// <param name="maxGroup">Batches loaded in one transaction at most (1: each batch alone).</param>
    /// <param name="cancellationToken">Stops the load.</param>
    public BatchLoader(IStandardTarget target, Func<CancellationToken, Task>? prepare, int maxGroup = MaxGroup, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxGroup, 1);
        _target = target;
        _maxGroup = maxGroup;
        Parallelism = Math.Max(1, target.LoadParallelism);
        _room = new SemaphoreSlim(Parallelism * WaitingPerEntity);
        _slots = new SemaphoreSlim(Parallelism);
        _cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _ready = Task.Run(async () =>
        {
            try
            {
                if (prepare is not null) await prepare(_cts.Token);
            }
            catch (Exception e)
            {
                await FailAsync(e);
            }
        }, CancellationToken.None);
    }

    /// <summary>Connections loading at once at most.</summary>
    public int Parallelism { get; }

    /// <summary>Batches loaded (or found in the ledger) so far.</summary>
    public int Batches { get { lock (_gate) return _batches; } }

    /// <summary>Batches the ledger already held, skipped.</summary>
    public int SkippedBatches { get { lock (_gate) return _skipped; } }

    /// <summary>Records of the batches loaded or skipped.</summary>
    public long LoadedRows { get { lock (_gate) return _loadedRows; } }

    /// <summary>Rows written per entity (batches the ledger held add 0).</summary>
    public IReadOnlyDictionary<string, long> Written { get { lock (_gate) return new SortedDictionary<string, long>(_written, StringComparer.Ordinal); } }

    /// <summary>Time during which at least one connection was loading (not waiting for batches).</summary>
    public TimeSpan Busy { get { lock (_gate) return _busy.Elapsed; } }

    /// <summary>
    /// Queues a batch for its entity, waiting while <see cref="WaitingPerEntity"/> batches of that entity, or that many
    /// per connection in all, are already waiting. Throws the load's first error once there is one.
    /// </summary>
    public async ValueTask SendAsync(LoadBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ThrowIfFailed();
        Lane? lane;
        lock (_gate)
        {
            if (_completed) throw new InvalidOperationException("no batch can be sent after CompleteAsync");
            if (!_lanes.TryGetValue(batch.Entity.Name, out lane)) _lanes[batch.Entity.Name] = lane = new Lane(batch.Entity.Name);
        }
        // The entity's room first: a sender held back by its own entity does not hold room the others could use.
        // A failed load takes no batch again, so room taken before the failure need not be given back.
        try
        {
            await lane.Room.WaitAsync(_cts.Token);
            await _room.WaitAsync(_cts.Token);
        }
        catch (OperationCanceledException) when (_failure is not null)
        {
            ThrowIfFailed();
        }
        lock (_gate)
        {
            if (_completed) throw new InvalidOperationException("no batch can be sent after CompleteAsync");
            lane.Queue.Enqueue(batch);
            if (lane.Running) lane.Signal.Release();
            else
            {
                lane.Running = true;
                _running.Add(Task.Run(() => RunLaneAsync(lane), CancellationToken.None));
            }
        }
    }

    /// <summary>No more batches: waits until every batch sent is loaded, then throws the load's first error if any.</summary>
    public async Task CompleteAsync()
    {
        await EndAsync(abort: false);
        ThrowIfFailed();
    }

    /// <summary>Stops every connection (what is not committed rolls back) and waits for them; errors are not thrown.</summary>
    public Task AbortAsync() => EndAsync(abort: true);

    async Task EndAsync(bool abort)
    {
        lock (_gate)
        {
            if (_completed) return;
            _completed = true;
            WakeAll();
        }
        if (abort) await _cts.CancelAsync();
        await _ready;
        Task[] running;
        lock (_gate) running = [.. _running];
        await Task.WhenAll(running);
        _cts.Dispose();
    }

    void ThrowIfFailed()
    {
        if (Volatile.Read(ref _failure) is { } failure) ExceptionDispatchInfo.Throw(failure);
    }

    async Task FailAsync(Exception e)
    {
        Interlocked.CompareExchange(ref _failure, e, null);
        await _cts.CancelAsync();
    }

    /// <summary>Wakes every lane waiting for its next batch, to see whether its group should end.</summary>
    void WakeAll()
    {
        foreach (var lane in _lanes.Values)
            if (lane.InGroup) lane.Signal.Release();
    }

    void Working(int change)
    {
        lock (_gate)
        {
            if (_working == 0 && change > 0) _busy.Start();
            _working += change;
            if (_working == 0) _busy.Stop();
        }
    }

    /// <summary>
    /// Loads the lane's batches, a group at a time, until its queue is empty. Between groups the lane keeps its
    /// connection unless another lane waits for one.
    /// </summary>
    async Task RunLaneAsync(Lane lane)
    {
        var holding = false;
        try
        {
            await _ready;
            while (_failure is null)
            {
                if (!holding)
                {
                    lock (_gate)
                    {
                        _slotWanted++;
                        WakeAll();
                    }
                    try
                    {
                        await _slots.WaitAsync(_cts.Token);
                        holding = true;
                    }
                    finally { lock (_gate) _slotWanted--; }
                }
                await LoadGroupAsync(lane);
                lock (_gate)
                {
                    if (lane.Queue.Count == 0)
                    {
                        lane.Running = false;
                        return;
                    }
                    if (_slotWanted > 0)
                    {
                        holding = false;
                        _slots.Release();
                    }
                }
            }
        }
        catch (OperationCanceledException) when (_failure is not null)
        {
            // Another connection failed first: its error is the one reported.
        }
        catch (Exception e)
        {
            await FailAsync(e);
        }
        finally
        {
            if (holding) _slots.Release();
        }
    }

    async Task LoadGroupAsync(Lane lane)
    {
        var pending = new Queue<BatchSpan>(); // taken into the group, not yet reported committed (not their records: memory stays flat)
        Working(+1);
        lock (_gate) lane.InGroup = true;
        try
        {
            await foreach (var result in _target.LoadBatchesAsync(GroupAsync(lane, pending, _cts.Token), _cts.Token))
            {
                var batch = pending.Dequeue();
                if (result.BatchNumber != batch.FirstBatch)
                    throw new InvalidOperationException($"the {_target.Kind} target reported batch {result.BatchNumber} of {lane.Entity} where batch {batch.FirstBatch} was due");
                lock (_gate)
                {
                    _written[lane.Entity] = _written.GetValueOrDefault(lane.Entity) + result.RowsWritten;
                    _batches++;
                    if (result.Skipped) _skipped++;
                    _loadedRows += batch.Rows;
                }
            }
        }
        catch (Exception e) when (e is not OperationCanceledException && pending.Count > 0)
        {
            throw Failed(e, lane.Entity, [.. pending]);
        }
        finally
        {
            lock (_gate) lane.InGroup = false;
            Working(-1);
        }
    }

    /// <summary>
    /// The lane's batches as they come, up to <see cref="MaxGroup"/>. The group ends once the lane has no batch waiting
    /// and either nothing more will be sent or another lane waits for a connection; until then it keeps its
    /// transaction open for the next batch.
    /// </summary>
    async IAsyncEnumerable<LoadBatch> GroupAsync(Lane lane, Queue<BatchSpan> pending, [EnumeratorCancellation] CancellationToken ct)
    {
        for (var n = 0; n < _maxGroup; n++)
        {
            LoadBatch? next;
            while (true)
            {
                bool end;
                lock (_gate)
                {
                    if (lane.Queue.TryDequeue(out next)) break;
                    end = n == 0 || _completed || _slotWanted > 0;
                }
                if (end) yield break;
                Working(-1);
                try { await lane.Signal.WaitAsync(ct); }
                finally { Working(+1); }
            }
            _room.Release();
            lane.Room.Release();
            pending.Enqueue(BatchSpan.Of(next));
            yield return next;
        }
    }

    /// <summary>The error of a group, naming the batches it took that are not committed (nothing of them is).</summary>
    PipelineException Failed(Exception e, string entity, BatchSpan[] lost)
    {
        var span = lost.Aggregate((all, next) => all.With(next));
        var nothing = span.FirstBatch == span.LastBatch ? "nothing of that batch was committed" : "nothing of those batches was committed";
        return new PipelineException(string.Create(CultureInfo.InvariantCulture,
            $"loading {span.Label(entity)} (input records {span.FirstInput}–{span.LastInput}) into {_target.Kind} failed: {e.Message}; {nothing} — fix the cause and run again with the same --run-id to resume."),
            FailureKind.Infrastructure, e);
    }

    /// <summary>One entity's batches waiting to load, in the order sent.</summary>
    sealed class Lane(string entity)
    {
        public string Entity { get; } = entity;

        public Queue<LoadBatch> Queue { get; } = new();

        /// <summary>Room for this entity's batches to wait (<see cref="WaitingPerEntity"/>).</summary>
        public SemaphoreSlim Room { get; } = new(WaitingPerEntity);

        /// <summary>Released when a batch arrives or a group may have to end.</summary>
        public SemaphoreSlim Signal { get; } = new(0);

        /// <summary>A task is loading this lane (set and cleared under the gate, with the queue).</summary>
        public bool Running { get; set; }

        /// <summary>The lane holds a connection and may be waiting for its next batch.</summary>
        public bool InGroup { get; set; }
    }
}
