using System.Text;
using System.Text.Json;
using Ogaki.Migration.LoadProbe;
using Ogaki.Migration.Spec;
using Ogaki.Migration.Standard;
using Ogaki.Migration.Targets.Tests.Support;

namespace Ogaki.Migration.Targets.Tests;

/// <summary>The standard-layout files target: its file format, its manifest and its commit rule on a torn write.</summary>
public sealed class FilesTargetTests
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Writes_romaji_columns_in_item_id_order_official_dates_and_keeps_empty_text_apart_from_missing()
    {
        using var dir = new TempDir();
        var folder = dir.File("out");
        await using (var target = TargetFactory.Create("files:" + folder))
        {
            Assert.Equal("files", target.Kind);
            await target.EnsureSchemaAsync([AllowanceRecipientSpec.Entity], StandardSpec.Version, Ct);
            var records = Enumerable.Range(0, 3).Select(n => (IStandardRecord)TestRecords.AllowanceRecipient(n)).ToList();
            await target.LoadBatchAsync(new LoadBatch("run-f", StandardSpec.Version, AllowanceRecipientSpec.Entity, 0, 1, 3, records), Ct);
        }
        var entity = AllowanceRecipientSpec.Entity;
        var lines = await File.ReadAllLinesAsync(Path.Combine(folder, entity.Table + ".csv"), Encoding.UTF8, Ct);
        var columns = entity.Items.OrderBy(i => i.ItemId, StringComparer.Ordinal).ToList();
        // Columns are the ローマ字 field names of the spec (データ項目（ローマ字）), in データ項目ID order.
        Assert.Equal(string.Join(",", columns.Select(i => i.Official!.FieldName)), lines[0]);
        Assert.StartsWith("atenabango,jukyushabango,", lines[0], StringComparison.Ordinal);
        Assert.Equal(4, lines.Length);
        var first = TestRecords.AllowanceRecipient(0);
        var fields = lines[1].Split(',');
        var date = columns.FindIndex(i => i.Type == ItemType.Date);
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}$", fields[date]);
        Assert.Equal("\"" + first.AtenaNo + "\"", fields[columns.FindIndex(i => i.Identifier == "AtenaNo")]);

        using var manifest = JsonDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(folder, "manifest.json"), Ct));
        var file = Assert.Single(manifest.RootElement.GetProperty("files").EnumerateArray());
        Assert.Equal(3, file.GetProperty("rows").GetInt64());
        Assert.Equal(entity.NameJa, file.GetProperty("group").GetString());
        Assert.Equal(columns.Count, file.GetProperty("provisional_field_names").GetArrayLength()); // our rows are provisional, their ローマ字 too

        // Text: "" and missing stay apart through the file.
        var row = StandardFiles.ReadRecords(new StringReader("a,b,c\r\n\"\",,\"x,\"\"y\"\"\r\nz\"\r\n")).ToList();
        Assert.Equal(["a", "b", "c"], row[0]);
        Assert.Equal(["", null, "x,\"y\"\r\nz"], row[1]);
    }

    [Fact]
    public async Task Rows_and_a_ledger_line_cut_short_by_a_killed_process_are_dropped_and_the_run_resumes_to_the_same_content()
    {
        using var dir = new TempDir();
        var connection = "files:" + dir.File("out");
        await using (var target = TargetFactory.Create(connection))
        {
            await target.EnsureSchemaAsync([ResidentSpec.Entity], StandardSpec.Version, Ct);
            await LoadRun.ResidentsAsync(target, "run-t", 250, 100, cancellationToken: Ct);
        }
        var file = Path.Combine(dir.File("out"), ResidentSpec.Entity.Table + ".csv");
        var ledger = Path.Combine(dir.File("out"), "_ledger.csv");
        var complete = await File.ReadAllBytesAsync(file, Ct);
        // Simulate a kill: the last batch's rows half-written and its ledger line torn.
        var ledgerLines = await File.ReadAllLinesAsync(ledger, Ct);
        await File.WriteAllTextAsync(ledger, string.Join("\r\n", ledgerLines[..^1]) + "\r\n" + ledgerLines[^1][..20], Ct);
        var before = ledgerLines[^2].Split(',')[^1];
        await using (var fs = new FileStream(file, FileMode.Open)) fs.SetLength(long.Parse(before, System.Globalization.CultureInfo.InvariantCulture) + 300);

        await using (var reopened = TargetFactory.Create(connection))
        {
            Assert.Equal(200, await reopened.CountAsync(ResidentSpec.Entity, Ct));
            Assert.Equal([0, 1], (await reopened.GetLedgerAsync("run-t", Ct)).Select(l => l.BatchNumber));
            var results = await LoadRun.ResidentsAsync(reopened, "run-t", 250, 100, cancellationToken: Ct);
            Assert.Equal([true, true, false], results.Select(r => r.Skipped));
            Assert.Equal(250, await reopened.CountAsync(ResidentSpec.Entity, Ct));
        }
        Assert.Equal(complete, await File.ReadAllBytesAsync(file, Ct));
    }

    [Fact]
    public async Task Reset_deletes_only_the_files_it_wrote_and_a_new_rehearsal_then_loads_afresh()
    {
        using var dir = new TempDir();
        var folder = dir.File("out");
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, "municipal_notes.csv"), "id,note\r\n", Ct);
        await using var target = TargetFactory.Create("files:" + folder);
        await target.EnsureSchemaAsync([ResidentSpec.Entity], StandardSpec.Version, Ct);
        await LoadRun.ResidentsAsync(target, "run-first", 300, 100, cancellationToken: Ct);
        await ((FilesTarget)target).WriteManifestAsync(Ct);

        var deleted = await target.ResetAsync(Ct);

        Assert.Equal([ResidentSpec.Entity.Table + ".csv", "_ledger.csv", "manifest.json", "_schema.txt"], deleted);
        Assert.Equal(["municipal_notes.csv"], Directory.EnumerateFiles(folder).Select(Path.GetFileName));
        Assert.Empty(await target.ResetAsync(Ct));
        await target.EnsureSchemaAsync([ResidentSpec.Entity], StandardSpec.Version, Ct);
        var second = await LoadRun.ResidentsAsync(target, "run-second", 300, 100, cancellationToken: Ct);
        Assert.All(second, b => Assert.False(b.Skipped));
        Assert.Equal(300, await target.CountAsync(ResidentSpec.Entity, Ct));
        Assert.Equal(["run-second"], (await target.GetLedgerAsync(null, Ct)).Select(l => l.RunId).Distinct());
    }

    [Fact]
    public async Task An_empty_machiaza_code_is_written_as_the_official_9999999_or_0000000_and_read_back_as_empty()
    {
        using var dir = new TempDir();
        var entity = ResidentSpec.Entity;
        var address = entity.Items.Where(i => i.NameJa.StartsWith("住所_", StringComparison.Ordinal)).Select(i => i.Ordinal).ToList();
        Resident WithoutAddress(Resident r)
        {
            var values = Enumerable.Range(0, entity.Items.Count).Select(r.GetValue).ToArray();
            foreach (var o in address) values[o] = null;
            return Resident.FromValues(values);
        }
        Resident[] records =
        [
            TestRecords.Resident(0) with { JushoMachiazaId = "0011001" },                             // an ABR id: as it is
            TestRecords.Resident(1) with { JushoMachiazaId = null, JushoMachiaza = "架空町" },        // 町字 not in the ABR master
            TestRecords.Resident(2) with { JushoMachiazaId = null, JushoMachiaza = null, JushoCity = "大垣市" }, // no 町字
            WithoutAddress(TestRecords.Resident(3)),                                                   // no address at all
        ];
        await using var target = TargetFactory.Create("files:" + dir.File("out"));
        await target.EnsureSchemaAsync([entity], StandardSpec.Version, Ct);
        await target.LoadBatchAsync(new LoadBatch("run-z", StandardSpec.Version, entity, 0, 1, 4, records), Ct);

        using var reader = new StreamReader(Path.Combine(dir.File("out"), entity.Table + ".csv"));
        var rows = StandardFiles.ReadRecords(reader).ToList();
        var column = Array.IndexOf(rows[0], "jusho_choazakodo"); // 住所_町字コード, as the official sheets name it
        Assert.Equal(["0011001", "9999999", "0000000", null], rows.Skip(1).Select(r => r[column]));

        var back = new List<object?[]>();
        await foreach (var row in target.ReadBackAsync(entity, Ct)) back.Add(row);
        Assert.Equal(records.Select(r => r.JushoMachiazaId), back.Select(Resident.FromValues).Select(r => r.JushoMachiazaId));
    }
}
