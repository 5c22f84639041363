namespace Ogaki.Migration.Spec.Tests;

public class CheckDigitTests
{
    [Fact]
    public void My_number_check_digit_matches_the_ministerial_ordinance_example()
    {
        Assert.Equal(8, CheckDigits.MyNumber("12345678901"));
        Assert.True(CheckDigits.IsValidMyNumber("123456789018"));
        Assert.False(CheckDigits.IsValidMyNumber("123456789017"));
        Assert.False(CheckDigits.IsValidMyNumber("12345678901"));
        Assert.False(CheckDigits.IsValidMyNumber("12345678901X"));
    }

    [Fact]
    public void Corporate_number_check_digit_comes_first()
    {
        Assert.Equal(3, CheckDigits.CorporateNumber("011101042092"));
        Assert.True(CheckDigits.IsValidCorporateNumber("3011101042092"));
        Assert.False(CheckDigits.IsValidCorporateNumber("4011101042092"));
    }

    [Theory]
    [InlineData("212024")] // 大垣市
    [InlineData("011011")] // r = 0
    [InlineData("012050")] // r = 1
    [InlineData("210005")] // 岐阜県
    public void Local_government_codes_validate(string code) => Assert.True(CheckDigits.IsValidLocalGovernmentCode(code));

    [Fact]
    public void Atena_number_uses_modulus_11_with_weights_2_to_7_and_a_configurable_remainder_one()
    {
        Assert.Equal(4, CheckDigits.AtenaNumber("1234567"));
        Assert.True(CheckDigits.IsValidAtenaNumber("12345674"));
        Assert.False(CheckDigits.IsValidAtenaNumber("12345675"));
        // 0000006: Σ = 6·2 = 12, r = 1: not specified by the standard.
        Assert.Null(CheckDigits.AtenaNumber("0000006", AtenaRemainderOnePolicy.SkipSerial));
        Assert.Equal(0, CheckDigits.AtenaNumber("0000006", AtenaRemainderOnePolicy.UseZero));
        Assert.False(CheckDigits.IsValidAtenaNumber("00000060"));
        Assert.True(CheckDigits.IsValidAtenaNumber("00000060", AtenaRemainderOnePolicy.UseZero));
    }
}
