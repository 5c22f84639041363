// Reconciler.Cursor: one side of the merge, read by a producer task: key order checked, control totals and the
// SHA-256 digest taken, rows handed over in batches through a bounded channel.

using System.Security.Cryptography;
using System.Threading.Channels;
using Ogaki.Migration.Spec;

namespace Ogaki.Migration.Validation.Reconciliation;

public sealed partial class Reconciler
{
    /// <summary>
    /// One side of the merge. A producer task reads the side's canonical rows, checks their key order, adds them to
    /// the side's control totals and to its digest (SHA-256 over the canonical rows in key order), handing rows over
    /// in batches through a bounded channel; so the two sides are read in parallel with the merge while memory stays flat.
    /// </summary>
    sealed class Cursor : IAsyncDisposable
    {
        const int BatchRows = 1024;
        readonly Channel<Batch> _channel = Channel.CreateBounded<Batch>(new BoundedChannelOptions(4) { SingleReader = true, SingleWriter = true });
        readonly CancellationTokenSource _cts;
        readonly Task _producer;
        readonly IncrementalHash _digest = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        // Batches the merge has moved past go back to the producer, so a long side allocates a handful of batches only.
        readonly System.Collections.Concurrent.ConcurrentQueue<Batch> _free = new();
        byte[] _groupKey = new byte[256];
        Exception? _error;
        Batch? _batch;
        int _index;

        public Cursor(IAsyncEnumerable<CanonicalRowBatch> rows, SpecEntity entity, ControlTotalAccumulator? totals, string side, CancellationToken cancellationToken)
        {
            _cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            _producer = Task.Run(() => ProduceAsync(rows, entity, totals, side, _cts.Token), CancellationToken.None);
        }

        sealed class Batch
        {
            public readonly CanonicalRowBatch Rows = new(1 << 17, BatchRows);
        }

        async Task ProduceAsync(IAsyncEnumerable<CanonicalRowBatch> rows, SpecEntity entity, ControlTotalAccumulator? totals, string side, CancellationToken cancellationToken)
        {
            var previous = new byte[256];
            var previousLength = -1;
            // Rows go to the digest in 64 KiB pieces: hashing is then bulk SHA-256, not a call per row.
            var digestBuffer = new byte[1 << 16];
            var digestLength = 0;
            long n = 0;
            var batch = new Batch();
            try
            {
                await foreach (var input in rows.WithCancellation(cancellationToken).ConfigureAwait(false))
                {
                    for (var i = 0; i < input.Count; i++)
                    {
                        n++;
                        var key = input.Key(i);
                        if (previousLength >= 0 && previous.AsSpan(0, previousLength).SequenceCompareTo(key) > 0)
                            throw new RowOrderException(FormattableString.Invariant($"{side} rows of {entity.Name} are not in key order at row {n}"));
                        if (key.Length > previous.Length) previous = new byte[key.Length * 2];
                        key.CopyTo(previous);
                        previousLength = key.Length;
                        var row = input.Row(i);
                        totals?.Add(row);
                        if (digestLength + row.Length > digestBuffer.Length)
                        {
                            _digest.AppendData(digestBuffer, 0, digestLength);
                            digestLength = 0;
                        }
                        if (row.Length > digestBuffer.Length) _digest.AppendData(row);
                        else
                        {
                            row.CopyTo(digestBuffer.AsSpan(digestLength));
                            digestLength += row.Length;
                        }
                        batch.Rows.Add(row, key);
                        if (batch.Rows.Count == BatchRows)
                        {
                            await _channel.Writer.WriteAsync(batch, cancellationToken).ConfigureAwait(false);
                            if (_free.TryDequeue(out var reused)) reused.Rows.Clear();
                            batch = reused ?? new Batch();
                        }
                    }
                }
                _digest.AppendData(digestBuffer, 0, digestLength);
                if (batch.Rows.Count > 0) await _channel.Writer.WriteAsync(batch, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                _error = ex;
            }
            finally
            {
                _channel.Writer.TryComplete();
            }
        }

        public bool HasCurrent { get; private set; }

        /// <summary>The current row's canonical form; valid until the cursor moves.</summary>
        public ReadOnlySpan<byte> Row => _batch!.Rows.Row(_index - 1);

        public ReadOnlySpan<byte> Key => _batch!.Rows.Key(_index - 1);

        public long Count { get; private set; }

        public async ValueTask MoveNextAsync()
        {
            if (_batch is null || _index == _batch.Rows.Count)
            {
                // The merge has copied what it needs of the current row, so the batch can be reused.
                if (_batch is not null) _free.Enqueue(_batch);
                _index = 0;
                if (!_channel.Reader.TryRead(out _batch))
                {
                    _batch = null;
                    while (await _channel.Reader.WaitToReadAsync(_cts.Token).ConfigureAwait(false))
                        if (_channel.Reader.TryRead(out _batch)) break;
                }
                if (_batch is null)
                {
                    HasCurrent = false;
                    await _producer.ConfigureAwait(false);
                    if (_error is OperationCanceledException) _cts.Token.ThrowIfCancellationRequested();
                    if (_error is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(_error);
                    return;
                }
            }
            _index++;
            HasCurrent = true;
            Count++;
        }

        /// <summary>
        /// Moves past every row with the current key; returns how many there were. When there were several,
        /// <see cref="DuplicateRow"/> holds a copy of one of them (for the report's key).
        /// </summary>
        public async ValueTask<int> SkipGroupAsync()
        {
            DuplicateRow = null;
            var keyLength = Key.Length;
            if (keyLength > _groupKey.Length) _groupKey = new byte[keyLength * 2];
            Key.CopyTo(_groupKey);
            var n = 1;
            await MoveNextAsync().ConfigureAwait(false);
            while (HasCurrent && Key.SequenceEqual(_groupKey.AsSpan(0, keyLength)))
            {
                DuplicateRow ??= Row.ToArray();
                n++;
                await MoveNextAsync().ConfigureAwait(false);
            }
            return n;
        }

        public byte[]? DuplicateRow { get; private set; }

        /// <summary>The side's digest; valid once the side has been read to its end.</summary>
        public string Digest() => Base64Url(_digest.GetHashAndReset());

        public async ValueTask DisposeAsync()
        {
            await _cts.CancelAsync().ConfigureAwait(false);
            try { await _producer.ConfigureAwait(false); }
            catch (OperationCanceledException) { /* stopping */ }
            _cts.Dispose();
            _digest.Dispose();
        }
    }
}
