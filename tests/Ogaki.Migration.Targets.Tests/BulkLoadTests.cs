using Ogaki.Migration.LoadProbe;
using Ogaki.Migration.Spec;
using Ogaki.Migration.Standard;
using Ogaki.Migration.Targets.Tests.Support;

namespace Ogaki.Migration.Targets.Tests;

/// <summary>
/// The PostgreSQL bulk load in real PostgreSQL: rows encoded by our own binary COPY writer, primary keys dropped from
/// empty tables before the load and built after it (as pgloader does), and what goes wrong in between.
/// </summary>
public sealed class BulkLoadTests
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    static LoadBatch Batch(string run, SpecEntity entity, int number, IEnumerable<IStandardRecord> records)
    {
        var list = records.ToList();
        return new LoadBatch(run, StandardSpec.Version, entity, number, number * 1000L + 1, number * 1000L + list.Count, list);
    }

    static async Task<long> PrimaryKeysAsync(TestTarget t, SpecEntity entity) =>
        await t.Schema!.ScalarAsync($"SELECT count(*) FROM pg_constraint WHERE conrelid = to_regclass('\"{entity.Table}\"') AND contype = 'p'");

    [Fact]
    public async Task Amounts_of_every_size_and_sign_arrive_exactly_as_numeric()
    {
        await using var t = await TestTarget.CreateAsync("postgresql");
        await t.Target.EnsureSchemaAsync([TaxAssessmentSpec.Entity], StandardSpec.Version, Ct);
        // Base-10000 groups: zero, one group, a carry into the next, trailing zero groups, the column's maximum
        // (numeric(11,0)), negatives, and a whole amount written with a scale (5000.00).
        decimal[] amounts = [0m, 1m, 9_999m, 10_000m, 10_001m, 100_000_000m, 100_000_001m, 99_999_999_999m, -1m, -10_000m, -123_456_789m, 5000.00m, -0m];
        var records = amounts.Select((a, n) => TestRecords.TaxAssessment(n * 3) with { NenZeigaku = a, SoShotokuKingaku = n % 2 == 0 ? null : a }).ToList();
        await t.Target.LoadBatchAsync(Batch("run-amounts", TaxAssessmentSpec.Entity, 0, records), Ct);

        var back = (await LoadTests.ReadAll(t.Target, TaxAssessmentSpec.Entity)).Select(TaxAssessment.FromValues).ToList();
        Assert.Equal(records.Select(r => r.NenZeigaku), back.Select(r => r.NenZeigaku));
        Assert.Equal(records.Select(r => r.SoShotokuKingaku), back.Select(r => r.SoShotokuKingaku));
        Assert.Equal(records, back);
        // The server's own text of the values, so a wrong weight or sign cannot hide behind our reader.
        Assert.Equal("99999999999", (await t.Schema!.TextAsync($"SELECT nen_zeigaku::text FROM \"{TaxAssessmentSpec.Entity.Table}\" WHERE atena_no = '{TestRecords.AtenaNo(7)}'")));
        Assert.Equal("-123456789", (await t.Schema!.TextAsync($"SELECT nen_zeigaku::text FROM \"{TaxAssessmentSpec.Entity.Table}\" WHERE atena_no = '{TestRecords.AtenaNo(10)}'")));
    }

    [Fact]
    public async Task Texts_short_and_long_ascii_and_not_arrive_exactly_as_utf8()
    {
        await using var t = await TestTarget.CreateAsync("postgresql");
        await t.Target.EnsureSchemaAsync([ResidentSpec.Entity], StandardSpec.Version, Ct);
        // The encoder copies short ASCII a char at a time and hands the rest to the transcoder: the empty text, both
        // sides of its 16-character limit, ASCII before and after kanji, a surrogate pair with an IVS, half-width kana.
        string[] names = ["", "A", "0123456789ABCDEF", "0123456789ABCDEFG", "AB山田", "山田AB", "ABCDEFGHIJKLMNO𠮷", "\U00020BB7野\U000E0100家", "ﾔﾏﾀﾞ ﾀﾛｳ"];
        var records = names.Select((name, n) => TestRecords.Resident(n) with { Shimei = name }).ToList();
        await t.Target.LoadBatchAsync(Batch("run-texts", ResidentSpec.Entity, 0, records), Ct);

        var back = (await LoadTests.ReadAll(t.Target, ResidentSpec.Entity)).Select(Resident.FromValues).ToList();
        Assert.Equal(names, back.Select(r => r.Shimei));
        // The server's own count of characters, so a wrong byte length cannot hide behind our reader.
        Assert.Equal("16|17|4|4", await t.Schema!.TextAsync(
            $"SELECT string_agg(char_length(shimei)::text, '|' ORDER BY atena_no) FROM \"{ResidentSpec.Entity.Table}\" WHERE atena_no IN ('{TestRecords.AtenaNo(2)}', '{TestRecords.AtenaNo(3)}', '{TestRecords.AtenaNo(4)}', '{TestRecords.AtenaNo(5)}')"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)] // after short ASCII, which the encoder copies itself before the transcoder sees the rest
    public async Task A_lone_surrogate_in_a_name_is_refused_and_never_stored_as_a_replacement_character(bool afterAscii)
    {
        await using var t = await TestTarget.CreateAsync("postgresql");
        await t.Target.EnsureSchemaAsync([ResidentSpec.Entity], StandardSpec.Version, Ct);
        var records = Enumerable.Range(0, 5).Select(n => TestRecords.Resident(n)).ToList();
        records[3] = records[3] with { Shimei = afterAscii ? "AB\uD842" : "山\uD842田　太郎" };

        var e = await Assert.ThrowsAsync<TargetLoadException>(() => t.Target.LoadBatchAsync(Batch("run-surrogate", ResidentSpec.Entity, 0, records), Ct));

        Assert.Contains("was rolled back", e.Message, StringComparison.Ordinal);
        Assert.Equal(0, await t.Target.CountAsync(ResidentSpec.Entity, Ct));
        Assert.Empty(await t.Target.GetLedgerAsync("run-surrogate", Ct));
    }

    [Fact]
    public async Task Two_writers_of_the_same_batch_at_once_load_it_once_the_second_finding_it_in_the_ledger()
    {
        await using var t = await TestTarget.CreateAsync("postgresql");
        await t.Target.EnsureSchemaAsync([ResidentSpec.Entity], StandardSpec.Version, Ct);
        await t.Target.BeginLoadAsync([ResidentSpec.Entity], Ct); // no key: a second COPY of the rows would not be refused
        var batch = Batch("run-twice", ResidentSpec.Entity, 3, Enumerable.Range(0, 200).Select(n => (IStandardRecord)TestRecords.Resident(n)));

        // Hold the lock of the run and entity (the key the target takes) so that both writers are in flight before either may go on.
        await using var holder = new Npgsql.NpgsqlConnection(t.Schema!.ConnectionString);
        await holder.OpenAsync(Ct);
        await using (var take = new Npgsql.NpgsqlCommand("SELECT pg_advisory_lock(hashtext('run-twice' || chr(31) || 'Resident'))", holder))
            await take.ExecuteNonQueryAsync(Ct);
        var first = t.Target.LoadBatchAsync(batch, Ct);
        var second = t.Target.LoadBatchAsync(batch, Ct);
        await Task.Delay(300, Ct);
        Assert.False(first.IsCompleted || second.IsCompleted, "a writer went on without the batch's lock");
        await using (var release = new Npgsql.NpgsqlCommand("SELECT pg_advisory_unlock_all()", holder))
            await release.ExecuteNonQueryAsync(Ct);

        var results = await Task.WhenAll(first, second);

        Assert.Equal([false, true], results.Select(r => r.Skipped).Order());
        Assert.Equal(results[0].Checksum, results[1].Checksum);
        Assert.Equal(200, results.Sum(r => r.RowsWritten));
        Assert.Equal(200, await t.Target.CountAsync(ResidentSpec.Entity, Ct));
        Assert.Single(await t.Target.GetLedgerAsync("run-twice", Ct));
    }

    [Fact]
    public async Task The_key_is_dropped_from_empty_tables_only_and_built_again_after_the_load()
    {
        await using var t = await TestTarget.CreateAsync("postgresql");
        SpecEntity[] entities = [ResidentSpec.Entity, TaxAssessmentSpec.Entity];
        await t.Target.EnsureSchemaAsync(entities, StandardSpec.Version, Ct);
        // Tax already holds rows (as in a resumed run): it keeps its key through the load.
        await t.Target.LoadBatchAsync(Batch("run-keys", TaxAssessmentSpec.Entity, 0, Enumerable.Range(0, 30).Select(n => TestRecords.TaxAssessment(n))), Ct);

        await t.Target.BeginLoadAsync(entities, Ct);
        Assert.Equal(0, await PrimaryKeysAsync(t, ResidentSpec.Entity));
        Assert.Equal(1, await PrimaryKeysAsync(t, TaxAssessmentSpec.Entity));

        // Batches in reverse key order and out of batch order, as parallel connections commit them.
        var residents = Enumerable.Range(0, 900).Select(n => TestRecords.Resident(n)).Reverse().ToList();
        await t.Target.LoadBatchAsync(Batch("run-keys", ResidentSpec.Entity, 1, residents.Skip(450)), Ct);
        await t.Target.LoadBatchAsync(Batch("run-keys", ResidentSpec.Entity, 0, residents.Take(450)), Ct);
        Assert.Equal([ResidentSpec.Entity.Table], await t.Target.CompleteLoadAsync(entities, Ct));

        Assert.Equal(1, await PrimaryKeysAsync(t, ResidentSpec.Entity));
        Assert.Equal(TargetNames.PrimaryKey(ResidentSpec.Entity), await t.Schema!.TextAsync(
            $"SELECT conname FROM pg_constraint WHERE conrelid = to_regclass('\"{ResidentSpec.Entity.Table}\"') AND contype = 'p'"));
        var back = (await LoadTests.ReadAll(t.Target, ResidentSpec.Entity)).Select(Resident.FromValues).ToList();
        Assert.Equal(residents.OrderBy(r => r.AtenaNo, StringComparer.Ordinal).ToList(), back);

        // Idempotent: a resumed run completes the load again without harm, and the key still refuses a duplicate.
        Assert.Empty(await t.Target.CompleteLoadAsync(entities, Ct));
        Assert.Equal(1, await PrimaryKeysAsync(t, ResidentSpec.Entity));
        var again = await Assert.ThrowsAsync<TargetLoadException>(() => t.Target.LoadBatchAsync(Batch("run-other", ResidentSpec.Entity, 0, [TestRecords.Resident(5)]), Ct));
        Assert.Contains("already in the table", again.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_row_added_behind_the_pipelines_back_fails_the_key_build_naming_the_table_but_no_key_value()
    {
        await using var t = await TestTarget.CreateAsync("postgresql");
        await t.Target.EnsureSchemaAsync([ResidentSpec.Entity], StandardSpec.Version, Ct);
        await t.Target.BeginLoadAsync([ResidentSpec.Entity], Ct);
        await t.Target.LoadBatchAsync(Batch("run-dup", ResidentSpec.Entity, 0, Enumerable.Range(0, 200).Select(n => TestRecords.Resident(n))), Ct);
        // A DBA copies a row while the key is down.
        await t.Schema!.ScalarAsync($"WITH c AS (INSERT INTO \"{ResidentSpec.Entity.Table}\" SELECT * FROM \"{ResidentSpec.Entity.Table}\" WHERE atena_no = '{TestRecords.AtenaNo(42)}' RETURNING 1) SELECT count(*) FROM c");

        var e = await Assert.ThrowsAsync<TargetKeyException>(() => t.Target.CompleteLoadAsync([ResidentSpec.Entity], Ct));

        Assert.Equal(ResidentSpec.Entity.Table, e.Table);
        Assert.Contains("primary key of " + ResidentSpec.Entity.Table, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(TestRecords.AtenaNo(42), e.Message, StringComparison.Ordinal);
        // The loaded batch stays committed with its ledger row; the table is only missing its key.
        Assert.Equal(201, await t.Target.CountAsync(ResidentSpec.Entity, Ct));
        Assert.Single(await t.Target.GetLedgerAsync("run-dup", Ct));
        Assert.Equal(0, await PrimaryKeysAsync(t, ResidentSpec.Entity));
    }

    [Fact]
    public async Task A_role_that_may_only_write_rows_loads_with_the_keys_in_place_and_never_alters_a_table()
    {
        using var server = ThrowawayPostgres.Start();
        // The owner creates the schema, as a DBA would; the loading role may read and write rows, not alter tables.
        await using (var owner = TargetFactory.Create(server.ConnectionString))
            await owner.EnsureSchemaAsync([ResidentSpec.Entity], StandardSpec.Version, Ct);
        server.AsSuperuser("cidb", "CREATE ROLE loader LOGIN PASSWORD 'loader_pw'; GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA public TO loader");
        var connection = new Npgsql.NpgsqlConnectionStringBuilder(server.ConnectionString) { Username = "loader", Password = "loader_pw" }.ConnectionString;
        await using var target = TargetFactory.Create(connection);
        await target.EnsureSchemaAsync([ResidentSpec.Entity], StandardSpec.Version, Ct);

        await target.BeginLoadAsync([ResidentSpec.Entity], Ct);
        await target.LoadBatchAsync(Batch("run-loader", ResidentSpec.Entity, 0, Enumerable.Range(0, 100).Select(n => TestRecords.Resident(n))), Ct);
        Assert.Empty(await target.CompleteLoadAsync([ResidentSpec.Entity], Ct));

        Assert.Equal(100, await target.CountAsync(ResidentSpec.Entity, Ct));
        // The key was never dropped: a duplicate is refused as it comes.
        var duplicate = await Assert.ThrowsAsync<TargetLoadException>(() => target.LoadBatchAsync(Batch("run-loader", ResidentSpec.Entity, 1, [TestRecords.Resident(5)]), Ct));
        Assert.Contains("already in the table", duplicate.Message, StringComparison.Ordinal);
    }
}
