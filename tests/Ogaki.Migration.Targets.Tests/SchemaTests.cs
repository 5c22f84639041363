using Npgsql;
using Ogaki.Migration.LoadProbe;
using Ogaki.Migration.Spec;
using Ogaki.Migration.Standard;
using Ogaki.Migration.Targets.Tests.Support;
using Snapshooter;
using Snapshooter.Xunit3;

namespace Ogaki.Migration.Targets.Tests;

/// <summary>The schema is generated from the spec metadata: create scripts, upgrade scripts between versions, and applying them.</summary>
public sealed class SchemaTests
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    static SpecEntity Resident10 => SpecCatalog.Load("1.0").FindEntity("Resident")!;

    [Fact]
    public void PostgreSQL_create_script_maps_item_types_keys_and_mandatory_items()
    {
        var script = StandardModel.GenerateCreateScript(TargetProvider.PostgreSql, [AllowancePaymentSpec.Entity, TaxAssessmentSpec.Entity, ResidentSpec.Entity]);
        Snapshot.Match(script);
        // Spot checks that say why the snapshot looks as it does.
        Assert.Contains("atena_no character varying(15) COLLATE \"C\" NOT NULL", script, StringComparison.Ordinal); // digits → varchar(length); key text in byte order
        Assert.Contains("setai_no character varying(15) NOT NULL", script, StringComparison.Ordinal);              // not a key: database collation
        Assert.Contains("nen_zeigaku numeric(11,0) NOT NULL", script, StringComparison.Ordinal);                   // amount → numeric(p,0)
        Assert.Contains("kazei_nendo integer NOT NULL", script, StringComparison.Ordinal);                         // int
        Assert.Contains("shiharai_ym character varying(7) COLLATE \"C\" NOT NULL", script, StringComparison.Ordinal); // yearmonth → yyyy-MM (a key)
        Assert.Contains("seinengappi_ymd date,", script, StringComparison.Ordinal);                                // mandatory DATE with a 不詳 pair: empty when 不詳
        Assert.Contains("seinengappi_ymd_fusho_flag boolean,", script, StringComparison.Ordinal);                  // 生年月日_不詳フラグ
        Assert.Contains("seinengappi_ymd_fusho_hyoki character varying(144),", script, StringComparison.Ordinal);   // 生年月日_不詳表記 Ｎ(72)
        Assert.Contains("shimei_kana_kakunin_flag boolean", script, StringComparison.Ordinal);                     // flag
        Assert.Contains("ido_todokede_ymd date", script, StringComparison.Ordinal);                                // date
        Assert.Contains("CONSTRAINT \"PK_juki_resident\" PRIMARY KEY (atena_no)", script, StringComparison.Ordinal);
        Assert.Contains("CONSTRAINT \"PK_kzei_assessment\" PRIMARY KEY (atena_no, kazei_nendo)", script, StringComparison.Ordinal);
        Assert.Contains("CONSTRAINT \"PK_ogaki_run_ledger\" PRIMARY KEY (run_id, entity, batch_no)", script, StringComparison.Ordinal);
        Assert.Contains("COMMENT ON COLUMN juki_resident.shimei IS '00100008 氏名'", script, StringComparison.Ordinal);
        // Spec order, not EF's alphabetical order: 宛名番号, 世帯番号, 住民種別 …
        Assert.True(script.IndexOf("setai_no character", StringComparison.Ordinal) < script.IndexOf("jumin_shubetsu character", StringComparison.Ordinal));
    }

    [Fact]
    public void Every_item_of_every_entity_becomes_a_column()
    {
        var script = StandardModel.GenerateCreateScript(TargetProvider.Sqlite, StandardSpec.Entities);
        foreach (var e in StandardSpec.Entities)
        {
            Assert.Contains($"CREATE TABLE \"{e.Table}\"", script, StringComparison.Ordinal);
            foreach (var i in e.Items) Assert.Contains($"\"{TargetNames.Column(i)}\" ", script, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Upgrade_from_spec_1_0_to_1_1_adds_the_new_items_and_widens_the_changed_length()
    {
        var pg = StandardModel.GenerateUpgradeScript(TargetProvider.PostgreSql, [Resident10], [ResidentSpec.Entity]);
        Snapshot.Match(pg, SnapshotNameExtension.Create("postgresql"));
        Assert.Contains("ALTER TABLE juki_resident ADD shimei_furigana character varying(200);", pg, StringComparison.Ordinal);     // 00100140
        Assert.Contains("ALTER TABLE juki_resident ADD kyuuji_furigana character varying(100);", pg, StringComparison.Ordinal);     // 00100141
        Assert.Contains("ALTER TABLE juki_resident ALTER COLUMN jusho_banchi TYPE character varying(160);", pg, StringComparison.Ordinal); // 00100034 50 → 80
        Assert.DoesNotContain("CREATE TABLE", pg, StringComparison.Ordinal);

        var lite = StandardModel.GenerateUpgradeScript(TargetProvider.Sqlite, [Resident10], [ResidentSpec.Entity]);
        Assert.Contains("ALTER TABLE \"juki_resident\" ADD \"shimei_furigana\" TEXT NULL;", lite, StringComparison.Ordinal);
        Assert.Equal("", StandardModel.GenerateUpgradeScript(TargetProvider.PostgreSql, [ResidentSpec.Entity], [ResidentSpec.Entity]));
    }

    [Fact]
    public void A_spec_that_drops_an_item_is_refused()
    {
        var e = ResidentSpec.Entity;
        var fewer = new SpecEntity(e.Name, e.Area, e.AreaNameJa, e.NameJa, e.Key, e.Table, e.Status, e.Notes,
            e.Items.Where(i => i.Identifier != "Biko").Select((i, n) => i with { Ordinal = n }).ToList());
        var ex = Assert.Throws<SchemaUpgradeException>(() => StandardModel.GenerateUpgradeScript(TargetProvider.PostgreSql, [e], [fewer]));
        Assert.Contains("juki_resident.biko", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("postgresql")]
    [InlineData("sqlite")]
    public async Task A_database_built_for_1_0_is_upgraded_in_place_and_keeps_its_rows(string kind)
    {
        await using var t = await TestTarget.CreateAsync(kind);
        await t.Target.EnsureSchemaAsync([Resident10], "1.0", Ct);
        // A 1.0 row: the 1.0 entity has no 振り仮名 items, so load through values of the 1.0 item list.
        var old = new ValuesRecord(Resident10, Resident10.Items.Select(i => ResidentSpec.Entity.Find(i.Identifier) is { } n ? TestRecords.Resident(5).GetValue(n.Ordinal) : null).ToArray());
        await t.Target.LoadBatchAsync(new LoadBatch("run-old", "1.0", Resident10, 0, 1, 1, [old]), Ct);

        await using var upgraded = t.Reopen();
        await upgraded.EnsureSchemaAsync([ResidentSpec.Entity], StandardSpec.Version, Ct);
        await upgraded.EnsureSchemaAsync([ResidentSpec.Entity], StandardSpec.Version, Ct); // idempotent
        var longBanchi = new string('番', 80);
        await upgraded.LoadBatchAsync(new LoadBatch("run-new", StandardSpec.Version, ResidentSpec.Entity, 0, 1, 1,
            [TestRecords.Resident(6) with { ShimeiFurigana = "ヤマダ　タロウ", JushoBanchi = longBanchi }]), Ct);

        var rows = (await LoadTests.ReadAll(upgraded, ResidentSpec.Entity)).Select(Resident.FromValues).ToList();
        Assert.Equal(2, rows.Count);
        Assert.Equal(TestRecords.Resident(5).Shimei, rows[0].Shimei);
        Assert.Null(rows[0].ShimeiFurigana);
        Assert.Equal("ヤマダ　タロウ", rows[1].ShimeiFurigana);
        Assert.Equal(longBanchi, rows[1].JushoBanchi);
        if (t.Schema is { } schema)
            Assert.Equal(160, await schema.ScalarAsync(
                $"SELECT character_maximum_length FROM information_schema.columns WHERE table_schema = '{schema.Name}' AND table_name = 'juki_resident' AND column_name = 'jusho_banchi'"));
    }

    [Fact]
    public async Task Entities_named_later_are_added_without_touching_existing_tables()
    {
        await using var t = await TestTarget.CreateAsync("postgresql");
        await t.Target.EnsureSchemaAsync([ResidentSpec.Entity], StandardSpec.Version, Ct);
        await LoadRun.ResidentsAsync(t.Target, "run-r", 10, 10, cancellationToken: Ct);
        await t.Target.EnsureSchemaAsync([HouseholdSpec.Entity], StandardSpec.Version, Ct);
        Assert.Equal(10, await t.Target.CountAsync(ResidentSpec.Entity, Ct));
        Assert.Equal(0, await t.Target.CountAsync(HouseholdSpec.Entity, Ct));
        Assert.Equal(2, await t.Schema!.ScalarAsync("SELECT count(*) FROM ogaki_schema"));
    }

    /// <summary>A record given as values, for entity versions without a generated type.</summary>
    sealed class ValuesRecord(SpecEntity entity, object?[] values) : IStandardRecord
    {
        public SpecEntity Entity => entity;

        public object? GetValue(int ordinal) => values[ordinal];

        public void Validate(ICollection<SpecViolation> violations) { }
    }
}
