using Ogaki.Migration.Mappers.Conversions;
using Ogaki.Migration.Standard;

namespace Ogaki.Migration.Mappers.Tests.Conversions;

public class CrossRecordRulesTests
{
    // Validation looks the rule's item up by identifier when it reports a finding: a misspelt one would only fail then.
    [Fact]
    public void Every_rule_names_an_item_of_its_entity_in_the_compiled_spec()
    {
        foreach (var rule in CrossRecordRules.All)
        {
            var entity = StandardSpec.Catalog.FindEntity(rule.Entity);
            Assert.True(entity is not null, $"{rule.Entity}: no such entity");
            Assert.True(entity.Find(rule.Item) is not null, $"{rule.Entity}.{rule.Item}: no such item");
        }
    }

    // Every rule is enforced somewhere, and a warning for a rejected reference only exists beside the error it softens.
    [Fact]
    public void Every_rule_is_checked_by_the_mapping_or_validation_and_ids_are_unique()
    {
        Assert.All(CrossRecordRules.All, r => Assert.True(r.MappingReason is not null || r.BrokenRule is not null, r.Entity + "." + r.Item));
        Assert.All(CrossRecordRules.All, r => Assert.True(r.RejectedRule is null || r.BrokenRule is not null, r.Entity + "." + r.Item));
        var ids = CrossRecordRules.All.SelectMany(r => new[] { r.BrokenRule, r.RejectedRule }).OfType<string>().ToList();
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
    }
}
