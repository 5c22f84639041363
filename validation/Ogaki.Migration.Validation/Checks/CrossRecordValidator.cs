using System.Buffers.Binary;
using Ogaki.Migration.Mappers.Conversions;
using Ogaki.Migration.Mappers.Engine;
using Ogaki.Migration.Spec;
using Ogaki.Migration.Validation.Canonical;
using Ogaki.Migration.Standard;
using Ogaki.Migration.Validation.Privacy;
using Zokugara = Ogaki.Migration.Standard.Codes.Zokugara;
using JuminJotai = Ogaki.Migration.Standard.Codes.JuminJotai;
using JidoKbn = Ogaki.Migration.Standard.Codes.JidoKbn;

namespace Ogaki.Migration.Validation.Checks;

/// <summary>
/// Rules across records, independent of the order records arrive in: exactly one 世帯主 per household, every
/// live resident's household exists, taxpayers, allowance recipients and children resolve to residents (or
/// 住登外), each child's recipient exists, and children's ages fit their 児童区分 (DOMAIN §4.3). It keeps only
/// keys, never whole records, and those in sorted runs on disk (<see cref="ExternalRowSorter"/>), so its memory does
/// not grow with the estate: <see cref="Complete"/> resolves the references by merge joins of the sorted keys and
/// gives the findings in the order an in-memory pass over the same keys gives them. A reference to a record the
/// mapping rejected is a warning of its own rule (the reject is the error), so one defect is not counted again in
/// every record that depends on it. The spill files may hold personal data: they go to the caller's temporary
/// folder and are deleted by <see cref="Complete"/> or <see cref="Dispose"/>.
/// </summary>
public sealed class CrossRecordValidator : IDisposable
{
    /// <summary>Keys per sorted run: a few MiB per stream in memory, whatever the estate's size.</summary>
    internal const int ChunkRows = 1 << 15;

    readonly ValidationOptions _options;
    readonly ValueRenderer _renderer;
    readonly string _tempDirectory;
    readonly int _chunkRows;
    // 宛名番号 of every resident (除票 included).
    readonly ExternalRowSorter _residents;
    // Live resident's 宛名番号 → 世帯番号 (the last record of a 宛名番号 wins).
    readonly ExternalRowSorter _liveResidentHousehold;
    // 世帯番号 → 宛名番号 of each live 世帯主, in arrival order (the rule needs how many and the first).
    readonly ExternalRowSorter _heads;
    // 世帯番号 → 世帯主宛名番号 (the last record of a 世帯番号 wins).
    readonly ExternalRowSorter _households;
    // Taxpayer's 宛名番号 → arrival and 課税年度.
    readonly ExternalRowSorter _taxpayers;
    // Recipient's 宛名番号.
    readonly ExternalRowSorter _recipients;
    // Child row's 児童宛名番号, and its 受給者宛名番号 → arrival and the keys of its finding.
    readonly ExternalRowSorter _childrenByChild;
    readonly ExternalRowSorter _childrenByRecipient;
    // Every sorter this validator made (those Complete adds too), so Dispose deletes all their runs.
    readonly List<ExternalRowSorter> _sorters = [];
    readonly SpillBytes _key = new();
    readonly SpillBytes _row = new();
    long _taxArrivals;
    long _childArrivals;

    /// <param name="options">Validation settings.</param>
    /// <param name="renderer">Pseudonymises the keys of findings.</param>
    /// <param name="tempDirectory">Folder of the spill files (default: the system temp folder).</param>
    /// <param name="chunkRows">Keys per sorted run (small in tests, to spill).</param>
    public CrossRecordValidator(ValidationOptions options, ValueRenderer renderer, string? tempDirectory = null, int chunkRows = ChunkRows)
    {
        _options = options;
        _renderer = renderer;
        _tempDirectory = tempDirectory ?? Path.GetTempPath();
        _chunkRows = chunkRows;
        _residents = Sorter(ResidentSpec.Entity);
        _liveResidentHousehold = Sorter(ResidentSpec.Entity);
        _heads = Sorter(HouseholdSpec.Entity);
        _households = Sorter(HouseholdSpec.Entity);
        _taxpayers = Sorter(TaxAssessmentSpec.Entity);
        _recipients = Sorter(AllowanceRecipientSpec.Entity);
        _childrenByChild = Sorter(AllowanceChildSpec.Entity);
        _childrenByRecipient = Sorter(AllowanceChildSpec.Entity);
    }

    /// <summary>A sorter of keys with rows (<see cref="ExternalRowSorter.Add(ReadOnlySpan{byte}, ReadOnlySpan{byte})"/>); the entity only names it.</summary>
    ExternalRowSorter Sorter(SpecEntity entity)
    {
        var sorter = new ExternalRowSorter(entity, _chunkRows, _tempDirectory);
        _sorters.Add(sorter);
        return sorter;
    }

    public void Observe(IStandardRecord record, ICollection<Finding> findings)
    {
        switch (record)
        {
            case Resident r when !string.IsNullOrEmpty(r.AtenaNo):
                _residents.Add([], _key.Clear().KeyText(r.AtenaNo).Span);
                if (string.Equals(r.JuminJotai, JuminJotai.Jumin, StringComparison.Ordinal) && !string.IsNullOrEmpty(r.SetaiNo))
                {
                    _liveResidentHousehold.Add(_row.Clear().Text(r.SetaiNo).Span, _key.Span);
                    if (string.Equals(r.ZokugaraCd1, Zokugara.Setainushi, StringComparison.Ordinal))
                        _heads.Add(_row.Clear().Text(r.AtenaNo).Span, _key.Clear().KeyText(r.SetaiNo).Span);
                }
                break;
            case Household h when !string.IsNullOrEmpty(h.SetaiNo):
                _households.Add(_row.Clear().Text(h.SetainushiAtenaNo).Span, _key.Clear().KeyText(h.SetaiNo).Span);
                break;
            case TaxAssessment t when !string.IsNullOrEmpty(t.AtenaNo):
                _row.Clear().Int64(_taxArrivals++).Byte(t.KazeiNendo.HasValue ? (byte)1 : (byte)0).Int32(t.KazeiNendo ?? 0);
                _taxpayers.Add(_row.Span, _key.Clear().KeyText(t.AtenaNo).Span);
                break;
            case AllowanceRecipient a when !string.IsNullOrEmpty(a.AtenaNo):
                _recipients.Add([], _key.Clear().KeyText(a.AtenaNo).Span);
                break;
            case AllowanceChild c:
                // Only the keys are kept for resolution; ages are checked now.
                var arrival = _childArrivals++;
                if (!string.IsNullOrEmpty(c.JidoAtenaNo) || !string.IsNullOrEmpty(c.JukyushaAtenaNo))
                {
                    _row.Clear().Int64(arrival).Text(c.JukyushaAtenaNo).Text(c.JidoAtenaNo).Text(c.TekiyoKaishiYm?.ToString());
                    if (!string.IsNullOrEmpty(c.JidoAtenaNo)) _childrenByChild.Add(_row.Span, _key.Clear().KeyText(c.JidoAtenaNo).Span);
                    if (!string.IsNullOrEmpty(c.JukyushaAtenaNo)) _childrenByRecipient.Add(_row.Span, _key.Clear().KeyText(c.JukyushaAtenaNo).Span);
                }
                CheckChildAge(c, findings);
                break;
        }
    }

    /// <summary>
    /// Adds the findings that need every record; call once after the last <see cref="Observe"/>. The order is that
    /// of the rules: households by 世帯番号, live residents by 宛名番号, taxpayers in arrival order, recipients by
    /// 宛名番号, children in arrival order (the child's reference before its recipient's).
    /// </summary>
    public void Complete(ICollection<Finding> findings, OutsideRecords? outside = null)
    {
        _outside = outside ?? new OutsideRecords(_options.JutogaiAtenaNumbers ?? new HashSet<string>(), OutsideRecords.None.RejectedKeys);
        try
        {
            CompleteHouseholds(findings);
            CompletePersons(findings);
        }
        finally
        {
            Dispose();
        }
    }

    /// <summary>Households by 世帯番号 (their 世帯主), then live residents by 宛名番号 whose household has no record.</summary>
    void CompleteHouseholds(ICollection<Finding> findings)
    {
        var household = HouseholdSpec.Entity;
        var resident = ResidentSpec.Entity;
        // Each live resident's last 世帯番号, re-sorted by 世帯番号 for the join with the households.
        var liveBySetai = Sorter(ResidentSpec.Entity);
        using (var live = new SortedKeyCursor(_liveResidentHousehold))
        {
            while (live.HasRow)
            {
                _key.Clear().Raw(live.Key);
                _row.Clear();
                for (; live.At(_key.Span); live.MoveNext()) _row.Clear().Raw(live.Row); // the last one wins
                var rest = _row.Span;
                var setaiNo = SpillBytes.ReadText(ref rest)!;
                liveBySetai.Add(_key.Span, _row.Clear().KeyText(setaiNo).Span);
            }
        }
        // Live residents whose household has no record, by 宛名番号 (their findings come after the households').
        var homeless = Sorter(ResidentSpec.Entity);
        using (var households = new SortedKeyCursor(_households))
        using (var heads = new SortedKeyCursor(_heads))
        using (var members = new SortedKeyCursor(liveBySetai))
        {
            var setai = new SpillBytes();
            while (households.HasRow)
            {
                setai.Clear().Raw(households.Key);
                string? declared = null;
                for (; households.At(setai.Span); households.MoveNext()) // the last one wins
                {
                    var rest = households.Row;
                    declared = SpillBytes.ReadText(ref rest);
                }
                heads.SkipBefore(setai.Span);
                var headCount = 0;
                string? firstHead = null;
                for (; heads.At(setai.Span); heads.MoveNext())
                {
                    if (headCount++ > 0) continue;
                    var rest = heads.Row;
                    firstHead = SpillBytes.ReadText(ref rest);
                }
                for (; members.HasRow && members.Key.SequenceCompareTo(setai.Span) < 0; members.MoveNext()) homeless.Add(members.Key, members.Row);
                for (; members.At(setai.Span); members.MoveNext()) { }
                CheckHousehold(findings, SpillBytes.KeyTextOf(setai.Span), declared, headCount, firstHead);
            }
            for (; members.HasRow; members.MoveNext()) homeless.Add(members.Key, members.Row);
        }
        using (var cursor = new SortedKeyCursor(homeless))
        {
            for (; cursor.HasRow; cursor.MoveNext())
            {
                var setaiNo = SpillBytes.KeyTextOf(cursor.Row);
                Broken(findings, CrossRecordRules.MemberHousehold, resident, Pseudo(SpillBytes.KeyTextOf(cursor.Key)), _outside.IsRejected(household.Name, setaiNo),
                    "the live resident's household was rejected in mapping (see rejects)", "the live resident's 世帯番号 has no Household record");
            }
        }
    }

    void CheckHousehold(ICollection<Finding> findings, string setaiNo, string? declaredHead, int headCount, string? firstHead)
    {
        var household = HouseholdSpec.Entity;
        var key = Pseudo(setaiNo);
        if (headCount == 0 && declaredHead is { Length: > 0 } head && _outside.IsRejected(ResidentSpec.Entity.Name, head))
        {
            var item = household.Find(CrossRecordRules.HouseholdHead.Item)!;
            findings.Add(new Finding(household.Name, key, item.ItemId, item.NameJa, Severity.Warning, CrossRecordRules.HouseholdHead.RejectedRule!,
                "the household's 世帯主 was rejected in mapping (see rejects), so no live resident heads it until that record is fixed"));
        }
        else if (headCount != 1)
        {
            findings.Add(new Finding(household.Name, key, null, null, Severity.Error, CrossRecordRules.HouseholdHead.BrokenRule!,
                $"household has {headCount.ToString(System.Globalization.CultureInfo.InvariantCulture)} 世帯主 among its live residents; exactly one is required"));
        }
        else if (declaredHead is { Length: > 0 } declared && !string.Equals(declared, firstHead, StringComparison.Ordinal))
        {
            var item = household.Find(CrossRecordRules.HouseholdHeadDeclared.Item)!;
            findings.Add(new Finding(household.Name, key, item.ItemId, item.NameJa, Severity.Error, CrossRecordRules.HouseholdHeadDeclared.BrokenRule!,
                "世帯主宛名番号 is not the resident whose 続柄 is 世帯主"));
        }
    }

    /// <summary>
    /// One merge by 宛名番号 of residents, taxpayers, recipients and children: the references that do not resolve go to
    /// sorted runs in the order their findings take (taxpayers and children by arrival, recipients by 宛名番号).
    /// </summary>
    void CompletePersons(ICollection<Finding> findings)
    {
        var taxFailures = Sorter(TaxAssessmentSpec.Entity);
        var recipientFailures = Sorter(AllowanceRecipientSpec.Entity);
        var childFailures = Sorter(AllowanceChildSpec.Entity);
        using (var residents = new SortedKeyCursor(_residents))
        using (var taxpayers = new SortedKeyCursor(_taxpayers))
        using (var recipients = new SortedKeyCursor(_recipients))
        using (var children = new SortedKeyCursor(_childrenByChild))
        using (var childRecipients = new SortedKeyCursor(_childrenByRecipient))
        {
            SortedKeyCursor[] referring = [taxpayers, recipients, children, childRecipients];
            var atena = new SpillBytes();
            while (true)
            {
                // The least 宛名番号 any referring stream stands on.
                var least = -1;
                for (var i = 0; i < referring.Length; i++)
                    if (referring[i].HasRow && (least < 0 || referring[i].Key.SequenceCompareTo(referring[least].Key) < 0)) least = i;
                if (least < 0) break;
                atena.Clear().Raw(referring[least].Key);
                residents.SkipBefore(atena.Span);
                var isResident = residents.At(atena.Span);
                var isRecipient = recipients.At(atena.Span);
                var resolves = isResident || _outside.JutogaiAtenaNumbers.Contains(SpillBytes.KeyTextOf(atena.Span));
                for (; taxpayers.At(atena.Span); taxpayers.MoveNext())
                    if (!resolves) taxFailures.Add(_row.Clear().Raw(taxpayers.Row[8..]).Raw(atena.Span).Span, _key.Clear().KeyArrival(BinaryPrimitives.ReadInt64LittleEndian(taxpayers.Row)).Span);
                if (isRecipient)
                {
                    if (!resolves) recipientFailures.Add([], atena.Span);
                    for (; recipients.At(atena.Span); recipients.MoveNext()) { }
                }
                for (; children.At(atena.Span); children.MoveNext())
                    if (!resolves) childFailures.Add(children.Row[8..], _key.Clear().KeyArrival(BinaryPrimitives.ReadInt64LittleEndian(children.Row)).Byte(0).Span);
                for (; childRecipients.At(atena.Span); childRecipients.MoveNext())
                    if (!isRecipient) childFailures.Add(childRecipients.Row[8..], _key.Clear().KeyArrival(BinaryPrimitives.ReadInt64LittleEndian(childRecipients.Row)).Byte(1).Span);
            }
        }

        var tax = TaxAssessmentSpec.Entity;
        using (var cursor = new SortedKeyCursor(taxFailures))
        {
            for (; cursor.HasRow; cursor.MoveNext())
            {
                // The row: 課税年度 (a presence byte and an int) and the 宛名番号's key bytes.
                var row = cursor.Row;
                var nendo = row[0] == 1 ? BinaryPrimitives.ReadInt32LittleEndian(row[1..]) : (int?)null;
                var atenaNo = SpillBytes.KeyTextOf(row[5..]);
                var key = Pseudo(atenaNo) + "/" + (nendo?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "(null)");
                Broken(findings, CrossRecordRules.Taxpayer, tax, key, ResidentRejected(atenaNo),
                    "the taxpayer's resident record was rejected in mapping (see rejects)", "the taxpayer's 宛名番号 is neither a resident (除票 included) nor a 住登外者");
            }
        }

        var recipient = AllowanceRecipientSpec.Entity;
        using (var cursor = new SortedKeyCursor(recipientFailures))
        {
            for (; cursor.HasRow; cursor.MoveNext())
            {
                var atenaNo = SpillBytes.KeyTextOf(cursor.Key);
                Broken(findings, CrossRecordRules.Recipient, recipient, Pseudo(atenaNo), ResidentRejected(atenaNo),
                    "the recipient's resident record was rejected in mapping (see rejects)", "the recipient's 宛名番号 is neither a resident (除票 included) nor a 住登外者");
            }
        }

        var child = AllowanceChildSpec.Entity;
        using (var cursor = new SortedKeyCursor(childFailures))
        {
            for (; cursor.HasRow; cursor.MoveNext())
            {
                // The key: arrival, then 0 for the child's own reference or 1 for its recipient's; the row: the child's keys.
                var rest = cursor.Row;
                var c = new ChildKeys(SpillBytes.ReadText(ref rest), SpillBytes.ReadText(ref rest), SpillBytes.ReadText(ref rest));
                if (cursor.Key[^1] == 0)
                    Broken(findings, CrossRecordRules.Child, child, ChildKey(c), ResidentRejected(c.JidoAtenaNo!),
                        "the child's resident record was rejected in mapping (see rejects)", "the child's 宛名番号 is neither a resident (除票 included) nor a 住登外者");
                else
                    Broken(findings, CrossRecordRules.ChildRecipient, child, ChildKey(c), _outside.IsRejected(recipient.Name, c.JukyushaAtenaNo!),
                        "the child's recipient record was rejected in mapping (see rejects)", "the child's 受給者宛名番号 has no AllowanceRecipient record");
            }
        }
    }

    /// <summary>Deletes the spill files (also done by <see cref="Complete"/>).</summary>
    public void Dispose()
    {
        foreach (var sorter in _sorters) sorter.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _sorters.Clear();
    }

    /// <summary>What a child row's findings need: its keys and 適用開始年月 as the finding's key shows it, not the whole record.</summary>
    readonly record struct ChildKeys(string? JukyushaAtenaNo, string? JidoAtenaNo, string? TekiyoKaishiYm);

    /// <summary>
    /// A broken reference of <paramref name="rule"/>: a warning when the referenced record was rejected in mapping
    /// (the reject is the error), an error otherwise; about the rule's item in either case.
    /// </summary>
    static void Broken(ICollection<Finding> findings, CrossRecordRule rule, SpecEntity entity, string key, bool referenceRejected,
        string rejectedMessage, string brokenMessage)
    {
        var item = entity.Find(rule.Item)!;
        findings.Add(referenceRejected
            ? new Finding(entity.Name, key, item.ItemId, item.NameJa, Severity.Warning, rule.RejectedRule!, rejectedMessage)
            : new Finding(entity.Name, key, item.ItemId, item.NameJa, Severity.Error, rule.BrokenRule!, brokenMessage));
    }

    void CheckChildAge(AllowanceChild c, ICollection<Finding> findings)
    {
        if (c.SeinengappiYmd is not { } birth || c.JidoKbn is null) return;
        var at = EvaluationDate(c);
        var entity = AllowanceChildSpec.Entity;
        var kbn = entity.Find("JidoKbn")!;
        var birthItem = entity.Find("SeinengappiYmd")!;
        var atText = at.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        if (birth > at)
        {
            findings.Add(new Finding(entity.Name, ChildKey(c), birthItem.ItemId, birthItem.NameJa, Severity.Error, Rules.ChildNotYetBorn,
                $"the child is not yet born on {atText}"));
            return;
        }
        var paidUntil = AllowanceAgeRules.PaidUntil(birth, at);
        if (string.Equals(c.JidoKbn, JidoKbn.ShikyuTaisho, StringComparison.Ordinal) && at > paidUntil)
        {
            findings.Add(new Finding(entity.Name, ChildKey(c), kbn.ItemId, kbn.NameJa, Severity.Error, Rules.ChildAgeOutOfRange,
                at >= AllowanceAgeRules.Reform2024
                    ? $"支給対象 on {atText} but past the first 31 March after turning 18"
                    : $"支給対象 on {atText} but past the first 31 March after turning 15 (rules before 2024-10)"));
        }
        else if (string.Equals(c.JidoKbn, JidoKbn.SanteiNomi, StringComparison.Ordinal))
        {
            if (at > AllowanceAgeRules.CountedUntil(birth))
                findings.Add(new Finding(entity.Name, ChildKey(c), kbn.ItemId, kbn.NameJa, Severity.Error, Rules.ChildAgeOutOfRange,
                    $"算定のみ on {atText} but past the first 31 March after turning 22"));
            else if (at >= AllowanceAgeRules.Reform2024 && at <= paidUntil)
                findings.Add(new Finding(entity.Name, ChildKey(c), kbn.ItemId, kbn.NameJa, Severity.Warning, Rules.ChildShouldBePaid,
                    $"算定のみ on {atText} but still within 高校生年代: expected 支給対象"));
        }
    }

    /// <summary>
    /// The day a child row is judged on: the reference date, or the period's last day when the period ended
    /// before it, or the period's first day when it starts after it.
    /// </summary>
    DateOnly EvaluationDate(AllowanceChild c)
    {
        var at = _options.ReferenceDate;
        if (c.TekiyoShuryoYm is { } end && end.LastDay < at) at = end.LastDay;
        if (c.TekiyoKaishiYm is { } start && new DateOnly(start.Year, start.Month, 1) > at) at = new DateOnly(start.Year, start.Month, 1);
        return at;
    }

    OutsideRecords _outside = OutsideRecords.None;

    bool ResidentRejected(string atenaNo) => _outside.IsRejected(ResidentSpec.Entity.Name, atenaNo);

    string Pseudo(string value) => _renderer.Pseudonymizer.Pseudonymize(value);

    string ChildKey(AllowanceChild c) => ChildKey(new ChildKeys(c.JukyushaAtenaNo, c.JidoAtenaNo, c.TekiyoKaishiYm?.ToString()));

    string ChildKey(ChildKeys c) =>
        (c.JukyushaAtenaNo is null ? "(null)" : Pseudo(c.JukyushaAtenaNo)) + "/" + (c.JidoAtenaNo is null ? "(null)" : Pseudo(c.JidoAtenaNo))
        + "/" + (c.TekiyoKaishiYm ?? "(null)");
}
