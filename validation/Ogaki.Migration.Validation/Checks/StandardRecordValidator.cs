using Ogaki.Migration.Spec;
using Ogaki.Migration.Validation.Canonical;
using Ogaki.Migration.Validation.Privacy;

namespace Ogaki.Migration.Validation.Checks;

/// <summary>
/// Checks one standard record: the generated item rules (<see cref="IStandardRecord.Validate"/>), check digits
/// and the date rules of standard §1.1.8 per item.
/// </summary>
public sealed class StandardRecordValidator(ValidationOptions options, ValueRenderer renderer)
{
    // Per entity, resolved once: the key ordinals and the few items the checks below look at, so a record with
    // 120 items is not boxed item by item to find its three identifiers and its 和暦 dates.
    sealed record EntityPlan(int[] KeyOrdinals, (SpecItem Item, IdentifierScheme Scheme)[] Identifiers, SpecItem[] Wareki);

    readonly Dictionary<SpecEntity, EntityPlan> _plans = [];
    readonly List<SpecViolation> _violations = [];

    public ValidationOptions Options { get; } = options;

    public void Validate(IStandardRecord record, ICollection<Finding> findings)
    {
        var entity = record.Entity;
        var plan = PlanOf(entity);
        if (!Options.ItemRulesCheckedUpstream)
        {
            _violations.Clear();
            record.Validate(_violations);
            foreach (var v in _violations)
                findings.Add(new Finding(entity.Name, Key(record, plan), v.Item.ItemId, v.Item.NameJa, Severity.Error, RuleOf(v.Kind), v.Message));
        }
        foreach (var (item, scheme) in plan.Identifiers)
            if (record.GetValue(item.Ordinal) is string { Length: > 0 } s)
                CheckIdentifier(record, plan, item, scheme, s, findings);
        foreach (var item in plan.Wareki)
            if (record.GetValue(item.Ordinal) is WarekiDate w)
                CheckWareki(record, plan, item, w, findings);
    }

    string Key(IStandardRecord record, EntityPlan plan) => renderer.RenderKey(record.Entity, plan.KeyOrdinals, Row(record));

    void CheckIdentifier(IStandardRecord record, EntityPlan plan, SpecItem item, IdentifierScheme scheme, string value, ICollection<Finding> findings)
    {
        if (IdentifierChecks.IsValid(scheme, value, Options.AtenaRemainderOne)) return;
        var severity = scheme switch
        {
            IdentifierScheme.AtenaNumber => Options.AtenaCheckDigitSeverity,
            IdentifierScheme.JuminhyoCode => Options.JuminhyoCodeCheckDigitSeverity,
            _ => Severity.Error,
        };
        findings.Add(new Finding(record.Entity.Name, Key(record, plan), item.ItemId, item.NameJa, severity, IdentifierChecks.RuleOf(scheme),
            "not a valid " + IdentifierChecks.Describe(scheme)));
    }

    void CheckWareki(IStandardRecord record, EntityPlan plan, SpecItem item, WarekiDate value, ICollection<Finding> findings)
    {
        // A malformed value is already a spec-type violation of the generated rules.
        if (!value.IsWellFormed) return;
        if (value.Exists || UnknownAllowed(record, item)) return;
        findings.Add(new Finding(record.Entity.Name, Key(record, plan), item.ItemId, item.NameJa, Severity.Error, Rules.DateNotReal,
            value.IsUnknown
                ? "不詳 is allowed only for 生年月日, 住民となった/住所を定めた/外国人住民となった年月日 and the 異動日 of 出生/死亡/失踪"
                : "the date does not exist in its era; only 生年月日-type items and the 異動日 of 出生/死亡/失踪 may hold such dates"));
    }

    bool UnknownAllowed(IStandardRecord record, SpecItem item)
    {
        if (Options.UnknownDateAllowedItems.Contains(item.Identifier)) return true;
        var reasonItem = item.Identifier switch
        {
            "IdoYmd" => "IdoJiyu",
            "ShojoIdoYmd" => "ShojoJiyu",
            _ => null,
        };
        if (reasonItem is null || record.Entity.Find(reasonItem) is not { } reason) return false;
        return record.GetValue(reason.Ordinal) is string code && Options.UnknownDateIdoJiyu.Contains(code);
    }

    EntityPlan PlanOf(SpecEntity entity)
    {
        if (_plans.TryGetValue(entity, out var plan)) return plan;
        var identifiers = entity.Items.Where(i => Options.IdentifierItems.ContainsKey(i.Identifier)).Select(i => (i, Options.IdentifierItems[i.Identifier])).ToArray();
        var wareki = entity.Items.Where(i => i.Type == ItemType.WarekiDate).ToArray();
        return _plans[entity] = new EntityPlan(RowKeyComparer.KeyOrdinals(entity), identifiers, wareki);
    }

    internal static object?[] Row(IStandardRecord record)
    {
        var row = new object?[record.Entity.Items.Count];
        for (var i = 0; i < row.Length; i++) row[i] = record.GetValue(i);
        return row;
    }

    static string RuleOf(ViolationKind kind) => kind switch
    {
        ViolationKind.Required => Rules.SpecRequired,
        ViolationKind.Length => Rules.SpecLength,
        ViolationKind.Type => Rules.SpecType,
        ViolationKind.CodeDomain => Rules.SpecCodeDomain,
        _ => "spec-" + kind.ToString().ToLowerInvariant(),
    };
}
