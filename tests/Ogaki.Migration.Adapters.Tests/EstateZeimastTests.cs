using Ogaki.Migration.Adapters.Encodings;
using Ogaki.Migration.Adapters.Layouts;
using Ogaki.Migration.LegacyEstate;
using Ogaki.Migration.LegacyEstate.Writers;

namespace Ogaki.Migration.Adapters.Tests;

/// <summary>Reads ZEIMAST.dat detail records at the copybook offsets (checked against the copybook parser below).</summary>
internal static class EstateZeimast
{
    public sealed record Detail(string AtenaNo, string Nendo, string KojinNo, string Shimei, string Kbn, string Choshu,
        decimal Shi, decimal ShiKinto, decimal Ken, decimal KenKinto, decimal Shinrin, decimal Nenzei,
        decimal Fucho, decimal[] Kibetsu, decimal Kyutoku, decimal[] Getsuwari, decimal Nentoku, string KoseiYmd);

    public static decimal Packed(ReadOnlySpan<byte> b, int digits)
    {
        Assert.True(PackedDecimal.TryDecode(b[..PackedDecimal.ByteLength(digits)], 2, out var v));
        return v;
    }

    public static string Text(ReadOnlySpan<byte> b) => EbcdicMixedEncoding.Ibm930.GetString(b).TrimEnd(' ', '\u3000');

    public static List<Detail> ReadDetails(string path)
    {
        var bytes = File.ReadAllBytes(path);
        Assert.Equal(0, bytes.Length % 700);
        var list = new List<Detail>();
        for (var off = 700; off < bytes.Length - 700; off += 700)
        {
            var r = bytes.AsSpan(off, 700);
            Assert.Equal(0xC4, r[0]); // 'D'
            var kib = new decimal[4];
            for (var i = 0; i < 4; i++) kib[i] = Packed(r[(415 + i * 14 + 8)..], 11);
            var get = new decimal[12];
            for (var i = 0; i < 12; i++) get[i] = Packed(r[(527 + i * 5)..], 9);
            list.Add(new Detail(Text(r[1..11]), Text(r[11..15]), Text(r[15..27]), Text(r[27..69]), Text(r[186..187]), Text(r[408..409]),
                Packed(r[366..], 11), Packed(r[372..], 11), Packed(r[378..], 11), Packed(r[384..], 11), Packed(r[390..], 11), Packed(r[402..], 11),
                Packed(r[409..], 11), kib, Packed(r[471..], 11), get, Packed(r[587..], 11), Text(r[628..635])));
        }
        return list;
    }
}

public sealed class EstateZeimastTests
{
    [Fact]
    public void The_copybook_parses_into_header_detail_and_trailer_of_700_bytes()
    {
        var layout = CopybookParser.Parse(LayoutResources.ReadText("ZEIMAST.cpy"), "ZEIMAST.cpy", "ZEIMAST");
        Assert.Equal("ZM-REC-KBN", layout.SelectorField);
        Assert.Equal(0, layout.SelectorOffset);
        Assert.Equal(3, layout.Records.Count);
        Assert.All(layout.Records, r => Assert.Equal(700, r.Length));
        var roles = layout.Records.ToDictionary(r => r.Role, r => r);
        Assert.Equal(["H"], roles[RecordRole.Header].SelectorValues);
        Assert.Equal(["D"], roles[RecordRole.Data].SelectorValues);
        var trailer = roles[RecordRole.Trailer];
        Assert.Equal(["T"], trailer.SelectorValues);
        Assert.NotNull(trailer.CountField);
        Assert.NotNull(trailer.TotalField);
        // Offsets used by the writer (and by EstateZeimast above).
        var detail = roles[RecordRole.Data];
        Assert.Equal(402, detail.Find("ZM-NENZEIGAKU")!.Offset);
        Assert.Equal(27, detail.Find("ZM-SHIMEI")!.Offset);
        Assert.Equal(42, detail.Find("ZM-SHIMEI")!.Length);
        Assert.Equal(628, detail.Find("ZM-KOSEI-YMD")!.Offset);
    }

    [Fact]
    public async Task Trailer_counts_and_control_total_match_the_details()
    {
        var s = await EstateFixture.Default;
        var path = Path.Combine(s.OutputDirectory, "mainframe/ZEIMAST.dat");
        var bytes = await File.ReadAllBytesAsync(path, TestContext.Current.CancellationToken);
        var details = EstateZeimast.ReadDetails(path);
        var header = bytes.AsSpan(0, 700);
        Assert.Equal(0xC8, header[0]); // 'H'
        Assert.Equal("212024", EstateZeimast.Text(header[1..7]));
        var t = bytes.AsSpan(bytes.Length - 700, 700);
        Assert.Equal(0xE3, t[0]); // 'T'
        Assert.Equal(details.Count + 2, int.Parse(EstateZeimast.Text(t[1..10]), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(details.Count, int.Parse(EstateZeimast.Text(t[10..19]), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(details.Sum(d => d.Nenzei), EstateZeimast.Packed(t[19..], 17));
        Assert.Equal(s.Counts["mainframe/ZEIMAST.dat:control-total-nenzeigaku"], (long)details.Sum(d => d.Nenzei));
        // Details are sorted by 宛名番号 then 課税年度.
        var keys = details.Select(d => d.AtenaNo + d.Nendo).ToList();
        Assert.Equal(keys.Order(StringComparer.Ordinal), keys);
    }

    [Fact]
    public async Task Mixed_text_fields_round_trip_through_glibc_iconv()
    {
        EncodingIconv.SkipIfAbsent();
        var s = await EstateFixture.Default;
        var bytes = await File.ReadAllBytesAsync(Path.Combine(s.OutputDirectory, "mainframe/ZEIMAST.dat"), TestContext.Current.CancellationToken);
        // All detail name, kana, address and employer fields in one iconv call, separated by '|'.
        var ours = new List<string>();
        using var batch = new MemoryStream();
        for (var off = 700; off < bytes.Length - 700; off += 700)
        {
            foreach (var (a, b) in new[] { (27, 69), (69, 99), (106, 186) })
            {
                var field = bytes.AsSpan(off + a, b - a);
                ours.Add(EbcdicMixedEncoding.Ibm930.GetString(field));
                batch.Write(field);
                batch.WriteByte(0x4F); // '|' in IBM930
            }
            // PIC N: pure DBCS, so wrap in SO/SI for iconv.
            batch.WriteByte(0x0E);
            batch.Write(bytes.AsSpan(off + 487, 40));
            batch.WriteByte(0x0F);
            batch.WriteByte(0x4F);
            ours.Add(DecodeDbcs(bytes.AsSpan(off + 487, 40)));
        }
        var utf8 = EncodingIconv.Convert("IBM930", "UTF-8", batch.ToArray());
        Assert.NotNull(utf8);
        var theirs = System.Text.Encoding.UTF8.GetString(utf8).Split('|');
        Assert.Equal(ours.Count + 1, theirs.Length);
        for (var i = 0; i < ours.Count; i++) Assert.Equal(ours[i], theirs[i]);
        Assert.Contains(ours, x => x.Any(c => c is >= '\uE000' and <= '\uE757')); // 外字 carried as user-defined DBCS
        // And back: glibc re-encodes the text to exactly the bytes we wrote.
        var back = EncodingIconv.Convert("UTF-8", "IBM930", utf8);
        Assert.NotNull(back);
        Assert.Equal(batch.ToArray(), back);
    }

    static string DecodeDbcs(ReadOnlySpan<byte> b)
    {
        var chars = new char[b.Length];
        Assert.True(LegacyEncodings.GetCodec("ibm930").TryDecodeDbcs(b, chars, out var n, out _, out _));
        return new string(chars, 0, n);
    }
}
