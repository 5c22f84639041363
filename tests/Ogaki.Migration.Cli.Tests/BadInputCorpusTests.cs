using Ogaki.Migration.Mappers.Config;

namespace Ogaki.Migration.Cli.Tests;

/// <summary>
/// Ordinary bad input, as an operator or a hostile tester gives it, run through the CLI: each case must end with its
/// documented exit code (never 70, the code for bugs), without a stack trace, and with one error line naming the file.
/// </summary>
[Collection(nameof(EnvironmentCollection))]
public class BadInputCorpusTests
{
    /// <summary>One bad input: what to write into the case's folder, the arguments, the exit code and the file the error must name.</summary>
    sealed record Case(int Exit, string Names, Func<Work, string[]> Arrange);

    /// <summary>A case's folder, with the shared sample estate to copy from.</summary>
    sealed class Work(string dir, string estate)
    {
        public string Dir { get; } = dir;

        public string P(string name) => Path.Combine(Dir, name);

        public string Write(string name, string text)
        {
            var p = P(name);
            Directory.CreateDirectory(Path.GetDirectoryName(p)!);
            File.WriteAllText(p, text);
            return p;
        }

        public string WriteBytes(string name, byte[] bytes)
        {
            var p = P(name);
            File.WriteAllBytes(p, bytes);
            return p;
        }

        /// <summary>A fixed-format copybook: the lines are code from column 8, after one record level 01.</summary>
        public string Copybook(string name, params string[] items) =>
            Write(name, string.Join('\n', new[] { "      *@ENCODING utf-8", "       01  R." }.Concat(items.Select(i => "           " + i))) + "\n");

        /// <summary>A ten-byte record of text, the data the copybook cases read.</summary>
        public string Data() => Write("d.dat", "ABCDEFGHIJ\n");

        /// <summary>A copy of the sample estate to damage, and the dry-run arguments that read it.</summary>
        public string Estate(Action<string>? damage = null)
        {
            var e = P("estate");
            SmallEstate.Copy(estate, e);
            damage?.Invoke(e);
            return e;
        }

        public string[] DryRun(Action<string> damage, params string[] more) => ["dry-run", "--source", Estate(damage), "--runs", P("runs"), .. more];

        /// <summary>A copy of the shipped mapping configuration to damage.</summary>
        public string Mapping(Action<string> damage)
        {
            var m = P("mapping");
            SmallEstate.Copy(MappingConfig.DefaultRoot(), m);
            damage(m);
            return m;
        }
    }

    static string[] Inspect(Work w, string layout) => ["inspect", "--layout", layout, w.Data()];

    static readonly Dictionary<string, Case> Cases = new()
    {
        // Copybooks (inspect).
        ["copybook missing period"] = new(2, "c.cpy(3)", w => Inspect(w, w.Copybook("c.cpy", "05  A  PIC X(10)"))),
        ["copybook PIC Q"] = new(2, "c.cpy(3)", w => Inspect(w, w.Copybook("c.cpy", "05  A  PIC Q(10)."))),
        ["copybook OCCURS 0"] = new(2, "c.cpy(3)", w => Inspect(w, w.Copybook("c.cpy", "05  A  OCCURS 0 TIMES.", "   10  B  PIC X(2)."))),
        ["copybook circular REDEFINES"] = new(2, "c.cpy(3)", w => Inspect(w, w.Copybook("c.cpy", "05  B  REDEFINES C PIC X(5).", "05  C  REDEFINES B PIC X(5)."))),
        ["copybook PIC X(-5)"] = new(2, "c.cpy(3)", w => Inspect(w, w.Copybook("c.cpy", "05  A  PIC X(-5)."))),
        ["copybook PIC X(999999999)"] = new(2, "c.cpy(3)", w => Inspect(w, w.Copybook("c.cpy", "05  A  PIC X(999999999)."))),
        ["copybook OCCURS 99999 of X(99999)"] = new(2, "c.cpy(3)", w => Inspect(w, w.Copybook("c.cpy", "05  A  OCCURS 99999 TIMES.", "   10  B  PIC X(99999)."))),
        ["copybook sum of fields over the limit"] = new(2, "c.cpy(4)", w => Inspect(w, w.Copybook("c.cpy", "05  A  PIC X(1000000).", "05  B  PIC X(100000)."))),
        ["copybook empty"] = new(2, "c.cpy", w => Inspect(w, w.Write("c.cpy", ""))),
        ["copybook COMP-1"] = new(2, "c.cpy(3)", w => Inspect(w, w.Copybook("c.cpy", "05  A  PIC 9(4) COMP-1."))),
        ["copybook level 99"] = new(2, "c.cpy(3)", w => Inspect(w, w.Copybook("c.cpy", "99  A  PIC X(10)."))),
        ["copybook unterminated literal"] = new(2, "c.cpy(3)", w => Inspect(w, w.Copybook("c.cpy", "05  A  PIC X(10) VALUE 'ABC."))),
        ["copybook code before column 8"] = new(2, "c.cpy(1)", w => Inspect(w, w.Write("c.cpy", " 01 R.\n"))),
        ["copybook bad indicator"] = new(2, "c.cpy(1)", w => Inspect(w, w.Write("c.cpy", "000100X    05  A PIC X.\n"))),
        ["copybook PIC without string"] = new(2, "c.cpy(3)", w => Inspect(w, w.Copybook("c.cpy", "05  A  PIC."))),
        ["copybook REDEFINES unknown"] = new(2, "c.cpy(3)", w => Inspect(w, w.Copybook("c.cpy", "05  A  REDEFINES NOPE PIC X(5)."))),
        ["copybook 29 digits"] = new(2, "c.cpy(3)", w => Inspect(w, w.Copybook("c.cpy", "05  A  PIC 9(29)."))),
        ["copybook selector not a field"] = new(2, "c.cpy", w => Inspect(w, w.Write("c.cpy", "      *@SELECTOR NOPE\n       01  R.\n           05  A  PIC X(10).\n"))),
        ["copybook group without items"] = new(2, "c.cpy(3)", w => Inspect(w, w.Copybook("c.cpy", "05  A."))),
        // Layout files (inspect).
        ["layout without type column"] = new(2, "l.layout.csv(1)", w => Inspect(w, w.Write("l.layout.csv", "record_type,name,offset,length,scale,notes\n,A,0,10,,\n"))),
        ["layout without name column"] = new(2, "l.layout.csv(1)", w => Inspect(w, w.Write("l.layout.csv", "record_type,offset,length,type\n,0,10,X\n"))),
        ["layout negative length"] = new(2, "l.layout.csv(2)", w => Inspect(w, w.Write("l.layout.csv", "record_type,name,offset,length,type\n,A,0,-3,X\n"))),
        ["layout length over the limit"] = new(2, "l.layout.csv(2)", w => Inspect(w, w.Write("l.layout.csv", "record_type,name,offset,length,type\n,A,0,99999999,X\n"))),
        ["layout occurs over the limit"] = new(2, "l.layout.csv(2)", w => Inspect(w, w.Write("l.layout.csv", "record_type,name,offset,length,type,occurs\n,A,0,99999,X,99999\n"))),
        ["layout unterminated quote"] = new(2, "l.layout.csv(2)", w => Inspect(w, w.Write("l.layout.csv", "record_type,name,offset,length,type\n,\"A,0,10,X\n"))),
        ["layout header only"] = new(2, "l.layout.csv", w => Inspect(w, w.Write("l.layout.csv", "record_type,name,offset,length,type\n"))),
        ["layout unknown type"] = new(2, "l.layout.csv(2)", w => Inspect(w, w.Write("l.layout.csv", "record_type,name,offset,length,type\n,A,0,10,Z\n"))),
        ["layout of an unknown kind"] = new(2, "l.txt", w => Inspect(w, w.Write("l.txt", "A,0,10,X\n"))),
        // Files and arguments of inspect.
        ["inspect missing layout"] = new(2, "nope.cpy", w => Inspect(w, w.P("nope.cpy"))),
        ["inspect missing data file"] = new(2, "nope.dat", w => ["inspect", w.P("nope.dat")]),
        ["inspect fixed-length file without layout"] = new(2, "d.dat", w => ["inspect", w.Data()]),
        ["inspect unknown encoding"] = new(2, "klingon", w => ["inspect", "--encoding", "klingon", "--layout", w.Copybook("c.cpy", "05  A  PIC X(10)."), w.Data()]),
        ["inspect random bytes as SQLite"] = new(2, "x.db", w => ["inspect", w.WriteBytes("x.db", [.. Enumerable.Range(0, 4096).Select(i => (byte)(i * 37))])]),
        ["inspect missing SQLite table"] = new(2, "jidoteate.db", w => ["inspect", "--table", "NOPE", Path.Combine(w.Estate(), "sqlite", "jidoteate.db")]),
        ["inspect --limit 0"] = new(2, "--limit 0", w => ["inspect", "--limit", "0", w.Write("h.csv", "a,b\n1,2\n")]),
        ["inspect layout and data swapped"] = new(2, "d.dat", w => ["inspect", "--layout", w.Data(), w.Data()]),
        ["inspect SQLite query on a missing table"] = new(2, "jidoteate.db", w => ["inspect", "--table", "SELECT * FROM NOPE", Path.Combine(w.Estate(), "sqlite", "jidoteate.db")]),
        // Estates (dry-run).
        ["estate corrupt gaiji.csv"] = new(2, "gaiji.csv", w => w.DryRun(e => File.WriteAllText(Path.Combine(e, "gaiji.csv"), "pua,cp932\n\"U+E000,F040\n"))),
        ["estate gaiji.csv without standard column"] = new(2, "gaiji.csv", w => w.DryRun(e => File.WriteAllText(Path.Combine(e, "gaiji.csv"), "pua,cp932\nU+E000,F040\n"))),
        ["estate layout without type column"] = new(2, "JUMIN.layout.csv(1)", w => w.DryRun(e => File.WriteAllText(Path.Combine(e, "layouts", "JUMIN.layout.csv"), "record_type,name,offset,length\n,A,0,10\n"))),
        ["estate copybook PIC Q"] = new(2, "ZEIMAST.cpy(", w => w.DryRun(e => Replace(Path.Combine(e, "layouts", "ZEIMAST.cpy"), "PIC X(1).", "PIC Q(1)."))),
        ["estate copybook PIC X(999999999)"] = new(2, "ZEIMAST.cpy(", w => w.DryRun(e => Replace(Path.Combine(e, "layouts", "ZEIMAST.cpy"), "PIC X(699).", "PIC X(999999999)."))),
        ["estate non-SQLite database"] = new(2, "jidoteate.db", w => w.DryRun(e => File.Copy(Path.Combine(e, "opensys", "SETAI.dat"), Path.Combine(e, "sqlite", "jidoteate.db"), true))),
        ["estate SQLite without a table"] = new(2, "jidoteate.db", w => w.DryRun(e => DropTable(Path.Combine(e, "sqlite", "jidoteate.db"), "SHIHARAI"))),
        ["estate SQLite page overwritten"] = new(2, "jidoteate.db", w => w.DryRun(e => Overwrite(Path.Combine(e, "sqlite", "jidoteate.db"), 0.5))),
        ["estate SQLite last page overwritten"] = new(2, "jidoteate.db", w => w.DryRun(e => Overwrite(Path.Combine(e, "sqlite", "jidoteate.db"), 0.9))),
        ["estate missing file"] = new(2, "SETAI.dat", w => w.DryRun(e => File.Delete(Path.Combine(e, "opensys", "SETAI.dat")))),
        ["estate folder missing"] = new(2, "no-estate", w => ["dry-run", "--source", w.P("no-estate"), "--runs", w.P("runs")]),
        ["estate expected counts not JSON"] = new(2, "estate.json", w => w.DryRun(e => File.WriteAllText(Path.Combine(e, "estate.json"), "{\"counts\": [1,"))),
        ["estate expected count negative"] = new(2, "expected-counts.json", w => w.DryRun(e => File.WriteAllText(Path.Combine(e, "expected-counts.json"), "{\"counts\": {\"opensys/JUMIN.dat\": -1}}"))),
        // Mapping configuration (dry-run --mapping).
        ["mapping broken code table"] = new(2, "CT-JUMIN-JOTAI.csv.csv", w => w.DryRun(_ => { }, "--mapping", w.Mapping(m => File.WriteAllText(Path.Combine(m, "codes", "CT-JUMIN-JOTAI.csv.csv"), "legacy_code,standard_code\n\"1,1\n")))),
        ["mapping empty code table"] = new(2, "CT-JUMIN-JOTAI.csv.csv", w => w.DryRun(_ => { }, "--mapping", w.Mapping(m => File.WriteAllText(Path.Combine(m, "codes", "CT-JUMIN-JOTAI.csv.csv"), "")))),
        ["mapping folder missing"] = new(2, "no-mapping", w => w.DryRun(_ => { }, "--mapping", w.P("no-mapping"))),
        // Run configuration and arguments.
        ["config that is an array"] = new(2, "c.json", w => ["dry-run", "--config", w.Write("c.json", "[1, 2]"), "--runs", w.P("runs")]),
        ["config that is a string"] = new(2, "c.json", w => ["dry-run", "--config", w.Write("c.json", "\"estate\""), "--runs", w.P("runs")]),
        ["config not JSON"] = new(2, "c.json", w => ["dry-run", "--config", w.Write("c.json", "{bad"), "--runs", w.P("runs")]),
        ["config missing"] = new(2, "c.json", w => ["dry-run", "--config", w.P("c.json"), "--runs", w.P("runs")]),
        ["sample --scale NaN"] = new(2, "--scale NaN", w => ["sample", "--scale", "NaN", "--out", w.P("s")]),
        ["sample --scale negative"] = new(2, "--scale -1", w => ["sample", "--scale", "-1", "--out", w.P("s")]),
        ["sample --scale infinite"] = new(2, "--scale Infinity", w => ["sample", "--scale", "Infinity", "--out", w.P("s")]),
        ["dry-run --scale NaN"] = new(2, "scale NaN", w => ["dry-run", "--scale", "NaN", "--runs", w.P("runs")]),
        ["dry-run --batch-size 0"] = new(2, "batch size", w => ["dry-run", "--batch-size", "0", "--runs", w.P("runs")]),
        ["verify a path that is no run"] = new(2, "runs/nope", w => ["verify", "runs/nope", "--runs", w.P("runs")]),
        ["verify an unknown run"] = new(2, "run nope", w => ["verify", "nope", "--runs", w.P("runs")]),
        ["conformance manifest missing"] = new(2, "m.json", w => ["conformance", w.P("m.json")]),
        ["conformance manifest an array"] = new(2, "m.json", w => ["conformance", w.Write("m.json", "[]")]),
        ["fitgap estate missing"] = new(2, "no-estate", w => ["fitgap", "--source", w.P("no-estate")]),
        ["fitgap report into a file's folder"] = new(2, "d.dat/x.md", w => ["fitgap", "--source", w.Estate(), "--out", Path.Combine(w.Data(), "x.md")]),
        ["spec diff unknown version"] = new(2, "9.9", w => ["spec", "diff", "9.9", "1.1"]),
    };

    public static TheoryData<string> CaseNames => [.. Cases.Keys];

    [Fact]
    public void The_corpus_holds_at_least_forty_bad_inputs() => Assert.True(Cases.Count >= 40, $"{Cases.Count} cases");

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task Bad_input_is_one_clear_line_with_its_exit_code_never_a_crash(string name)
    {
        var c = Cases[name];
        using var tmp = new TempFolder();
        var r = await CliRunner.RunAsync(c.Arrange(new Work(tmp.Path, await SmallEstate.PathAsync())));
        var all = r.Output + r.Error;
        Assert.True(r.ExitCode != ExitCodes.InternalError, $"{name}: exit 70\n{all}");
        Assert.True(r.ExitCode == c.Exit, $"{name}: exit {r.ExitCode}, expected {c.Exit}\n{all}");
        Assert.DoesNotContain("   at ", all, StringComparison.Ordinal);
        var lines = r.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var error = Assert.Single(lines);
        Assert.StartsWith("ogaki-migrate: ", error, StringComparison.Ordinal);
        Assert.DoesNotContain("unexpected error", error, StringComparison.Ordinal);
        Assert.Contains(c.Names, error, StringComparison.Ordinal);
    }

    static void Replace(string path, string from, string to)
    {
        var text = File.ReadAllText(path);
        Assert.Contains(from, text, StringComparison.Ordinal);
        File.WriteAllText(path, text.Replace(from, to, StringComparison.Ordinal));
    }

    /// <summary>Overwrites 2,000 bytes at a fraction of the file (a damaged disk block).</summary>
    static void Overwrite(string path, double at)
    {
        var bytes = File.ReadAllBytes(path);
        var from = (int)(bytes.Length * at);
        bytes.AsSpan(from, Math.Min(2000, bytes.Length - from)).Fill((byte)'Z');
        File.WriteAllBytes(path, bytes);
    }

    static void DropTable(string db, string table)
    {
        using var conn = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={db};Pooling=False");
        conn.Open();
        using var cmd = conn.CreateCommand();
        cmd.CommandText = $"DROP TABLE {table}";
        cmd.ExecuteNonQuery();
    }
}
