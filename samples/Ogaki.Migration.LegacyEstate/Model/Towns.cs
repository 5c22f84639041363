using System.Reflection;
using System.Text;

namespace Ogaki.Migration.LegacyEstate.Model;

/// <summary>A 町字 residents can live in: ABR 町字ID, name as written in addresses, 郵便番号.</summary>
internal sealed record Town(string MachiazaId, string Name, string Zip);

/// <summary>
/// 大垣市's 町字 from the embedded ABR 町字マスター (出典：デジタル庁 アドレス・ベース・レジストリ).
/// Residents live in 丁目 rows and in 大字・町 rows without 丁目; 小字 rows are not used.
/// </summary>
internal static class Towns
{
    public const string ResourceName = "Ogaki.Migration.LegacyEstate.Data.212024-town.csv";

    static readonly Lazy<Town[]> s_all = new(Load);

    public static IReadOnlyList<Town> All => s_all.Value;

    public static Stream OpenRaw() =>
        typeof(Towns).Assembly.GetManifestResourceStream(ResourceName) ?? throw new InvalidOperationException("missing resource " + ResourceName);

    static Town[] Load()
    {
        using var reader = new StreamReader(OpenRaw(), new UTF8Encoding(false), detectEncodingFromByteOrderMarks: true);
        reader.ReadLine();
        var rows = new List<string[]>();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0) rows.Add(line.Split(','));
        }
        var oaza = rows.Where(r => r[1] == "1").ToDictionary(r => r[0][..4], StringComparer.Ordinal);
        var withChome = rows.Where(r => r[1] == "2").Select(r => r[0][..4]).ToHashSet(StringComparer.Ordinal);
        var towns = new List<Town>();
        foreach (var r in rows)
        {
            if (r[1] == "1" && !withChome.Contains(r[0][..4]))
                towns.Add(new Town(r[0], r[2], r[22].Trim()));
            else if (r[1] == "2")
            {
                var zip = oaza.TryGetValue(r[0][..4], out var parent) ? parent[22].Trim() : "";
                towns.Add(new Town(r[0], r[2] + r[5], zip.Length == 7 ? zip : r[22].Trim()));
            }
        }
        return [.. towns.OrderBy(t => t.MachiazaId, StringComparer.Ordinal)];
    }
}
