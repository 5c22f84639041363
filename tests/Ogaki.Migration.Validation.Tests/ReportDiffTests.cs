using Ogaki.Migration.Spec.Privacy;
using Ogaki.Migration.Validation.Privacy;
using Ogaki.Migration.Validation.Reports;
using System.Text;

namespace Ogaki.Migration.Validation.Tests;

public class ReportDiffTests
{
    static async Task<byte[]> Json(bool fixedAfter, Pseudonymizer? p = null) =>
        JsonReport.Write(await ReportSample.BuildAsync(ReportSample.Run(fixedAfter ? "after" : "before"), fixedAfter, pseudonymizer: p));

    static string P(string v) => Samples.Pseudonymizer.Pseudonymize(v);

    [Fact]
    public async Task Fixed_rehearsal_shows_resolved_discrepancies_and_changed_counts()
    {
        var diff = ReportDiff.Compare(await Json(false), await Json(true));
        Assert.True(diff.KeysComparable);
        Assert.False(diff.Truncated);
        Assert.Equal(("discrepancies", "discrepancies"), (diff.BeforeOutcome, diff.AfterOutcome)); // validation errors remain
        Assert.Empty(diff.New);
        Assert.Empty(diff.Changed);
        (string, string, string, string)[] expected =
        [
            ("discrepancy:fieldMismatch", "Resident", P(ReportSample.B), "00100008,00100103"),
            ("discrepancy:missingInTarget", "Resident", P(ReportSample.C), ""),
            ("discrepancy:unexpectedInTarget", "Resident", P(ReportSample.D), ""),
            ("discrepancy:fieldMismatch", "TaxAssessment", P(ReportSample.A) + "/2025", "00400017"),
        ];
        Assert.Equal(expected.Order(), diff.Resolved.Select(i => (i.Category, i.Entity, i.Identity, i.Detail)).Order());
        Assert.Contains(new CountChange("Resident", "matched", 1, 3), diff.CountChanges);
        Assert.Contains(new CountChange("Resident", "missingInTarget", 1, 0), diff.CountChanges);
        var total = Assert.Single(diff.TotalChanges);
        Assert.Equal(("TaxAssessment.NenZeigaku.sum-by-KazeiNendo", "課税年度=2025", "130457", false, "130456", true),
            (total.Name, total.Group, total.BeforeTarget, total.BeforeMatches, total.AfterTarget, total.AfterMatches));
        var md = diff.ToMarkdown();
        Assert.Contains("## 解消 / Resolved (4)", md, StringComparison.Ordinal);
        Assert.Contains("## 新規 / New (0)", md, StringComparison.Ordinal);
        Assert.Contains("resolved discrepancy:missingInTarget Resident " + P(ReportSample.C), diff.ToText(), StringComparison.Ordinal);
        Assert.False(PersonalDataScanner.ContainsMyNumber(md + diff.ToText()));
    }

    [Fact]
    public async Task The_summary_comes_first_with_each_runs_outcome_its_counts_and_the_control_totals_that_changed()
    {
        var diff = ReportDiff.Compare(await Json(false), await Json(true));
        Assert.Equal(("before", "discrepancies", 1, 4L, 4L), (diff.Before!.RunId, diff.Before.Outcome, diff.Before.ExitCode, diff.Before.Discrepancies, diff.Before.Rejects));
        Assert.Equal(("after", 0L), (diff.After!.RunId, diff.After.Discrepancies));
        Assert.Equal((1L, 0L), (diff.Before.ControlTotalsDiffering, diff.After.ControlTotalsDiffering));

        var text = diff.ToText();
        var detail = text.IndexOf("== detail ==", StringComparison.Ordinal);
        Assert.StartsWith("== summary ==\nruns: before -> after\noutcome: discrepancies (exit 1) -> discrepancies (exit 1)\n", text, StringComparison.Ordinal);
        var summary = text[..detail];
        Assert.Contains("差異 / discrepancies", summary, StringComparison.Ordinal);
        Assert.Matches(@"差異 / discrepancies +4 -> +0  \*", summary);
        Assert.Matches(@"不正 / rejects +4 -> +4\n", summary); // unchanged: not starred
        Assert.Contains("changes: ", summary, StringComparison.Ordinal);
        Assert.Contains("discrepancy: 0 new, 4 resolved, 0 changed", summary, StringComparison.Ordinal);
        Assert.Contains("control totals that changed:\n  TaxAssessment.NenZeigaku.sum-by-KazeiNendo [課税年度=2025]: 130456 / 130457 (NG) -> 130456 / 130456\n", summary, StringComparison.Ordinal);
        Assert.True(text.IndexOf("resolved discrepancy:", StringComparison.Ordinal) > detail); // the detail follows the summary

        var md = diff.ToMarkdown();
        var at = (string s) => md.IndexOf(s, StringComparison.Ordinal);
        Assert.True(at("## 概要 / Summary") < at("| 結果 / Outcome | discrepancies (exit 1) | discrepancies (exit 1) |"));
        Assert.True(at("| 差異 / discrepancies | 4 | 0 ◀ |") < at("## 管理合計の変化 / Control total changes"));
        Assert.True(at("## 管理合計の変化 / Control total changes") < at("# 明細 / Detail"));
        Assert.True(at("# 明細 / Detail") < at("## 件数の変化 / Count changes"));
    }

    [Fact]
    public async Task Reverse_direction_shows_the_same_items_as_new()
    {
        var diff = ReportDiff.Compare(await Json(true), await Json(false));
        Assert.Equal(4, diff.New.Count);
        Assert.Empty(diff.Resolved);
    }

    [Fact]
    public async Task Identical_reports_have_no_changes()
    {
        var a = await Json(false);
        var diff = ReportDiff.Compare(a, a);
        Assert.False(diff.HasChanges);
        Assert.Contains("No changes.", diff.ToMarkdown(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Different_pseudonym_keys_are_flagged()
    {
        var other = new Pseudonymizer("another-key-for-the-other-rehearsal");
        var diff = ReportDiff.Compare(await Json(false), await Json(false, other));
        Assert.False(diff.KeysComparable);
        Assert.Contains("different pseudonymisation keys", diff.ToMarkdown(), StringComparison.Ordinal);
    }

    [Fact]
    public void Non_report_input_is_rejected_clearly()
    {
        var ex = Assert.Throws<InvalidDataException>(() => ReportDiff.Compare("{\"x\":1}", "{}"));
        Assert.Equal("the before file is not a reconciliation report (schema ogaki-migration/reconciliation)", ex.Message);
        Assert.Throws<InvalidDataException>(() => ReportDiff.Compare(Encoding.UTF8.GetBytes("not json"), Encoding.UTF8.GetBytes("{}")));
    }
}

public class PrivacyTests
{
    [Fact]
    public void Key_comes_from_the_environment_and_the_development_key_never_in_ci()
    {
        Assert.Equal(PseudonymKeySource.Environment, Pseudonymizer.FromValues("a-production-key-from-the-vault", "true").Source);
        var dev = Pseudonymizer.FromValues(null, "false");
        Assert.True(dev.IsDevelopmentKey);
        Assert.Equal(new Pseudonymizer(Pseudonymizer.DevelopmentKey).Pseudonymize("12345674"), dev.Pseudonymize("12345674"));
        var ex = Assert.Throws<PseudonymKeyMissingException>(() => Pseudonymizer.FromValues("", "true"));
        Assert.Contains("OGAKI_PSEUDONYM_KEY", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new Pseudonymizer("short"));
        // A too-short key from the environment is the operator's configuration error, named without the key.
        var tooShort = Assert.Throws<PseudonymKeyMissingException>(() => Pseudonymizer.FromValues("short-secret", "false"));
        Assert.Equal("OGAKI_PSEUDONYM_KEY has 12 characters; a key needs at least 16", tooShort.Message);
    }

    [Fact]
    public void Pseudonyms_are_stable_keyed_and_digit_free()
    {
        var p = Samples.Pseudonymizer;
        var q = new Pseudonymizer("a-completely-different-key-123");
        Assert.Equal(p.Pseudonymize("12345674"), p.Pseudonymize("12345674"));
        Assert.NotEqual(p.Pseudonymize("12345674"), q.Pseudonymize("12345674"));
        Assert.NotEqual(p.Pseudonymize("12345674"), p.HideSecret("12345674")); // separate domains
        Assert.NotEqual(p.KeyId, q.KeyId);
        foreach (var s in new[] { p.Pseudonymize("123456789018"), p.HideSecret("123456789018"), p.Tag("山田"), p.KeyId })
            Assert.Matches("^[a-p-]+$", s);
        Assert.Matches("^p-[a-p]{16}$", p.Pseudonymize("1"));
    }

    [Theory]
    [InlineData("番号 123456789018 です", 1, 4)]
    [InlineData("a\nb,1234 5678 9018,c", 2, 3)]
    [InlineData("1234-5678-9018", 1, 1)]
    [InlineData("１２３４５６７８９０１８", 1, 1)]
    public void Scanner_finds_clear_my_numbers(string text, int line, int column)
    {
        var hit = Assert.Single(PersonalDataScanner.ScanText(text, "f.txt"));
        Assert.Equal(("f.txt", line, column, "9018"), (hit.File, hit.Line, hit.Column, hit.LastFourDigits));
        Assert.DoesNotContain("123456789018", hit.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("123456789017")]      // wrong check digit
    [InlineData("1123456789018")]     // part of a longer number
    [InlineData("1234567890180")]
    [InlineData("12345678901")]
    [InlineData("1234 5678-9018")]    // mixed separators
    [InlineData("p-abcdefghijklmnop")]
    public void Scanner_ignores_what_is_not_a_my_number(string text) => Assert.Empty(PersonalDataScanner.ScanText(text));

    [Fact]
    public void Redaction_replaces_every_my_number()
    {
        Assert.Equal("a [個人番号] b [個人番号] c 123456789017", PersonalDataScanner.RedactMyNumbers("a 123456789018 b 2345-6789-0121 c 123456789017"));
        Assert.Equal("nothing here", PersonalDataScanner.RedactMyNumbers("nothing here"));
    }

    [Fact]
    public void Items_are_classified_for_masking()
    {
        var r = Ogaki.Migration.Standard.ResidentSpec.Entity;
        PersonalDataKind K(string id) => PersonalDataClassifier.Classify(r.Find(id)!);
        Assert.Equal(PersonalDataKind.Secret, K("KojinBango"));
        Assert.Equal(PersonalDataKind.Identifier, K("AtenaNo"));
        Assert.Equal(PersonalDataKind.Name, K("Shimei"));
        Assert.Equal(PersonalDataKind.Name, K("ShimeiFurigana"));
        Assert.Equal(PersonalDataKind.Address, K("JushoBanchi"));
        Assert.Equal(PersonalDataKind.Address, K("TennyuMaeKokugaiJusho"));
        Assert.Equal(PersonalDataKind.None, K("JushoLgCode"));
        Assert.Equal(PersonalDataKind.None, K("JushoTeiYmd"));
        Assert.Equal(PersonalDataKind.BirthDate, K("SeinengappiYmd"));
        Assert.Equal(PersonalDataKind.None, K("JuminJotai"));
    }
}

public class ScannerModeTests
{
    [Fact]
    public void Bounded_mode_ignores_numbers_inside_tokens_such_as_hex_digests()
    {
        Assert.Empty(PersonalDataScanner.ScanText("sha256:ab123456789018cd"));
        Assert.Empty(PersonalDataScanner.ScanText("x123456789018"));
        Assert.Single(PersonalDataScanner.ScanText("\"123456789018\""));
        Assert.Single(PersonalDataScanner.ScanText("番号123456789018です"));
    }

    [Fact]
    public void Any_window_mode_finds_a_number_between_fixed_width_digit_fields()
    {
        // 消除の異動年月日 0000000 + 個人番号 + 住民票コード, as in a fixed-width JUMIN record.
        var record = "  0000000" + "123456789018" + "12345678903" + "  ";
        Assert.Empty(PersonalDataScanner.ScanText(record));
        var hits = PersonalDataScanner.ScanText(record, "JUMIN.dat", MyNumberScanMode.AnyWindow);
        Assert.Contains(hits, h => h.Column == 10 && h.LastFourDigits == "9018");
        Assert.All(hits, h => Assert.Equal("JUMIN.dat", h.File));
    }
}
