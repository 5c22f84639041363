using Ogaki.Migration.Spec;
using Ogaki.Migration.Validation.Canonical;

namespace Ogaki.Migration.Validation.Checks;

/// <summary>
/// Reads an <see cref="ExternalRowSorter"/>'s rows in key order one at a time, for merge joins of sorted key streams.
/// Key and row are valid until the next <see cref="MoveNext"/>.
/// </summary>
sealed class SortedKeyCursor : IDisposable
{
    readonly IEnumerator<CanonicalRowBatch> _batches;
    CanonicalRowBatch? _batch;
    int _index;

    public SortedKeyCursor(ExternalRowSorter sorter)
    {
        // The sorter's only awaits are its own background spill tasks: waiting on them here cannot deadlock.
        _batches = sorter.SortedAsync().ToBlockingEnumerable().GetEnumerator();
        NextBatch();
    }

    public bool HasRow => _batch is not null;

    public ReadOnlySpan<byte> Key => _batch!.Key(_index);

    public ReadOnlySpan<byte> Row => _batch!.Row(_index);

    /// <summary>True when the cursor stands on a row whose key is <paramref name="key"/>.</summary>
    public bool At(ReadOnlySpan<byte> key) => _batch is not null && _batch.Key(_index).SequenceEqual(key);

    public void MoveNext()
    {
        if (_batch is not null && ++_index < _batch.Count) return;
        NextBatch();
    }

    /// <summary>Skips the rows whose key sorts before <paramref name="key"/>.</summary>
    public void SkipBefore(ReadOnlySpan<byte> key)
    {
        while (_batch is not null && _batch.Key(_index).SequenceCompareTo(key) < 0) MoveNext();
    }

    void NextBatch()
    {
        _batch = null;
        _index = 0;
        while (_batches.MoveNext())
            if (_batches.Current.Count > 0) { _batch = _batches.Current; return; }
    }

    public void Dispose() => _batches.Dispose();
}
