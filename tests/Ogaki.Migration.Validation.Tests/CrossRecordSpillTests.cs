using Ogaki.Migration.Mappers.Conversions;
using Ogaki.Migration.Spec;
using Ogaki.Migration.Standard;
using Ogaki.Migration.Validation.Checks;

namespace Ogaki.Migration.Validation.Tests;

/// <summary>
/// The cross-record rules on sorted runs on disk give exactly the findings (same ones, same order) that the
/// in-memory collections they replaced gave: checked against a reference kept here, on random records full of
/// duplicates, with runs so small that every stream spills.
/// </summary>
public class CrossRecordSpillTests
{
    static readonly DateOnly Reference = new(2025, 4, 1);

    [Theory]
    [InlineData(1, 2)]
    [InlineData(2, 3)]
    [InlineData(3, 7)]
    [InlineData(4, 1 << 15)]
    [InlineData(5, 2)]
    [InlineData(6, 5)]
    public void Findings_equal_the_in_memory_reference_on_random_records(int seed, int chunkRows)
    {
        var random = new Random(seed);
        var records = RandomRecords(random, 600);
        var outside = RandomOutside(random);
        using var temp = new TempFolder();

        var findings = new List<Finding>();
        using (var validator = new CrossRecordValidator(new ValidationOptions { ReferenceDate = Reference }, Samples.Renderer(), temp.Path, chunkRows))
        {
            foreach (var r in records) validator.Observe(r, findings);
            if (chunkRows < 10) Assert.NotEmpty(Directory.GetFiles(temp.Path)); // the streams did spill
            findings.RemoveAll(f => !IsReference(f)); // the age rules are not part of the reference
            validator.Complete(findings, outside);
        }

        var expected = InMemoryReference(records, outside);
        Assert.True(expected.Count > 20, "the random records should break every rule a few times");
        Assert.Equal(expected, findings.Select(f => (f.Entity, f.Key, f.RuleId, f.Severity)).ToList());
        Assert.Empty(Directory.GetFiles(temp.Path)); // Complete removed its runs
    }

    [Fact]
    public void Dispose_without_complete_removes_the_spill_files()
    {
        using var temp = new TempFolder();
        var findings = new List<Finding>();
        using (var validator = new CrossRecordValidator(new ValidationOptions { ReferenceDate = Reference }, Samples.Renderer(), temp.Path, chunkRows: 2))
        {
            foreach (var r in RandomRecords(new Random(7), 200)) validator.Observe(r, findings);
            Assert.NotEmpty(Directory.GetFiles(temp.Path));
        }
        Assert.Empty(Directory.GetFiles(temp.Path));
    }

    [Fact]
    public void Keys_sort_ordinally_whatever_their_characters()
    {
        // UTF-16 order differs from UTF-8 (code point) order for characters above the surrogates: ordinal is the rule.
        string[] atena = ["A", "AB", "\uFF21", "\uD83D\uDE00", "Ａ1", "", "a"];
        var records = atena.Where(a => a.Length > 0).Select(a => (IStandardRecord)new AllowanceRecipient { AtenaNo = a }).ToList();
        var findings = new List<Finding>();
        using var temp = new TempFolder();
        using var validator = new CrossRecordValidator(new ValidationOptions { ReferenceDate = Reference }, Samples.Renderer(), temp.Path, chunkRows: 2);
        foreach (var r in records) validator.Observe(r, findings);
        validator.Complete(findings, OutsideRecords.None);
        var expected = atena.Where(a => a.Length > 0).Order(StringComparer.Ordinal).Select(a => Samples.Pseudonymizer.Pseudonymize(a)).ToList();
        Assert.Equal(expected, findings.Select(f => f.Key).ToList());
    }

    static bool IsReference(Finding f) => CrossRecordRules.All.Any(r => r.BrokenRule == f.RuleId || r.RejectedRule == f.RuleId);

    static List<IStandardRecord> RandomRecords(Random random, int count)
    {
        string? Atena() => random.Next(20) switch { 0 => null, 1 => "", _ => "A" + random.Next(60).ToString("D2", System.Globalization.CultureInfo.InvariantCulture) };
        string? Setai() => random.Next(20) switch { 0 => null, 1 => "", _ => "S" + random.Next(25).ToString("D2", System.Globalization.CultureInfo.InvariantCulture) };
        var records = new List<IStandardRecord>();
        for (var i = 0; i < count; i++)
        {
            records.Add(random.Next(6) switch
            {
                0 or 1 => new Resident
                {
                    AtenaNo = Atena(), SetaiNo = Setai(), JuminJotai = random.Next(4) == 0 ? "3" : "1",
                    ZokugaraCd1 = random.Next(3) == 0 ? "02" : "21",
                },
                2 => new Household { SetaiNo = Setai(), SetainushiAtenaNo = Atena() },
                3 => new TaxAssessment { AtenaNo = Atena(), KazeiNendo = random.Next(4) == 0 ? null : 2023 + random.Next(3) },
                4 => new AllowanceRecipient { AtenaNo = Atena() },
                _ => new AllowanceChild
                {
                    JukyushaAtenaNo = Atena(), JidoAtenaNo = Atena(),
                    TekiyoKaishiYm = random.Next(5) == 0 ? null : new YearMonth(2024, 1 + random.Next(12)),
                },
            });
        }
        return records;
    }

    static OutsideRecords RandomOutside(Random random)
    {
        HashSet<string> Some(string prefix, int range, int n) =>
            Enumerable.Range(0, n).Select(_ => prefix + random.Next(range).ToString("D2", System.Globalization.CultureInfo.InvariantCulture)).ToHashSet(StringComparer.Ordinal);
        return new OutsideRecords(Some("A", 60, 6), new Dictionary<string, IReadOnlySet<string>>
        {
            [nameof(Resident)] = Some("A", 60, 10),
            [nameof(Household)] = Some("S", 25, 5),
            [nameof(AllowanceRecipient)] = Some("A", 60, 8),
        });
    }

    /// <summary>The cross-record rules as the in-memory collections computed them (the order findings were produced in).</summary>
    static List<(string Entity, string Key, string Rule, Severity Severity)> InMemoryReference(List<IStandardRecord> records, OutsideRecords outside)
    {
        var residents = new HashSet<string>(StringComparer.Ordinal);
        var live = new Dictionary<string, string>(StringComparer.Ordinal);
        var heads = new Dictionary<string, (int Count, string First)>(StringComparer.Ordinal);
        var households = new Dictionary<string, string?>(StringComparer.Ordinal);
        var taxpayers = new List<(string, int?)>();
        var recipients = new HashSet<string>(StringComparer.Ordinal);
        var children = new List<AllowanceChild>();
        foreach (var record in records)
        {
            switch (record)
            {
                case Resident r when !string.IsNullOrEmpty(r.AtenaNo):
                    residents.Add(r.AtenaNo);
                    if (r.JuminJotai == "1" && !string.IsNullOrEmpty(r.SetaiNo))
                    {
                        live[r.AtenaNo] = r.SetaiNo;
                        if (r.ZokugaraCd1 == "02") heads[r.SetaiNo] = heads.TryGetValue(r.SetaiNo, out var h) ? (h.Count + 1, h.First) : (1, r.AtenaNo);
                    }
                    break;
                case Household h when !string.IsNullOrEmpty(h.SetaiNo): households[h.SetaiNo] = h.SetainushiAtenaNo; break;
                case TaxAssessment t when !string.IsNullOrEmpty(t.AtenaNo): taxpayers.Add((t.AtenaNo, t.KazeiNendo)); break;
                case AllowanceRecipient a when !string.IsNullOrEmpty(a.AtenaNo): recipients.Add(a.AtenaNo); break;
                case AllowanceChild c: children.Add(c); break;
            }
        }
        string P(string v) => Samples.Pseudonymizer.Pseudonymize(v);
        bool Resolves(string a) => residents.Contains(a) || outside.JutogaiAtenaNumbers.Contains(a);
        var found = new List<(string, string, string, Severity)>();
        void Broken(CrossRecordRule rule, string key, bool rejected) =>
            found.Add((rule.Entity, key, rejected ? rule.RejectedRule! : rule.BrokenRule!, rejected ? Severity.Warning : Severity.Error));
        foreach (var s in households.Keys.Order(StringComparer.Ordinal))
        {
            var h = heads.GetValueOrDefault(s);
            if (h.Count == 0 && households[s] is { Length: > 0 } head && outside.IsRejected(nameof(Resident), head))
                found.Add((nameof(Household), P(s), CrossRecordRules.HouseholdHead.RejectedRule!, Severity.Warning));
            else if (h.Count != 1) found.Add((nameof(Household), P(s), CrossRecordRules.HouseholdHead.BrokenRule!, Severity.Error));
            else if (households[s] is { Length: > 0 } declared && declared != h.First)
                found.Add((nameof(Household), P(s), CrossRecordRules.HouseholdHeadDeclared.BrokenRule!, Severity.Error));
        }
        foreach (var (a, s) in live.OrderBy(p => p.Key, StringComparer.Ordinal))
            if (!households.ContainsKey(s)) Broken(CrossRecordRules.MemberHousehold, P(a), outside.IsRejected(nameof(Household), s));
        foreach (var (a, n) in taxpayers)
            if (!Resolves(a)) Broken(CrossRecordRules.Taxpayer, P(a) + "/" + (n?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "(null)"), outside.IsRejected(nameof(Resident), a));
        foreach (var a in recipients.Order(StringComparer.Ordinal))
            if (!Resolves(a)) Broken(CrossRecordRules.Recipient, P(a), outside.IsRejected(nameof(Resident), a));
        foreach (var c in children)
        {
            var key = (c.JukyushaAtenaNo is null ? "(null)" : P(c.JukyushaAtenaNo)) + "/" + (c.JidoAtenaNo is null ? "(null)" : P(c.JidoAtenaNo))
                + "/" + (c.TekiyoKaishiYm?.ToString() ?? "(null)");
            if (!string.IsNullOrEmpty(c.JidoAtenaNo) && !Resolves(c.JidoAtenaNo)) Broken(CrossRecordRules.Child, key, outside.IsRejected(nameof(Resident), c.JidoAtenaNo));
            if (!string.IsNullOrEmpty(c.JukyushaAtenaNo) && !recipients.Contains(c.JukyushaAtenaNo))
                Broken(CrossRecordRules.ChildRecipient, key, outside.IsRejected(nameof(AllowanceRecipient), c.JukyushaAtenaNo));
        }
        return found;
    }

    sealed class TempFolder : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("ogaki-cross-").FullName;

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
