namespace Ogaki.Migration.Adapters.Tests;

public sealed class EstateDeterminismTests
{
    [Fact]
    public async Task Same_seed_and_scale_give_byte_identical_files()
    {
        var a = await EstateFixture.Default;
        var b = await EstateFixture.Again;
        Assert.Equal(a.Files, b.Files);
        Assert.Contains("mainframe/ZEIMAST.dat", a.Files);
        Assert.Contains("sqlite/jidoteate.db", a.Files);
        foreach (var f in a.Files)
        {
            var x = await File.ReadAllBytesAsync(Path.Combine(a.OutputDirectory, f), TestContext.Current.CancellationToken);
            var y = await File.ReadAllBytesAsync(Path.Combine(b.OutputDirectory, f), TestContext.Current.CancellationToken);
            Assert.True(x.AsSpan().SequenceEqual(y), f + " differs between two runs with the same seed");
        }
    }

    [Fact]
    public async Task A_different_seed_gives_a_different_estate_of_the_same_size()
    {
        var a = await EstateFixture.Default;
        var c = await EstateFixture.OtherSeed;
        foreach (var f in new[] { "opensys/JUMIN.dat", "opensys/SETAI.dat", "csv/IDO_RIREKI.csv", "mainframe/ZEIMAST.dat" })
        {
            var x = await File.ReadAllBytesAsync(Path.Combine(a.OutputDirectory, f), TestContext.Current.CancellationToken);
            var y = await File.ReadAllBytesAsync(Path.Combine(c.OutputDirectory, f), TestContext.Current.CancellationToken);
            Assert.False(x.AsSpan().SequenceEqual(y), f + " is identical for seeds 42 and 43");
        }
        // Scale fixes the population, the seed only its content.
        Assert.Equal(a.Counts["opensys/JUMIN.dat:status-1"], c.Counts["opensys/JUMIN.dat:status-1"]);
        Assert.Equal(a.Counts["opensys/SETAI.dat"], c.Counts["opensys/SETAI.dat"]);
    }

    [Fact]
    public async Task Defect_rates_do_not_change_the_underlying_population()
    {
        var dirty = await EstateFixture.Default;
        var clean = await EstateFixture.Clean;
        // Same seed: the households are the same; only injected records differ.
        var setaiA = await File.ReadAllBytesAsync(Path.Combine(dirty.OutputDirectory, "opensys/SETAI.dat"), TestContext.Current.CancellationToken);
        var setaiB = await File.ReadAllBytesAsync(Path.Combine(clean.OutputDirectory, "opensys/SETAI.dat"), TestContext.Current.CancellationToken);
        Assert.True(setaiA.AsSpan().SequenceEqual(setaiB));
        Assert.Equal(dirty.Counts["opensys/JUMIN.dat:status-1"], clean.Counts["opensys/JUMIN.dat:status-1"]);
    }
}
