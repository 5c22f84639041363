using Ogaki.Migration.Spec;

namespace Ogaki.Migration.Validation.Checks;

/// <summary>Which check-digit scheme an item's values follow.</summary>
public enum IdentifierScheme
{
    /// <summary>個人番号: 12 digits, 総務省令第85号 §5.</summary>
    MyNumber,
    /// <summary>法人番号: 13 digits, check digit first.</summary>
    CorporateNumber,
    /// <summary>全国地方公共団体コード: 6 digits.</summary>
    LocalGovernmentCode,
    /// <summary>宛名番号 / 世帯番号: modulus 11, weights 2–7 from the right.</summary>
    AtenaNumber,
    /// <summary>住民票コード: weights unconfirmed (DOMAIN §7); the 個人番号 scheme on 10 digits, reported as a warning.</summary>
    JuminhyoCode,
}

/// <summary>Settings of <see cref="StandardRecordValidator"/> and <see cref="CrossRecordValidator"/>.</summary>
public sealed record ValidationOptions
{
    /// <summary>
    /// The 宛名番号 remainder-1 case (DOMAIN §7: the standard leaves it open). Default: the serial is never
    /// issued, so such a number is invalid.
    /// </summary>
    public AtenaRemainderOnePolicy AtenaRemainderOne { get; init; } = AtenaRemainderOnePolicy.SkipSerial;

    /// <summary>
    /// Severity of a wrong 宛名番号 / 世帯番号 check digit. Default <see cref="Severity.Warning"/>: the modulus-11
    /// rule applies to newly issued numbers only and migrated numbers are kept as they are (DOMAIN §7), so a
    /// legacy number without a valid check digit is reported but not an error.
    /// </summary>
    public Severity AtenaCheckDigitSeverity { get; init; } = Severity.Warning;

    /// <summary>Severity of a wrong 住民票コード check digit; warning only until the weights are confirmed.</summary>
    public Severity JuminhyoCodeCheckDigitSeverity { get; init; } = Severity.Warning;

    /// <summary>
    /// Items checked with a check-digit scheme, by identifier (applies in every entity that has the item).
    /// The default covers 個人番号, every 市区町村コード item, the 宛名番号/世帯番号 items and 住民票コード; spec 1.1
    /// has no 法人番号 item, so add one here (e.g. a 特別徴収義務者 that is a 法人番号) when a spec gets it.
    /// </summary>
    public IReadOnlyDictionary<string, IdentifierScheme> IdentifierItems { get; init; } = DefaultIdentifierItems;

    public static IReadOnlyDictionary<string, IdentifierScheme> DefaultIdentifierItems { get; } = new Dictionary<string, IdentifierScheme>(StringComparer.Ordinal)
    {
        ["KojinBango"] = IdentifierScheme.MyNumber,
        ["JuminhyoCd"] = IdentifierScheme.JuminhyoCode,
        ["JushoLgCode"] = IdentifierScheme.LocalGovernmentCode,
        ["TennyuMaeLgCode"] = IdentifierScheme.LocalGovernmentCode,
        ["TenkyoMaeLgCode"] = IdentifierScheme.LocalGovernmentCode,
        ["TenshutsuYoteiLgCode"] = IdentifierScheme.LocalGovernmentCode,
        ["TenshutsuKakuteiLgCode"] = IdentifierScheme.LocalGovernmentCode,
        ["KazeisakiLgCode"] = IdentifierScheme.LocalGovernmentCode,
        ["AtenaNo"] = IdentifierScheme.AtenaNumber,
        ["SetaiNo"] = IdentifierScheme.AtenaNumber,
        ["SetainushiAtenaNo"] = IdentifierScheme.AtenaNumber,
        ["HaigushaAtenaNo"] = IdentifierScheme.AtenaNumber,
        ["JukyushaAtenaNo"] = IdentifierScheme.AtenaNumber,
        ["JidoAtenaNo"] = IdentifierScheme.AtenaNumber,
    };

    /// <summary>
    /// 和暦 items that may be 不詳 or a non-existent date (standard §1.1.8): 生年月日, 住民となった年月日,
    /// 住所を定めた年月日, 外国人住民となった年月日. Every other 和暦 item must be a real date, except the
    /// 異動日 of the 異動事由 in <see cref="UnknownDateIdoJiyu"/>.
    /// </summary>
    public IReadOnlySet<string> UnknownDateAllowedItems { get; init; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "SeinengappiYmd", "JuminYmd", "JushoTeiYmd", "GaikokujinJuminYmd",
    };

    /// <summary>
    /// 異動事由 codes whose 異動年月日 (and 消除の異動年月日 via 消除事由) may be 不詳: 出生 13 and 死亡 23. 失踪 has
    /// no code of its own in CT-IDO-JIYU 1.1 (a 失踪宣告 arrives as 職権消除); add its code here once it has one.
    /// </summary>
    public IReadOnlySet<string> UnknownDateIdoJiyu { get; init; } = new HashSet<string>(StringComparer.Ordinal) { "13", "23" };

    /// <summary>基準日 for age rules (children's ages); the caller sets the run's reference date.</summary>
    public DateOnly ReferenceDate { get; init; } = new(2026, 1, 1);

    /// <summary>宛名番号 of 住登外者 (共通機能の宛名管理): a taxpayer or recipient found here resolves.</summary>
    public IReadOnlySet<string>? JutogaiAtenaNumbers { get; init; }

    /// <summary>
    /// True when the records come from the mapping engine, which rejects every record that breaks a generated item
    /// rule (required, length, type, code domain): those rules are then not checked a second time. Check digits,
    /// date rules and the cross-record rules still run.
    /// </summary>
    public bool ItemRulesCheckedUpstream { get; init; }

    /// <summary>At most this many findings are kept in detail (all are counted).</summary>
    public int MaxFindingDetails { get; init; } = 100_000;
}

/// <summary>
/// What the cross-record rules need to know about records outside the validated stream: 住登外者 (kept in the
/// 宛名 register, not as residents) and records the mapping rejected, by entity name, with their clear keys. Held
/// in memory only; findings show pseudonyms.
/// </summary>
/// <param name="JutogaiAtenaNumbers">宛名番号 of 住登外者: a taxpayer or recipient found here resolves.</param>
/// <param name="RejectedKeys">Entity name → keys of its records rejected in mapping (e.g. Resident → 宛名番号).</param>
public sealed record OutsideRecords(IReadOnlySet<string> JutogaiAtenaNumbers, IReadOnlyDictionary<string, IReadOnlySet<string>> RejectedKeys)
{
    public static OutsideRecords None { get; } = new(new HashSet<string>(), new Dictionary<string, IReadOnlySet<string>>());

    public bool IsRejected(string entity, string key) => RejectedKeys.TryGetValue(entity, out var keys) && keys.Contains(key);
}
