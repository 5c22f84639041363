using Ogaki.Migration.Spec;
using Ogaki.Migration.Standard;
using Ogaki.Migration.Validation.Checks;

namespace Ogaki.Migration.Validation.Tests;

public class CrossRecordTests
{
    static readonly string A1 = Samples.Atena("1000001");
    static readonly string A2 = Samples.Atena("1000002");
    static readonly string A3 = Samples.Atena("1000003");
    static readonly string S1 = Samples.Atena("2000001");
    static readonly string S2 = Samples.Atena("2000002");
    static readonly string S3 = Samples.Atena("2000003");

    static ValidationSummary Run(IEnumerable<IStandardRecord> records, ValidationOptions? options = null)
    {
        var run = new ValidationRun(options ?? new ValidationOptions { ReferenceDate = new DateOnly(2025, 4, 1) }, Samples.Renderer());
        foreach (var r in records) run.Add(r);
        return run.Complete();
    }

    static (string Rule, string Key)[] Cross(ValidationSummary s) =>
        s.Findings.Where(f => !f.RuleId.StartsWith("spec-", StringComparison.Ordinal)).Select(f => (f.RuleId, f.Key)).ToArray();

    static string P(string v) => Samples.Pseudonymizer.Pseudonymize(v);

    [Fact]
    public void Household_needs_exactly_one_head_among_live_residents()
    {
        var s = Run([
            Samples.Household(S1, A1), Samples.Resident(A1, S1, head: true), Samples.Resident(A2, S1),                   // fine
            Samples.Household(S2, A2), Samples.Resident(A3, S2),                                                        // no head
            Samples.Household(S3, A3),
        ]);
        Assert.Contains((Rules.HouseholdHeadCount, P(S2)), Cross(s));
        Assert.Contains((Rules.HouseholdHeadCount, P(S3)), Cross(s));
        Assert.DoesNotContain(Cross(s), f => f.Key == P(S1));
    }

    [Fact]
    public void Two_heads_and_a_removed_head_are_counted_correctly()
    {
        var s = Run([
            Samples.Household(S1, A1), Samples.Resident(A1, S1, head: true), Samples.Resident(A2, S1, head: true),
            Samples.Household(S2, A3), Samples.Resident(A3, S2, head: true), Samples.Resident(Samples.Atena("1000004"), S2, head: true, jotai: "3"),
        ]);
        Assert.Equal([(Rules.HouseholdHeadCount, P(S1))], Cross(s));
        Assert.Equal("household has 2 世帯主 among its live residents; exactly one is required", s.Findings.Single(f => f.RuleId == Rules.HouseholdHeadCount).Message);
    }

    [Fact]
    public void Declared_head_must_be_the_resident_marked_as_head()
    {
        var s = Run([Samples.Household(S1, A2), Samples.Resident(A1, S1, head: true), Samples.Resident(A2, S1)]);
        var f = Assert.Single(s.Findings);
        Assert.Equal((Rules.HouseholdHeadMismatch, P(S1), "00100123"), (f.RuleId, f.Key, f.ItemId));
    }

    [Fact]
    public void Live_members_need_an_existing_household_in_any_order()
    {
        var s = Run([Samples.Resident(A1, S1, head: true), Samples.Resident(A2, S2, jotai: "9"), Samples.Household(S3, A3), Samples.Resident(A3, S3, head: true)]);
        Assert.Equal([(Rules.MemberHouseholdMissing, P(A1))], Cross(s));
    }

    [Fact]
    public void Taxpayers_and_recipients_resolve_to_residents_or_jutogai()
    {
        var outsider = Samples.Atena("9000001");
        var unknown = Samples.Atena("9000002");
        var records = new IStandardRecord[]
        {
            Samples.Household(S1, A1), Samples.Resident(A1, S1, head: true), Samples.Resident(A2, S1, jotai: "4"),
            Samples.Tax(A1, 2025, 1000m), Samples.Tax(A2, 2025, 1000m), Samples.Tax(outsider, 2025, 1000m), Samples.Tax(unknown, 2024, 1000m),
            Samples.Recipient(A1), Samples.Recipient(unknown),
        };
        var withJutogai = new ValidationOptions { ReferenceDate = new DateOnly(2025, 4, 1), JutogaiAtenaNumbers = new HashSet<string>(StringComparer.Ordinal) { outsider } };
        Assert.Equal(
            [(Rules.RecipientUnresolved, P(unknown)), (Rules.TaxpayerUnresolved, P(unknown) + "/2024")],
            Cross(Run(records, withJutogai)).OrderBy(x => x.Rule, StringComparer.Ordinal).ToArray());
        Assert.Equal(3, Cross(Run(records)).Length); // without the 住登外 register the outsider does not resolve either
    }

    [Fact]
    public void References_to_records_rejected_in_mapping_are_warnings_of_their_own_rule()
    {
        // A1 heads S1 but was rejected in mapping; S2 (household) was rejected; R1 (recipient) was rejected.
        var rejectedHead = A1;
        var recipient = Samples.Atena("1000007");
        var child = Samples.Atena("1000006");
        var unknown = Samples.Atena("9000002");
        var records = new IStandardRecord[]
        {
            Samples.Household(S1, rejectedHead), Samples.Resident(A2, S1),
            Samples.Resident(A3, S2, head: true),
            Samples.Tax(rejectedHead, 2025, 1000m), Samples.Tax(unknown, 2025, 1000m),
            Samples.Recipient(A2),
            Samples.Child(recipient, child, new DateOnly(2015, 5, 1), "1", new YearMonth(2024, 11)),
            Samples.Child(A2, rejectedHead, new DateOnly(2015, 5, 1), "1", new YearMonth(2024, 11)),
        };
        var outside = new OutsideRecords(new HashSet<string>(StringComparer.Ordinal), new Dictionary<string, IReadOnlySet<string>>(StringComparer.Ordinal)
        {
            [ResidentSpec.Entity.Name] = new HashSet<string>(StringComparer.Ordinal) { rejectedHead, child },
            [HouseholdSpec.Entity.Name] = new HashSet<string>(StringComparer.Ordinal) { S2 },
            [AllowanceRecipientSpec.Entity.Name] = new HashSet<string>(StringComparer.Ordinal) { recipient },
        });
        var run = new ValidationRun(new ValidationOptions { ReferenceDate = new DateOnly(2025, 4, 1) }, Samples.Renderer());
        foreach (var r in records) run.Add(r);
        var s = run.Complete(outside);
        var cross = s.Findings.Where(f => !f.RuleId.StartsWith("spec-", StringComparison.Ordinal))
            .Select(f => (f.RuleId, f.Key, f.Severity)).OrderBy(x => x.RuleId, StringComparer.Ordinal).ThenBy(x => x.Key, StringComparer.Ordinal).ToArray();
        Assert.Equal(
            new[]
            {
                (Rules.ChildRecipientRejected, P(recipient) + "/" + P(child) + "/2024-11", Severity.Warning),
                (Rules.ChildResidentRejected, P(A2) + "/" + P(rejectedHead) + "/2024-11", Severity.Warning),
                (Rules.ChildResidentRejected, P(recipient) + "/" + P(child) + "/2024-11", Severity.Warning),
                (Rules.HouseholdHeadRejected, P(S1), Severity.Warning),
                (Rules.MemberHouseholdRejected, P(A3), Severity.Warning),
                (Rules.TaxpayerResidentRejected, P(rejectedHead) + "/2025", Severity.Warning),
                (Rules.TaxpayerUnresolved, P(unknown) + "/2025", Severity.Error), // never in the legacy data at all: still an error
            }.OrderBy(x => x.Item1, StringComparer.Ordinal).ThenBy(x => x.Item2, StringComparer.Ordinal).ToArray(),
            cross);
        // Without knowing the rejects, every one of them is an error.
        var blind = new ValidationRun(new ValidationOptions { ReferenceDate = new DateOnly(2025, 4, 1) }, Samples.Renderer());
        foreach (var r in records) blind.Add(r);
        Assert.All(blind.Complete().Findings.Where(f => !f.RuleId.StartsWith("spec-", StringComparison.Ordinal)), f => Assert.Equal(Severity.Error, f.Severity));
    }

    [Fact]
    public void Child_needs_its_recipient_and_a_resident_record()
    {
        var child = Samples.Atena("1000006");
        var s = Run([
            Samples.Household(S1, A1), Samples.Resident(A1, S1, head: true),
            Samples.Child(A1, child, new DateOnly(2015, 5, 1), "1", new YearMonth(2024, 11)),
        ]);
        var key = P(A1) + "/" + P(child) + "/2024-11";
        Assert.Equal([(Rules.ChildRecipientMissing, key), (Rules.ChildUnresolved, key)], Cross(s).OrderBy(x => x.Rule, StringComparer.Ordinal).ToArray());
    }

    public static TheoryData<string, string, string?, string, string?> AgeCases => new()
    {
        // birth, 児童区分, period end, reference date, expected rule
        { "2006-04-02", "1", null, "2025-03-31", null },                         // 18 on 2024-04-01 → paid to 2025-03-31
        { "2006-04-02", "1", null, "2025-04-01", Rules.ChildAgeOutOfRange },
        { "2006-04-01", "1", null, "2024-10-31", Rules.ChildAgeOutOfRange },     // 18 on 2024-03-31 → paid to 2024-03-31
        { "2008-04-02", "1", "2024-09", "2025-04-01", Rules.ChildAgeOutOfRange },// judged at 2024-09-30 under the 15-year rule
        { "2008-04-02", "1", "2024-11", "2025-04-01", null },                    // judged at 2024-11-30 under the 18-year rule
        { "2002-04-02", "2", null, "2025-03-31", null },                         // 22 on 2024-04-01 → counted to 2025-03-31
        { "2002-04-02", "2", null, "2025-04-01", Rules.ChildAgeOutOfRange },
        { "2010-01-01", "2", null, "2025-04-01", Rules.ChildShouldBePaid },     // still 高校生年代
        { "2026-01-01", "1", null, "2025-04-01", Rules.ChildNotYetBorn },
    };

    [Theory]
    [MemberData(nameof(AgeCases))]
    public void Child_age_fits_the_category_at_the_evaluation_date(string birth, string kbn, string? end, string reference, string? expected)
    {
        var child = Samples.Child(A1, Samples.Atena("1000006"), DateOnly.Parse(birth, System.Globalization.CultureInfo.InvariantCulture), kbn,
            new YearMonth(2024, 4), end is null ? null : YearMonth.Parse(end, null));
        var options = new ValidationOptions { ReferenceDate = DateOnly.Parse(reference, System.Globalization.CultureInfo.InvariantCulture) };
        var findings = new List<Finding>();
        var cross = new CrossRecordValidator(options, Samples.Renderer());
        cross.Observe(child, findings);
        Assert.Equal(expected, findings.SingleOrDefault()?.RuleId);
    }

    [Fact]
    public void Attainment_follows_the_age_calculation_act()
    {
        Assert.Equal(new DateOnly(2024, 3, 31), AllowanceAgeRules.AttainmentDate(new DateOnly(2006, 4, 1), 18));
        Assert.Equal(new DateOnly(2024, 3, 31), AllowanceAgeRules.PaidUntil(new DateOnly(2006, 4, 1), new DateOnly(2024, 10, 1)));
        Assert.Equal(new DateOnly(2025, 3, 31), AllowanceAgeRules.PaidUntil(new DateOnly(2006, 4, 2), new DateOnly(2024, 10, 1)));
        Assert.Equal(new DateOnly(2022, 3, 31), AllowanceAgeRules.PaidUntil(new DateOnly(2006, 4, 2), new DateOnly(2024, 9, 30)));
        Assert.Equal(new DateOnly(2029, 3, 31), AllowanceAgeRules.CountedUntil(new DateOnly(2006, 4, 2)));
        Assert.Equal(new DateOnly(2029, 2, 28), AllowanceAgeRules.AttainmentDate(new DateOnly(2008, 2, 29), 21));
    }

    [Fact]
    public void Summary_counts_every_finding_by_rule_and_severity()
    {
        var s = Run([Samples.Household(S1, A1), Samples.Resident(A1, S1, head: true) with { KojinBango = "123456789017" }, Samples.Resident("12345675", S1)]);
        Assert.Equal(
            [new RuleCount("Resident", Rules.AtenaCheckDigit, Severity.Warning, 1), new RuleCount("Resident", Rules.MyNumberCheckDigit, Severity.Error, 1)],
            s.Counts);
        Assert.Equal((1, 1), (s.Errors, s.Warnings));
        Assert.Equal(2, s.RecordsByEntity["Resident"]);
    }
}
