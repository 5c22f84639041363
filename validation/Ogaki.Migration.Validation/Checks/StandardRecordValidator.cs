using Ogaki.Migration.Spec;

namespace Ogaki.Migration.Validation;

/// <summary>
/// Checks one standard record: the generated item rules (<see cref="IStandardRecord.Validate"/>), check digits
/// and the date rules of standard §1.1.8 per item.
/// </summary>
public sealed class StandardRecordValidator(ValidationOptions options, ValueRenderer renderer)
{
    readonly Dictionary<SpecEntity, int[]> _keyOrdinals = [];

    public ValidationOptions Options { get; } = options;

    public void Validate(IStandardRecord record, ICollection<Finding> findings)
    {
        var entity = record.Entity;
        object?[]? row = null;
        string Key() => renderer.RenderKey(entity, KeyOrdinals(entity), row ??= Row(record));

        var violations = new List<SpecViolation>();
        record.Validate(violations);
        foreach (var v in violations)
            findings.Add(new Finding(entity.Name, Key(), v.Item.ItemId, v.Item.NameJa, Severity.Error, RuleOf(v.Kind), v.Message));

        foreach (var item in entity.Items)
        {
            var value = record.GetValue(item.Ordinal);
            if (value is null) continue;
            if (value is string s && s.Length > 0 && Options.IdentifierItems.TryGetValue(item.Identifier, out var scheme))
                CheckIdentifier(entity, item, scheme, s, findings, Key);
            else if (value is WarekiDate w)
                CheckWareki(record, item, w, findings, Key);
        }
    }

    void CheckIdentifier(SpecEntity entity, SpecItem item, IdentifierScheme scheme, string value, ICollection<Finding> findings, Func<string> key)
    {
        if (IdentifierChecks.IsValid(scheme, value, Options.AtenaRemainderOne)) return;
        var severity = scheme switch
        {
            IdentifierScheme.AtenaNumber => Options.AtenaCheckDigitSeverity,
            IdentifierScheme.JuminhyoCode => Options.JuminhyoCodeCheckDigitSeverity,
            _ => Severity.Error,
        };
        findings.Add(new Finding(entity.Name, key(), item.ItemId, item.NameJa, severity, IdentifierChecks.RuleOf(scheme),
            "not a valid " + IdentifierChecks.Describe(scheme)));
    }

    void CheckWareki(IStandardRecord record, SpecItem item, WarekiDate value, ICollection<Finding> findings, Func<string> key)
    {
        // A malformed value is already a spec-type violation of the generated rules.
        if (!value.IsWellFormed) return;
        if (value.Exists || UnknownAllowed(record, item)) return;
        findings.Add(new Finding(record.Entity.Name, key(), item.ItemId, item.NameJa, Severity.Error, Rules.DateNotReal,
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

    int[] KeyOrdinals(SpecEntity entity)
    {
        if (!_keyOrdinals.TryGetValue(entity, out var o)) _keyOrdinals[entity] = o = RowKeyComparer.KeyOrdinals(entity);
        return o;
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
