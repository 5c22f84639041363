namespace Ogaki.Migration.Mappers.Engine;

/// <summary>
/// A set of keys (for the duplicate-key check) that keeps the newest keys in a fixed table and the rest on disk, at about 1.5 bytes per key in memory, so
/// a run's memory does not grow with the estate: a <see cref="SpilledKeyMap"/> whose keys carry no value. Answers are exact, never a hash guess. The run files may hold personal data: they are created in the caller's
/// temporary folder and deleted on dispose. Not thread-safe.
/// </summary>
public sealed class SpilledKeySet : IDisposable
{
    readonly SpilledKeyMap _map;

    /// <param name="tempDirectory">Folder for the run files (default: the system temp folder).</param>
    /// <param name="tableSlots">Slots of the in-memory table of the newest keys (a power of two, at least 4; small in tests).</param>
    /// <param name="cache">Memory for run blocks once read (see <see cref="SpilledKeyMap"/>; null: none).</param>
    public SpilledKeySet(string? tempDirectory = null, int tableSlots = 1 << 16, SpilledKeyMap.CacheBudget? cache = null) => _map = new SpilledKeyMap(tempDirectory, tableSlots, cache);

    /// <summary>Keys in the set.</summary>
    public long Count => _map.Count;

    /// <summary>Bytes of the run files on disk.</summary>
    public long FileBytes => _map.FileBytes;

    /// <summary>Adds <paramref name="key"/>; false when it was already in the set (compared ordinally).</summary>
    public bool Add(string key) => _map.TryAdd(key, []);

    public bool Contains(string key) => _map.ContainsKey(key);

    public void Dispose() => _map.Dispose();
}
