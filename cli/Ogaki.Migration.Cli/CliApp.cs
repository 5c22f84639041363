using System.CommandLine;
using Ogaki.Migration.Pipeline;

namespace Ogaki.Migration.Cli;

/// <summary>Builds the ogaki-migrate command tree and runs it.</summary>
public static class CliApp
{
    /// <summary>Global option: show stack traces of errors.</summary>
    public static readonly Option<bool> Verbose = new("--verbose", "-v") { Description = "Show details (stack traces) of errors.", Recursive = true };

    static readonly HashSet<string> PseudonymisingCommands = new(StringComparer.Ordinal) { "dry-run", "reconcile", "fitgap", "verify" };

    public static RootCommand Build(TextWriter output, TextWriter error)
    {
        var root = new RootCommand(
            "ogaki-migrate — rehearse, verify and sign off the migration of municipal core-system data " +
            "(住民記録, 個人住民税, 児童手当) to the national standard specification.\n\n" +
            "Examples:\n  ogaki-migrate dry-run\n  ogaki-migrate spec diff 1.0 1.1\n  ogaki-migrate sample --scale 1 --seed 42 --out estate");
        root.Options.Add(Verbose);
        root.Subcommands.Add(DryRunCommand.Build(output));
        root.Subcommands.Add(ReconcileCommand.Build(output));
        root.Subcommands.Add(ReportCommands.Build(output));
        root.Subcommands.Add(LookupCommand.Build(output));
        root.Subcommands.Add(SampleCommand.Build(output));
        root.Subcommands.Add(InspectCommand.Build(output, error));
        root.Subcommands.Add(ConformanceCommand.Build(output));
        root.Subcommands.Add(FitGapCommand.Build(output));
        root.Subcommands.Add(VerifyCommand.Build(output));
        root.Subcommands.Add(CleanCommand.Build(output));
        root.Subcommands.Add(SpecCommands.Build(output));
        return root;
    }

    public static async Task<int> RunAsync(string[] args, TextWriter? output = null, TextWriter? error = null, CancellationToken cancellationToken = default)
    {
        output ??= Console.Out;
        error ??= Console.Error;
        var root = Build(output, error);
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var e in parse.Errors) await error.WriteLineAsync($"ogaki-migrate: {e.Message} (see 'ogaki-migrate --help')");
            return ExitCodes.InvalidInput;
        }
        // The development key makes pseudonyms reversible: say so where the operator looks, not only in the reports.
        if (PseudonymisingCommands.Contains(parse.CommandResult.Command.Name) && string.IsNullOrEmpty(Environment.GetEnvironmentVariable(Spec.Privacy.Pseudonymizer.EnvironmentVariable)))
            await error.WriteLineAsync("ogaki-migrate: warning: " + Validation.Reconciliation.ReconciliationResult.DevelopmentKeyWarning);
        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false }, cancellationToken);
        }
        catch (CliException e)
        {
            await error.WriteLineAsync($"ogaki-migrate: {PiiRedactor.Redact(e.Message)}");
            if (parse.GetValue(Verbose) && e.InnerException is not null) await error.WriteLineAsync(PiiRedactor.Redact(e.InnerException.ToString()));
            return e.ExitCode;
        }
        catch (PipelineException e)
        {
            await error.WriteLineAsync($"ogaki-migrate: {PiiRedactor.Redact(e.Message)}");
            if (parse.GetValue(Verbose) && e.InnerException is not null) await error.WriteLineAsync(PiiRedactor.Redact(e.InnerException.ToString()));
            return ExitCodes.Of(e.Kind);
        }
        catch (Ogaki.Migration.Adapters.Sdk.InputFormatException e)
        {
            // A layout, database or configuration table the operator gave is malformed: their input, not a bug.
            await error.WriteLineAsync($"ogaki-migrate: {e.Message}");
            if (parse.GetValue(Verbose) && e.InnerException is not null) await error.WriteLineAsync(e.InnerException.ToString());
            return ExitCodes.InvalidInput;
        }
        catch (OperationCanceledException)
        {
            await error.WriteLineAsync("ogaki-migrate: cancelled.");
            return ExitCodes.Cancelled;
        }
        catch (Exception e)
        {
            await error.WriteLineAsync($"ogaki-migrate: unexpected error: {PiiRedactor.Redact(e.Message)} (run again with --verbose for details, and report it).");
            if (parse.GetValue(Verbose)) await error.WriteLineAsync(PiiRedactor.Redact(e.ToString()));
            return ExitCodes.InternalError;
        }
    }
}
