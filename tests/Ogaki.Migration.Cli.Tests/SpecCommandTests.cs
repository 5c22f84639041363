namespace Ogaki.Migration.Cli.Tests;

public class SpecCommandTests
{
    [Fact]
    public async Task Spec_diff_prints_the_real_differences_between_the_shipped_versions()
    {
        var r = await CliRunner.RunAsync("spec", "diff", "1.0", "1.1");
        Assert.Equal(ExitCodes.Ok, r.ExitCode);
        Assert.StartsWith("spec diff 1.0 → 1.1: 4 change(s)\n", r.Output, StringComparison.Ordinal);
        Assert.Contains("+ item 00100140: Resident.ShimeiFurigana 氏名の振り仮名", r.Output, StringComparison.Ordinal);
        Assert.Contains("~ item 00100034: Resident.JushoBanchi 住所_番地号表記 — length 50 → 80", r.Output, StringComparison.Ordinal);
        Assert.Contains("+ code CT-IDO-JIYU:51: 振り仮名の記載", r.Output, StringComparison.Ordinal);
        Assert.Empty(r.Error);
    }

    [Fact]
    public async Task An_unknown_spec_version_is_one_clear_line_and_the_invalid_input_code()
    {
        var r = await CliRunner.RunAsync("spec", "diff", "1.0", "9.9");
        Assert.Equal(ExitCodes.InvalidInput, r.ExitCode);
        Assert.Contains("spec version 9.9 not found", r.Error, StringComparison.Ordinal);
        Assert.Contains("available versions: 1.0, 1.1", r.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", r.Error, StringComparison.Ordinal); // no stack trace without --verbose
    }

    [Fact]
    public async Task Spec_import_of_a_file_that_is_no_workbook_is_one_clear_line_and_the_invalid_input_code()
    {
        using var tmp = new TempFolder();
        var notXlsx = Path.Combine(tmp.Path, "items.xlsx");
        await File.WriteAllTextAsync(notXlsx, "データ項目ID,データ項目\n", TestContext.Current.CancellationToken);
        var r = await CliRunner.RunAsync("spec", "import", notXlsx, "--out", Path.Combine(tmp.Path, "standard", "2.0"));
        Assert.Equal(ExitCodes.InvalidInput, r.ExitCode);
        Assert.Contains("items.xlsx: 1 problem(s) — not a readable .xlsx workbook", r.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", r.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(tmp.Path, "standard", "2.0")));
    }

    [Fact]
    public async Task Unknown_options_give_the_invalid_input_code()
    {
        var r = await CliRunner.RunAsync("spec", "diff", "1.0", "1.1", "--frobnicate");
        Assert.Equal(ExitCodes.InvalidInput, r.ExitCode);
        Assert.Contains("--frobnicate", r.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Spec_list_summarises_both_versions()
    {
        var r = await CliRunner.RunAsync("spec", "list");
        Assert.Equal(ExitCodes.Ok, r.ExitCode);
        Assert.Contains("1.0: 11 entities", r.Output, StringComparison.Ordinal);
        Assert.Contains("1.1: 11 entities", r.Output, StringComparison.Ordinal);
        Assert.Contains("JUKI Resident 住民（個人）", r.Output, StringComparison.Ordinal);
    }
}
