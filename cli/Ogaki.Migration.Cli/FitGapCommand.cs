using System.CommandLine;
using Ogaki.Migration.Pipeline;

namespace Ogaki.Migration.Cli;

/// <summary><c>fitgap</c>: 国の標準仕様と現行システムの比較分析 for the legacy systems of an estate folder.</summary>
static class FitGapCommand
{
    public static Command Build(TextWriter output)
    {
        var source = new Option<string>("--source") { Description = "Legacy estate folder.", Required = true };
        var mapping = new Option<string?>("--mapping") { Description = "Mapping configuration folder (default: the one shipped with the tool)." };
        var outFile = new Option<string?>("--out") { Description = "Write the Markdown report to this file instead of the terminal." };
        var command = new Command("fitgap",
            "Fit-gap analysis (国の標準仕様と現行システムの比較分析): per legacy system, which standard items are filled and from which fields, " +
            "which have no source, which legacy fields are never used, and which code values are unmapped (with record counts from a mapping pass).\n\n" +
            "Examples:\n  ogaki-migrate fitgap --source estate\n  ogaki-migrate fitgap --source estate --out fitgap.md")
        {
            source, mapping, outFile,
        };
        command.SetAction(async (parse, ct) =>
        {
            var job = new MigrationJob(IStageProgress.None);
            var (mapped, report) = await job.FitGapAsync(parse.GetValue(source)!, parse.GetValue(mapping), MigrationRunner.CreatePseudonymizer(), ct);
            var markdown = report.ToMarkdown();
            if (parse.GetValue(outFile) is { } path)
            {
                try
                {
                    await File.WriteAllTextAsync(path, markdown, ct);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    throw new CliException($"cannot write the fit-gap report to {path}: {e.Message}", ExitCodes.InvalidInput, e);
                }
                output.WriteLine($"fit-gap report written to {path} ({report.Systems.Count} systems, {mapped.Counts.Sum(c => c.Read)} records read)");
            }
            else
            {
                output.Write(markdown);
            }
            return ExitCodes.Ok;
        });
        return command;
    }
}
