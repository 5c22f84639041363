using Ogaki.Migration.Mappers.Engine;

namespace Ogaki.Migration.Mappers.Tests.Engine;

public class SpilledKeyMapTests
{
    [Fact]
    public void Answers_like_a_dictionary_with_try_add_while_entries_go_to_sorted_runs_that_are_merged()
    {
        var folder = Directory.CreateTempSubdirectory("ogaki-keymap-test").FullName;
        try
        {
            using (var map = new SpilledKeyMap(folder, tableSlots: 64))
            {
                var reference = new Dictionary<string, byte[]>(StringComparer.Ordinal);
                var random = new Random(11);
                for (var i = 0; i < 20_000; i++)
                {
                    // Repeats (a fifth of the draws) with another value, kanji, a lone surrogate, and an entry longer than the write buffer.
                    var key = i == 4_321 ? new string('長', 40_000)
                        : i == 99 ? "\uD800A" : i == 100 ? "\uDBFFA"
                        : random.Next(5) == 0 && i > 0 ? "K" + random.Next(i).ToString(System.Globalization.CultureInfo.InvariantCulture)
                        : (i % 3 == 0 ? "大垣市" : "") + "K" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
                    var value = new byte[i % 50 == 0 ? random.Next(250, 600) : random.Next(4) == 0 ? 0 : random.Next(1, 40)]; // some values longer than one read
                    random.NextBytes(value);
                    Assert.Equal(reference.TryAdd(key, value), map.TryAdd(key, value));
                    if (i % 97 == 0) Assert.False(map.ContainsKey("missing" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                }
                Assert.Equal(reference.Count, map.Count);
                Assert.True(map.FileBytes > 200_000, "the entries are in the runs on disk, not in memory");
                Assert.InRange(map.Runs, 2, 20); // 64 slots spill every 45 keys; runs of a level are merged four at a time
                foreach (var (key, value) in reference)
                {
                    Assert.True(map.ContainsKey(key));
                    Assert.True(map.TryGetValue(key, out var stored));
                    Assert.Equal(value, stored); // the first value added stays
                }
                Assert.False(map.TryGetValue(new string('長', 39_999), out _));
                Assert.False(map.ContainsKey("K"));

                Assert.Equal(map.Runs, Directory.GetFiles(folder).Length); // merged runs are gone
            }
            Assert.Empty(Directory.GetFiles(folder));
        }
        finally
        {
            Directory.Delete(folder, true);
        }
    }

    [Fact]
    public void An_ascii_key_and_a_non_ascii_key_with_the_same_bytes_stay_two_keys_in_memory_and_in_runs()
    {
        var folder = Directory.CreateTempSubdirectory("ogaki-keymap-test").FullName;
        try
        {
            using var map = new SpilledKeyMap(folder, tableSlots: 4);
            // "AB" is stored as the bytes 41 42, and U+4241 as its UTF-16 code unit: the same two bytes.
            Assert.True(map.TryAdd("AB", [1]));
            Assert.True(map.TryAdd("\u4241", [2]));
            Assert.True(map.TryGetValue("AB", out var ascii));
            Assert.True(map.TryGetValue("\u4241", out var wide));
            Assert.Equal([1], ascii);
            Assert.Equal([2], wide);
            for (var i = 0; i < 40; i++) map.TryAdd("X" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), []); // both go to runs
            Assert.True(map.Runs > 0);
            Assert.True(map.TryGetValue("AB", out ascii));
            Assert.True(map.TryGetValue("\u4241", out wide));
            Assert.Equal([1], ascii);
            Assert.Equal([2], wide);
            Assert.False(map.ContainsKey("\u4142"));
        }
        finally
        {
            Directory.Delete(folder, true);
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1 << 20)] // the blocks read are kept: readers race to keep the same block
    public void Reads_from_several_threads_at_once_when_nothing_is_added(long cacheBytes)
    {
        var folder = Directory.CreateTempSubdirectory("ogaki-keymap-test").FullName;
        try
        {
            using var map = new SpilledKeyMap(folder, tableSlots: 1024, cacheBytes == 0 ? null : new SpilledKeyMap.CacheBudget(cacheBytes));
            for (var i = 0; i < 50_000; i++) map.TryAdd("A" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), BitConverter.GetBytes(i));
            var wrong = 0;
            Parallel.For(0, 4, t =>
            {
                for (var i = t; i < 60_000; i += 4)
                {
                    var found = map.TryGetValue("A" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), out var v);
                    if (found != i < 50_000 || (found && BitConverter.ToInt32(v) != i)) Interlocked.Increment(ref wrong);
                }
            });
            Assert.Equal(0, wrong);
            Assert.InRange(map.CachedBytes, 0, cacheBytes);
        }
        finally
        {
            Directory.Delete(folder, true);
        }
    }

    [Fact]
    public void Keeps_the_blocks_its_lookups_read_and_gives_back_those_of_merged_runs()
    {
        var folder = Directory.CreateTempSubdirectory("ogaki-keymap-test").FullName;
        try
        {
            using var map = new SpilledKeyMap(folder, tableSlots: 64, new SpilledKeyMap.CacheBudget(1 << 20));
            Add(map, 0, 45); // 64 slots spill at 45 keys: one run of about three 4 KiB blocks
            Assert.Equal(1, map.Runs);
            Assert.Equal(0, map.CachedBytes);

            LookUp(map, 0, 45);
            var reads = map.BlockReads;
            Assert.InRange(reads, 3, 90);
            Assert.Equal(map.FileBytes, map.CachedBytes); // every block read once and kept
            LookUp(map, 0, 45);
            Assert.Equal(reads, map.BlockReads); // served from memory

            Add(map, 45, 180); // three more runs: the four are merged into one
            Assert.Equal(1, map.Runs);
            LookUp(map, 0, 180);
            reads = map.BlockReads;
            LookUp(map, 0, 180);
            Assert.Equal(reads, map.BlockReads);
            // Only the merged run's blocks are held: the first run's were given back with it.
            Assert.Equal(map.FileBytes, map.CachedBytes);
        }
        finally
        {
            Directory.Delete(folder, true);
        }
    }

    [Fact]
    public void Reads_from_disk_at_each_lookup_without_a_budget_and_once_the_budget_is_spent()
    {
        var folder = Directory.CreateTempSubdirectory("ogaki-keymap-test").FullName;
        try
        {
            using var plain = new SpilledKeyMap(folder, tableSlots: 64);
            using var small = new SpilledKeyMap(folder, tableSlots: 64, new SpilledKeyMap.CacheBudget(8192));
            Add(plain, 0, 180);
            Add(small, 0, 180); // the same keys: the same runs and blocks
            Assert.True(plain.FileBytes > 4 * 8192);

            var perPass = ReadsOf(plain, () => LookUp(plain, 0, 180));
            Assert.True(perPass >= 180, $"each lookup of a key on disk reads its block ({perPass} reads)");
            Assert.Equal(perPass, ReadsOf(plain, () => LookUp(plain, 0, 180)));
            Assert.Equal(0, plain.CachedBytes);

            ReadsOf(small, () => LookUp(small, 0, 180));
            var second = ReadsOf(small, () => LookUp(small, 0, 180));
            Assert.InRange(small.CachedBytes, 4096, 8192); // one block (4 KiB and the entry crossing its end) fits
            // The lookups that land in the kept block (about 19 entries of 220 bytes) are served from memory, the rest read.
            Assert.InRange(second, perPass - 40, perPass - 1);
        }
        finally
        {
            Directory.Delete(folder, true);
        }
    }

    [Fact]
    public void Maps_sharing_a_budget_hold_no_more_than_it_together_and_give_it_back_on_dispose()
    {
        var folder = Directory.CreateTempSubdirectory("ogaki-keymap-test").FullName;
        try
        {
            var budget = new SpilledKeyMap.CacheBudget(6 * 4096);
            using (var first = new SpilledKeyMap(folder, tableSlots: 64, budget))
            using (var second = new SpilledKeyMap(folder, tableSlots: 64, budget))
            {
                Add(first, 0, 180);
                Add(second, 0, 180);
                LookUp(first, 0, 180);
                var firstHeld = first.CachedBytes;
                Assert.InRange(firstHeld, 4 * 4096, budget.Bytes); // about 40 KiB of blocks read: the budget is spent
                LookUp(second, 0, 180);
                Assert.Equal(first.CachedBytes + second.CachedBytes, budget.Used);
                Assert.InRange(budget.Used, firstHeld, budget.Bytes);
                Assert.Equal(firstHeld, first.CachedBytes); // the second map took only what the first left
            }
            Assert.Equal(0, budget.Used);
        }
        finally
        {
            Directory.Delete(folder, true);
        }
    }

    static long ReadsOf(SpilledKeyMap map, Action lookups)
    {
        var before = map.BlockReads;
        lookups();
        return map.BlockReads - before;
    }

    /// <summary>Adds keys "C{i}" with 200-byte values made from i.</summary>
    static void Add(SpilledKeyMap map, int from, int to)
    {
        for (var i = from; i < to; i++) Assert.True(map.TryAdd(CacheKey(i), CacheValue(i)));
    }

    static void LookUp(SpilledKeyMap map, int from, int to)
    {
        for (var i = from; i < to; i++)
        {
            Assert.True(map.TryGetValue(CacheKey(i), out var value));
            Assert.Equal(CacheValue(i), value);
        }
    }

    static string CacheKey(int i) => "C" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);

    static byte[] CacheValue(int i) => Enumerable.Range(0, 200).Select(b => (byte)(b * 7 + i)).ToArray();
}
