using System.Globalization;
using System.Text;

namespace Ogaki.Migration.LegacyEstate.Model;

/// <summary>One municipal 外字: PUA code point, legacy codes, the standard character (+ IVS). [provisional]</summary>
public sealed record GaijiEntry(int Pua, string StandardScalars, string? Ivs, string Note)
{
    /// <summary>CP932 user-defined code: F040–F9FC, 188 per lead byte, linear from U+E000.</summary>
    public string Cp932Code
    {
        get
        {
            var i = Pua - 0xE000;
            var lead = 0xF0 + i / 188;
            var t = i % 188;
            var trail = t < 63 ? 0x40 + t : 0x80 + (t - 63);
            return string.Create(CultureInfo.InvariantCulture, $"{lead:X2}{trail:X2}");
        }
    }

    /// <summary>IBM host user-defined DBCS code: from X'6941', 190 per row (X'41'–X'FE'), as glibc IBM930 maps U+E000 upward.</summary>
    public string Ibm930Code
    {
        get
        {
            var i = Pua - 0xE000;
            var row = 0x69 + i / 190;
            var cell = 0x41 + i % 190;
            return string.Create(CultureInfo.InvariantCulture, $"{row:X2}{cell:X2}");
        }
    }

    /// <summary>The standard character as text: base scalar(s) followed by the variation selector, if any.</summary>
    public string Glyph
    {
        get
        {
            var sb = new StringBuilder();
            foreach (var s in StandardScalars.Split(' ')) sb.Append(char.ConvertFromUtf32(int.Parse(s.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture)));
            if (Ivs is not null) sb.Append(char.ConvertFromUtf32(int.Parse(Ivs.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture)));
            return sb.ToString();
        }
    }
}

/// <summary>
/// The municipality's 外字 table written as <c>gaiji.csv</c>. Entries are [provisional]: not identified against MJ.
/// Names in the estate use U+E000–U+E00C; PUA code points from U+E600 are deliberately absent (unmappable-gaiji defects).
/// </summary>
public static class GaijiTable
{
    public static IReadOnlyList<GaijiEntry> Entries { get; } =
    [
        new(0xE000, "U+9AD9", null, "髙 はしごだか"),
        new(0xE001, "U+FA11", null, "﨑 たつさき"),
        new(0xE002, "U+20BB7", null, "𠮷 つちよし"),
        new(0xE003, "U+9089", "U+E0104", "邉 異体字"),
        new(0xE004, "U+908A", "U+E0101", "邊 異体字"),
        new(0xE005, "U+845B", "U+E0100", "葛 異体字 (ヒ)"),
        new(0xE006, "U+8FBB", "U+E0100", "辻 一点しんにょう"),
        new(0xE007, "U+FA10", null, "塚 互換漢字"),
        new(0xE008, "U+5FB7", null, "德 旧字"),
        new(0xE009, "U+6FF5", null, "濵 異体字"),
        new(0xE00A, "U+69D7", null, "槗 異体字"),
        new(0xE00B, "U+F9DC", null, "隆 互換漢字"),
        new(0xE00C, "U+FA4F", null, "祐 互換漢字"),
    ];

    /// <summary>First PUA code point used for unmappable-gaiji defects (never in the table).</summary>
    public const int UnmappableFirst = 0xE600;

    public static bool Contains(int pua) => pua >= 0xE000 && pua < 0xE000 + Entries.Count;

    public static string ToCsv()
    {
        var sb = new StringBuilder();
        sb.Append("pua,cp932,ibm930,standard,ivs,glyph,note,status\n");
        foreach (var e in Entries)
        {
            sb.Append(CultureInfo.InvariantCulture, $"U+{e.Pua:X4},{e.Cp932Code},{e.Ibm930Code},{e.StandardScalars},{e.Ivs},{e.Glyph},{e.Note},provisional\n");
        }
        return sb.ToString();
    }
}
