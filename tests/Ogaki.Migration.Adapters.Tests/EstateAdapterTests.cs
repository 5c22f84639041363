using Ogaki.Migration.Adapters.Sdk;

namespace Ogaki.Migration.Adapters.Tests;

/// <summary>The estate read back through the built-in adapters with the layouts shipped in the estate: no format rejects.</summary>
public sealed class EstateAdapterTests
{
    static async Task<(long Records, List<LegacyReject> Rejects, LegacyRecord? Last)> ReadAll(ILegacyAdapter adapter)
    {
        long n = 0;
        var rejects = new List<LegacyReject>();
        LegacyRecord? last = null;
        await foreach (var r in adapter.ReadAsync(TestContext.Current.CancellationToken))
        {
            if (r.Record is { } rec) { n++; last = rec; }
            else rejects.Add(r.Reject!);
        }
        return (n, rejects, last);
    }

    [Fact]
    public async Task Fixed_length_files_read_without_rejects_through_their_layouts()
    {
        var s = await EstateFixture.Default;
        var root = s.OutputDirectory;
        var cases = new[]
        {
            ("layouts/ZEIMAST.cpy", "mainframe/ZEIMAST.dat", s.Counts["mainframe/ZEIMAST.dat:D"] + 2),
            ("layouts/JUMIN.layout.csv", "opensys/JUMIN.dat", s.Counts["opensys/JUMIN.dat"]),
            ("layouts/SETAI.layout.csv", "opensys/SETAI.dat", s.Counts["opensys/SETAI.dat"]),
        };
        foreach (var (layout, data, expected) in cases)
        {
            var adapter = AdapterFactory.Create(Path.Combine(root, layout), null, Path.Combine(root, data));
            var (n, rejects, _) = await ReadAll(adapter);
            Assert.True(rejects.Count == 0, data + ": " + string.Join("; ", rejects.Take(3)));
            Assert.Equal(expected, n);
        }
    }

    [Fact]
    public async Task Csv_and_sqlite_read_without_rejects()
    {
        var s = await EstateFixture.Default;
        var root = s.OutputDirectory;
        var (n, rejects, _) = await ReadAll(AdapterFactory.Create(null, null, Path.Combine(root, "csv/IDO_RIREKI.csv")));
        Assert.Empty(rejects);
        Assert.Equal(s.Counts["csv/IDO_RIREKI.csv"], n);
        foreach (var table in new[] { "JUKYUSHA", "TAISHO_JIDO", "SHIHARAI" })
        {
            var (m, r, _) = await ReadAll(AdapterFactory.Create(null, null, Path.Combine(root, "sqlite/jidoteate.db"), table));
            Assert.Empty(r);
            Assert.Equal(s.Counts["sqlite/jidoteate.db:" + table], m);
        }
    }
}
