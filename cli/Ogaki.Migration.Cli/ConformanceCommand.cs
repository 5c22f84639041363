using System.CommandLine;
using Ogaki.Migration.Adapters.Conformance;
using Ogaki.Migration.Adapters.Encodings;

namespace Ogaki.Migration.Cli;

/// <summary><c>conformance</c>: runs the vendor conformance kit on an adapter described by a manifest.</summary>
static class ConformanceCommand
{
    public static Command Build(TextWriter output)
    {
        var manifest = new Argument<string>("manifest") { Description = "Conformance manifest (JSON): layout, encoding, sample, expected records and bad inputs with their reasons." };
        var command = new Command("conformance",
            "Prove a legacy adapter: record counts, every field type, kana/kanji/外字, decimal exactness, locations, cancellation and every kind of bad input. " +
            "Exit 0 when every required check passes, 1 otherwise.\n\n" +
            "Example:\n  ogaki-migrate conformance vendor/zeimast-suite.json\n\n" +
            "Manifest format: see adapters/Ogaki.Migration.Adapters.Conformance/ConformanceManifest.cs and adapters/Ogaki.Migration.Adapters/README.md.")
        {
            manifest,
        };
        command.SetAction(async (parse, ct) =>
        {
            var path = parse.GetValue(manifest)!;
            if (!File.Exists(path)) throw new CliException($"conformance manifest {path} not found.");
            LegacyEncodings.Register();
            ConformanceSuite suite;
            try
            {
                suite = ConformanceManifest.Load(path);
            }
            catch (Exception e) when (e is System.Text.Json.JsonException or FormatException or ArgumentException or InvalidDataException or KeyNotFoundException or FileNotFoundException)
            {
                throw new CliException($"conformance manifest {path} is invalid: {e.Message}");
            }
            var report = await ConformanceRunner.RunAsync(suite, ct);
            output.Write(report.ToText());
            return report.Passed ? ExitCodes.Ok : ExitCodes.Discrepancies;
        });
        return command;
    }
}
