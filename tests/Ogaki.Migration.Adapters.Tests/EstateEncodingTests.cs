using System.Text;
using Ogaki.Migration.Adapters.Layouts;
using Ogaki.Migration.LegacyEstate;
using Ogaki.Migration.LegacyEstate.Model;
using Ogaki.Migration.LegacyEstate.Writers;

namespace Ogaki.Migration.Adapters.Tests;

public sealed class EstateEncodingTests
{
    [Fact]
    public async Task Cp932_files_decode_strictly_with_gaiji_only_in_the_user_area()
    {
        var s = await EstateFixture.Default;
        foreach (var (file, length) in new[] { ("opensys/JUMIN.dat", 800), ("opensys/SETAI.dat", 320) })
        {
            var bytes = await File.ReadAllBytesAsync(Path.Combine(s.OutputDirectory, file), TestContext.Current.CancellationToken);
            Assert.Equal(0, bytes.Length % length);
            var text = EstateFixture.Cp932.GetString(bytes); // exception fallback: throws on any invalid byte
            Assert.All(text.Where(c => c is >= '\uE000' and <= '\uF8FF'), c => Assert.InRange(c, '\uE000', '\uE757'));
        }
        var jumin = EstateFixture.ReadFixed(Path.Combine(s.OutputDirectory, "opensys/JUMIN.dat"), "JUMIN.layout.csv");
        var withGaiji = jumin.Where(r => r["SHIMEI"].Any(c => c is >= '\uE000' and <= '\uE757')).ToList();
        Assert.NotEmpty(withGaiji);
        // Kana fields are half-width katakana.
        Assert.All(jumin.Where(r => r["SHIMEI_KANA"].Length > 0), r => Assert.All(r["SHIMEI_KANA"], c => Assert.True(c == ' ' || c is >= '\uFF61' and <= '\uFF9F', r["SHIMEI_KANA"])));
    }

    [Fact]
    public async Task Cp932_file_agrees_with_glibc_iconv()
    {
        EncodingIconv.SkipIfAbsent();
        var s = await EstateFixture.Default;
        var bytes = await File.ReadAllBytesAsync(Path.Combine(s.OutputDirectory, "opensys/JUMIN.dat"), TestContext.Current.CancellationToken);
        var utf8 = EncodingIconv.Convert("CP932", "UTF-8", bytes);
        Assert.NotNull(utf8);
        Assert.Equal(EstateFixture.Cp932.GetString(bytes), Encoding.UTF8.GetString(utf8));
    }

    [Fact]
    public async Task Gaiji_table_maps_every_user_area_character_used_outside_the_ground_truth()
    {
        var s = await EstateFixture.Default;
        var rows = EstateFixture.ReadCsv(Path.Combine(s.OutputDirectory, "gaiji.csv"));
        Assert.Equal(["pua", "cp932", "ibm930", "standard", "ivs", "glyph", "note", "status"], rows[0]);
        Assert.Contains(rows, r => r[0] == "U+E000" && r[1] == "F040" && r[2] == "6941" && r[3] == "U+9AD9");
        Assert.Contains(rows, r => r[3] == "U+20BB7" && r[5] == "𠮷");
        Assert.Contains(rows, r => r[4] == "U+E0100" && r[5] == "葛\U000E0100");
        Assert.All(rows.Skip(1), r => Assert.Equal("provisional", r[7]));
        // The CP932 code in the table is what the encoder writes for that PUA point.
        foreach (var r in rows.Skip(1))
        {
            var pua = (char)Convert.ToInt32(r[0][2..], 16);
            Assert.Equal(r[1], Convert.ToHexString(EstateFixture.Cp932.GetBytes(pua.ToString())));
            Assert.Equal(r[2], Convert.ToHexString(Ogaki.Migration.Adapters.Encodings.LegacyEncodings.GetCodec("ibm930").EncodeDbcs(pua.ToString())));
        }
        var listed = EstateFixture.ReadGroundTruth(s.OutputDirectory).Where(g => g.Kind == DefectKinds.UnmappableGaiji && g.File == "JUMIN.dat").Select(g => g.RecordKey).ToHashSet(StringComparer.Ordinal);
        var jumin = EstateFixture.ReadFixed(Path.Combine(s.OutputDirectory, "opensys/JUMIN.dat"), "JUMIN.layout.csv");
        foreach (var r in jumin.Where(r => !listed.Contains(r["ATENA_NO"])))
            Assert.All(r["SHIMEI"].Where(c => c is >= '\uE000' and <= '\uF8FF'), c => Assert.True(GaijiTable.Contains(c)));
    }

    [Fact]
    public void Layout_files_parse_with_the_adapter_layout_parser()
    {
        foreach (var (file, length) in new[] { ("JUMIN.layout.csv", 798), ("SETAI.layout.csv", 318) })
        {
            var ours = FixedLayout.Load(file);
            var theirs = LayoutFileParser.Parse(LayoutResources.ReadText(file), file);
            var record = Assert.Single(theirs.Records);
            Assert.Equal(length, record.Length);
            Assert.Equal(length, ours.RecordLength);
            foreach (var f in ours.Fields.Where(f => f.Name != "FILLER"))
            {
                var t = record.Find(f.Name);
                Assert.NotNull(t);
                Assert.Equal(f.Offset, t.Offset);
                Assert.Equal(f.Length, t.TotalLength);
            }
        }
    }

    [Fact]
    public async Task Csv_history_has_a_bom_crlf_and_the_published_header()
    {
        var s = await EstateFixture.Default;
        var bytes = await File.ReadAllBytesAsync(Path.Combine(s.OutputDirectory, "csv/IDO_RIREKI.csv"), TestContext.Current.CancellationToken);
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        var text = new UTF8Encoding(false, true).GetString(bytes);
        Assert.StartsWith("\uFEFF" + LayoutResources.ReadText("IDO_RIREKI.header.csv").TrimStart('\uFEFF').TrimEnd('\r', '\n') + "\r\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\n", text.Replace("\r\n", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public void Embedded_town_master_is_the_abr_file_byte_for_byte()
    {
        using var stream = Towns.OpenRaw();
        using var sha = System.Security.Cryptography.SHA256.Create();
        Assert.Equal("e499dbf37df7f3d9a49f21f6d4152b92fe6f40cd7981ae05f58b423d7a86622f", Convert.ToHexStringLower(sha.ComputeHash(stream)));
        Assert.True(Towns.All.Count > 500);
        Assert.Contains(Towns.All, t => t.MachiazaId == "0004001" && t.Name == "青墓町一丁目");
    }
}
