using System.CommandLine;
using Ogaki.Migration.Adapters;
using Ogaki.Migration.Adapters.Encodings;
using Ogaki.Migration.Adapters.Inspect;
using Ogaki.Migration.Adapters.Sdk;
using Ogaki.Migration.Validation.Privacy;

namespace Ogaki.Migration.Cli;

/// <summary><c>inspect</c>: shows what an adapter sees in a legacy file, as JSON Lines.</summary>
static class InspectCommand
{
    public static Command Build(TextWriter output, TextWriter error)
    {
        var layout = new Option<string?>("--layout") { Description = "COBOL copybook (.cpy) or layout definition (.layout.csv); not needed for .csv and SQLite files." };
        var encoding = new Option<string?>("--encoding") { Description = "ibm930, ibm939, cp932 or utf-8 (default: the layout's @ENCODING, else utf-8 for CSV)." };
        var table = new Option<string?>("--table") { Description = "SQLite: table or query (default: all tables)." };
        var limit = new Option<long?>("--limit") { Description = "Stop after this many records." };
        var file = new Argument<string>("file") { Description = "The legacy data file." };
        var unmask = new Option<bool>("--show-my-numbers") { Description = "Print 個人番号 in clear (they are masked by default, like in every report and log)." };
        var command = new Command("inspect",
            "Print the records of a legacy file as the adapter parses them: JSON Lines, one object per record, field names as the layout spells them, " +
            "groups as objects, OCCURS as arrays, exact decimals, decoded Unicode, with file/record/offset; rejects as objects with \"reject\".\n\n" +
            "Examples:\n  ogaki-migrate inspect --layout estate/layouts/ZEIMAST.cpy --encoding ibm930 estate/mainframe/ZEIMAST.dat\n" +
            "  ogaki-migrate inspect --layout estate/layouts/JUMIN.layout.csv --encoding cp932 estate/opensys/JUMIN.dat --limit 5\n" +
            "  ogaki-migrate inspect estate/csv/IDO_RIREKI.csv\n  ogaki-migrate inspect --table JUKYUSHA estate/sqlite/jidoteate.db")
        {
            layout, encoding, table, limit, file, unmask,
        };
        command.SetAction(async (parse, ct) =>
        {
            var path = parse.GetValue(file)!;
            if (parse.GetValue(limit) is < 1 and var n) throw new CliException($"--limit {n} is out of range; give at least 1 (or leave it out for every record).");
            if (!File.Exists(path)) throw new CliException($"file {path} not found.");
            var layoutPath = parse.GetValue(layout);
            if (layoutPath is not null && !File.Exists(layoutPath)) throw new CliException($"layout {layoutPath} not found.");
            LegacyEncodings.Register();
            ILegacyAdapter adapter;
            try
            {
                adapter = AdapterFactory.Create(layoutPath, parse.GetValue(encoding), path, parse.GetValue(table));
            }
            catch (Exception e) when (e is ArgumentException or FormatException or InvalidDataException or NotSupportedException)
            {
                // The operator reads the sentence, not the parameter name .NET appends to it.
                throw new CliException(e is ArgumentException { ParamName: { } p } ? e.Message.Replace($" (Parameter '{p}')", "", StringComparison.Ordinal) : e.Message);
            }
            // Streams through a pipe so large files never sit in memory; My Numbers are masked line by line.
            var pipe = new System.IO.Pipelines.Pipe();
            var show = parse.GetValue(unmask);
            var writing = Task.Run(async () =>
            {
                await using var sink = pipe.Writer.AsStream();
                return await InspectWriter.WriteAsync(adapter, sink, parse.GetValue(limit), ct);
            }, ct);
            using (var reader = new StreamReader(pipe.Reader.AsStream(), System.Text.Encoding.UTF8))
            {
                while (await reader.ReadLineAsync(ct) is { } line)
                    await output.WriteLineAsync(show ? line : PersonalDataScanner.RedactMyNumbers(line));
            }
            var summary = await writing;
            await error.WriteLineAsync($"inspect: {summary.Read} read, {summary.Records} records, {summary.Rejects} rejected ({adapter.Name})");
            return ExitCodes.Ok;
        });
        return command;
    }
}
