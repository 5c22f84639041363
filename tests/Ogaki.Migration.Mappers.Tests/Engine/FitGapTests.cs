using Ogaki.Migration.Mappers.Config;
using Ogaki.Migration.Mappers.FitGap;

namespace Ogaki.Migration.Mappers.Tests.Engine;

public class FitGapTests
{
    static readonly MappingConfig Config = MappingConfig.Load();

    static readonly LegacyLayout[] Layouts =
    [
        new("opensys", "JUMIN", LegacyFixtures.JuminFields),
        new("opensys", "SETAI", LegacyFixtures.SetaiFields),
        new("csv", "IDO_RIREKI", LegacyFixtures.IdoFields),
    ];

    [Fact]
    public void Fit_gap_lists_filled_items_gaps_unused_fields_and_codes()
    {
        var report = FitGapAnalysis.Analyze(Config, Layouts);
        var opensys = report.Systems.Single(s => s.System == "opensys");
        var resident = opensys.Entities.Single(e => e.Entity == "Resident");
        var atena = resident.Filled.Single(i => i.ItemId == "00100001");
        Assert.Equal(["JUMIN:ATENA_NO"], atena.LegacyFields);
        Assert.Contains(resident.Filled, i => i.ItemId == "00100022" && i.Conversions.Single().StartsWith("wareki", StringComparison.Ordinal));
        Assert.Contains(resident.NoSource, i => i.ItemId == "00100140" && i.NameJa == "氏名の振り仮名");
        Assert.DoesNotContain(resident.NoSource, i => i.ItemId == "00100001");
        Assert.Equal(resident.Filled.Count + resident.NoSource.Count, Ogaki.Migration.Standard.ResidentSpec.Entity.Items.Count);

        Assert.Contains("JUMIN:SETAI_JUNI", opensys.UnusedLegacyFields);
        Assert.Contains("JUMIN:KOSHIN_NICHIJI", opensys.UnusedLegacyFields);
        Assert.Contains("SETAI:SETAINUSHI_KANA", opensys.UnusedLegacyFields);
        Assert.DoesNotContain("JUMIN:SEINENGAPPI_HYOKI", opensys.UnusedLegacyFields);   // used through the wareki conversion
        Assert.DoesNotContain("JUMIN:MACHIAZA", opensys.UnusedLegacyFields);

        var zokugara = opensys.Codes.Single(c => c.TableId == "CT-ZOKUGARA");
        Assert.Equal(["22", "23"], zokugara.StandardCodesWithoutSource);

        var csv = report.Systems.Single(s => s.System == "csv");
        Assert.Equal(["IDO_RIREKI:操作日時", "IDO_RIREKI:操作者ID", "IDO_RIREKI:氏名カナ"], csv.UnusedLegacyFields);
        var md = report.ToMarkdown();
        Assert.Equal(md, FitGapAnalysis.Analyze(Config, Layouts.Reverse()).ToMarkdown());
        Assert.Contains("| 00100001 | 宛名番号 | M | JUMIN:ATENA_NO | digits:10 |", md, StringComparison.Ordinal);
    }
}
