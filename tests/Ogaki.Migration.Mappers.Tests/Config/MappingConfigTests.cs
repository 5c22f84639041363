using System.Security.Cryptography;
using Ogaki.Migration.Mappers.Config;

namespace Ogaki.Migration.Mappers.Tests.Config;

public class MappingConfigTests
{
    static readonly MappingConfig Config = MappingConfig.Load();

    [Fact]
    public void The_shipped_configuration_loads_and_records_every_file_hash()
    {
        Assert.Equal("212024", Config.LgCode);
        Assert.Equal(["csv", "mainframe", "opensys", "sqlite"], Config.Systems);
        Assert.Contains(Config.Versions, v => v.Path == "opensys/fields.csv");
        Assert.Contains(Config.Versions, v => v.Path == "codes/CT-ZOKUGARA.opensys.csv");
        Assert.Equal(Config.Versions.OrderBy(v => v.Path, StringComparer.Ordinal).Select(v => v.Path), Config.Versions.Select(v => v.Path));
        foreach (var v in Config.Versions)
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(Config.Root, v.Path)))), v.Sha256);
        Assert.Equal(64, Config.Sha256.Length);
    }

    [Fact]
    public void The_abr_master_is_the_unedited_digital_agency_file()
    {
        var abr = Config.Versions.Single(v => v.Path == "abr/212024-town.csv");
        Assert.Equal("e499dbf37df7f3d9a49f21f6d4152b92fe6f40cd7981ae05f58b423d7a86622f", abr.Sha256);
        Assert.Equal(72433, abr.Bytes);
        Assert.Equal(658, Config.Abr.Count);
        var readme = File.ReadAllText(Path.Combine(Config.Root, "abr", "README.md"));
        Assert.Contains("出典：デジタル庁 アドレス・ベース・レジストリ", readme, StringComparison.Ordinal);
        Assert.Contains("PDL 1.0", readme, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("青墓町", "0004000", AddressMatchKind.Exact)]
    [InlineData("青墓町一丁目", "0004001", AddressMatchKind.Exact)]
    [InlineData("岐阜県大垣市青墓町一丁目12番地", "0004001", AddressMatchKind.Prefix)]
    [InlineData("一色", "0000101", AddressMatchKind.Exact)]
    [InlineData("羽ケ原", "0000102", AddressMatchKind.KanaFolded)]   // the master writes 羽ヶ原
    [InlineData("ハカﾞラ", null, AddressMatchKind.None)]
    [InlineData("東京都千代田区", null, AddressMatchKind.None)]
    public void Addresses_match_exactly_then_with_kana_folded(string text, string? id, AddressMatchKind kind)
    {
        var m = Config.Abr.Match(text);
        Assert.Equal(kind, m.Kind);
        Assert.Equal(id, m.Town?.MachiazaId);
    }

    [Fact]
    public void Kana_readings_match_with_small_and_large_kana_folded()
    {
        var m = Config.Abr.Match("イツシキ");
        Assert.Equal(AddressMatchKind.KanaFolded, m.Kind);
        Assert.Equal("0000101", m.Town!.MachiazaId);
        Assert.Equal("イツシキ", AbrTownMaster.Fold("イッシキ"));
        Assert.Equal("ケ", AbrTownMaster.Fold("ヶ"));
    }

    [Fact]
    public void Zokugara_codes_map_to_chains()
    {
        var map = Config.FindCodeMap("CT-ZOKUGARA", "opensys")!;
        Assert.True(map.TryMap("12", out var t));
        Assert.Equal(["21", "12"], t.Codes);
        Assert.False(map.TryMap("77", out _));
        var jotai = Config.FindCodeMap("CT-JUMIN-JOTAI", "opensys")!;
        Assert.True(jotai.TryMap("2", out var ex));
        Assert.True(ex.Exclude);
        var mishinkoku = Config.FindCodeMap("CT-MISHINKOKU-KBN", "mainframe")!;
        Assert.True(mishinkoku.TryMap(null, out var blank));
        Assert.Equal("0", blank.First);
    }

    [Fact]
    public void One_character_codes_map_as_the_table_says_and_unknown_ones_do_not()
    {
        var map = new CodeMap("CT-SEIBETSU", "test", "codes/CT-SEIBETSU.test.csv", new Dictionary<string, CodeTarget>
        {
            ["M"] = new(["1"], false, "", "男"),
            ["F"] = new(["2"], false, "", "女"),
            ["MF"] = new(["3"], false, "", "不明"),
            ["性"] = new(["3"], false, "", "全角"),
            [CodeMap.BlankKey] = new([], false, "", "空白"),
        });
        Assert.True(map.TryMap("M", out var m));
        Assert.Equal("1", m.First);
        Assert.Equal("2", map.TryMap("F", out var f) ? f.First : null);
        Assert.Equal("3", map.TryMap("MF", out var mf) ? mf.First : null);
        Assert.Equal("3", map.TryMap("性", out var k) ? k.First : null);
        Assert.True(map.TryMap("", out var blank));
        Assert.Empty(blank.Codes);
        Assert.False(map.TryMap("m", out var none)); // codes are case-sensitive
        Assert.Null(none);
        Assert.False(map.TryMap("X", out _));
        Assert.False(map.TryMap("\u007F", out _));
    }

    [Fact]
    public void Gaiji_table_in_the_estate_format_resolves_pua_with_ivs()
    {
        var dir = Directory.CreateTempSubdirectory("gaiji");
        try
        {
            var path = Path.Combine(dir.FullName, "gaiji.csv");
            File.WriteAllText(path, "pua,cp932,ibm930,standard,ivs,glyph,note,status\nU+E000,F040,6941,U+9AD9,,髙,はしごだか,provisional\nU+E001,F041,6942,U+845B,U+E0100,葛󠄀,葛 IVS,provisional\n");
            var g = GaijiTable.Load(path);
            Assert.Equal(2, g.Count);
            Assert.True(g.TryResolve("\uE000橋\uE001西", out var s, out _));
            Assert.Equal("髙橋葛\U000E0100西", s);
            Assert.False(g.TryResolve("田\uE002", out _, out var missing));
            Assert.Equal(0xE002, missing);
        }
        finally
        {
            dir.Delete(true);
        }
    }

    [Fact]
    public void Broken_configuration_fails_loudly_with_file_and_line()
    {
        var dir = Directory.CreateTempSubdirectory("cfg");
        try
        {
            LegacyFixtures.CopyConfiguration(Config.Root, dir.FullName);
            File.AppendAllText(Path.Combine(dir.FullName, "opensys", "fields.csv"), "JUMIN,SHIMEI,Resident,00109999,text,\n");
            var ex = Assert.Throws<MappingConfigException>(() => MappingConfig.Load(dir.FullName));
            Assert.Contains("opensys/fields.csv line", ex.Message, StringComparison.Ordinal);
            Assert.Contains("00109999", ex.Message, StringComparison.Ordinal);

            File.WriteAllText(Path.Combine(dir.FullName, "opensys", "fields.csv"), "record_type,legacy_field,entity,item_id,conversion,notes\nJUMIN,SHIMEI,Resident,00100022,text,\n");
            ex = Assert.Throws<MappingConfigException>(() => MappingConfig.Load(dir.FullName));
            Assert.Contains("cannot fill 00100022", ex.Message, StringComparison.Ordinal);

            File.WriteAllText(Path.Combine(dir.FullName, "opensys", "fields.csv"), "record_type,legacy_field,entity,item_id,conversion,notes\n");
            File.AppendAllText(Path.Combine(dir.FullName, "codes", "CT-SEIBETSU.opensys.csv"), "X,7,,?,\n");
            ex = Assert.Throws<MappingConfigException>(() => MappingConfig.Load(dir.FullName));
            Assert.Contains("7 is not a code of CT-SEIBETSU", ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            dir.Delete(true);
        }
    }
}
