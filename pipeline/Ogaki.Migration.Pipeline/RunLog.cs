using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;

namespace Ogaki.Migration.Pipeline;

/// <summary>
/// Removes personal data and secrets from log and console text: every run of exactly 12 digits is masked, and so are
/// connection secrets (<see cref="Ogaki.Migration.Spec.Privacy.ConnectionStrings.Mask"/>). Stricter on purpose than
/// <c>PersonalDataScanner.RedactMyNumbers</c>, which masks only numbers with a valid check digit: a 個人番号 with a
/// wrong check digit (an injected or real data error) is still personal data.
/// </summary>
public static partial class PiiRedactor
{
    [GeneratedRegex(@"(?<!\d)\d{12}(?!\d)", RegexOptions.CultureInvariant)]
    private static partial Regex TwelveDigits();

    /// <summary>Masks 12-digit runs and connection secrets (passwords, account keys, SAS signatures).</summary>
    public static string Redact(string text) => TwelveDigits().Replace(Ogaki.Migration.Spec.Privacy.ConnectionStrings.Mask(text), "************");
}

/// <summary>Writes a run's log to <c>run.log</c> next to its reports, one line per entry, redacted.</summary>
public sealed class RunLogFileProvider(string path) : ILoggerProvider
{
    readonly StreamWriter _writer = new(path, append: true, new UTF8Encoding(false)) { AutoFlush = true };
    readonly Lock _gate = new();

    public ILogger CreateLogger(string categoryName) => new FileLogger(this, categoryName);

    public void Dispose() => _writer.Dispose();

    void Write(LogLevel level, string category, string message, Exception? exception)
    {
        var line = $"{DateTimeOffset.UtcNow:yyyy-MM-ddTHH:mm:ss.fffZ} {level,-11} {category}: {PiiRedactor.Redact(message)}";
        if (exception is not null) line += Environment.NewLine + PiiRedactor.Redact(exception.ToString());
        lock (_gate) _writer.WriteLine(line);
    }

    sealed class FileLogger(RunLogFileProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel)) owner.Write(logLevel, category, formatter(state, exception), exception);
        }
    }
}
