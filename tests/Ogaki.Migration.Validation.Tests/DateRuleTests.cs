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

    // 不詳 and non-existent dates travel as the official sheets carry them: the DATE empty, 不詳フラグ 1 and the 不詳表記.
    [Fact]
    public void Birth_date_may_be_unknown_or_non_existent()
    {
        Assert.Empty(Validate(Base() with { SeinengappiYmd = null, SeinengappiYmdFushoFlag = true, SeinengappiYmdFushoHyoki = "昭和２０年頃" }));
        Assert.Empty(Validate(Base() with { SeinengappiYmd = null, SeinengappiYmdFushoFlag = true, SeinengappiYmdFushoHyoki = "昭和５０年２月２９日" })); // 1975 is not a leap year
        Assert.Empty(Validate(Base() with
        {
            JuminYmd = null, JuminYmdFushoFlag = true, JuminYmdFushoHyoki = "年月日不詳",
            JushoTeiYmd = null, JushoTeiYmdFushoFlag = true, JushoTeiYmdFushoHyoki = "平成元年１月７日",
        }));
    }

    [Fact]
    public void Ido_date_must_be_real_except_for_birth_and_death()
    {
        var unknown = Base() with { IdoYmd = null, IdoYmdFushoFlag = true, IdoYmdFushoHyoki = "令和５年２月２９日" };
        var f = Assert.Single(Validate(unknown with { IdoJiyu = "11" }));
        Assert.Equal((Rules.DateNotReal, "00100005", "異動年月日", Severity.Error), (f.RuleId, f.ItemId, f.ItemNameJa, f.Severity));
        Assert.Empty(Validate(unknown with { IdoJiyu = "13" }));
        Assert.Empty(Validate(unknown with { IdoYmdFushoHyoki = "令和５年頃", IdoJiyu = "23" }));
        // A real date with the flag 0 is no 不詳, whatever the reason.
        Assert.Empty(Validate(Base() with { IdoYmd = new DateOnly(2023, 2, 28), IdoYmdFushoFlag = false, IdoJiyu = "31" }));
    }

    [Fact]
    public void Removal_date_follows_the_removal_reason()
    {
        var unknown = Base() with { ShojoIdoYmd = null, ShojoIdoYmdFushoFlag = true, ShojoIdoYmdFushoHyoki = "令和６年頃" };
        Assert.Empty(Validate(unknown with { JuminJotai = "4", ShojoJiyu = "23" }));
        Assert.Equal("00100081", Assert.Single(Validate(unknown with { JuminJotai = "3", ShojoJiyu = "21" })).ItemId);
    }

    [Fact]
    public void A_mandatory_date_needs_a_value_or_its_unknown_flag_and_the_flag_needs_its_text()
    {
        var missing = Assert.Single(Validate(Base() with { SeinengappiYmd = null }));
        Assert.Equal((Rules.SpecRequired, "00100022"), (missing.RuleId, missing.ItemId));
        var noText = Assert.Single(Validate(Base() with { SeinengappiYmd = null, SeinengappiYmdFushoFlag = true }));
        Assert.Equal((Rules.SpecRequired, "00100145", "生年月日_不詳表記"), (noText.RuleId, noText.ItemId, noText.ItemNameJa));
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
