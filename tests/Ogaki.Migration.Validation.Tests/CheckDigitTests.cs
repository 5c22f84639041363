using Ogaki.Migration.Spec;
using Ogaki.Migration.Standard;
using Ogaki.Migration.Validation.Checks;

namespace Ogaki.Migration.Validation.Tests;

public class CheckDigitTests
{
    [Theory]
    [InlineData(IdentifierScheme.MyNumber, "123456789018", true)]
    [InlineData(IdentifierScheme.MyNumber, "123456789017", false)]
    [InlineData(IdentifierScheme.MyNumber, "12345678901", false)]
    [InlineData(IdentifierScheme.CorporateNumber, "3011101042092", true)]
    [InlineData(IdentifierScheme.CorporateNumber, "2011101042092", false)]
    [InlineData(IdentifierScheme.LocalGovernmentCode, "212024", true)]
    [InlineData(IdentifierScheme.LocalGovernmentCode, "011011", true)]
    [InlineData(IdentifierScheme.LocalGovernmentCode, "012050", true)]
    [InlineData(IdentifierScheme.LocalGovernmentCode, "212025", false)]
    [InlineData(IdentifierScheme.LocalGovernmentCode, "01101", false)]
    [InlineData(IdentifierScheme.AtenaNumber, "12345674", true)]
    [InlineData(IdentifierScheme.AtenaNumber, "12345675", false)]
    public void Known_values_from_DOMAIN(IdentifierScheme scheme, string value, bool valid) =>
        Assert.Equal(valid, IdentifierChecks.IsValid(scheme, value));

    [Fact]
    public void Check_digits_compute_the_documented_values()
    {
        Assert.Equal(8, CheckDigits.MyNumber("12345678901"));
        Assert.Equal(3, CheckDigits.CorporateNumber("011101042092"));
        Assert.Equal(4, CheckDigits.LocalGovernmentCode("21202"));
        Assert.Equal(1, CheckDigits.LocalGovernmentCode("01101"));
        Assert.Equal(0, CheckDigits.LocalGovernmentCode("01205"));
        Assert.Equal(4, CheckDigits.AtenaNumber("1234567"));
    }

    [Fact]
    public void Atena_remainder_one_follows_the_configured_policy()
    {
        // serial 0000006: 6 × 2 = 12, r = 1 — the case the standard leaves open.
        Assert.Null(CheckDigits.AtenaNumber("0000006"));
        Assert.False(IdentifierChecks.IsValid(IdentifierScheme.AtenaNumber, "00000060", AtenaRemainderOnePolicy.SkipSerial));
        Assert.True(IdentifierChecks.IsValid(IdentifierScheme.AtenaNumber, "00000060", AtenaRemainderOnePolicy.UseZero));
    }

    [Fact]
    public void Record_validator_reports_a_bad_my_number_as_error_without_the_number()
    {
        var resident = Samples.Resident(Samples.Atena("1000001"), Samples.Atena("2000001"), head: true) with { KojinBango = "123456789017" };
        var findings = new List<Finding>();
        new StandardRecordValidator(new ValidationOptions(), Samples.Renderer()).Validate(resident, findings);
        var f = Assert.Single(findings);
        Assert.Equal(Rules.MyNumberCheckDigit, f.RuleId);
        Assert.Equal(Severity.Error, f.Severity);
        Assert.Equal("00100103", f.ItemId);
        Assert.Equal("個人番号", f.ItemNameJa);
        Assert.DoesNotContain("123456789017", f.Message + f.Key, StringComparison.Ordinal);
        Assert.Equal(Samples.Pseudonymizer.Pseudonymize(resident.AtenaNo!), f.Key);
    }

    [Fact]
    public void Item_rules_checked_upstream_are_not_checked_again_but_check_digits_are()
    {
        // Over-long 氏名 breaks a generated item rule; the 個人番号 has a wrong check digit.
        var resident = Samples.Resident(Samples.Atena("1000001"), Samples.Atena("2000001"), head: true) with
        {
            KojinBango = "123456789017", Shimei = new string('山', 200),
        };
        var all = new List<Finding>();
        new StandardRecordValidator(new ValidationOptions(), Samples.Renderer()).Validate(resident, all);
        Assert.Equal([Rules.MyNumberCheckDigit, Rules.SpecLength], all.Select(f => f.RuleId).Order(StringComparer.Ordinal));
        var upstream = new List<Finding>();
        new StandardRecordValidator(new ValidationOptions { ItemRulesCheckedUpstream = true }, Samples.Renderer()).Validate(resident, upstream);
        Assert.Equal([Rules.MyNumberCheckDigit], upstream.Select(f => f.RuleId));
    }

    [Fact]
    public void Valid_record_has_no_findings()
    {
        var resident = Samples.Resident(Samples.Atena("1000001"), Samples.Atena("2000001"), head: true) with { KojinBango = "123456789018", TennyuMaeLgCode = "011011" };
        var findings = new List<Finding>();
        new StandardRecordValidator(new ValidationOptions(), Samples.Renderer()).Validate(resident, findings);
        Assert.Empty(findings);
    }

    [Fact]
    public void Migrated_atena_number_without_check_digit_is_a_warning_by_default_and_configurable()
    {
        var resident = Samples.Resident("12345675", Samples.Atena("2000001"), head: true);
        var findings = new List<Finding>();
        new StandardRecordValidator(new ValidationOptions(), Samples.Renderer()).Validate(resident, findings);
        var f = Assert.Single(findings);
        Assert.Equal((Rules.AtenaCheckDigit, Severity.Warning, "00100001"), (f.RuleId, f.Severity, f.ItemId));

        findings.Clear();
        new StandardRecordValidator(new ValidationOptions { AtenaCheckDigitSeverity = Severity.Error }, Samples.Renderer()).Validate(resident, findings);
        Assert.Equal(Severity.Error, Assert.Single(findings).Severity);
    }

    [Fact]
    public void Bad_local_government_code_is_an_error_and_corporate_numbers_are_checked_when_configured()
    {
        var tax = Samples.Tax(Samples.Atena("1000001"), 2025, 50000m) with { KazeisakiLgCode = "212025" };
        var collection = new TaxCollection { AtenaNo = Samples.Atena("1000001"), KazeiNendo = 2025, ChoshuKbn = "2", ChoshuZeigaku = 1200m, TokuchoGimushaNo = "3011101042093" };
        var options = new ValidationOptions
        {
            IdentifierItems = new Dictionary<string, IdentifierScheme>(ValidationOptions.DefaultIdentifierItems, StringComparer.Ordinal) { ["TokuchoGimushaNo"] = IdentifierScheme.CorporateNumber },
        };
        var validator = new StandardRecordValidator(options, Samples.Renderer());
        var findings = new List<Finding>();
        validator.Validate(tax, findings);
        validator.Validate(collection, findings);
        Assert.Equal(
            [(Rules.LocalGovernmentCodeCheckDigit, "00400006", Severity.Error), (Rules.CorporateNumberCheckDigit, "00400034", Severity.Error)],
            findings.Select(f => (f.RuleId, f.ItemId!, f.Severity)).ToArray());
        findings.Clear();
        validator.Validate(collection with { TokuchoGimushaNo = "3011101042092" }, findings);
        Assert.Empty(findings);
    }

    [Fact]
    public void Juminhyo_code_mismatch_is_only_a_warning()
    {
        // 1234567890 + CD under the 個人番号 weights of the rightmost 10 positions: Σ = 5+8+9+8+35+36+35+32+27 = 195, r = 8 → 3.
        Assert.True(IdentifierChecks.IsValidJuminhyoCode("12345678903"));
        var resident = Samples.Resident(Samples.Atena("1000001"), Samples.Atena("2000001"), head: true) with { JuminhyoCd = "12345678904" };
        var findings = new List<Finding>();
        new StandardRecordValidator(new ValidationOptions(), Samples.Renderer()).Validate(resident, findings);
        Assert.Equal((Rules.JuminhyoCodeCheckDigit, Severity.Warning), (Assert.Single(findings).RuleId, findings[0].Severity));
    }
}
