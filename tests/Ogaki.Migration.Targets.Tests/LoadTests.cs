using Ogaki.Migration.LoadProbe;
using Ogaki.Migration.Spec;
using Ogaki.Migration.Standard;
using Ogaki.Migration.Targets.Tests.Support;

namespace Ogaki.Migration.Targets.Tests;

/// <summary>Load, read back, rerun and resume against every target (real PostgreSQL, a SQLite file, standard CSV files).</summary>
public sealed class LoadTests
{
    public static TheoryData<string> Kinds => new() { "postgresql", "sqlite", "files" };

    /// <summary>The database targets (tests that create tables of their own with SQL).</summary>
    public static TheoryData<string> DatabaseKinds => new() { "postgresql", "sqlite" };

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    static IReadOnlyList<SpecEntity> Entities => [ResidentSpec.Entity, TaxAssessmentSpec.Entity, AllowanceRecipientSpec.Entity];

    static LoadBatch Batch(string run, SpecEntity entity, int number, IEnumerable<IStandardRecord> records)
    {
        var list = records.ToList();
        return new LoadBatch(run, StandardSpec.Version, entity, number, number * 1000L + 1, number * 1000L + list.Count, list);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Reads_back_every_value_with_its_generated_type_in_key_order(string kind)
    {
        await using var t = await TestTarget.CreateAsync(kind);
        await t.Target.EnsureSchemaAsync(Entities, StandardSpec.Version, Ct);
        // Load in reverse key order: read back must still come in key order.
        var residents = Enumerable.Range(0, 300).Select(n => TestRecords.Resident(n)).Reverse().ToList();
        var taxes = Enumerable.Range(0, 90).Select(n => TestRecords.TaxAssessment(n)).ToList();
        var allowances = Enumerable.Range(0, 40).Select(n => TestRecords.AllowanceRecipient(n)).ToList();
        await t.Target.LoadBatchAsync(Batch("run-a", ResidentSpec.Entity, 0, residents), Ct);
        await t.Target.LoadBatchAsync(Batch("run-a", TaxAssessmentSpec.Entity, 0, taxes), Ct);
        await t.Target.LoadBatchAsync(Batch("run-a", AllowanceRecipientSpec.Entity, 0, allowances), Ct);

        var back = await ReadAll(t.Target, ResidentSpec.Entity);
        Assert.Equal(residents.OrderBy(r => r.AtenaNo, StringComparer.Ordinal).ToList(), back.Select(Resident.FromValues).ToList());
        var backTax = (await ReadAll(t.Target, TaxAssessmentSpec.Entity)).Select(TaxAssessment.FromValues).ToList();
        Assert.Equal(taxes.OrderBy(r => r.AtenaNo, StringComparer.Ordinal).ThenBy(r => r.KazeiNendo).ToList(), backTax);
        var backAllowance = (await ReadAll(t.Target, AllowanceRecipientSpec.Entity)).Select(AllowanceRecipient.FromValues).ToList();
        Assert.Equal(allowances, backAllowance);

        // The hard values survive exactly: 不詳 and non-existent dates in their 不詳 pair, IVS and surrogate pairs, tab and backslash.
        var r0 = back.Select(Resident.FromValues).Single(r => r.AtenaNo == TestRecords.AtenaNo(97));
        Assert.Equal(((DateOnly?)null, (bool?)true, "昭和２０年頃"), (r0.SeinengappiYmd, r0.SeinengappiYmdFushoFlag, r0.SeinengappiYmdFushoHyoki));
        var r1 = back.Select(Resident.FromValues).Single(r => r.AtenaNo == TestRecords.AtenaNo(1));
        Assert.Equal("葛\U000E0100城　太郎", r1.Shimei);
        Assert.Equal(((DateOnly?)null, (bool?)true, "平成３年２月３０日"), (r1.SeinengappiYmd, r1.SeinengappiYmdFushoFlag, r1.SeinengappiYmdFushoHyoki));
        Assert.Contains(back.Select(Resident.FromValues), r => r.Shimei!.StartsWith("𠮷野", StringComparison.Ordinal));
        Assert.Equal("SMITH JOHN\tTAB", back.Select(Resident.FromValues).Single(r => r.AtenaNo == TestRecords.AtenaNo(11)).ShimeiRoman);
        Assert.IsType<decimal>((await ReadAll(t.Target, TaxAssessmentSpec.Entity))[0][TaxAssessmentSpec.Ordinals.NenZeigaku]);
        Assert.IsType<YearMonth>(backAllowance[0].GetValue(AllowanceRecipientSpec.Ordinals.ShikyuKaishiYm));
    }

    /// <summary>Runs SQL on the test target's database directly, as a DBA would (behind the target's back).</summary>
    static async Task<object?> SqlAsync(TestTarget t, string sql)
    {
        await using System.Data.Common.DbConnection c = t.Schema is not null
            ? new Npgsql.NpgsqlConnection(t.Schema.ConnectionString)
            : new Microsoft.Data.Sqlite.SqliteConnection("Data Source=" + t.Connection["sqlite:".Length..]);
        await c.OpenAsync(Ct);
        await using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        return await cmd.ExecuteScalarAsync(Ct);
    }

    static async Task<bool> TableExistsAsync(TestTarget t, string table) => Convert.ToInt64(await SqlAsync(t, t.Schema is not null
        ? $"SELECT count(*) FROM pg_tables WHERE schemaname = current_schema() AND tablename = '{table}'"
        : $"SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '{table}'"), System.Globalization.CultureInfo.InvariantCulture) == 1;

    [Theory]
    [MemberData(nameof(DatabaseKinds))]
    public async Task Reset_drops_only_the_migration_tables_and_a_new_rehearsal_then_loads_afresh(string kind)
    {
        await using var t = await TestTarget.CreateAsync(kind);
        await SqlAsync(t, "CREATE TABLE municipal_notes (id integer PRIMARY KEY, note text)");
        await t.Target.EnsureSchemaAsync([ResidentSpec.Entity], StandardSpec.Version, Ct);
        await LoadRun.ResidentsAsync(t.Target, "run-first", 1200, 500, cancellationToken: Ct);

        var dropped = await t.Target.ResetAsync(Ct);

        Assert.Equal([ResidentSpec.Entity.Table, TargetNames.SchemaTable, TargetNames.LedgerTable], dropped);
        Assert.True(await TableExistsAsync(t, "municipal_notes"));
        Assert.False(await TableExistsAsync(t, ResidentSpec.Entity.Table));
        Assert.False(await TableExistsAsync(t, TargetNames.LedgerTable));
        Assert.False(await TableExistsAsync(t, TargetNames.SchemaTable));
        Assert.Empty(await t.Target.ResetAsync(Ct)); // nothing of ours is left to drop

        await t.Target.EnsureSchemaAsync([ResidentSpec.Entity], StandardSpec.Version, Ct);
        var second = await LoadRun.ResidentsAsync(t.Target, "run-second", 1200, 500, cancellationToken: Ct);
        Assert.All(second, b => Assert.False(b.Skipped));
        Assert.Equal(1200, await t.Target.CountAsync(ResidentSpec.Entity, Ct));
        Assert.Equal(["run-second"], (await t.Target.GetLedgerAsync(null, Ct)).Select(l => l.RunId).Distinct());
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Same_run_loaded_twice_skips_completed_batches_and_doubles_nothing(string kind)
    {
        await using var t = await TestTarget.CreateAsync(kind);
        await t.Target.EnsureSchemaAsync([ResidentSpec.Entity], StandardSpec.Version, Ct);
        var first = await LoadRun.ResidentsAsync(t.Target, "run-twice", 2500, 1000, cancellationToken: Ct);
        var checksum = await TableChecksum.ComputeAsync(t.Target, ResidentSpec.Entity, Ct);

        await using var again = t.Reopen();
        var second = await LoadRun.ResidentsAsync(again, "run-twice", 2500, 1000, cancellationToken: Ct);

        Assert.Equal([1000L, 1000L, 500L], first.Select(b => b.RowsWritten));
        Assert.All(second, b => Assert.True(b.Skipped));
        Assert.All(second, b => Assert.Equal(0, b.RowsWritten));
        Assert.Equal(first.Select(b => b.Checksum), second.Select(b => b.Checksum));
        Assert.Equal(2500, await again.CountAsync(ResidentSpec.Entity, Ct));
        Assert.Equal(checksum, await TableChecksum.ComputeAsync(again, ResidentSpec.Entity, Ct));
        var ledger = await again.GetLedgerAsync("run-twice", Ct);
        Assert.Equal([0, 1, 2], ledger.Select(l => l.BatchNumber));
        Assert.Equal([(1L, 1000L), (1001L, 2000L), (2001L, 2500L)], ledger.Select(l => (l.FirstInput, l.LastInput)));
        Assert.Equal(2500, ledger.Sum(l => l.RowCount));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Another_run_over_loaded_keys_fails_naming_the_batch_and_commits_nothing(string kind)
    {
        await using var t = await TestTarget.CreateAsync(kind);
        await t.Target.EnsureSchemaAsync([ResidentSpec.Entity], StandardSpec.Version, Ct);
        await LoadRun.ResidentsAsync(t.Target, "run-1", 1500, 1000, cancellationToken: Ct);

        // Batch 0 of run-2 has 1000 new keys and one key that run-1 already loaded.
        var records = Enumerable.Range(5000, 1000).Select(n => (IStandardRecord)TestRecords.Resident(n)).Append(TestRecords.Resident(7)).ToList();
        var ex = await Assert.ThrowsAsync<TargetLoadException>(() => t.Target.LoadBatchAsync(Batch("run-2", ResidentSpec.Entity, 0, records), Ct));

        Assert.Contains("Resident batch 0", ex.Message, StringComparison.Ordinal);
        Assert.Contains("run-2", ex.Message, StringComparison.Ordinal);
        Assert.Contains("rolled back", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, ex.BatchNumber);
        Assert.Equal(1500, await t.Target.CountAsync(ResidentSpec.Entity, Ct));
        Assert.Empty(await t.Target.GetLedgerAsync("run-2", Ct));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task A_completed_batch_with_changed_content_is_refused(string kind)
    {
        await using var t = await TestTarget.CreateAsync(kind);
        await t.Target.EnsureSchemaAsync([ResidentSpec.Entity], StandardSpec.Version, Ct);
        await t.Target.LoadBatchAsync(Batch("run-c", ResidentSpec.Entity, 0, Enumerable.Range(0, 10).Select(n => TestRecords.Resident(n))), Ct);
        var changed = Enumerable.Range(0, 10).Select(n => TestRecords.Resident(n) with { Shimei = n == 3 ? "変更　後" : TestRecords.Resident(n).Shimei });

        var ex = await Assert.ThrowsAsync<TargetLoadException>(() => t.Target.LoadBatchAsync(Batch("run-c", ResidentSpec.Entity, 0, changed), Ct));
        Assert.Contains("different content", ex.Message, StringComparison.Ordinal);
        Assert.Equal(10, await t.Target.CountAsync(ResidentSpec.Entity, Ct));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task A_mandatory_item_left_empty_rolls_the_batch_back(string kind)
    {
        await using var t = await TestTarget.CreateAsync(kind);
        await t.Target.EnsureSchemaAsync([ResidentSpec.Entity], StandardSpec.Version, Ct);
        var records = Enumerable.Range(0, 50).Select(n => n == 42 ? TestRecords.Resident(n) with { Shimei = null } : TestRecords.Resident(n));
        var ex = await Assert.ThrowsAsync<TargetLoadException>(() => t.Target.LoadBatchAsync(Batch("run-m", ResidentSpec.Entity, 3, records), Ct));
        Assert.Contains("Resident batch 3", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, await t.Target.CountAsync(ResidentSpec.Entity, Ct));
        Assert.Empty(await t.Target.GetLedgerAsync(null, Ct));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Both_targets_refuse_a_value_longer_than_its_column(string kind)
    {
        await using var t = await TestTarget.CreateAsync(kind);
        await t.Target.EnsureSchemaAsync([ResidentSpec.Entity], Ct); // the compiled spec version
        // 世帯番号 is digits(15): 16 digits do not fit. 氏名 is text(100): 100 text elements with IVS (200 code points) do fit.
        var tooLong = TestRecords.Resident(1) with { SetaiNo = "1234567890123456" };
        var ex = await Assert.ThrowsAsync<TargetLoadException>(() => t.Target.LoadBatchAsync(Batch("run-l", ResidentSpec.Entity, 0, [TestRecords.Resident(0), tooLong]), Ct));
        Assert.Contains("Resident batch 0", ex.Message, StringComparison.Ordinal);
        var ivsName = string.Concat(Enumerable.Repeat("葛\U000E0100", 100));
        await t.Target.LoadBatchAsync(Batch("run-l", ResidentSpec.Entity, 1, [TestRecords.Resident(2) with { Shimei = ivsName }]), Ct);
        Assert.Equal(ivsName, Resident.FromValues((await ReadAll(t.Target, ResidentSpec.Entity)).Single()).Shimei);
    }

    [Fact]
    public async Task Fractional_amount_is_refused_rather_than_rounded()
    {
        await using var t = await TestTarget.CreateAsync("postgresql");
        await t.Target.EnsureSchemaAsync([TaxAssessmentSpec.Entity], StandardSpec.Version, Ct);
        var bad = TestRecords.TaxAssessment(1) with { NenZeigaku = 1234.5m };
        var ex = await Assert.ThrowsAsync<TargetLoadException>(() => t.Target.LoadBatchAsync(Batch("run-f", TaxAssessmentSpec.Entity, 0, [TestRecords.TaxAssessment(0), bad]), Ct));
        Assert.Contains("not whole yen", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, await t.Target.CountAsync(TaxAssessmentSpec.Entity, Ct));
    }

    [Fact]
    public async Task PostgreSQL_and_SQLite_holding_the_same_rows_give_the_same_checksums()
    {
        await using var pg = await TestTarget.CreateAsync("postgresql");
        await using var lite = await TestTarget.CreateAsync("sqlite");
        var sums = new List<IReadOnlyList<TableChecksum>>();
        foreach (var t in new[] { pg, lite })
        {
            await t.Target.EnsureSchemaAsync(Entities, StandardSpec.Version, Ct);
            await LoadRun.ResidentsAsync(t.Target, "run-x", 1200, 500, cancellationToken: Ct);
            await t.Target.LoadBatchAsync(Batch("run-x", TaxAssessmentSpec.Entity, 0, Enumerable.Range(0, 60).Select(n => TestRecords.TaxAssessment(n))), Ct);
            await t.Target.LoadBatchAsync(Batch("run-x", AllowanceRecipientSpec.Entity, 0, Enumerable.Range(0, 60).Select(n => TestRecords.AllowanceRecipient(n))), Ct);
            var list = new List<TableChecksum>();
            foreach (var e in Entities) list.Add(await TableChecksum.ComputeAsync(t.Target, e, Ct));
            sums.Add(list);
        }
        Assert.Equal(sums[0], sums[1]);
        Assert.Equal(1200, sums[0][0].RowCount);

        // And the checksum sees a one-character change.
        await using var other = await TestTarget.CreateAsync("sqlite");
        await other.Target.EnsureSchemaAsync([ResidentSpec.Entity], StandardSpec.Version, Ct);
        await other.Target.LoadBatchAsync(Batch("run-y", ResidentSpec.Entity, 0,
            Enumerable.Range(0, 1200).Select(n => n == 600 ? TestRecords.Resident(n) with { JushoBanchi = "1番地" } : TestRecords.Resident(n))), Ct);
        Assert.NotEqual(sums[0][0].Sha256, (await TableChecksum.ComputeAsync(other.Target, ResidentSpec.Entity, Ct)).Sha256);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Canonical_read_back_is_the_canonical_form_of_the_loaded_records_in_key_byte_order(string kind)
    {
        await using var t = await TestTarget.CreateAsync(kind);
        await t.Target.EnsureSchemaAsync(Entities, StandardSpec.Version, Ct);
        // Reverse key order, 和暦 (不詳, non-existent), IVS, surrogate pairs, tabs, nulls, amounts, dates, 年月 and flags.
        IReadOnlyList<IStandardRecord>[] loaded =
        [
            Enumerable.Range(0, 300).Select(n => (IStandardRecord)TestRecords.Resident(n)).Reverse().ToList(),
            Enumerable.Range(0, 90).Select(n => (IStandardRecord)TestRecords.TaxAssessment(n)).ToList(),
            Enumerable.Range(0, 40).Select(n => (IStandardRecord)TestRecords.AllowanceRecipient(n)).ToList(),
        ];
        for (var e = 0; e < Entities.Count; e++) await t.Target.LoadBatchAsync(Batch("run-c", Entities[e], 0, loaded[e]), Ct);

        for (var e = 0; e < Entities.Count; e++)
        {
            var entity = Entities[e];
            // Expected: each record encoded from its CLR values, ordered by its key bytes.
            var key = new CanonicalKey(entity);
            var expected = loaded[e].Select(r =>
            {
                var one = new CanonicalRowBatch();
                one.Add(r, key);
                return (Row: one.Row(0).ToArray(), Key: one.Key(0).ToArray());
            }).OrderBy(x => x.Key, Comparer<byte[]>.Create((a, b) => a.AsSpan().SequenceCompareTo(b))).ToList();
            var back = new List<(byte[] Row, byte[] Key)>();
            await foreach (var batch in t.Target.ReadBackCanonicalAsync(entity, Ct))
                for (var i = 0; i < batch.Count; i++) back.Add((batch.Row(i).ToArray(), batch.Key(i).ToArray()));
            Assert.Equal(expected.Count, back.Count);
            for (var i = 0; i < back.Count; i++)
            {
                Assert.Equal(CanonicalRow.Texts(expected[i].Row, entity.Items.Count), CanonicalRow.Texts(back[i].Row, entity.Items.Count));
                Assert.Equal(expected[i].Row, back[i].Row);
                Assert.Equal(expected[i].Key, back[i].Key);
            }
        }
    }

    [Fact]
    public async Task Canonical_read_back_formats_numeric_and_date_values_of_columns_altered_behind_the_pipelines_back()
    {
        await using var t = await TestTarget.CreateAsync("postgresql");
        await t.Target.EnsureSchemaAsync([TaxAssessmentSpec.Entity, AllowanceRecipientSpec.Entity], StandardSpec.Version, Ct);
        await t.Target.LoadBatchAsync(Batch("run-n", TaxAssessmentSpec.Entity, 0, Enumerable.Range(0, 12).Select(n => TestRecords.TaxAssessment(n))), Ct);
        await t.Target.LoadBatchAsync(Batch("run-n", AllowanceRecipientSpec.Entity, 0, Enumerable.Range(0, 6).Select(n => TestRecords.AllowanceRecipient(n))), Ct);
        // Someone widens the amount column and stores fractions, signs, zeros and large values; dates at the edges of the calendar.
        string[] amounts = ["0", "-0.000", "1234.5600", "0.0001", "-1.5", "10000", "100000000", "123456789012345678.000001", "-99990000.0100", "1e-20", "5", "0.10"];
        await using (var conn = new Npgsql.NpgsqlConnection(t.Connection))
        {
            await conn.OpenAsync(Ct);
            var tax = TaxAssessmentSpec.Entity.Table;
            var column = TargetNames.Column(TaxAssessmentSpec.Entity.Find("NenZeigaku")!);
            var sql = $"ALTER TABLE \"{tax}\" ALTER COLUMN \"{column}\" TYPE numeric;"
                + string.Concat(amounts.Select((a, i) => $"UPDATE \"{tax}\" SET \"{column}\" = {a}::numeric WHERE ctid = (SELECT ctid FROM \"{tax}\" ORDER BY {TargetNames.PostgresKeyOrder(TaxAssessmentSpec.Entity)} OFFSET {i} LIMIT 1);"));
            var recipients = AllowanceRecipientSpec.Entity.Table;
            var date = TargetNames.Column(AllowanceRecipientSpec.Entity.Find("NinteiSeikyuYmd")!);
            sql += string.Concat(new[] { "0001-01-01", "9999-12-31", "1999-12-31", "2000-01-01", "2000-02-29", "1900-03-01" }.Select((d, i) =>
                $"UPDATE \"{recipients}\" SET \"{date}\" = '{d}' WHERE ctid = (SELECT ctid FROM \"{recipients}\" ORDER BY {TargetNames.PostgresKeyOrder(AllowanceRecipientSpec.Entity)} OFFSET {i} LIMIT 1);"));
            await using var cmd = new Npgsql.NpgsqlCommand(sql, conn);
            await cmd.ExecuteNonQueryAsync(Ct);
        }
        foreach (var entity in new[] { TaxAssessmentSpec.Entity, AllowanceRecipientSpec.Entity })
        {
            // The object read-back (Npgsql's own numeric and date decoding) is the independent reference.
            var reference = (await ReadAll(t.Target, entity)).Select(r => r.Select(CanonicalValue.ToText).ToArray()).ToList();
            var canonical = new List<string?[]>();
            await foreach (var batch in t.Target.ReadBackCanonicalAsync(entity, Ct))
                for (var i = 0; i < batch.Count; i++) canonical.Add(CanonicalRow.Texts(batch.Row(i), entity.Items.Count));
            Assert.Equal(reference, canonical);
        }
        var texts = new List<string?>();
        await foreach (var batch in t.Target.ReadBackCanonicalAsync(TaxAssessmentSpec.Entity, Ct))
            for (var i = 0; i < batch.Count; i++) texts.Add(CanonicalRow.Texts(batch.Row(i), TaxAssessmentSpec.Entity.Items.Count)[TaxAssessmentSpec.Ordinals.NenZeigaku]);
        Assert.Equal(["0", "0", "1234.56", "0.0001", "-1.5", "10000", "100000000", "123456789012345678.000001", "-99990000.01", "0.00000000000000000001", "5", "0.1"], texts);

        // A value no decimal can hold still reads back as its exact text (it then differs from every source amount).
        await using (var conn = new Npgsql.NpgsqlConnection(t.Connection))
        {
            await conn.OpenAsync(Ct);
            var column = TargetNames.Column(TaxAssessmentSpec.Entity.Find("NenZeigaku")!);
            await using var cmd = new Npgsql.NpgsqlCommand($"UPDATE \"{TaxAssessmentSpec.Entity.Table}\" SET \"{column}\" = -1e30 + 0.5", conn);
            await cmd.ExecuteNonQueryAsync(Ct);
        }
        await foreach (var batch in t.Target.ReadBackCanonicalAsync(TaxAssessmentSpec.Entity, Ct))
            Assert.Equal("-999999999999999999999999999999.5", CanonicalRow.Texts(batch.Row(0), TaxAssessmentSpec.Entity.Items.Count)[TaxAssessmentSpec.Ordinals.NenZeigaku]);
    }

    internal static async Task<List<object?[]>> ReadAll(IStandardTarget target, SpecEntity entity)
    {
        var rows = new List<object?[]>();
        await foreach (var row in target.ReadBackAsync(entity, Ct)) rows.Add(row);
        return rows;
    }
}
