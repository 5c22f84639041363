using Ogaki.Migration.Mappers.Engine;

namespace Ogaki.Migration.Mappers.Tests.Engine;

public class LinkIndexTests
{
    [Fact]
    public void Keeps_the_first_entry_of_a_key_and_gives_back_every_field_as_it_was()
    {
        var folder = Directory.CreateTempSubdirectory("ogaki-links-test").FullName;
        try
        {
            using (var links = new LinkIndex(folder))
            {
                Assert.False(links.TryLookup("household-head-name", "S1", out _)); // nothing written yet: no file either
                Assert.Empty(Directory.GetFiles(folder));

                Assert.True(links.AddHousehold("S1", "𠮷野\u3000太郎"));
                Assert.False(links.AddHousehold("S1", "other"));
                Assert.True(links.AddHousehold("S2", null));
                Assert.True(links.TryLookup("household-head-name", "S1", out var name));
                Assert.Equal("𠮷野\u3000太郎", name);
                Assert.True(links.TryGetHousehold("S2", out var none));
                Assert.Null(none);

                var people = new Dictionary<string, PersonLink>(StringComparer.Ordinal)
                {
                    ["A1"] = new("S1", "1", true, false),
                    ["A2"] = new("S1", "3", false, false, Rejected: true),
                    ["A3"] = new(null, null, false, true),
                    ["A4"] = new("", "", true, true, true),
                };
                foreach (var (atena, person) in people) Assert.True(links.AddPerson(atena, person));
                Assert.False(links.AddPerson("A1", new PersonLink("S9", "1", false, false)));
                foreach (var (atena, person) in people)
                {
                    Assert.True(links.ContainsPerson(atena));
                    Assert.True(links.TryGetPerson(atena, out var stored));
                    Assert.Equal(person, stored);
                }
                Assert.False(links.TryGetPerson("A5", out _));

                Assert.True(links.AddRecipient("J1", "A1"));
                Assert.False(links.AddRecipient("J1", "A2"));
                Assert.True(links.ContainsRecipient("J1"));
                Assert.False(links.ContainsRecipient("J2"));
                Assert.True(links.TryLookup("recipient-atena", "J1", out var atenaNo));
                Assert.Equal("A1", atenaNo);
                Assert.False(links.TryLookup("unknown", "J1", out _));
                Assert.Empty(Directory.GetFiles(folder)); // a few keys stay in the maps' memory: no run is written yet
            }
            Assert.Empty(Directory.GetFiles(folder));
        }
        finally
        {
            Directory.Delete(folder, true);
        }
    }
}
