using Ogaki.Migration.Spec;
using Ogaki.Migration.Validation.Checks;

namespace Ogaki.Migration.Validation.Tests;

public class DateRuleTests
{
    static List<Finding> Validate(Ogaki.Migration.Standard.Resident r)
    {
        var findings = new List<Finding>();
        new StandardRecordValidator(new ValidationOptions(), Samples.Renderer()).Validate(r, findings);
        return findings;
    }

    static Ogaki.Migration.Standard.Resident Base() => Samples.Resident(Samples.Atena("1000001"), Samples.Atena("2000001"), head: true);

    [Fact]
    public void Birth_date_may_be_unknown_or_non_existent()
    {
        Assert.Empty(Validate(Base() with { SeinengappiYmd = new WarekiDate(3, 20, 0, 0, "昭和20年頃") }));
        Assert.Empty(Validate(Base() with { SeinengappiYmd = new WarekiDate(3, 50, 2, 29) })); // 1975 is not a leap year
        Assert.Empty(Validate(Base() with { JuminYmd = new WarekiDate(0, 0, 0, 0, "年月日不詳"), JushoTeiYmd = new WarekiDate(4, 1, 1, 7) }));
    }

    [Fact]
    public void Ido_date_must_be_real_except_for_birth_and_death()
    {
        var nonExistent = new WarekiDate(5, 5, 2, 29); // 2023-02-29
        var f = Assert.Single(Validate(Base() with { IdoYmd = nonExistent, IdoJiyu = "11" }));
        Assert.Equal((Rules.DateNotReal, "00100005", "異動年月日", Severity.Error), (f.RuleId, f.ItemId, f.ItemNameJa, f.Severity));
        Assert.Empty(Validate(Base() with { IdoYmd = nonExistent, IdoJiyu = "13" }));
        Assert.Empty(Validate(Base() with { IdoYmd = new WarekiDate(5, 5, 0, 0, "令和5年頃"), IdoJiyu = "23" }));
        // 平成元年1月7日 is before 平成 began: not real.
        Assert.Equal(Rules.DateNotReal, Assert.Single(Validate(Base() with { IdoYmd = new WarekiDate(4, 1, 1, 7), IdoJiyu = "31" })).RuleId);
    }

    [Fact]
    public void Removal_date_follows_the_removal_reason()
    {
        var unknown = new WarekiDate(5, 6, 0, 0, "令和6年頃");
        Assert.Empty(Validate(Base() with { JuminJotai = "4", ShojoJiyu = "23", ShojoIdoYmd = unknown }));
        Assert.Equal("00100081", Assert.Single(Validate(Base() with { JuminJotai = "3", ShojoJiyu = "21", ShojoIdoYmd = unknown })).ItemId);
    }

    [Fact]
    public void Malformed_wareki_is_reported_once_as_a_type_violation()
    {
        var f = Assert.Single(Validate(Base() with { SeinengappiYmd = new WarekiDate(3, 50, 13, 1) }));
        Assert.Equal((Rules.SpecType, "00100022"), (f.RuleId, f.ItemId));
    }

    [Fact]
    public void Generated_item_rules_become_findings()
    {
        var findings = Validate(Base() with { Shimei = null, Seibetsu = "7" });
        Assert.Equal(
            [(Rules.SpecRequired, "00100008"), (Rules.SpecCodeDomain, "00100020")],
            findings.Select(f => (f.RuleId, f.ItemId!)).ToArray());
    }
}
