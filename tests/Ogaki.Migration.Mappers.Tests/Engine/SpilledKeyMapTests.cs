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

    [Fact]
    public void Reads_from_several_threads_at_once_when_nothing_is_added()
    {
        var folder = Directory.CreateTempSubdirectory("ogaki-keymap-test").FullName;
        try
        {
            using var map = new SpilledKeyMap(folder, tableSlots: 1024);
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
        }
        finally
        {
            Directory.Delete(folder, true);
        }
    }
}
