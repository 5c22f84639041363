using System.Text;
using Ogaki.Migration.Mappers.Conversions;

namespace Ogaki.Migration.Mappers.Config;

/// <summary>One 町字 of the ABR 町字マスター (出典：デジタル庁 アドレス・ベース・レジストリ, PDL 1.0).</summary>
/// <param name="MachiazaId">7-digit 町字ID.</param>
/// <param name="Kubun">町字区分コード: 1 大字・町, 2 丁目, 3 小字.</param>
/// <param name="Name">Full name as written in an address: 大字・町名 + 丁目名 + 小字名.</param>
/// <param name="Kana">Full kana: 大字・町名_カナ + 丁目名_カナ + 小字名_カナ.</param>
/// <param name="Zip">郵便番号 or empty.</param>
public sealed record AbrTown(string MachiazaId, string Kubun, string Name, string Kana, string Zip);

/// <summary>How an address text matched a 町字.</summary>
public enum AddressMatchKind
{
    None,
    /// <summary>The text names the 町字 exactly (after the prefecture/city prefix).</summary>
    Exact,
    /// <summary>The text starts with the 町字 name (番地 follows).</summary>
    Prefix,
    /// <summary>Matched only after folding small/large kana (ヶ/ケ, ッ/ツ, ョ/ヨ …).</summary>
    KanaFolded,
}

/// <summary>The result of matching an address text to the 町字 master.</summary>
public readonly record struct AddressMatch(AddressMatchKind Kind, AbrTown? Town, string Remainder)
{
    public bool IsMatch => Town is not null;
}

/// <summary>
/// The ABR 町字 master of one municipality and the address → 町字ID matcher. Names are matched exactly
/// first (longest name that the text starts with); only then with small/large kana folded. A name that
/// two 町字 share is ambiguous and never matched.
/// </summary>
public sealed class AbrTownMaster
{
    readonly Dictionary<string, AbrTown> _byId = new(StringComparer.Ordinal);
    readonly Dictionary<string, AbrTown?> _byName = new(StringComparer.Ordinal);
    readonly Dictionary<string, AbrTown?> _byFolded = new(StringComparer.Ordinal);
    readonly int _maxNameLength;

    public AbrTownMaster(string lgCode, string prefecture, string city, IEnumerable<AbrTown> towns)
    {
        LgCode = lgCode;
        Prefecture = prefecture;
        City = city;
        foreach (var t in towns.OrderBy(t => t.MachiazaId, StringComparer.Ordinal))
        {
            if (!_byId.TryAdd(t.MachiazaId, t)) throw new MappingConfigException($"ABR: 町字ID {t.MachiazaId} appears twice");
            Add(_byName, t.Name, t);
            Add(_byFolded, Fold(t.Name), t);
            Add(_byFolded, Fold(t.Kana), t);
            _maxNameLength = Math.Max(_maxNameLength, Math.Max(t.Name.Length, t.Kana.Length));
        }
    }

    static void Add(Dictionary<string, AbrTown?> index, string key, AbrTown t)
    {
        if (key.Length == 0) return;
        if (index.TryGetValue(key, out var existing))
        {
            if (existing is not null && existing.MachiazaId != t.MachiazaId) index[key] = null; // ambiguous
        }
        else index[key] = t;
    }

    /// <summary>全国地方公共団体コード, e.g. 212024.</summary>
    public string LgCode { get; }

    public string Prefecture { get; }

    public string City { get; }

    public int Count => _byId.Count;

    public IEnumerable<AbrTown> Towns => _byId.Values.OrderBy(t => t.MachiazaId, StringComparer.Ordinal);

    public bool TryGet(string machiazaId, out AbrTown town) => _byId.TryGetValue(machiazaId, out town!);

    /// <summary>Matches an address text (with or without 都道府県/市 prefix) to a 町字.</summary>
    public AddressMatch Match(string? text)
    {
        var t = LegacyText.Trim(text);
        if (t is null) return new(AddressMatchKind.None, null, "");
        t = StripPrefix(t);
        if (_byName.TryGetValue(t, out var exact) && exact is not null) return new(AddressMatchKind.Exact, exact, "");
        for (var len = Math.Min(t.Length - 1, _maxNameLength); len > 0; len--)
            if (_byName.TryGetValue(t[..len], out var p) && p is not null)
                return new(AddressMatchKind.Prefix, p, t[len..]);
        var folded = Fold(t);
        for (var len = Math.Min(folded.Length, _maxNameLength); len > 0; len--)
            if (_byFolded.TryGetValue(folded[..len], out var f) && f is not null)
                return new(AddressMatchKind.KanaFolded, f, t[len..]);
        return new(AddressMatchKind.None, null, t);
    }

    /// <summary>
    /// Matches an address only when it names this municipality (「岐阜県大垣市…」 or 「大垣市…」): an address elsewhere
    /// (another city, abroad) never matches, even when a town of the same name exists here (本町).
    /// </summary>
    /// <param name="text">The whole address text.</param>
    /// <param name="inCity">True when the text starts with this municipality, matched or not.</param>
    public AddressMatch MatchInCity(string? text, out bool inCity)
    {
        var t = LegacyText.Trim(text);
        inCity = t is not null && (t.StartsWith(City, StringComparison.Ordinal)
            || (t.StartsWith(Prefecture, StringComparison.Ordinal) && t.AsSpan(Prefecture.Length).StartsWith(City, StringComparison.Ordinal)));
        return inCity ? Match(t) : new(AddressMatchKind.None, null, t ?? "");
    }

    string StripPrefix(string t)
    {
        if (t.StartsWith(Prefecture, StringComparison.Ordinal)) t = t[Prefecture.Length..];
        if (t.StartsWith(City, StringComparison.Ordinal)) t = t[City.Length..];
        return t.TrimStart(' ', '\u3000');
    }

    /// <summary>Folds small kana to large (ァ→ア, ッ→ツ, ョ→ヨ, ヶ→ケ …) and hiragana to katakana; everything else unchanged.</summary>
    public static string Fold(string s)
    {
        var sb = new StringBuilder(s.Length);
        foreach (var c0 in s)
        {
            var c = c0 is >= '\u3041' and <= '\u3096' ? (char)(c0 + 0x60) : c0;
            c = c switch
            {
                'ァ' => 'ア', 'ィ' => 'イ', 'ゥ' => 'ウ', 'ェ' => 'エ', 'ォ' => 'オ',
                'ッ' => 'ツ', 'ャ' => 'ヤ', 'ュ' => 'ユ', 'ョ' => 'ヨ', 'ヮ' => 'ワ',
                'ヵ' => 'カ', 'ヶ' => 'ケ',
                _ => c,
            };
            sb.Append(c);
        }
        return sb.ToString();
    }

    /// <summary>Loads an ABR 町字 master CSV (columns 町字id, 町字区分コード, 大字・町名, 丁目名, 小字名 and their _カナ, 郵便番号).</summary>
    public static AbrTownMaster Load(string path, string lgCode, string prefecture, string city)
    {
        var csv = CsvTable.Load(path);
        foreach (var col in new[] { "町字id", "町字区分コード", "大字・町名", "丁目名", "小字名" })
            if (!csv.HasColumn(col)) throw new MappingConfigException($"{csv.Source}: missing column {col}");
        var towns = new List<AbrTown>();
        foreach (var (_, row) in csv.Rows)
        {
            string G(string c) => csv.Get(row, c).Trim();
            towns.Add(new AbrTown(
                G("町字id"), G("町字区分コード"),
                G("大字・町名") + G("丁目名") + G("小字名"),
                G("大字・町名_カナ") + G("丁目名_カナ") + G("小字名_カナ"),
                G("郵便番号")));
        }
        return new AbrTownMaster(lgCode, prefecture, city, towns);
    }
}
