using Ogaki.Migration.Mappers.Engine;

namespace Ogaki.Migration.Mappers.Tests.Engine;

public class SpilledKeySetTests
{
    [Fact]
    public void Answers_like_a_hash_set_while_the_table_grows_many_times_and_keys_go_to_disk()
    {
        var folder = Directory.CreateTempSubdirectory("ogaki-keyset-test").FullName;
        try
        {
            // A table of 64 slots: its keys go to a sorted run every 45 keys, and the runs are merged again and again.
            using var keys = new SpilledKeySet(folder, tableSlots: 64);
            var reference = new HashSet<string>(StringComparer.Ordinal);
            var random = new Random(7);
            for (var i = 0; i < 20_000; i++)
            {
                // Repeats (a fifth of the draws), names with kanji and 外字-free kana, and a key longer than the write buffer.
                var key = i == 12_345 ? new string('長', 40_000)
                    : random.Next(5) == 0 && i > 0 ? "K" + random.Next(i).ToString(System.Globalization.CultureInfo.InvariantCulture)
                    : (i % 3 == 0 ? "大垣市" : "") + "K" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
                Assert.Equal(reference.Add(key), keys.Add(key));
            }
            Assert.Equal(reference.Count, keys.Count);
            Assert.True(keys.FileBytes > 100_000, "the keys are in the runs on disk, not in memory");
            foreach (var key in reference) Assert.False(keys.Add(key));
            Assert.True(keys.Add(new string('長', 39_999)), "a key that is a prefix of a stored one is new");
            Assert.True(keys.Add(""));
            Assert.False(keys.Add(""));
        }
        finally
        {
            Directory.Delete(folder, true);
        }
    }

    [Fact]
    public void Keys_differing_only_in_case_width_or_spaces_stay_apart_and_the_file_goes_on_dispose()
    {
        var folder = Directory.CreateTempSubdirectory("ogaki-keyset-test").FullName;
        try
        {
            var keys = new SpilledKeySet(folder, tableSlots: 4);
            // Ordinal comparison: case and width differ, so all are distinct keys.
            string[] distinct = ["ab", "AB", "ａｂ", "ab ", " ab"];
            foreach (var k in distinct) Assert.True(keys.Add(k));
            foreach (var k in distinct) Assert.False(keys.Add(k));
            Assert.Single(Directory.GetFiles(folder)); // one sorted run; the newest keys are in memory
            keys.Dispose();
            Assert.Empty(Directory.GetFiles(folder));
        }
        finally
        {
            Directory.Delete(folder, true);
        }
    }
}
