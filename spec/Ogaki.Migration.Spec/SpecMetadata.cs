using Ogaki.Migration.Spec.Parsing;

namespace Ogaki.Migration.Spec;

/// <summary>The data type of a spec item (column <c>type</c>).</summary>
public enum ItemType
{
    /// <summary>text: any characters of the 行政事務標準文字, length in text elements.</summary>
    Text,
    /// <summary>kana: full-width katakana (フリガナ).</summary>
    Kana,
    /// <summary>digits: half-width digits kept as text (keys, codes with leading zeros).</summary>
    Digits,
    /// <summary>int: a whole number; length is the number of digits.</summary>
    Int,
    /// <summary>amount: whole yen as <see cref="decimal"/>, never floating point.</summary>
    Amount,
    /// <summary>
    /// date: a real Gregorian date (official DATE). An item that may be 不詳 (standard §1.1.8) has the item pair
    /// 〇〇_不詳フラグ / 〇〇_不詳表記 beside it (<see cref="SpecEntity.UnknownDatePair"/>).
    /// </summary>
    Date,
    /// <summary>yearmonth: 年月 (支給開始年月 and the like).</summary>
    YearMonth,
    /// <summary>flag: true or false.</summary>
    Flag,
    /// <summary>code: a value of a code table.</summary>
    Code,
    /// <summary>decimal: official 9V, a number with a fraction (桁数 <c>n,m</c>).</summary>
    Decimal,
    /// <summary>time: official TIME, <c>HH:MM:SS</c>.</summary>
    Time,
    /// <summary>blob: official BLOB (images).</summary>
    Blob,
}

/// <summary>
/// The official columns of a 基本データリスト row, kept as the workbook states them (spec files in the official shape).
/// </summary>
/// <param name="DataType">データ型: X, Ｎ, 9, 9V, S9, YEAR, DATE, TIME or BLOB.</param>
/// <param name="Digits">桁数 as written (characters; <c>n,m</c> for 9V; empty for BLOB).</param>
/// <param name="FieldName">データ項目（ローマ字）: the API / file field name, e.g. <c>jusho_choazakodo</c>.</param>
/// <param name="Group">グループ名称, e.g. 住登外者宛名基本情報.</param>
/// <param name="PrimaryKey">主キー ○.</param>
/// <param name="ForeignKey">外部キー ○.</param>
/// <param name="Code">コード: the code ID of the code list (999: a code the municipality defines).</param>
/// <param name="Repeat">繰り返し as written.</param>
/// <param name="OutputCondition">データ出力条件: 必須, 条件付き必須 or 任意.</param>
/// <param name="Condition">The condition of 条件付き必須 (the text after ※※).</param>
/// <param name="SpecReference">標準仕様書関連箇所 (7-digit 機能ID and name).</param>
/// <param name="Implementation">実装類型 ○.</param>
public sealed record OfficialItem(
    string DataType,
    string Digits,
    string FieldName,
    string Group,
    bool PrimaryKey,
    bool ForeignKey,
    string Code,
    string Repeat,
    string OutputCondition,
    string Condition,
    string SpecReference,
    bool Implementation);

/// <summary>Column <c>required</c>: M mandatory, C conditional (condition in the notes), O optional.</summary>
public enum Requirement
{
    Mandatory,
    Conditional,
    Optional,
}

/// <summary>How far a spec row or code value is confirmed against official sources.</summary>
public enum SpecStatus
{
    Confirmed,
    Secondary,
    /// <summary>The project's own design; to be replaced when the official table is known.</summary>
    Provisional,
}

/// <summary>One row of the 基本データリスト-shaped spec: one data item.</summary>
/// <param name="Ordinal">Position of the item within its entity (0-based).</param>
/// <param name="ItemId">Stable item id, e.g. 00100001.</param>
/// <param name="Entity">Entity the item belongs to.</param>
/// <param name="NameJa">項目名, e.g. 氏名_フリガナ.</param>
/// <param name="Identifier">ASCII identifier used in code.</param>
/// <param name="Type">Data type.</param>
/// <param name="Length">Maximum length: characters (text elements) or digits.</param>
/// <param name="Required">M / C / O.</param>
/// <param name="CodeTable">Code table id for code items.</param>
/// <param name="Notes">Sources, conditions and open points.</param>
/// <param name="Status">confirmed / secondary / provisional.</param>
/// <param name="Official">The official columns, when the spec file has the official shape.</param>
public sealed record SpecItem(
    int Ordinal,
    string ItemId,
    string Entity,
    string NameJa,
    string Identifier,
    ItemType Type,
    int Length,
    Requirement Required,
    string? CodeTable,
    string Notes,
    SpecStatus Status,
    OfficialItem? Official = null);

/// <summary>An entity of the spec (a table of the standard): its items in spec order.</summary>
public sealed class SpecEntity(
    string name,
    string area,
    string areaNameJa,
    string nameJa,
    IReadOnlyList<string> key,
    string table,
    SpecStatus status,
    string notes,
    IReadOnlyList<SpecItem> items)
{
    public string Name { get; } = name;

    /// <summary>Business area: JUKI 住民記録, KZEI 個人住民税, JTEA 児童手当.</summary>
    public string Area { get; } = area;

    public string AreaNameJa { get; } = areaNameJa;

    public string NameJa { get; } = nameJa;

    /// <summary>Identifiers of the items that make the business key.</summary>
    public IReadOnlyList<string> Key { get; } = key;

    /// <summary>Table name in the target database.</summary>
    public string Table { get; } = table;

    public SpecStatus Status { get; } = status;

    public string Notes { get; } = notes;

    public IReadOnlyList<SpecItem> Items { get; } = items;

    /// <summary>
    /// The 〇〇_不詳フラグ and 〇〇_不詳表記 items of the DATE item 〇〇, when the spec gives it that pair: an unknown or
    /// non-existent date travels in them, as the official sheets do, and the DATE itself stays empty.
    /// </summary>
    public (SpecItem Flag, SpecItem Text)? UnknownDatePair(SpecItem date)
    {
        // The same names the generator and the spec checks use (SpecFileParser.UnknownDatePair).
        if (date.Type != ItemType.Date) return null;
        SpecItem? flag = null, text = null;
        foreach (var i in Items)
        {
            if (SpecFileParser.UnknownDateName(i.NameJa, SpecFileParser.UnknownFlagSuffix) == date.NameJa) flag = i;
            else if (SpecFileParser.UnknownDateName(i.NameJa, SpecFileParser.UnknownTextSuffix) == date.NameJa) text = i;
        }
        return flag is not null && text is not null ? (flag, text) : null;
    }

    /// <summary>
    /// True when the item always has a value: mandatory, and not a DATE item with a 不詳 pair (whose DATE is empty when
    /// the date is 不詳). Target columns are NOT NULL exactly for these.
    /// </summary>
    public bool IsNeverEmpty(SpecItem item) => item.Required == Requirement.Mandatory && UnknownDatePair(item) is null;

    /// <summary>The item with this identifier, or null.</summary>
    public SpecItem? Find(string identifier)
    {
        foreach (var i in Items)
            if (string.Equals(i.Identifier, identifier, StringComparison.Ordinal)) return i;
        return null;
    }

    public override string ToString() => $"{Name} ({NameJa})";
}

/// <summary>One value of a code table.</summary>
public sealed record CodeValue(string Code, string NameJa, string Identifier, SpecStatus Status, string Notes);

/// <summary>A code table (CT-…) with its values.</summary>
public sealed class CodeTable(string tableId, string identifier, string nameJa, SpecStatus status, string notes, IReadOnlyList<CodeValue> values)
{
    readonly Dictionary<string, CodeValue> _byCode = values.ToDictionary(v => v.Code, StringComparer.Ordinal);

    public string TableId { get; } = tableId;

    public string Identifier { get; } = identifier;

    public string NameJa { get; } = nameJa;

    /// <summary>Provisional tables hold the project's own codes, never to be presented as official.</summary>
    public SpecStatus Status { get; } = status;

    public string Notes { get; } = notes;

    public IReadOnlyList<CodeValue> Values { get; } = values;

    public bool Contains(string? code) => code is not null && _byCode.ContainsKey(code);

    public string? NameOf(string? code) => code is not null && _byCode.TryGetValue(code, out var v) ? v.NameJa : null;

    public override string ToString() => $"{TableId} ({NameJa})";
}
