using Ogaki.Migration.Spec;
using Ogaki.Migration.Spec.Privacy;

namespace Ogaki.Migration.Validation.Privacy;

/// <summary>How a spec item's values are treated in reports.</summary>
public enum PersonalDataKind
{
    /// <summary>Not personal: codes, amounts, years, municipal codes. Shown as is.</summary>
    None,
    /// <summary>A record identifier (宛名番号, 世帯番号, 受給者番号): always pseudonymised.</summary>
    Identifier,
    /// <summary>A secret number (個人番号, 住民票コード, 基礎年金番号, 口座番号, 在留カード等番号): always replaced by its HMAC.</summary>
    Secret,
    /// <summary>Names and their readings: masked unless the auditor unmasks.</summary>
    Name,
    /// <summary>Addresses, 本籍, 郵便番号: masked unless the auditor unmasks.</summary>
    Address,
    /// <summary>生年月日: masked unless the auditor unmasks.</summary>
    BirthDate,
    /// <summary>Free text (備考) that may hold anything: masked unless the auditor unmasks.</summary>
    FreeText,
}

/// <summary>Classifies spec items by their identifier (the spec has no personal-data column yet).</summary>
public static class PersonalDataClassifier
{
    static readonly HashSet<string> Secrets = new(StringComparer.Ordinal)
    {
        "KojinBango", "JuminhyoCd", "KisoNenkinNo", "KozaNo", "ZairyuCardNo",
    };

    static readonly HashSet<string> Identifiers = new(StringComparer.Ordinal)
    {
        "AtenaNo", "SetaiNo", "SetainushiAtenaNo", "HaigushaAtenaNo", "JukyushaAtenaNo", "JidoAtenaNo", "JukyushaNo",
    };

    static readonly HashSet<string> Names = new(StringComparer.Ordinal)
    {
        "Hittosha", "KozaMeigiKana",
    };

    static readonly string[] NameParts = ["Shimei", "Kyuuji", "Tsusho", "Furigana"];

    static readonly string[] AddressPrefixes = ["Jusho", "TennyuMae", "TenkyoMae", "TenshutsuYotei", "TenshutsuKakutei"];

    // Parts of an address that are not personal on their own: the municipality and the 町字.
    static readonly string[] PublicAddressSuffixes = ["LgCode", "MachiazaId", "Pref", "City", "KokumeiCd", "Kokumei", "Ymd"];

    public static PersonalDataKind Classify(SpecItem item)
    {
        var id = item.Identifier;
        if (Secrets.Contains(id)) return PersonalDataKind.Secret;
        if (Identifiers.Contains(id)) return PersonalDataKind.Identifier;
        // 生年月日 and its 不詳 pair (the 不詳表記 holds the birth date as written).
        if (id is "SeinengappiYmd" or "SeinengappiYmdFushoHyoki") return PersonalDataKind.BirthDate;
        if (string.Equals(id, "Biko", StringComparison.Ordinal)) return PersonalDataKind.FreeText;
        if (Names.Contains(id)) return PersonalDataKind.Name;
        foreach (var p in NameParts)
            if (id.Contains(p, StringComparison.Ordinal)) return PersonalDataKind.Name;
        if (string.Equals(id, "Honseki", StringComparison.Ordinal) || string.Equals(id, "FukaKijitsuJusho", StringComparison.Ordinal)
            || id.EndsWith("KokugaiJusho", StringComparison.Ordinal))
            return PersonalDataKind.Address;
        foreach (var prefix in AddressPrefixes)
        {
            if (!id.StartsWith(prefix, StringComparison.Ordinal)) continue;
            foreach (var s in PublicAddressSuffixes)
                if (id.EndsWith(s, StringComparison.Ordinal)) return PersonalDataKind.None;
            return PersonalDataKind.Address;
        }
        return PersonalDataKind.None;
    }
}

/// <summary>What reports may show. Identifiers are always pseudonymised and secrets always hidden.</summary>
/// <param name="UnmaskPersonalData">Auditor option: show names, addresses, birth dates and free text in clear.</param>
public sealed record ReportPrivacy(bool UnmaskPersonalData = false)
{
    public static ReportPrivacy Default { get; } = new();
}

/// <summary>Turns canonical values into what a report shows, under a <see cref="ReportPrivacy"/>.</summary>
public sealed class ValueRenderer(Pseudonymizer pseudonymizer, ReportPrivacy privacy)
{
    public Pseudonymizer Pseudonymizer { get; } = pseudonymizer;

    public ReportPrivacy Privacy { get; } = privacy;

    /// <summary>The shown form of a canonical value (null stays null).</summary>
    public string? Render(SpecItem item, string? canonical)
    {
        if (canonical is null) return null;
        switch (PersonalDataClassifier.Classify(item))
        {
            case PersonalDataKind.Identifier:
                return Pseudonymizer.Pseudonymize(canonical);
            case PersonalDataKind.Secret:
                return Pseudonymizer.HideSecret(canonical);
            case PersonalDataKind.Name:
            case PersonalDataKind.Address:
            case PersonalDataKind.BirthDate:
            case PersonalDataKind.FreeText:
                return Privacy.UnmaskPersonalData ? PersonalDataScanner.RedactMyNumbers(canonical) : "masked-" + Pseudonymizer.Tag(canonical);
            default:
                // Defensive: a 個人番号 typed into a non-personal item still never reaches a report.
                return PersonalDataScanner.RedactMyNumbers(canonical);
        }
    }

    /// <summary>
    /// The shown form of a record key: identifier parts pseudonymised, other parts (年度, codes, 年月) in clear,
    /// joined with <c>/</c>.
    /// </summary>
    public string RenderKey(SpecEntity entity, IReadOnlyList<int> keyOrdinals, object?[] row)
    {
        var parts = new string[keyOrdinals.Count];
        for (var i = 0; i < parts.Length; i++)
        {
            var item = entity.Items[keyOrdinals[i]];
            var canonical = CanonicalValue.ToText(row[keyOrdinals[i]]);
            parts[i] = canonical is null ? "(null)" : Render(item, canonical) ?? "(null)";
        }
        return string.Join('/', parts);
    }
}
