using Ogaki.Migration.Spec;
using Ogaki.Migration.Standard;
using Ogaki.Migration.Validation.Canonical;
using Ogaki.Migration.Validation.Privacy;
using Ogaki.Migration.Validation.Reconciliation;

namespace Ogaki.Migration.Validation.Tests;

public class MergeDiffTests
{
    static readonly SpecEntity Installment = TaxInstallmentSpec.Entity;
    static readonly string A = Samples.Atena("1000001");
    static readonly string B = Samples.Atena("1000002");
    static readonly string C = Samples.Atena("1000003");
    static readonly string D = Samples.Atena("1000004");
    static readonly string E = Samples.Atena("1000006");

    static string Key(string atena, int nendo, int kibetsu) =>
        Samples.Pseudonymizer.Pseudonymize(atena) + "/" + nendo.ToString(System.Globalization.CultureInfo.InvariantCulture) + "/" + kibetsu.ToString(System.Globalization.CultureInfo.InvariantCulture);

    static List<object?[]> Source() =>
    [
        Samples.Installment(A, 2025, 1, 10000m),
        Samples.Installment(B, 2025, 1, 20000m),
        Samples.Installment(C, 2025, 1, 30000m),
        Samples.Installment(D, 2025, 1, 40000m),
    ];

    static List<object?[]> Target() =>
    [
        Samples.Installment(A, 2025, 1, 10000.00m), // same amount, other scale: matched
        Samples.Installment(C, 2025, 1, 30001m),    // field mismatch
        Samples.Installment(D, 2025, 1, 40000m),    // duplicate
        Samples.Installment(D, 2025, 1, 40000m),
        Samples.Installment(E, 2025, 1, 50000m),    // unexpected
    ];

    static Task<EntityReconciliation> Reconcile(IEnumerable<object?[]> source, bool sourceSorted, IEnumerable<object?[]> target, bool targetSorted = true,
        ReconcileOptions? options = null, SourceCounts? counts = null) =>
        new Reconciler(options ?? new ReconcileOptions(), Samples.Renderer())
            .ReconcileEntityAsync(Installment, Samples.Stream(source), sourceSorted, Samples.Stream(target), targetSorted, counts, TestContext.Current.CancellationToken);

    [Fact]
    public async Task Side_digests_are_the_sha256_of_the_canonical_rows_in_key_order_as_table_checksums_are()
    {
        var r = await Reconcile(Source().AsEnumerable().Reverse(), false, Target());
        static string Digest(IEnumerable<object?[]> rows)
        {
            using var hasher = new RowHasher();
            foreach (var row in rows.OrderBy(x => x, new RowKeyComparer(Installment))) hasher.AddRow(row);
            return Convert.ToBase64String(Convert.FromHexString(hasher.Finish())).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        }
        Assert.Equal(Digest(Source()), r.SourceDigest);
        Assert.Equal(Digest(Target()), r.TargetDigest);
        Assert.NotEqual(r.SourceDigest, r.TargetDigest);
    }

    [Fact]
    public async Task Every_kind_is_found_with_exact_counts_and_details()
    {
        var r = await Reconcile(Source(), true, Target());
        Assert.Null(r.Error);
        Assert.Equal((4L, 5L, 1L, 0L, 1L, 1L, 1L, 1L), (r.Mapped, r.Loaded, r.Matched, r.MatchedWithinTolerance, r.MissingInTarget, r.UnexpectedInTarget, r.Duplicates, r.FieldMismatches));
        var expected = new[]
        {
            new Discrepancy("TaxInstallment", DiscrepancyKind.MissingInTarget, Key(B, 2025, 1), 1, 0, []),
            new Discrepancy("TaxInstallment", DiscrepancyKind.FieldMismatch, Key(C, 2025, 1), 1, 1, [new FieldDifference("00400055", "期別税額", "KibetsuZeigaku", "30000", "30001")]),
            new Discrepancy("TaxInstallment", DiscrepancyKind.Duplicate, Key(D, 2025, 1), 1, 2, []),
            new Discrepancy("TaxInstallment", DiscrepancyKind.UnexpectedInTarget, Key(E, 2025, 1), 0, 1, []),
        }.OrderBy(d => d.Key, StringComparer.Ordinal).ToList();
        Assert.Equal(expected.Count, r.Discrepancies.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i] with { Fields = [] }, r.Discrepancies[i] with { Fields = [] });
            Assert.Equal(expected[i].Fields, r.Discrepancies[i].Fields);
        }
        Assert.Contains(r.Problems(), p => p == "TaxInstallment: loaded 5 ≠ mapped 4");
    }

    [Fact]
    public async Task Unsorted_source_spilled_to_disk_gives_the_same_result()
    {
        var sorted = await Reconcile(Source(), true, Target());
        var shuffled = Source();
        shuffled.Reverse();
        var temp = Directory.CreateTempSubdirectory("ogaki-spill-");
        try
        {
            var spilled = await Reconcile(shuffled, false, Target(), options: new ReconcileOptions { SortChunkRows = 1, TempDirectory = temp.FullName });
            Assert.Equal(sorted.Discrepancies.Select(d => (d.Kind, d.Key)), spilled.Discrepancies.Select(d => (d.Kind, d.Key)));
            Assert.Equal(sorted.SourceDigest, spilled.SourceDigest);
            Assert.Equal(sorted.ControlTotals, spilled.ControlTotals);
            Assert.Empty(Directory.GetFiles(temp.FullName)); // spill files are deleted
        }
        finally
        {
            temp.Delete(true);
        }
    }

    [Fact]
    public async Task Target_out_of_key_order_is_an_error_not_a_crash()
    {
        var target = Target();
        (target[0], target[1]) = (target[1], target[0]);
        var r = await Reconcile(Source(), true, target);
        Assert.Equal("RowOrderException: target rows of TaxInstallment are not in key order at row 2", r.Error);
        // Counts of an entity that was not compared mean nothing: its error is its one problem.
        Assert.Equal(["TaxInstallment: not compared: " + r.Error], r.Problems());
    }

    [Fact]
    public async Task Key_order_is_typed_ordinal_for_strings_and_numeric_for_numbers()
    {
        // 期別 2 < 10 numerically although "10" < "2" as text; the merge must agree with the target's order.
        var rows = new List<object?[]> { Samples.Installment(A, 2025, 2, 1m), Samples.Installment(A, 2025, 10, 1m) };
        var r = await Reconcile(rows, true, rows);
        Assert.Null(r.Error);
        Assert.Equal(2, r.Matched);
    }

    [Fact]
    public async Task Amount_tolerance_is_explicit_and_off_by_default()
    {
        var options = new ReconcileOptions { Tolerances = [new ToleranceRule("TaxInstallment", "KibetsuZeigaku", AbsoluteAmount: 1m)] };
        var r = await Reconcile(Source(), true, Target(), options: options);
        Assert.Equal((0L, 1L, 1L), (r.FieldMismatches, r.MatchedWithinTolerance, r.Matched));
        var ignored = await Reconcile(Source(), true, Target(), options: new ReconcileOptions { Tolerances = [new ToleranceRule("*", "KibetsuZeigaku", Ignore: true)] });
        Assert.Equal(1, ignored.MatchedWithinTolerance);
    }

    [Fact]
    public async Task Counts_balance_read_against_mapped_rejected_and_excluded()
    {
        var counts = new SourceCounts(7, new Dictionary<string, long> { ["invalid-packed-decimal"] = 2 }, new Dictionary<string, long> { ["out-of-scope"] = 1 });
        var r = await Reconcile(Source(), true, Source(), counts: counts);
        Assert.True(r.SourceBalanced);
        Assert.Empty(r.Problems());
        var unbalanced = await Reconcile(Source(), true, Source(), counts: counts with { Read = 8 });
        Assert.Equal(["TaxInstallment: read 8 ≠ mapped 4 + rejected 2 + excluded 1"], unbalanced.Problems());
    }

    [Fact]
    public async Task Discrepancy_details_are_capped_but_all_counted()
    {
        var source = Enumerable.Range(1, 50).Select(i => Samples.Installment(A, 2025, i, i)).ToList();
        var r = await Reconcile(source, true, [], options: new ReconcileOptions { MaxDiscrepancyDetails = 10 });
        Assert.Equal(50, r.MissingInTarget);
        Assert.Equal(10, r.Discrepancies.Count);
        Assert.True(r.DiscrepanciesTruncated);
    }

    [Fact]
    public async Task Personal_items_are_masked_and_my_number_is_never_shown()
    {
        var resident = Samples.Resident(A, Samples.Atena("2000001"), head: true) with { KojinBango = "123456789018" };
        var changed = resident with { Shimei = "山田　花子", KojinBango = "234567890121" };
        Assert.True(CheckDigits.IsValidMyNumber("234567890121")); // a real-looking number, so the test means something
        foreach (var unmask in new[] { false, true })
        {
            var r = await new Reconciler(new ReconcileOptions(), Samples.Renderer(unmask)).ReconcileEntityAsync(ResidentSpec.Entity,
                Samples.Stream([Samples.Row(resident)]), true, Samples.Stream([Samples.Row(changed)]), true, null, TestContext.Current.CancellationToken);
            var fields = Assert.Single(r.Discrepancies).Fields;
            Assert.Equal(["00100008", "00100103"], fields.Select(f => f.ItemId));
            var name = fields[0];
            var number = fields[1];
            Assert.Equal(unmask ? "山田　太郎" : "masked-" + Samples.Pseudonymizer.Tag("山田　太郎"), name.Source);
            Assert.Equal(Samples.Pseudonymizer.HideSecret("123456789018"), number.Source);
            Assert.Equal(Samples.Pseudonymizer.HideSecret("234567890121"), number.Target);
            Assert.False(PersonalDataScanner.ContainsMyNumber(string.Join(" ", fields.Select(f => f.Source + " " + f.Target))));
        }
    }
}

public class ControlTotalTests
{
    [Fact]
    public void Sums_past_the_whole_number_fast_path_stay_exact()
    {
        // 80 amounts of 10^16 − 1 (beyond 5·10^17 the running long hands over to the decimal), negatives and a fraction.
        var entity = TaxCollectionSpec.Entity;
        var acc = new ControlTotalAccumulator(entity, ControlTotalCatalog.For(entity));
        var atena = Samples.Atena("1000001");
        decimal[] amounts = [.. Enumerable.Repeat(9_999_999_999_999_999m, 80), -3m, -9_999_999_999_999_999m, 0.5m, 12_345_678_901_234_567_890m];
        foreach (var a in amounts)
            acc.Add(Samples.Row(new TaxCollection { AtenaNo = atena, KazeiNendo = 2025, ChoshuKbn = "1", ChoshuZeigaku = a }));
        var sum = ControlTotalAccumulator.Compare(acc, acc).Single(t => t.Name == "TaxCollection.ChoshuZeigaku.sum-by-KazeiNendo-ChoshuKbn");
        Assert.Equal(amounts.Sum(), sum.Source);
        Assert.Equal(amounts.Length, ControlTotalAccumulator.Compare(acc, acc).Single(t => t.Name == "TaxCollection.count-by-KazeiNendo-ChoshuKbn").Source);
    }

    [Fact]
    public void Collection_totals_per_year_and_method_are_exact_decimals()
    {
        var entity = TaxCollectionSpec.Entity;
        var source = new ControlTotalAccumulator(entity, ControlTotalCatalog.For(entity));
        var target = new ControlTotalAccumulator(entity, ControlTotalCatalog.For(entity));
        var atena = Samples.Atena("1000001");
        TaxCollection Row(int nendo, string kbn, decimal amount) => new() { AtenaNo = atena, KazeiNendo = nendo, ChoshuKbn = kbn, ChoshuZeigaku = amount };
        foreach (var r in new[] { Row(2025, "1", 99_999_999_999m), Row(2025, "1", 99_999_999_999m), Row(2025, "2", 0.1m), Row(2025, "2", 0.2m), Row(2024, "1", 1m) })
            source.Add(Samples.Row(r));
        foreach (var r in new[] { Row(2025, "1", 99_999_999_999m), Row(2025, "1", 99_999_999_998m), Row(2025, "2", 0.3m), Row(2024, "1", 1m) })
            target.Add(Samples.Row(r));
        var totals = ControlTotalAccumulator.Compare(source, target);
        var sums = totals.Where(t => t.Name == "TaxCollection.ChoshuZeigaku.sum-by-KazeiNendo-ChoshuKbn").ToList();
        Assert.Equal(
            [
                ("課税年度=2024, 徴収区分=1 普通徴収", 1m, 1m, true),
                ("課税年度=2025, 徴収区分=1 普通徴収", 199_999_999_998m, 199_999_999_997m, false),
                ("課税年度=2025, 徴収区分=2 給与特別徴収", 0.3m, 0.3m, true),
            ],
            sums.Select(t => (t.Group, t.Source, t.Target, t.Matches)));
        Assert.Equal(-1m, sums[1].Difference);
        var counts = totals.Where(t => t.Name == "TaxCollection.count-by-KazeiNendo-ChoshuKbn").Select(t => (t.Group, t.Source, t.Target)).ToList();
        Assert.Contains(("課税年度=2025, 徴収区分=2 給与特別徴収", 2m, 1m), counts);
    }

    [Fact]
    public void Every_amount_item_of_every_entity_has_a_sum()
    {
        foreach (var entity in StandardSpec.Entities)
        {
            var defs = ControlTotalCatalog.For(entity);
            Assert.Contains(defs, d => d.Sum is null);
            foreach (var amount in entity.Items.Where(i => i.Type == ItemType.Amount))
                Assert.Contains(defs, d => d.Sum == amount.Identifier);
        }
        var tax = ControlTotalCatalog.For(TaxAssessmentSpec.Entity);
        Assert.Contains(tax, d => d.Sum == "NenZeigaku" && d.GroupBy.SequenceEqual(["KazeiNendo"]));
        Assert.Contains(ControlTotalCatalog.For(AllowancePaymentSpec.Entity), d => d.Sum == "ShiharaiGaku" && d.GroupBy.SequenceEqual(["ShiharaiYm"]));
    }
}

public class CanonicalTests
{
    [Theory]
    [InlineData("10.50", "10.5")]
    [InlineData("10.00", "10")]
    [InlineData("-0.0", "0")]
    [InlineData("1200", "1200")]
    [InlineData("-1200.010", "-1200.01")]
    [InlineData("79228162514264337593543950335", "79228162514264337593543950335")]
    public void Decimal_text_is_exact_without_trailing_zeros(string value, string expected) =>
        Assert.Equal(expected, CanonicalValue.ToText(decimal.Parse(value, System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public void Canonical_texts_of_the_spec_types()
    {
        Assert.Equal("2024-10", CanonicalValue.ToText(new YearMonth(2024, 10)));
        Assert.Equal("2025-01-05", CanonicalValue.ToText(new DateOnly(2025, 1, 5)));
        Assert.Equal("true", CanonicalValue.ToText(true));
        Assert.Null(CanonicalValue.ToText(null));
        Assert.Throws<NotSupportedException>(() => CanonicalValue.ToText(1.5d));
        // 和暦 is no spec type any more (dates are DATE with a 不詳 pair): it has no canonical form to hide in.
        Assert.Throws<NotSupportedException>(() => CanonicalValue.ToText(new WarekiDate(3, 64, 1, 7)));
    }

    static string Hash(params object?[] row)
    {
        var h = new byte[32];
        CanonicalValue.HashRow(row, h);
        return Convert.ToHexString(h);
    }

    [Theory]
    [InlineData(42)]  // the last length written in place (≤ 126 UTF-8 bytes, a one-byte varint)
    [InlineData(43)]  // the first through the general path
    [InlineData(200)] // a two-byte varint
    public void Row_hash_is_sha256_of_the_documented_encoding_at_every_length(int length)
    {
        // Independent of the encoder: 0x01, the UTF-8 length as LEB128, the UTF-8 text; 0x00 for null; a date as yyyy-MM-dd.
        var text = string.Concat(Enumerable.Repeat("大", length));
        var utf8 = System.Text.Encoding.UTF8.GetBytes(text);
        var expected = new List<byte> { 1 };
        for (var n = (uint)utf8.Length; ; n >>= 7)
        {
            if (n < 0x80) { expected.Add((byte)n); break; }
            expected.Add((byte)(n & 0x7F | 0x80));
        }
        expected.AddRange(utf8);
        expected.Add(0);
        expected.AddRange([1, 10, .. "0987-06-05"u8.ToArray()]);
        expected.AddRange([1, 4, .. "1200"u8.ToArray()]);
        Assert.Equal(Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(expected.ToArray())),
            Hash(text, null, new DateOnly(987, 6, 5), 1200.00m));
    }

    [Fact]
    public void Row_hash_follows_the_canonical_form()
    {
        Assert.Equal(Hash("a", 10.5m), Hash("a", 10.50m));
        Assert.NotEqual(Hash("a", null), Hash("a", ""));
        Assert.NotEqual(Hash("ab", "c"), Hash("a", "bc"));
        Assert.NotEqual(Hash("\uFA10"), Hash("\u585A")); // compatibility ideograph is not normalised
        Assert.Equal(Hash(new string('葛', 600), 1), Hash(new string('葛', 600), 1L)); // buffer growth path; int and long share the text
        // SHA-256 of 0x01, length 1 (varint), "a".
        Assert.Equal(Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(new byte[] { 1, 1, (byte)'a' })), Hash("a"));
    }

    [Fact]
    public async Task External_sorter_orders_many_rows_with_bounded_chunks()
    {
        var entity = TaxInstallmentSpec.Entity;
        var random = new Random(42);
        var rows = Enumerable.Range(0, 5000).Select(_ => Samples.Installment(random.Next(1000, 9999).ToString(System.Globalization.CultureInfo.InvariantCulture), 2025, random.Next(1, 5), random.Next(1, 100000))).ToList();
        await using var sorter = new ExternalRowSorter(entity, chunkRows: 300);
        foreach (var r in rows) sorter.Add(r);
        var sorted = new List<string?[]>();
        var keys = new List<byte[]>();
        await foreach (var batch in sorter.SortedAsync(TestContext.Current.CancellationToken))
            for (var i = 0; i < batch.Count; i++)
            {
                sorted.Add(CanonicalRow.Texts(batch.Row(i), entity.Items.Count));
                keys.Add(batch.Key(i).ToArray());
            }
        Assert.Equal(17, sorter.SpilledRuns);
        Assert.Equal(rows.Count, sorted.Count);
        var comparer = new RowKeyComparer(entity);
        var expected = rows.OrderBy(r => r, comparer).ToList();
        for (var i = 1; i < sorted.Count; i++) Assert.True(keys[i - 1].AsSpan().SequenceCompareTo(keys[i]) <= 0);
        // Same keys in the same order as an in-memory sort, and nothing lost: the amounts add up to the same total.
        Assert.Equal(expected.Select(r => (string)r[0]! + "/" + r[1] + "/" + r[2]), sorted.Select(t => t[0] + "/" + t[1] + "/" + t[2]));
        Assert.Equal(rows.Sum(r => (decimal)r[4]!), sorted.Sum(t => decimal.Parse(t[4]!, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async Task External_sorter_skips_sorting_a_chunk_already_in_key_order_but_not_one_out_of_order_only_at_its_end()
    {
        var entity = TaxInstallmentSpec.Entity;
        // 1,000 rows in key order, each key three times (the amount says in which order its rows were added); then the last
        // two rows of the sixth chunk of 100 swapped, and the last row of the tenth given the smallest key.
        var rows = Enumerable.Range(0, 1000).Select(i => Samples.Installment((1000 + i / 3).ToString(System.Globalization.CultureInfo.InvariantCulture), 2025, 1, i)).ToList();
        (rows[598], rows[599]) = (rows[599], rows[598]);
        rows[999] = Samples.Installment("0999", 2025, 1, 999);
        await using var sorter = new ExternalRowSorter(entity, chunkRows: 100);
        foreach (var r in rows) sorter.Add(r);
        var sorted = new List<string?[]>();
        await foreach (var batch in sorter.SortedAsync(TestContext.Current.CancellationToken))
            for (var i = 0; i < batch.Count; i++) sorted.Add(CanonicalRow.Texts(batch.Row(i), entity.Items.Count));
        Assert.Equal(10, sorter.SpilledRuns);
        var expected = rows.OrderBy(r => (string)r[0]!, StringComparer.Ordinal).Select(r => (string)r[0]! + "/" + r[4]);
        Assert.Equal(expected, sorted.Select(t => t[0] + "/" + decimal.Parse(t[4]!, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async Task External_sorter_with_more_runs_than_one_merge_reads_merges_just_enough_of_them_first_keeping_ties_in_insertion_order()
    {
        var entity = TaxInstallmentSpec.Entity;
        var random = new Random(7);
        // 200 keys over 6,000 rows: every key is repeated, and the amount says in which order its rows were added.
        var rows = Enumerable.Range(0, 6000).Select(i => Samples.Installment((1000 + random.Next(200)).ToString(System.Globalization.CultureInfo.InvariantCulture), 2025, 1, i)).ToList();
        var temp = Directory.CreateTempSubdirectory("ogaki-spill-");
        try
        {
            var sorter = new ExternalRowSorter(entity, chunkRows: 5, tempDirectory: temp.FullName); // 1,200 runs
            foreach (var r in rows) sorter.Add(r);
            var sorted = new List<string?[]>();
            await foreach (var batch in sorter.SortedAsync(TestContext.Current.CancellationToken))
                for (var i = 0; i < batch.Count; i++) sorted.Add(CanonicalRow.Texts(batch.Row(i), entity.Items.Count));
            // Just enough runs merged beforehand for one final merge: 1,200 → 689 → 512, not groups of 512 down to 178.
            Assert.Equal(ExternalRowSorter.MaxMergeRuns, sorter.SpilledRuns);
            Assert.Equal(sorter.SpilledRuns, Directory.GetFiles(temp.FullName).Length); // merged runs are deleted as they go
            // A stable sort: by key, and rows of one key in the order they were added.
            var expected = rows.OrderBy(r => (string)r[0]!, StringComparer.Ordinal).Select(r => (string)r[0]! + "/" + r[4]);
            Assert.Equal(expected, sorted.Select(t => t[0] + "/" + decimal.Parse(t[4]!, System.Globalization.CultureInfo.InvariantCulture)));
            await sorter.DisposeAsync();
            Assert.Empty(Directory.GetFiles(temp.FullName));
        }
        finally
        {
            temp.Delete(true);
        }
    }
}

public class CanonicalEncodingTests
{
    [Fact]
    public void Long_values_get_multi_byte_length_prefixes_and_whole_decimals_take_the_fast_path()
    {
        var text = new string('x', 200); // 200 = 0xC8 → varint C8 01
        var expected = System.Security.Cryptography.SHA256.HashData([1, 0xC8, 0x01, .. System.Text.Encoding.UTF8.GetBytes(text), 0, 1, 4, (byte)'1', (byte)'2', (byte)'0', (byte)'0']);
        var h = new byte[32];
        CanonicalValue.HashRow([text, null, 1200.00m], h);
        Assert.Equal(expected, h);
        var h2 = new byte[32];
        CanonicalValue.HashRow([text, null, -0.5m + 1200.5m], h2);
        Assert.Equal(h, h2);
    }
}
