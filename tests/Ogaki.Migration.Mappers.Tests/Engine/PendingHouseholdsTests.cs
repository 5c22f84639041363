using Ogaki.Migration.Adapters.Sdk;
using Ogaki.Migration.Mappers.Engine;
using Ogaki.Migration.Standard;

namespace Ogaki.Migration.Mappers.Tests.Engine;

public class PendingHouseholdsTests
{
    [Fact]
    public void Gives_back_the_records_locations_and_keys_in_order_from_disk_and_removes_the_file()
    {
        var folder = Directory.CreateTempSubdirectory("ogaki-pending-test").FullName;
        try
        {
            var sources = new[] { "SETAI.dat", "SETAI2.dat" }.Select(f => (Source: (MappingSource)null!, Counts: new SourceCounts(f, "JUKI", "opensys"))).ToArray();
            var random = new Random(3);
            var added = new List<(SourceCounts, SourceLocation, Household, string)>();
            using var pending = new PendingHouseholds(folder);
            for (var i = 0; i < 5_000; i++)
            {
                var (source, counts) = sources[random.Next(2)];
                var household = new Household
                {
                    SetaiNo = random.Next(10) == 0 ? null : "S" + i.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    SetainushiAtenaNo = random.Next(10) == 0 ? "" : "A" + random.Next(1000).ToString(System.Globalization.CultureInfo.InvariantCulture),
                    // Names keep their characters: kanji, a 外字 in the private use area, a surrogate pair, and one on its own.
                    SetainushiShimei = (i % 4) switch { 0 => "山田\u3000太郎", 1 => "\uE000橋\u3000花子", 2 => "𠮷野", _ => i % 8 == 3 ? "\uD800" : null },
                    SetaiKoseiNinzu = random.Next(5) == 0 ? null : random.Next(1, 9),
                    JushoLgCode = "212024",
                    SetaiKoseiYmd = random.Next(5) == 0 ? null : new DateOnly(1990, 1, 1).AddDays(random.Next(12_000)),
                };
                var location = new SourceLocation(counts.Source, i + 1, i * 120L, random.Next(3) == 0 ? "SETAI_NO" : null);
                var key = household.SetaiNo ?? "(none)";
                pending.Add(source, counts, location, household, key);
                added.Add((counts, location, household, key));
            }
            Assert.Equal(5_000, pending.Count);
            Assert.Single(Directory.GetFiles(folder));
            Assert.Equal(added, pending.Drain().Select(p => (p.Counts, p.Location, p.Record, p.Key)).ToList());
            Assert.Empty(Directory.GetFiles(folder));
            Assert.Empty(pending.Drain());
        }
        finally
        {
            Directory.Delete(folder, true);
        }
    }
}
