using System.Diagnostics;
using System.Globalization;
using Ogaki.Migration.Pipeline;
using Spectre.Console;

namespace Ogaki.Migration.Cli;

/// <summary>
/// Progress of the stages of a run: a live line per stage on a terminal (records/s, done/total, elapsed),
/// plain periodic log lines when output is redirected or <c>CI</c> is set.
/// </summary>
public sealed class StageProgress(TextWriter output, bool live) : IStageProgress
{
    readonly Stopwatch _clock = Stopwatch.StartNew();

    /// <summary>Live output only on an interactive terminal outside CI.</summary>
    public static bool ShouldBeLive(TextWriter output) =>
        ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected
        && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI")) && AnsiConsole.Profile.Capabilities.Interactive;

    /// <summary>Runs one stage; <paramref name="work"/> reports records done through the callback.</summary>
    public async Task<T> RunAsync<T>(string stage, long? total, Func<Action<long>, Task<T>> work)
    {
        var sw = Stopwatch.StartNew();
        if (live)
        {
            T result = default!;
            await AnsiConsole.Progress()
                .AutoClear(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
                .StartAsync(async ctx =>
                {
                    var task = ctx.AddTask(stage, maxValue: total ?? 1);
                    // Without a known total the bar would sit at 0 % for the whole stage: show it as running instead.
                    task.IsIndeterminate = total is null;
                    result = await work(done =>
                    {
                        var rate = done / Math.Max(sw.Elapsed.TotalSeconds, 0.001);
                        task.Description = $"{stage} {done.ToString("N0", CultureInfo.InvariantCulture)}{(total is null ? "" : "/" + total.Value.ToString("N0", CultureInfo.InvariantCulture))} ({rate.ToString("N0", CultureInfo.InvariantCulture)}/s)";
                        task.Value = total is null ? 0 : Math.Min(done, total.Value);
                    });
                    task.Value = task.MaxValue;
                });
            return result;
        }
        var last = TimeSpan.Zero;
        var lastDone = 0L;
        var value = await work(done =>
        {
            lastDone = done;
            if (sw.Elapsed - last < TimeSpan.FromSeconds(5)) return;
            last = sw.Elapsed;
            Line(stage, done, total, sw.Elapsed);
        });
        Line(stage, lastDone, total, sw.Elapsed, finished: true);
        return value;
    }

    public void Notice(string message)
    {
        lock (output) output.WriteLine(message);
    }

    void Line(string stage, long done, long? total, TimeSpan elapsed, bool finished = false)
    {
        var rate = done / Math.Max(elapsed.TotalSeconds, 0.001);
        lock (output)
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"[{_clock.Elapsed.TotalSeconds,7:F1}s] {stage}: {done:N0}{(total is null ? "" : "/" + total.Value.ToString("N0", CultureInfo.InvariantCulture))} records, {rate:N0}/s, {elapsed.TotalSeconds:F1}s{(finished ? " — done" : "")}"));
    }
}
