using System.Buffers;
using System.Globalization;
using System.Text;
using Ogaki.Migration.Spec;

namespace Ogaki.Migration.Mappers.Config;

/// <summary>One signed-off (or provisional) 外字 identification.</summary>
/// <param name="Pua">The PUA scalar the legacy code decodes to (CP932 F040 = U+E000).</param>
/// <param name="Cp932">Legacy CP932 user-area code, e.g. F040 (may be empty).</param>
/// <param name="Ibm930">Legacy IBM930 user-defined DBCS code, e.g. 6941 (may be empty).</param>
/// <param name="Replacement">The 行政事務標準文字 text: base scalar(s) plus the IVS when one is given.</param>
/// <param name="Note">Description, e.g. はしごだか.</param>
/// <param name="Status">provisional / confirmed.</param>
public sealed record GaijiEntry(int Pua, string Cp932, string Ibm930, string Replacement, string Note, string Status);

/// <summary>
/// The 外字 table (DOMAIN §6/§10): PUA scalar → standard character (+ IVS). The file format is the one the
/// legacy estate writes next to its data (<c>gaiji.csv</c>): <c>pua,cp932,ibm930,standard,ivs,glyph,note,status</c>,
/// scalars written <c>U+XXXX</c>; <c>standard</c> may hold several scalars separated by spaces.
/// </summary>
public sealed class GaijiTable
{
    readonly Dictionary<int, GaijiEntry> _byPua;

    public GaijiTable(IEnumerable<GaijiEntry> entries)
    {
        _byPua = new Dictionary<int, GaijiEntry>();
        foreach (var e in entries)
            if (!_byPua.TryAdd(e.Pua, e)) throw new MappingConfigException($"gaiji: PUA U+{e.Pua:X4} appears twice");
    }

    public static GaijiTable Empty { get; } = new([]);

    public int Count => _byPua.Count;

    public IEnumerable<GaijiEntry> Entries => _byPua.Values.OrderBy(e => e.Pua);

    public bool TryGet(int pua, out GaijiEntry entry) => _byPua.TryGetValue(pua, out entry!);

    /// <summary>True for a Private Use Area scalar (BMP PUA or planes 15/16).</summary>
    public static bool IsPua(int scalar) => scalar is >= 0xE000 and <= 0xF8FF or >= 0xF0000 and <= 0x10FFFD;

    static readonly SearchValues<char> PuaAndSurrogates = SpecText.CharRange('\uDB80', '\uF8FF');

    /// <summary>True when the text holds any PUA scalar.</summary>
    public static bool ContainsPua(string text)
    {
        // One vectorised scan for U+DB80…U+F8FF (high surrogates of planes 15/16, low surrogates, BMP PUA); only
        // text with a hit there (外字, or a low surrogate of another plane) is looked at character by character.
        var span = text.AsSpan();
        var first = span.IndexOfAny(PuaAndSurrogates);
        if (first < 0) return false;
        foreach (var c in span[first..])
            if (c is >= '\uE000' and <= '\uF8FF' or >= '\uDB80' and <= '\uDBFF') return true;
        return false;
    }

    /// <summary>
    /// Replaces every PUA scalar by its standard character; false with the first unmapped scalar when one
    /// is not in the table (the caller rejects: unresolved PUA never reaches target data).
    /// </summary>
    public bool TryResolve(string text, out string resolved, out int unmapped)
    {
        resolved = text;
        unmapped = 0;
        if (!ContainsPua(text)) return true;
        var sb = new StringBuilder(text.Length + 4);
        foreach (var rune in text.EnumerateRunes())
        {
            if (!IsPua(rune.Value)) { sb.Append(rune.ToString()); continue; }
            if (!_byPua.TryGetValue(rune.Value, out var e))
            {
                unmapped = rune.Value;
                return false;
            }
            sb.Append(e.Replacement);
        }
        resolved = sb.ToString();
        return true;
    }

    public static GaijiTable Load(string path)
    {
        var csv = CsvTable.Load(path);
        var source = Path.GetFileName(path);
        foreach (var col in new[] { "pua", "standard" })
            if (!csv.HasColumn(col)) throw new MappingConfigException($"{source}: missing column {col}");
        var list = new List<GaijiEntry>();
        foreach (var (line, row) in csv.Rows)
        {
            if (!TryScalar(csv.Get(row, "pua"), out var pua) || !IsPua(pua))
                throw new MappingConfigException($"{source} line {line}: pua must be a PUA scalar written U+XXXX");
            var sb = new StringBuilder();
            foreach (var part in csv.Get(row, "standard").Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                if (!TryScalar(part, out var s) || IsPua(s)) throw new MappingConfigException($"{source} line {line}: standard must be non-PUA scalars written U+XXXX");
                sb.Append(char.ConvertFromUtf32(s));
            }
            if (sb.Length == 0) throw new MappingConfigException($"{source} line {line}: standard is empty");
            var ivs = csv.Get(row, "ivs").Trim();
            if (ivs.Length > 0)
            {
                if (!TryScalar(ivs, out var v) || v is < 0xE0100 or > 0xE01EF) throw new MappingConfigException($"{source} line {line}: ivs must be U+E0100…U+E01EF");
                sb.Append(char.ConvertFromUtf32(v));
            }
            list.Add(new GaijiEntry(pua, csv.Get(row, "cp932").Trim(), csv.Get(row, "ibm930").Trim(), sb.ToString(), csv.Get(row, "note"), csv.Get(row, "status")));
        }
        return new GaijiTable(list);
    }

    static bool TryScalar(string text, out int value)
    {
        value = 0;
        var t = text.Trim();
        if (t.StartsWith("U+", StringComparison.OrdinalIgnoreCase)) t = t[2..];
        return t.Length is >= 4 and <= 6 && int.TryParse(t, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value) && value <= 0x10FFFF;
    }
}
