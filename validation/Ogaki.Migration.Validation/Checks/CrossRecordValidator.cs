using Ogaki.Migration.Mappers.Conversions;
using Ogaki.Migration.Spec;
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
/// keys, never whole records. A reference to a record the mapping rejected is a warning of its own rule (the
/// reject is the error), so one defect is not counted again in every record that depends on it.
/// </summary>
public sealed class CrossRecordValidator(ValidationOptions options, ValueRenderer renderer)
{
    readonly HashSet<string> _residents = new(StringComparer.Ordinal);
    readonly Dictionary<string, string> _liveResidentHousehold = new(StringComparer.Ordinal);
    // Per household: how many live 世帯主 and the first one (all the rule needs; not a list per household).
    readonly Dictionary<string, (int Count, string First)> _heads = new(StringComparer.Ordinal);
    readonly Dictionary<string, string?> _households = new(StringComparer.Ordinal);
    readonly List<(string AtenaNo, int? Nendo)> _taxpayers = [];
    readonly HashSet<string> _recipients = new(StringComparer.Ordinal);
    readonly List<ChildKeys> _children = [];

    /// <summary>What the resolution of a child row needs: its keys and 適用開始年月 (for the finding's key), not the whole record.</summary>
    readonly record struct ChildKeys(string? JukyushaAtenaNo, string? JidoAtenaNo, YearMonth? TekiyoKaishiYm);

    public void Observe(IStandardRecord record, ICollection<Finding> findings)
    {
        switch (record)
        {
            case Resident r when !string.IsNullOrEmpty(r.AtenaNo):
                _residents.Add(r.AtenaNo);
                if (string.Equals(r.JuminJotai, JuminJotai.Jumin, StringComparison.Ordinal) && !string.IsNullOrEmpty(r.SetaiNo))
                {
                    _liveResidentHousehold[r.AtenaNo] = r.SetaiNo;
                    if (string.Equals(r.ZokugaraCd1, Zokugara.Setainushi, StringComparison.Ordinal))
                    {
                        _heads[r.SetaiNo] = _heads.TryGetValue(r.SetaiNo, out var h) ? (h.Count + 1, h.First) : (1, r.AtenaNo);
                    }
                }
                break;
            case Household h when !string.IsNullOrEmpty(h.SetaiNo):
                _households[h.SetaiNo] = h.SetainushiAtenaNo;
                break;
            case TaxAssessment t when !string.IsNullOrEmpty(t.AtenaNo):
                _taxpayers.Add((t.AtenaNo, t.KazeiNendo));
                break;
            case AllowanceRecipient a when !string.IsNullOrEmpty(a.AtenaNo):
                _recipients.Add(a.AtenaNo);
                break;
            case AllowanceChild c:
                // Only the keys are kept for resolution; ages are checked now.
                _children.Add(new ChildKeys(c.JukyushaAtenaNo, c.JidoAtenaNo, c.TekiyoKaishiYm));
                CheckChildAge(c, findings);
                break;
        }
    }

    /// <summary>Adds the findings that need every record; call once after the last <see cref="Observe"/>.</summary>
    public void Complete(ICollection<Finding> findings, OutsideRecords? outside = null)
    {
        _outside = outside ?? new OutsideRecords(options.JutogaiAtenaNumbers ?? new HashSet<string>(), OutsideRecords.None.RejectedKeys);
        var household = HouseholdSpec.Entity;
        var resident = ResidentSpec.Entity;
        foreach (var setaiNo in _households.Keys.Order(StringComparer.Ordinal))
        {
            var key = Pseudo(setaiNo);
            var heads = _heads.GetValueOrDefault(setaiNo);
            if (heads.Count == 0 && _households[setaiNo] is { Length: > 0 } head && _outside.IsRejected(resident.Name, head))
            {
                var item = household.Find(CrossRecordRules.HouseholdHead.Item)!;
                findings.Add(new Finding(household.Name, key, item.ItemId, item.NameJa, Severity.Warning, CrossRecordRules.HouseholdHead.RejectedRule!,
                    "the household's 世帯主 was rejected in mapping (see rejects), so no live resident heads it until that record is fixed"));
            }
            else if (heads.Count != 1)
            {
                findings.Add(new Finding(household.Name, key, null, null, Severity.Error, CrossRecordRules.HouseholdHead.BrokenRule!,
                    $"household has {heads.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)} 世帯主 among its live residents; exactly one is required"));
            }
            else if (_households[setaiNo] is { Length: > 0 } declared && !string.Equals(declared, heads.First, StringComparison.Ordinal))
            {
                var item = household.Find(CrossRecordRules.HouseholdHeadDeclared.Item)!;
                findings.Add(new Finding(household.Name, key, item.ItemId, item.NameJa, Severity.Error, CrossRecordRules.HouseholdHeadDeclared.BrokenRule!,
                    "世帯主宛名番号 is not the resident whose 続柄 is 世帯主"));
            }
        }

        foreach (var (atenaNo, setaiNo) in _liveResidentHousehold.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (_households.ContainsKey(setaiNo)) continue;
            Broken(findings, CrossRecordRules.MemberHousehold, resident, Pseudo(atenaNo), _outside.IsRejected(household.Name, setaiNo),
                "the live resident's household was rejected in mapping (see rejects)", "the live resident's 世帯番号 has no Household record");
        }

        var tax = TaxAssessmentSpec.Entity;
        foreach (var (atenaNo, nendo) in _taxpayers)
        {
            if (Resolves(atenaNo)) continue;
            var key = Pseudo(atenaNo) + "/" + (nendo?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "(null)");
            Broken(findings, CrossRecordRules.Taxpayer, tax, key, ResidentRejected(atenaNo),
                "the taxpayer's resident record was rejected in mapping (see rejects)", "the taxpayer's 宛名番号 is neither a resident (除票 included) nor a 住登外者");
        }

        var recipient = AllowanceRecipientSpec.Entity;
        foreach (var atenaNo in _recipients.Order(StringComparer.Ordinal))
        {
            if (Resolves(atenaNo)) continue;
            Broken(findings, CrossRecordRules.Recipient, recipient, Pseudo(atenaNo), ResidentRejected(atenaNo),
                "the recipient's resident record was rejected in mapping (see rejects)", "the recipient's 宛名番号 is neither a resident (除票 included) nor a 住登外者");
        }

        var child = AllowanceChildSpec.Entity;
        foreach (var c in _children)
        {
            if (!string.IsNullOrEmpty(c.JidoAtenaNo) && !Resolves(c.JidoAtenaNo))
                Broken(findings, CrossRecordRules.Child, child, ChildKey(c), ResidentRejected(c.JidoAtenaNo),
                    "the child's resident record was rejected in mapping (see rejects)", "the child's 宛名番号 is neither a resident (除票 included) nor a 住登外者");
            if (!string.IsNullOrEmpty(c.JukyushaAtenaNo) && !_recipients.Contains(c.JukyushaAtenaNo))
                Broken(findings, CrossRecordRules.ChildRecipient, child, ChildKey(c), _outside.IsRejected(recipient.Name, c.JukyushaAtenaNo),
                    "the child's recipient record was rejected in mapping (see rejects)", "the child's 受給者宛名番号 has no AllowanceRecipient record");
        }
    }

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
        var at = options.ReferenceDate;
        if (c.TekiyoShuryoYm is { } end && end.LastDay < at) at = end.LastDay;
        if (c.TekiyoKaishiYm is { } start && new DateOnly(start.Year, start.Month, 1) > at) at = new DateOnly(start.Year, start.Month, 1);
        return at;
    }

    OutsideRecords _outside = OutsideRecords.None;

    bool Resolves(string atenaNo) => _residents.Contains(atenaNo) || _outside.JutogaiAtenaNumbers.Contains(atenaNo);

    bool ResidentRejected(string atenaNo) => _outside.IsRejected(ResidentSpec.Entity.Name, atenaNo);

    string Pseudo(string value) => renderer.Pseudonymizer.Pseudonymize(value);

    string ChildKey(AllowanceChild c) => ChildKey(new ChildKeys(c.JukyushaAtenaNo, c.JidoAtenaNo, c.TekiyoKaishiYm));

    string ChildKey(ChildKeys c) =>
        (c.JukyushaAtenaNo is null ? "(null)" : Pseudo(c.JukyushaAtenaNo)) + "/" + (c.JidoAtenaNo is null ? "(null)" : Pseudo(c.JidoAtenaNo))
        + "/" + (c.TekiyoKaishiYm?.ToString() ?? "(null)");
}
