using System.CommandLine;
using System.Globalization;
using Ogaki.Migration.LegacyEstate;
using Ogaki.Migration.Pipeline;
using Spectre.Console;

namespace Ogaki.Migration.Cli;

/// <summary><c>sample</c>: writes the synthetic legacy estate (four legacy systems and the ground truth).</summary>
static class SampleCommand
{
    public static Command Build(TextWriter output)
    {
        var scale = new Option<double>("--scale") { Description = "Size: 1.0 = 大垣市 (160,485 residents in 67,809 households).", DefaultValueFactory = _ => 0.1 };
        var seed = new Option<int>("--seed") { Description = "Seed: the same seed and scale give byte-identical files.", DefaultValueFactory = _ => 42 };
        var outDir = new Option<string>("--out") { Description = "Output folder (created).", Required = true };
        var clean = new Option<bool>("--no-defects") { Description = "Write a clean estate (no injected defects)." };
        var command = new Command("sample",
            "Generate the synthetic legacy estate: mainframe IBM930 (個人住民税), open-system CP932 (住民記録), CSV (異動履歴), " +
            "SQLite (児童手当), with gaiji.csv, ground-truth.csv and estate.json.\n\nExamples:\n  ogaki-migrate sample --scale 1 --seed 42 --out estate\n  ogaki-migrate sample --scale 0.01 --out small --no-defects")
        {
            scale, seed, outDir, clean,
        };
        command.SetAction(async (parse, ct) =>
        {
            var s = parse.GetValue(scale);
            if (!(s is > 0 and <= 100)) throw new CliException($"--scale {s.ToString(CultureInfo.InvariantCulture)} is out of range; use a value above 0 and at most 100.");
            var summary = await MigrationRunner.GenerateSampleAsync(new EstateOptions
            {
                Scale = s,
                Seed = parse.GetValue(seed),
                OutputDirectory = parse.GetValue(outDir)!,
                DefectRates = parse.GetValue(clean) ? DefectRates.None : new DefectRates(),
            }, new StageProgress(output, StageProgress.ShouldBeLive(output)), ct);
            Print(summary, output);
            return ExitCodes.Ok;
        });
        return command;
    }

    static void Print(EstateSummary summary, TextWriter output)
    {
        var table = new Table().AddColumn("file / record kind").AddColumn(new TableColumn("records").RightAligned());
        foreach (var (k, v) in summary.Counts.OrderBy(p => p.Key, StringComparer.Ordinal)) table.AddRow(Markup.Escape(k), v.ToString("N0", CultureInfo.InvariantCulture));
        foreach (var (k, v) in summary.DefectCounts.OrderBy(p => p.Key, StringComparer.Ordinal)) table.AddRow(Markup.Escape("defect " + k), v.ToString("N0", CultureInfo.InvariantCulture));
        Render(table, output);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"estate written to {summary.OutputDirectory} (seed {summary.Seed}, scale {summary.Scale}) in {summary.Elapsed.TotalSeconds:F1}s"));
    }

    /// <summary>Renders a Spectre widget to the given writer (plain when redirected).</summary>
    public static void Render(Spectre.Console.Rendering.IRenderable widget, TextWriter output)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = ColorSystemSupport.Detect,
        });
        console.Profile.Width = Math.Max(console.Profile.Width, 120);
        console.Write(widget);
    }
}
