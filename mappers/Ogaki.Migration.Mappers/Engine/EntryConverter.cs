using System.Globalization;
using System.Linq.Expressions;
using System.Reflection;
using System.Runtime.CompilerServices;
using Ogaki.Migration.Mappers.Config;
using Ogaki.Migration.Mappers.Conversions;
using Ogaki.Migration.Spec;
using Ogaki.Migration.Standard;

namespace Ogaki.Migration.Mappers.Engine;

/// <summary>
/// The compiled conversion of one field-map row: a typed delegate <c>Func&lt;MapContext, T&gt;</c> whose T is
/// the generated record's property type, bound once at start (no reflection or name lookup per record).
/// </summary>
internal sealed class EntryConverter
{
    readonly FieldMapEntry _entry;
    readonly SpecItem? _item;
    readonly MappingConfig _config;
    readonly FieldAccessor? _field;
    readonly FieldAccessor? _field2;
    readonly FieldAccessor? _field3;
    readonly string[] _args;
    readonly CodeMap? _codes;
    readonly CodeTable? _table;
    readonly int _width;
    readonly string? _widthFormat; // "D<width>": a whole number zero-padded to the width
    readonly int _chainIndex;
    readonly string[]? _trueValues; // a handful of codes: a linear ordinal compare beats hashing
    readonly EraScheme _scheme;
    // The 不詳 pair a wareki row fills besides its DATE item (null: none, or a check-only row), found once.
    readonly (SpecItem Flag, SpecItem Text)? _pair;
    readonly bool _japaneseText; // wareki-text: the source is Japanese date text, not EYYMMDD
    // Options of the row read once (no string compare per record).
    readonly bool _eraCodedDate;
    readonly bool _legacyLength;
    readonly AddressPart _part;
    // The six rows of one address field share this string (interned), so the split is found by reference.
    readonly string _addressField = "";
    // Municipality settings read once (not a settings lookup per record).
    readonly string _lgCode;
    readonly string _prefecture;
    readonly string _city;

    EntryConverter(FieldMapEntry entry, SpecItem? item, MappingConfig config)
    {
        _entry = entry;
        _item = item;
        _config = config;
        _args = entry.ConversionArgs;
        _lgCode = config.LgCode;
        _prefecture = config.Prefecture;
        _city = config.City;
        if (entry.LegacyField.Length > 0) _field = new FieldAccessor(entry.LegacyField);
        var name = entry.ConversionName;
        switch (name)
        {
            case "code" or "chain" or "codename":
                _codes = config.FindCodeMap(_args[0], entry.System);
                _table = StandardSpec.Catalog.FindCodeTable(_args[0]);
                if (name == "chain") _chainIndex = int.Parse(_args[1], CultureInfo.InvariantCulture);
                break;
            case "digits" or "digits-nz" when _args.Length > 0:
                _width = int.Parse(_args[0], CultureInfo.InvariantCulture);
                if (_width > 0) _widthFormat = "D" + _width.ToString(CultureInfo.InvariantCulture);
                break;
            case "flag" when _args.Length > 0:
                _trueValues = _args[0].Split('|');
                break;
            case "machiaza" when _args.Length > 0:
                _field2 = new FieldAccessor(_args[0]);
                break;
            case "wareki" or "wareki-text":
                _japaneseText = name == "wareki-text";
                _pair = item is null ? null : StandardSpec.Catalog.FindEntity(item.Entity)?.UnknownDatePair(item);
                _scheme = _args.Length == 0 ? EraScheme.Digit : _args[0] switch
                {
                    "digit" => EraScheme.Digit,
                    "letter" => EraScheme.Letter,
                    "odd" => EraScheme.Odd,
                    _ => throw new MappingConfigException($"{entry.Where}: unknown era scheme {_args[0]}"),
                };
                if (_args.Length == 3)
                {
                    _field2 = new FieldAccessor(_args[1]);
                    _field3 = new FieldAccessor(_args[2]);
                }
                break;
            case "date" when _args.Length > 0 && _args[0] is not ("yyyymmdd" or "eyymmdd"):
                throw new MappingConfigException($"{entry.Where}: date needs yyyymmdd or eyymmdd");
            case "date":
                _eraCodedDate = _args.Length > 0 && _args[0] == "eyymmdd";
                break;
            case "kana":
                _legacyLength = _args.Length > 0 && _args[0] == "legacy-length";
                break;
            case "address":
                var part = _args.Length == 1 ? Array.IndexOf(AddressParts, _args[0]) : -1;
                if (part < 0) throw new MappingConfigException($"{entry.Where}: address needs one of {string.Join(", ", AddressParts)}");
                _part = (AddressPart)part;
                _addressField = string.Intern(entry.LegacyField);
                break;
            case "lookup" when _args.Length == 0 || !LinkIndex.LookupNames.Contains(_args[0]):
                throw new MappingConfigException($"{entry.Where}: lookup needs one of {string.Join(", ", LinkIndex.LookupNames)}");
        }
    }

    /// <summary>
    /// The call of an item row's conversion for the record factory: <c>converter.Text(ctx)</c>, a direct call
    /// (no delegate) whose type is the item's property type; a <c>;each=</c> row gives null for other chain codes.
    /// </summary>
    public static Expression BuildCall(FieldMapEntry entry, SpecItem item, MappingConfig config, Type propertyType, ParameterExpression ctx) =>
        BuildCall(entry, item, config, propertyType, ctx, out _);

    /// <summary>
    /// As above; a <c>wareki</c> row for a DATE item with a 不詳 pair also gives the calls that fill the pair
    /// (〇〇_不詳フラグ, 〇〇_不詳表記) from the same source value, in <paramref name="unknownPair"/>.
    /// </summary>
    public static Expression BuildCall(FieldMapEntry entry, SpecItem item, MappingConfig config, Type propertyType, ParameterExpression ctx,
        out (SpecItem Item, Expression Call)[] unknownPair)
    {
        var c = new EntryConverter(entry, item, config);
        unknownPair = [];
        if (entry.ConversionName is "wareki" or "wareki-text" && c._pair is var (flag, text))
            unknownPair =
            [
                (flag, Expression.Call(Expression.Constant(c), typeof(EntryConverter).GetMethod(nameof(WarekiUnknownFlag), BindingFlags.NonPublic | BindingFlags.Instance)!, ctx)),
                (text, Expression.Call(Expression.Constant(c), typeof(EntryConverter).GetMethod(nameof(WarekiUnknownText), BindingFlags.NonPublic | BindingFlags.Instance)!, ctx)),
            ];
        var name = entry.ConversionName switch
        {
            "text" => nameof(Text),
            "kana" => nameof(Kana),
            "codename" => nameof(CodeName),
            "lgpref" => nameof(LgPref),
            "lgcity" => nameof(LgCity),
            "digits" => nameof(Digits),
            "digits-nz" => nameof(DigitsNonZero),
            "mynumber" => nameof(MyNumber),
            "machiaza" => nameof(Machiaza),
            "lgcode" => nameof(LgCode),
            "lookup" => nameof(Lookup),
            "address" => nameof(Address),
            "code" => nameof(Code),
            "chain" => nameof(Chain),
            "each" => nameof(Each),
            "wareki" or "wareki-text" => nameof(Wareki),
            "date" => nameof(Date),
            "int" => nameof(Int),
            "occurrence" => nameof(OccurrenceNumber),
            "amount" => nameof(Amount),
            "flag" => nameof(Flag),
            "yearmonth" => nameof(YearMonthValue),
            _ => throw new MappingConfigException($"{entry.Where}: unknown conversion {entry.ConversionName}"),
        };
        var method = typeof(EntryConverter).GetMethod(name, BindingFlags.NonPublic | BindingFlags.Instance, [typeof(MapContext)])!;
        if (method.ReturnType != propertyType) throw new MappingConfigException($"{entry.Where}: conversion {entry.ConversionName} gives {method.ReturnType.Name}, item needs {propertyType.Name}");
        Expression call = Expression.Call(Expression.Constant(c), method, ctx);
        // An item of データ型 Ｎ takes full-width text: ASCII from the legacy side is widened (never NFKC, see SpecText).
        if (method.ReturnType == typeof(string) && item.Official?.DataType == "Ｎ")
            call = Expression.Call(typeof(EntryConverter).GetMethod(nameof(FullWidth), BindingFlags.NonPublic | BindingFlags.Static)!, call);
        if (entry.EachCondition is { } each)
            call = Expression.Condition(
                Expression.Call(StringEquals, Expression.Property(ctx, nameof(MapContext.EachCode)), Expression.Constant(each)),
                call, Expression.Default(propertyType));
        return call;
    }

    static string? FullWidth(string? value) => value is null ? null : SpecText.ToFullWidth(value);

    static readonly MethodInfo StringEquals = typeof(string).GetMethod(nameof(string.Equals), BindingFlags.Public | BindingFlags.Static, [typeof(string), typeof(string)])!;

    /// <summary>A check-only row (<c>@check</c>): runs the conversion for its problems and drops the value.</summary>
    public static Action<MapContext> BuildCheck(FieldMapEntry entry, MappingConfig config)
    {
        var item = new SpecItem(0, "", entry.Entity, entry.LegacyField, entry.LegacyField, ItemType.Text, int.MaxValue, Requirement.Optional, null, "", SpecStatus.Provisional);
        var c = new EntryConverter(entry, null, config);
        return entry.ConversionName switch
        {
            "mynumber" => ctx => c.MyNumber(ctx),
            "text" => ctx => c.Text(ctx),
            "kana" => ctx => c.Kana(ctx),
            "date" => ctx => c.Date(ctx),
            "wareki" => ctx => c.Wareki(ctx),
            "amount" => ctx => c.Amount(ctx),
            "code" => ctx => c.Code(ctx),
            _ => throw new MappingConfigException($"{entry.Where}: @check cannot use {entry.ConversionName} (item {item.ItemId})"),
        };
    }

    /// <summary>The <c>@when</c> predicate of an occurrence.</summary>
    public static Func<MapContext, bool> BuildWhen(FieldMapEntry entry, MappingConfig config)
    {
        var c = new EntryConverter(entry, null, config);
        return entry.ConversionName == "positive"
            ? ctx => c.Raw(ctx) switch { decimal d => d > 0, long l => l > 0, int i => i > 0, string s => decimal.TryParse(s, NumberStyles.Number, CultureInfo.InvariantCulture, out var v) && v > 0, _ => false }
            : ctx => !IsBlankOrZeros(RawText(c.Raw(ctx)));
    }

    /// <summary>The <c>@each</c> chain: the standard codes to make one record for each.</summary>
    public static Func<MapContext, string[]> BuildEach(FieldMapEntry entry, MappingConfig config)
    {
        var c = new EntryConverter(entry, null, config);
        return ctx =>
        {
            var t = c.MapCode(ctx, report: true);
            return t?.Codes ?? [];
        };
    }

    // ---- raw access ----

    object? Raw(MapContext ctx) => _field?.Get(ctx.Record, ctx.Occurrence);

    // Text fields are strings already: one type check inline, the formatting of numbers out of line.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static string? RawText(object? v) => v as string ?? (v is null ? null : FormatRaw(v));

    static string? FormatRaw(object v) => v switch
    {
        // Zoned and packed fields decode to decimals, nearly all whole: long formatting is many times cheaper.
        decimal d when WholeLong(d, out var whole) => whole.ToString(CultureInfo.InvariantCulture),
        decimal d => decimal.Truncate(d) == d ? decimal.Truncate(d).ToString(CultureInfo.InvariantCulture) : d.ToString(CultureInfo.InvariantCulture),
        long l => l.ToString(CultureInfo.InvariantCulture),
        int i => i.ToString(CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => v.ToString(),
    };

    // Plain loops: these fields are a few characters long, where a vectorised search costs more than it saves (measured).
    static bool IsBlankOrZeros(string? s)
    {
        if (s is null) return true;
        foreach (var c in s)
            if (c is not (' ' or '\u3000' or '0')) return false;
        return true;
    }

    // A date field of only padding, zeros and separators (0000/00/00) holds no date.
    static bool IsBlankOrZeroDate(string? s)
    {
        if (s is null) return true;
        foreach (var c in s)
            if (c is not (' ' or '\u3000' or '0' or '/' or '-')) return false;
        return true;
    }

    // A whole decimal in long's range, except −0 (which keeps the decimal text it always had).
    static bool WholeLong(decimal d, out long whole)
    {
        whole = 0;
        if (d.Scale != 0 && decimal.Truncate(d) != d || d < long.MinValue || d > long.MaxValue || d == 0 && decimal.IsNegative(d)) return false;
        whole = (long)d;
        return true;
    }

    string? TrimmedDigits(MapContext ctx)
    {
        var raw = Raw(ctx);
        // A number read for a digits item of a fixed width (a code in a numeric field): formatted and zero-padded in one
        // string, the same text as formatting, trimming and padding it.
        if (_widthFormat is not null && raw is decimal d && WholeLong(d, out var x) && x >= 0)
            return x.ToString(_widthFormat, CultureInfo.InvariantCulture);
        var t = LegacyText.Trim(RawText(raw));
        if (t is null) return null;
        if (_width > 0 && raw is not string && t.Length < _width && t[0] != '-') t = t.PadLeft(_width, '0');
        return t;
    }

    // ---- text ----

    string? Text(MapContext ctx) => ResolveGaiji(ctx, LegacyText.Trim(RawText(Raw(ctx))), report: true);

    // 外字 (PUA) → standard characters; an unmapped one fails the item (reported once per field when several items read it).
    string? ResolveGaiji(MapContext ctx, string? t, bool report)
    {
        if (t is null) return null;
        if (!_config.Gaiji.TryResolve(t, out var resolved, out var pua))
        {
            if (report) ReportGaiji(ctx, pua);
            return null;
        }
        return resolved;
    }

    void ReportGaiji(MapContext ctx, int pua)
    {
        var code = "U+" + pua.ToString("X4", CultureInfo.InvariantCulture);
        ctx.Fail(_entry, _item, MappingRejectReasons.UnmappableGaiji, $"外字 {code} is not in the 外字 table");
        ctx.Note(NoteKind.UnmappedGaiji, "gaiji", _entry.System, code, _entry.LegacyField);
    }

    string? Kana(MapContext ctx)
    {
        var t = LegacyText.Trim(RawText(Raw(ctx)));
        if (t is null) return null;
        // kana:legacy-length — the item's length also bounds the legacy half-width text (口座名義カナ: the bank
        // transfer format counts half-width characters, so ｶﾞ is two), checked before ﾞ/ﾟ are joined.
        if (_item is not null && _legacyLength && t.Length > _item.Length)
        {
            ctx.Fail(_entry, _item, MappingRejectReasons.OverLength, "legacy half-width text is longer than " + _item.Length.ToString(CultureInfo.InvariantCulture) + " characters");
            return null;
        }
        return KanaWidth.ToFullWidthKana(t);
    }

    string? LgPref(MapContext ctx) => string.Equals(LegacyText.Trim(RawText(Raw(ctx))), _lgCode, StringComparison.Ordinal) ? _prefecture : null;

    string? LgCity(MapContext ctx) => string.Equals(LegacyText.Trim(RawText(Raw(ctx))), _lgCode, StringComparison.Ordinal) ? _city : null;

    string? LgCode(MapContext ctx) => _lgCode;

    // ---- digits ----

    string? Digits(MapContext ctx) => TrimmedDigits(ctx);

    string? DigitsNonZero(MapContext ctx)
    {
        var t = TrimmedDigits(ctx);
        return IsBlankOrZeros(t) ? null : t;
    }

    string? MyNumber(MapContext ctx)
    {
        var t = LegacyText.Trim(RawText(Raw(ctx)));
        if (t is null) return null;
        if (t.Length != 12 || !SpecText.IsDigits(t) || !CheckDigits.IsValidMyNumber(t))
        {
            ctx.Fail(_entry, _item, MappingRejectReasons.InvalidCheckDigit, "個人番号 is not 12 digits with a valid check digit (総務省令第85号§5)");
            return null;
        }
        return t;
    }

    string? Machiaza(MapContext ctx)
    {
        var raw = Raw(ctx);
        var code = LegacyText.Trim(RawText(raw));
        if (IsBlankOrZeros(code)) code = null;
        else if (raw is not string && code!.Length < 7) code = code.PadLeft(7, '0'); // 町字ID is 7 digits
        if (code is not null && _config.Abr.TryGet(code, out _)) return code;
        var text = _field2 is null ? null : LegacyText.Trim(RawText(_field2.Get(ctx.Record, ctx.Occurrence)));
        var m = _config.Abr.Match(text);
        if (m.IsMatch) return m.Town!.MachiazaId;
        if (code is not null || text is not null)
            ctx.Note(NoteKind.UnmatchedAddress, "abr", _entry.System, text ?? "(町字コードのみ)", _entry.LegacyField);
        return null;
    }

    /// <summary>The items a whole-text address is split into (<c>address:&lt;part&gt;</c>).</summary>
    internal static readonly string[] AddressParts = ["lgcode", "machiaza-id", "pref", "city", "machiaza", "banchi"];

    // In the order of AddressParts; read once from the row (no string compare per record).
    enum AddressPart { LgCode, MachiazaId, Pref, City, Machiaza, Banchi }

    // A whole-text address (転入前住所, 転出先住所) is split into the standard items only when it is in this municipality
    // and its 町字 is in the ABR master; any other address (another city, abroad, an unknown 町字) stays whole in the
    // 町字 item, as the legacy system wrote it.
    // The six parts of one address field are six rows: the field is read, resolved and matched once per record
    // (and occurrence) and the split shared through the context.
    string? Address(MapContext ctx)
    {
        var part = _part;
        var a = ctx.Address;
        if (!ReferenceEquals(a.Record, ctx.Record) || a.Occurrence != ctx.Occurrence || !ReferenceEquals(a.Field, _addressField))
        {
            a.Record = ctx.Record;
            a.Occurrence = ctx.Occurrence;
            a.Field = _addressField;
            a.UnmappedPua = 0;
            a.Text = LegacyText.Trim(RawText(Raw(ctx)));
            if (a.Text is not null && !_config.Gaiji.TryResolve(a.Text, out a.Text, out a.UnmappedPua)) a.Text = null;
            a.Match = a.Text is null ? default : _config.Abr.MatchInCity(a.Text, out a.InCity);
        }
        var text = a.Text;
        if (text is null)
        {
            if (a.UnmappedPua != 0 && part == AddressPart.Machiaza) ReportGaiji(ctx, a.UnmappedPua);
            return null;
        }
        var m = a.Match;
        if (!m.IsMatch)
        {
            if (part != AddressPart.Machiaza) return null;
            if (a.InCity) ctx.Note(NoteKind.UnmatchedAddress, "abr", _entry.System, text, _entry.LegacyField);
            return text;
        }
        return part switch
        {
            AddressPart.LgCode => _lgCode,
            AddressPart.MachiazaId => m.Town!.MachiazaId,
            AddressPart.Pref => _prefecture,
            AddressPart.City => _city,
            AddressPart.Machiaza => m.Town!.Name,
            _ => LegacyText.Trim(m.Remainder), // banchi: what follows the 町字
        };
    }

    string? Lookup(MapContext ctx)
    {
        var key = TrimmedDigits(ctx);
        if (key is not null && ctx.Links.TryLookup(_args[0], key, out var v)) return v;
        if (_args[0] == "household-head-name")
            ctx.Fail(_entry, _item, CrossRecordRules.MemberHousehold.MappingReason!, "世帯番号 is not a household of the household source");
        else
            ctx.Fail(_entry, _item, MappingRejectReasons.UnresolvedPerson, "受給者番号 is not a recipient of the recipient source");
        return null;
    }

    // ---- codes ----

    CodeTarget? MapCode(MapContext ctx, bool report)
    {
        var raw = Raw(ctx);
        // 続柄 chain elements and 表記 items read the same field through the same table: the lookup is a pure
        // function of (table, value), so the same value object gives the same target without a second lookup.
        if (ctx.LastCodeMap == _codes && ctx.LastCodeRaw == raw && raw is not null)
        {
            var memo = ctx.LastCodeTarget!;
            if (memo.Exclude) ctx.ExcludeReason ??= memo.Reason;
            return memo;
        }
        var legacy = LegacyText.Trim(RawText(raw));
        if (_codes!.TryMap(legacy, out var target))
        {
            if (target.Exclude) ctx.ExcludeReason ??= target.Reason;
            ctx.LastCodeMap = _codes;
            ctx.LastCodeRaw = raw;
            ctx.LastCodeTarget = target;
            return target;
        }
        if (legacy is null) return null;
        if (report)
        {
            ctx.Fail(_entry, _item, MappingRejectReasons.UnmappedCode, $"legacy code is not in codes/{_codes.TableId}.{_codes.System}.csv");
            ctx.Note(NoteKind.UnmappedCode, _codes.TableId, _codes.System, legacy, _entry.LegacyField);
        }
        return null;
    }

    string? Code(MapContext ctx)
    {
        var t = MapCode(ctx, report: true);
        return t is null || t.Codes.Length == 0 ? null : t.Codes[0];
    }

    // Only the first element reports an unmapped code; the other elements of the chain stay silent.
    string? Chain(MapContext ctx)
    {
        var t = MapCode(ctx, report: _chainIndex == 1);
        return t is null || t.Codes.Length < _chainIndex ? null : t.Codes[_chainIndex - 1];
    }

    string? CodeName(MapContext ctx)
    {
        var t = MapCode(ctx, report: false);
        return t is null || t.Codes.Length == 0 ? null : _table!.NameOf(t.Codes[0]);
    }

    string? Each(MapContext ctx) => ctx.EachCode;

    // ---- dates ----

    // A 和暦 source date for a DATE item: the real date; when the item has a 不詳 pair, an unknown or non-existent date
    // goes to the pair (flag 1, 表記 in full width) and the DATE stays empty; without a pair such a date is rejected.
    DateOnly? Wareki(MapContext ctx) => ResolveWareki(ctx).Date;

    bool? WarekiUnknownFlag(MapContext ctx) => ResolveWareki(ctx).Unknown;

    string? WarekiUnknownText(MapContext ctx) => ResolveWareki(ctx).Text;

    // The DATE item and its pair read one source value: resolved (and reported) once per record and occurrence.
    UnknownDateValue ResolveWareki(MapContext ctx)
    {
        if (ReferenceEquals(ctx.LastDateConverter, this) && ctx.LastDateOccurrence == ctx.Occurrence) return ctx.LastDate;
        var v = ReadWareki(ctx);
        ctx.LastDateConverter = this;
        ctx.LastDateOccurrence = ctx.Occurrence;
        ctx.LastDate = v;
        return v;
    }

    UnknownDateValue ReadWareki(MapContext ctx)
    {
        var pair = _pair is not null;
        if (_field2 is not null && string.Equals(LegacyText.Trim(RawText(_field2.Get(ctx.Record))), "1", StringComparison.Ordinal))
        {
            var text = LegacyText.Trim(RawText(_field3!.Get(ctx.Record))) ?? "年月日不詳";
            if (!pair)
                ctx.Fail(_entry, _item, MappingRejectReasons.InvalidDate, "不詳 is allowed only in a DATE item with a 不詳フラグ/不詳表記 pair");
            else if (SpecText.Length(text) > WarekiDate.MaxUnknownTextLength)
                ctx.Fail(_entry, _item, MappingRejectReasons.InvalidDate, "不詳表記 is longer than 72 characters");
            else
                return new(null, true, SpecText.ToFullWidth(text));
            return default;
        }
        var raw = Raw(ctx);
        var t = LegacyText.Trim(RawText(raw));
        WarekiDate w;
        if (_japaneseText)
        {
            // wareki-text: 「昭和64年1月7日」, or anything else as 不詳 text (its 表記 as written).
            if (t is null) return default;
            if (!WarekiDate.TryParseJapanese(t, out w))
            {
                ctx.Fail(_entry, _item, MappingRejectReasons.InvalidDate, "不詳表記 is longer than 72 characters");
                return default;
            }
        }
        else
        {
            if (IsBlankOrZeros(t)) return default;
            if (raw is not string && t!.Length < 7) t = t.PadLeft(7, '0');
            if (!WarekiDate.TryParseEraCoded(t, _scheme, out w))
            {
                ctx.Fail(_entry, _item, MappingRejectReasons.InvalidDate, "not an era-coded date EYYMMDD");
                return default;
            }
        }
        if (!DateItems.TryForWarekiItem(w, out var kept, out var f))
        {
            ctx.Fail(_entry, _item, f.Reason, f.Message);
            return default;
        }
        if (kept.TryToDateOnly(out var date)) return new(date, false, null);
        // The 表記: 不詳 text as written; an era-coded value's parts as written, an unknown part as ○ (昭和２０年○月○日).
        if (pair) return new(null, true, SpecText.ToFullWidth(_japaneseText && kept.UnknownText is { } u ? u : (kept with { UnknownText = null }).ToJapanese()));
        DateItems.TryForDateItem(kept, out _, out f);
        ctx.Fail(_entry, _item, f.Reason, f.Message);
        return default;
    }

    DateOnly? Date(MapContext ctx)
    {
        var raw = Raw(ctx);
        var t = LegacyText.Trim(RawText(raw));
        if (IsBlankOrZeroDate(t)) return null;
        DateOnly d;
        ConversionFailure f;
        if (_eraCodedDate)
        {
            if (raw is not string && t!.Length < 7) t = t.PadLeft(7, '0');
            if (!WarekiDate.TryParseEraCoded(t, EraScheme.Digit, out var w))
            {
                ctx.Fail(_entry, _item, MappingRejectReasons.InvalidDate, "not an era-coded date EYYMMDD");
                return null;
            }
            if (DateItems.TryForDateItem(w, out d, out f)) return d;
        }
        else
        {
            if (!WarekiConversions.TryParseGregorian(t, out var y, out var m, out var dd))
            {
                ctx.Fail(_entry, _item, MappingRejectReasons.InvalidDate, "not a date YYYYMMDD");
                return null;
            }
            if (DateItems.TryForDateItem(y, m, dd, out d, out f)) return d;
        }
        ctx.Fail(_entry, _item, f.Reason, f.Message);
        return null;
    }

    // ---- numbers ----

    int? Int(MapContext ctx)
    {
        switch (Raw(ctx))
        {
            case null: return null;
            case int i: return i;
            case long l when l is >= int.MinValue and <= int.MaxValue: return (int)l;
            case decimal m when decimal.Truncate(m) == m && m is >= int.MinValue and <= int.MaxValue: return (int)m;
            case string s:
                var t = LegacyText.Trim(s);
                if (t is null) return null;
                if (int.TryParse(t, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v)) return v;
                break;
        }
        ctx.Fail(_entry, _item, MappingRejectReasons.InvalidValue, "not a whole number");
        return null;
    }

    int? OccurrenceNumber(MapContext ctx) => ctx.Occurrence;

    decimal? Amount(MapContext ctx)
    {
        decimal? v;
        switch (Raw(ctx))
        {
            case null: return null;
            case decimal m: v = m; break;
            case long l: v = l; break;
            case int i: v = i; break;
            case string s:
                if (!Amounts.TryFromText(s, out v, out var f))
                {
                    ctx.Fail(_entry, _item, f.Reason, f.Message);
                    return null;
                }
                break;
            default:
                ctx.Fail(_entry, _item, MappingRejectReasons.InvalidAmount, "not an amount");
                return null;
        }
        if (v is { } a && !Amounts.IsWholeYen(a))
        {
            ctx.Fail(_entry, _item, MappingRejectReasons.InvalidAmount, "amount is not whole yen");
            return null;
        }
        return v is { } w ? decimal.Truncate(w) : null;
    }

    bool? Flag(MapContext ctx)
    {
        var t = LegacyText.Trim(RawText(Raw(ctx)));
        if (_trueValues is not null) return t is not null && Array.IndexOf(_trueValues, t) >= 0;
        switch (t)
        {
            case null: return null;
            case "1": return true;
            case "0": return false;
        }
        ctx.Fail(_entry, _item, MappingRejectReasons.InvalidValue, "flag is not 0 or 1");
        return null;
    }

    YearMonth? YearMonthValue(MapContext ctx)
    {
        var t = LegacyText.Trim(RawText(Raw(ctx)));
        if (IsBlankOrZeros(t)) return null;
        if (YearMonth.TryParse(t, CultureInfo.InvariantCulture, out var ym)) return ym;
        ctx.Fail(_entry, _item, MappingRejectReasons.InvalidValue, "not a year-month YYYYMM");
        return null;
    }
}
