using Ogaki.Migration.Standard;

namespace Ogaki.Migration.Spec.Tests;

public class SpecCatalogTests
{
    [Fact]
    public void Generated_metadata_and_the_runtime_loader_agree_item_for_item()
    {
        var loaded = SpecCatalog.Load(StandardSpec.Version);
        var compiled = StandardSpec.Catalog;
        Assert.Equal(compiled.Version, loaded.Version);
        Assert.Equal(compiled.Entities.Select(e => e.Name), loaded.Entities.Select(e => e.Name));
        foreach (var e in compiled.Entities)
        {
            var l = loaded.FindEntity(e.Name)!;
            Assert.Equal(e.Key, l.Key);
            Assert.Equal(e.Table, l.Table);
            Assert.Equal(e.Items, l.Items); // records: every column compared
        }
        Assert.Equal(compiled.CodeTables.Select(t => t.TableId), loaded.CodeTables.Select(t => t.TableId));
        foreach (var t in compiled.CodeTables)
            Assert.Equal(t.Values, loaded.FindCodeTable(t.TableId)!.Values);
    }

    [Fact]
    public void The_resident_entity_has_at_least_the_ninety_items_of_the_domain_column_set()
    {
        Assert.True(ResidentSpec.Entity.Items.Count >= 90, $"{ResidentSpec.Entity.Items.Count} items");
        Assert.Equal(["AtenaNo"], ResidentSpec.Entity.Key);
        var kana = ResidentSpec.Entity.Find("ShimeiKana")!;
        Assert.Equal(("氏名_フリガナ", ItemType.Kana, 100), (kana.NameJa, kana.Type, kana.Length));
        var birth = ResidentSpec.Entity.Find("SeinengappiYmd")!;
        Assert.Equal((ItemType.Date, "DATE", "seinengappi"), (birth.Type, birth.Official!.DataType, birth.Official.FieldName));
        var pair = ResidentSpec.Entity.UnknownDatePair(birth)!.Value;
        Assert.Equal(("生年月日_不詳フラグ", ItemType.Flag, "生年月日_不詳表記", ItemType.Text, 72), (pair.Flag.NameJa, pair.Flag.Type, pair.Text.NameJa, pair.Text.Type, pair.Text.Length));
        Assert.Null(ResidentSpec.Entity.UnknownDatePair(ResidentSpec.Entity.Find("IdoTodokedeYmd")!));
        Assert.Equal(ItemType.Date, ResidentSpec.Entity.Find("IdoTodokedeYmd")!.Type);
    }

    [Fact]
    public void Both_shipped_versions_load_and_list_in_version_order()
    {
        Assert.Equal(["1.0", "1.1"], SpecCatalog.Versions());
        Assert.Equal(11, SpecCatalog.Load("1.0").Entities.Count);
    }

    [Fact]
    public void A_missing_version_is_a_clear_error()
    {
        var e = Assert.Throws<SpecLoadException>(() => SpecCatalog.Load("7.7"));
        Assert.Contains("7.7", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_malformed_spec_folder_lists_every_problem_with_file_and_line()
    {
        var temp = Directory.CreateTempSubdirectory("ogaki-spec").FullName;
        var root = Path.Combine(temp, "standard");
        try
        {
            Directory.CreateDirectory(Path.Combine(root, "2.0", "items"));
            File.WriteAllText(Path.Combine(root, "2.0", "entities.csv"), "entity,area,area_name_ja,name_ja,key,table,status,notes\nPerson,JUKI,住民記録,人,Id,person,provisional,\n");
            File.WriteAllText(Path.Combine(root, "2.0", "items", "JUKI.csv"),
                GeneratorHarness.ItemHeader + "\n00100001,番号,bango,人,○,,X,5,,,必須,,,,,Id,digits,provisional\n00100002,氏名,shimei,人,,,Ｎ,5,,,必須,,,,,Name,txt,provisional\n");
            var e = Assert.Throws<SpecLoadException>(() => SpecCatalog.Load("2.0", root));
            Assert.Contains("JUKI.csv(3): OGSPEC002", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(temp, true);
        }
    }

    // Both shipped versions are in the official 基本データリスト shape: 8-digit ids (3-digit 基幹業務コード + 5-digit
    // 項目コード), ローマ字 field names, official データ型 and 桁数, and every date that may be 不詳 has its item pair.
    [Theory]
    [InlineData("1.0")]
    [InlineData("1.1")]
    public void Shipped_versions_are_in_the_official_shape(string version)
    {
        var catalog = SpecCatalog.Load(version);
        var business = new Dictionary<string, string> { ["JUKI"] = "001", ["KZEI"] = "004", ["JTEA"] = "018" };
        foreach (var e in catalog.Entities)
            foreach (var i in e.Items)
            {
                Assert.Matches("^[0-9]{8}$", i.ItemId);
                Assert.StartsWith(business[e.Area], i.ItemId, StringComparison.Ordinal);
                Assert.NotNull(i.Official);
                Assert.Matches("^[a-z][a-z0-9_]*$", i.Official!.FieldName);
                Assert.Equal(e.NameJa, i.Official.Group);
                Assert.Contains(i.Official.DataType, new[] { "X", "Ｎ", "9", "S9", "YEAR", "DATE" });
                Assert.Equal(e.Key.Contains(i.Identifier), i.Official.PrimaryKey);
                Assert.Equal(SpecStatus.Provisional, i.Status); // our values, never presented as official
            }
        var resident = catalog.FindEntity("Resident")!;
        string[] unknownDates = ["IdoYmd", "SeinengappiYmd", "JuminYmd", "JushoTeiYmd", "ShojoIdoYmd", "GaikokujinJuminYmd"];
        Assert.Equal(unknownDates, resident.Items.Where(i => resident.UnknownDatePair(i) is not null).Select(i => i.Identifier));
        var birth = resident.UnknownDatePair(resident.Find("SeinengappiYmd")!)!.Value;
        Assert.Equal(("seinengappi_fushofuragu", "9", "1", "seinengappi_fushohyoki", "Ｎ", "72"),
            (birth.Flag.Official!.FieldName, birth.Flag.Official.DataType, birth.Flag.Official.Digits, birth.Text.Official!.FieldName, birth.Text.Official.DataType, birth.Text.Official.Digits));
        Assert.Equal("jusho_choazakodo", resident.Find("JushoMachiazaId")!.Official!.FieldName); // as the official 住登外 sheet names it
        Assert.DoesNotContain(catalog.Entities.SelectMany(e => e.Items), i => i.Type == ItemType.Date && i.Official!.DataType != "DATE");
    }

    [Fact]
    public void Spec_diff_names_changes_of_the_official_columns()
    {
        var temp = Directory.CreateTempSubdirectory("ogaki-spec").FullName;
        var root = Path.Combine(temp, "standard");
        try
        {
            void Version(string v, string row)
            {
                Directory.CreateDirectory(Path.Combine(root, v, "items"));
                File.WriteAllText(Path.Combine(root, v, "entities.csv"), "entity,area,area_name_ja,name_ja,key,table,status,notes\nPerson,JUKI,住民記録,人,Id,person,provisional,\n");
                File.WriteAllText(Path.Combine(root, v, "items", "JUKI.csv"), GeneratorHarness.ItemHeader + "\n" + row + "\n");
            }
            Version("2.0", "00100001,番号,bango,人,○,,X,15,,,必須,,,,,Id,digits,provisional");
            Version("2.1", "00100001,番号,atenabango,人,○,,9,15,,,必須,,,,,Id,digits,provisional");
            var text = SpecDiff.Format(SpecCatalog.Load("2.0", root), SpecCatalog.Load("2.1", root), SpecDiff.Compare(SpecCatalog.Load("2.0", root), SpecCatalog.Load("2.1", root)));
            Assert.Contains("~ item 00100001: Person.Id 番号 — データ型 X → 9", text, StringComparison.Ordinal);
            Assert.Contains("~ item 00100001: Person.Id 番号 — ローマ字 bango → atenabango", text, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(temp, true);
        }
    }

    [Fact]
    public void Spec_diff_of_the_shipped_versions_lists_the_real_changes()
    {
        var changes = SpecDiff.Compare(SpecCatalog.Load("1.0"), SpecCatalog.Load("1.1"));
        Assert.Contains(changes, c => c.Kind == SpecChangeKind.Added && c.Subject == "item" && c.Description.StartsWith("Resident.ShimeiFurigana 氏名の振り仮名", StringComparison.Ordinal));
        Assert.Contains(changes, c => c.Kind == SpecChangeKind.Added && c.Subject == "item" && c.Description.StartsWith("Resident.KyuujiFurigana", StringComparison.Ordinal));
        Assert.Contains(changes, c => c is { Kind: SpecChangeKind.Changed, Key: "00100034", Field: "length", OldValue: "50", NewValue: "80" });
        Assert.Contains(changes, c => c is { Kind: SpecChangeKind.Added, Subject: "code", Key: "CT-IDO-JIYU:51" });
        Assert.Equal(4, changes.Count);
        Assert.Empty(SpecDiff.Compare(SpecCatalog.Load("1.1"), SpecCatalog.Load("1.1")));
    }
}
