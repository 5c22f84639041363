using System.Globalization;
using System.Text;
using Ogaki.Migration.Spec;
using Ogaki.Migration.Standard;
using Ogaki.Migration.Validation.Privacy;

namespace Ogaki.Migration.Validation.Reconciliation;

/// <summary>
/// A control total: the row count (<paramref name="Sum"/> null) or the sum of one numeric item, grouped by up to
/// three items (codes, 年度, 年月). Computed separately over the source rows and the target rows.
/// </summary>
public sealed record ControlTotalDefinition(string Entity, string Name, string NameJa, IReadOnlyList<string> GroupBy, string? Sum);

/// <summary>The default control totals (DOMAIN §11), per entity.</summary>
public static class ControlTotalCatalog
{
    static readonly string[] PeriodItems = ["KazeiNendo", "ShiharaiYm"];

    /// <summary>
    /// Explicit totals (住民 by 住民種別/住民状態, 世帯数, 納税義務者 per 課税年度, 区分別税額 per 課税年度 and 徴収区分,
    /// 受給者, 児童 and 月額 …) plus, for every amount item, its sum per period item (課税年度 or 支払年月) so a new
    /// amount column in the spec is covered without code changes.
    /// </summary>
    public static IReadOnlyList<ControlTotalDefinition> For(SpecEntity entity)
    {
        var defs = new List<ControlTotalDefinition>();
        void Count(string nameJa, params string[] groupBy) =>
            defs.Add(new(entity.Name, entity.Name + ".count" + Suffix(groupBy), nameJa, groupBy, null));
        void Sum(string item, string nameJa, params string[] groupBy) =>
            defs.Add(new(entity.Name, entity.Name + "." + item + ".sum" + Suffix(groupBy), nameJa, groupBy, item));

        switch (entity.Name)
        {
            case "Resident":
                Count("住民数（住民種別・住民状態別）", "JuminShubetsu", "JuminJotai");
                Count("住民数（異動事由別）", "IdoJiyu");
                break;
            case "Household":
                Count("世帯数");
                Sum("SetaiKoseiNinzu", "世帯構成人数 合計");
                break;
            case "ResidentHistory":
                Count("異動履歴件数（異動事由別）", "IdoJiyu");
                Count("異動履歴件数（最新フラグ別）", "SaishinFlag");
                break;
            case "TaxAssessment":
                Count("納税義務者数（課税年度別）", "KazeiNendo");
                Count("納税義務者数（課税年度・課税区分別）", "KazeiNendo", "KazeiKbn");
                break;
            case "TaxIncome":
                Sum("ShotokuKingaku", "所得金額 合計（課税年度・所得区分別）", "KazeiNendo", "ShotokuKbn");
                break;
            case "TaxDeduction":
                Sum("KojoGaku", "控除額 合計（課税年度・控除区分別）", "KazeiNendo", "KojoKbn");
                break;
            case "TaxCollection":
                Count("件数（課税年度・徴収区分別）", "KazeiNendo", "ChoshuKbn");
                Sum("ChoshuZeigaku", "区分別税額 合計（課税年度・徴収区分別）", "KazeiNendo", "ChoshuKbn");
                break;
            case "TaxInstallment":
                Sum("KibetsuZeigaku", "期別税額 合計（課税年度・期別）", "KazeiNendo", "Kibetsu");
                break;
            case "AllowanceRecipient":
                Count("受給者数（受給者区分別）", "JukyushaKbn");
                break;
            case "AllowanceChild":
                Count("児童数（児童区分別）", "JidoKbn");
                Count("児童数（支給区分別）", "ShikyuKbn");
                Sum("Getsugaku", "月額 合計（支給区分別）", "ShikyuKbn");
                break;
            case "AllowancePayment":
                Count("支払件数（支払年月別）", "ShiharaiYm");
                Count("支払件数（支払区分別）", "ShiharaiKbn");
                break;
        }
        if (defs.Count == 0 || defs.All(d => d.GroupBy.Count > 0)) defs.Insert(0, new(entity.Name, entity.Name + ".count", "件数", [], null));

        var period = PeriodItems.FirstOrDefault(p => entity.Find(p) is not null);
        foreach (var item in entity.Items.Where(i => i.Type == ItemType.Amount))
        {
            string[] groupBy = period is null ? [] : [period];
            var label = item.NameJa + " 合計" + (period is null ? "" : "（" + entity.Find(period)!.NameJa + "別）");
            if (!defs.Any(d => d.Sum == item.Identifier && d.GroupBy.SequenceEqual(groupBy))) Sum(item.Identifier, label, groupBy);
        }
        foreach (var d in defs)
            foreach (var id in d.GroupBy.Append(d.Sum).OfType<string>())
                if (entity.Find(id) is null) throw new InvalidOperationException($"control total {d.Name}: {id} is not an item of {entity.Name}");
        return defs;
    }

    static string Suffix(string[] groupBy) => groupBy.Length == 0 ? "" : "-by-" + string.Join('-', groupBy);
}

/// <summary>
/// Accumulates control totals over one side's rows, read from their canonical form, so the source and the target
/// side group and sum the same texts. Definitions that group by the same items share one lookup per row.
/// Memory grows with the number of groups only; a row allocates nothing.
/// </summary>
public sealed class ControlTotalAccumulator
{
    readonly SpecEntity _entity;
    readonly IReadOnlyList<ControlTotalDefinition> _defs;
    readonly GroupSet[] _sets;
    readonly int[] _needed;
    readonly CanonicalRowBatch _scratch = new(1024, 1);
    readonly CanonicalKey _key;

    sealed class GroupSet(IReadOnlyList<string> groupBy, int[] groupSlots, int[] defs, int[] sumSlots)
    {
        public IReadOnlyList<string> GroupBy { get; } = groupBy;
        public int[] GroupSlots { get; } = groupSlots; // positions in _needed
        public int[] Defs { get; } = defs;
        public int[] SumSlots { get; } = sumSlots; // positions in _needed, −1 for a count
        // Keyed by the group values' canonical bytes widened to chars, each behind its length + 1 (0 for null), looked up without allocating.
        public Dictionary<string, Group> Groups { get; } = new(StringComparer.Ordinal);
    }

    // Counts and whole amounts (nearly every value) add up in a long, fractions and overflow in the decimal.
    sealed class Group(string?[] texts, int width)
    {
        public string?[] Texts { get; } = texts;
        public decimal[] Sums { get; } = new decimal[width];
        public long[] Whole { get; } = new long[width];

        public decimal Total(int i) => Sums[i] + Whole[i];
    }

    public ControlTotalAccumulator(SpecEntity entity, IReadOnlyList<ControlTotalDefinition> definitions)
    {
        _entity = entity;
        _key = new CanonicalKey(entity);
        _defs = definitions;
        foreach (var d in definitions)
            if (d.GroupBy.Count > 3) throw new ArgumentException($"control total {d.Name} groups by more than 3 items");
        _needed = definitions.SelectMany(d => d.GroupBy.Append(d.Sum)).OfType<string>().Select(x => entity.Find(x)!.Ordinal).Distinct().Order().ToArray();
        int Slot(string identifier) => Array.IndexOf(_needed, entity.Find(identifier)!.Ordinal);
        _sets = definitions.Select((d, i) => (d, i))
            .GroupBy(p => string.Join('\u001F', p.d.GroupBy), StringComparer.Ordinal)
            .Select(g => new GroupSet(g.First().d.GroupBy, g.First().d.GroupBy.Select(Slot).ToArray(),
                g.Select(p => p.i).ToArray(), g.Select(p => p.d.Sum is null ? -1 : Slot(p.d.Sum)).ToArray()))
            .ToArray();
    }

    /// <summary>Adds a row of values (spec item order, CLR types of the generated records).</summary>
    public void Add(object?[] row)
    {
        ArgumentNullException.ThrowIfNull(row);
        _scratch.Clear();
        _scratch.Add(row, _key);
        Add(_scratch.Row(0));
    }

    /// <summary>Adds a row in canonical form (<see cref="CanonicalRow"/>).</summary>
    public void Add(ReadOnlySpan<byte> row)
    {
        Span<int> starts = stackalloc int[_needed.Length];
        Span<int> lengths = stackalloc int[_needed.Length];
        CanonicalRow.Locate(row, _needed, starts, lengths);
        Span<char> key = stackalloc char[256];
        foreach (var set in _sets)
        {
            var n = 0;
            foreach (var slot in set.GroupSlots)
            {
                var len = lengths[slot];
                if (len < 0)
                {
                    if (n + 1 > key.Length) key = new char[key.Length * 2 + 1];
                    key[n++] = (char)0;
                    continue;
                }
                if (n + 1 + len > key.Length) key = new char[Math.Max(key.Length * 2, n + 1 + len)];
                key[n++] = (char)(len + 1);
                foreach (var b in row.Slice(starts[slot], len)) key[n++] = (char)b;
            }
            var lookup = set.Groups.GetAlternateLookup<ReadOnlySpan<char>>();
            if (!lookup.TryGetValue(key[..n], out var group))
            {
                var texts = new string?[set.GroupSlots.Length];
                for (var i = 0; i < texts.Length; i++)
                {
                    var slot = set.GroupSlots[i];
                    texts[i] = lengths[slot] < 0 ? null : Encoding.UTF8.GetString(row.Slice(starts[slot], lengths[slot]));
                }
                group = new Group(texts, set.Defs.Length);
                lookup[key[..n]] = group;
            }
            for (var i = 0; i < set.Defs.Length; i++)
            {
                var slot = set.SumSlots[i];
                if (slot < 0)
                {
                    group.Whole[i]++;
                    continue;
                }
                if (lengths[slot] < 0) continue;
                var text = row.Slice(starts[slot], lengths[slot]);
                if (WholeNumber(text) is { } whole && Math.Abs(group.Whole[i]) < 1_000_000_000_000_000_000L / 2)
                {
                    group.Whole[i] += whole;
                    continue;
                }
                if (!System.Buffers.Text.Utf8Parser.TryParse(text, out decimal value, out var used) || used != text.Length)
                    throw new NotSupportedException($"cannot sum the non-numeric values of {_defs[set.Defs[i]].Sum}");
                group.Sums[i] += value;
            }
        }
    }

    // An optional minus and at most 17 digits: below 10^17, so adding it to a long under 5·10^17 cannot overflow.
    static long? WholeNumber(ReadOnlySpan<byte> text)
    {
        var negative = text.Length > 0 && text[0] == (byte)'-';
        var digits = negative ? text[1..] : text;
        if (digits.Length is 0 or > 17) return null;
        long n = 0;
        foreach (var b in digits)
        {
            var d = b - (byte)'0';
            if ((uint)d > 9) return null;
            n = n * 10 + d;
        }
        return negative ? -n : n;
    }

    IEnumerable<(int Def, string Key, string?[] Texts, decimal Value)> Entries() =>
        _sets.SelectMany(set => set.Groups.SelectMany(g => set.Defs.Select((d, i) => (d, g.Key, g.Value.Texts, g.Value.Total(i)))));

    /// <summary>Compares two sides' totals group by group (a group missing on one side counts as 0 there).</summary>
    public static IReadOnlyList<ControlTotal> Compare(ControlTotalAccumulator source, ControlTotalAccumulator target, IReadOnlyDictionary<string, decimal>? tolerances = null)
    {
        var s = source.Entries().ToDictionary(e => (e.Def, e.Key), e => (e.Texts, e.Value));
        var t = target.Entries().ToDictionary(e => (e.Def, e.Key), e => (e.Texts, e.Value));
        var result = new List<(int Def, ControlTotal Total)>();
        foreach (var k in s.Keys.Union(t.Keys))
        {
            var def = source._defs[k.Def];
            var texts = s.TryGetValue(k, out var sv) ? sv.Texts : t[k].Texts;
            result.Add((k.Def, new ControlTotal(def.Name, def.NameJa, source.GroupText(def, texts), sv.Value, t.GetValueOrDefault(k).Value,
                tolerances?.GetValueOrDefault(def.Name) ?? 0m)));
        }
        return result.OrderBy(x => x.Def).ThenBy(x => x.Total.Group, StringComparer.Ordinal).Select(x => x.Total).ToList();
    }

    string GroupText(ControlTotalDefinition def, string?[] texts)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < def.GroupBy.Count; i++)
        {
            var item = _entity.Find(def.GroupBy[i])!;
            var text = texts[i];
            if (i > 0) sb.Append(", ");
            sb.Append(item.NameJa).Append('=');
            if (text is null)
            {
                sb.Append("(null)");
                continue;
            }
            // Group items are codes, years and months; anything personal would be pseudonymised all the same.
            sb.Append(PersonalDataClassifier.Classify(item) == PersonalDataKind.None ? PersonalDataScanner.RedactMyNumbers(text) : "(personal)");
            if (item.CodeTable is not null && StandardSpec.Catalog.FindCodeTable(item.CodeTable)?.NameOf(text) is { } name)
                sb.Append(' ').Append(name);
        }
        return sb.ToString();
    }
}

internal static class DecimalText
{
    public static string Format(decimal d) => CanonicalValue.Decimal(d);

    public static string Grouped(decimal d) => d.ToString("#,0.############################", CultureInfo.InvariantCulture);
}
