using Ogaki.Migration.Spec;
using Ogaki.Migration.Validation.Canonical;
using Ogaki.Migration.Validation.Privacy;

namespace Ogaki.Migration.Validation.Checks;

/// <summary>
/// Checks one standard record: the generated item rules (<see cref="IStandardRecord.Validate"/>), check digits
/// and the date rules of standard §1.1.8 per item (which dates may travel as 不詳).
/// </summary>
public sealed class StandardRecordValidator(ValidationOptions options, ValueRenderer renderer)
{
    // Per entity, resolved once: the key ordinals and the few items the checks below look at, so a record with
    // 120 items is not boxed item by item to find its three identifiers and its 不詳 dates.
    sealed record EntityPlan(int[] KeyOrdinals, (SpecItem Item, IdentifierScheme Scheme)[] Identifiers, (SpecItem Date, SpecItem Flag)[] UnknownDates);

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
        foreach (var (date, flag) in plan.UnknownDates)
            if (record.GetValue(flag.Ordinal) is true && !UnknownAllowed(record, date))
                findings.Add(new Finding(record.Entity.Name, Key(record, plan), date.ItemId, date.NameJa, Severity.Error, Rules.DateNotReal,
                    "不詳 (an unknown or non-existent date) is allowed only for 生年月日, 住民となった/住所を定めた/外国人住民となった年月日 and the 異動日 of 出生/死亡/失踪"));
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

    // The lookup stays apart from the build: the build's lambdas capture the entity, and a method holding them
    // allocates their closure on every call, found or not.
    EntityPlan PlanOf(SpecEntity entity) => _plans.TryGetValue(entity, out var plan) ? plan : BuildPlan(entity);

    EntityPlan BuildPlan(SpecEntity entity)
    {
        var identifiers = entity.Items.Where(i => Options.IdentifierItems.ContainsKey(i.Identifier)).Select(i => (i, Options.IdentifierItems[i.Identifier])).ToArray();
        var unknownDates = entity.Items.Select(i => (i, entity.UnknownDatePair(i))).Where(p => p.Item2 is not null).Select(p => (p.i, p.Item2!.Value.Flag)).ToArray();
        return _plans[entity] = new EntityPlan(RowKeyComparer.KeyOrdinals(entity), identifiers, unknownDates);
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
