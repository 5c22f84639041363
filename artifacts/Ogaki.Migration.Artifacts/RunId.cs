using System.Globalization;
using System.Security.Cryptography;

namespace Ogaki.Migration.Artifacts;

/// <summary>
/// The id of a run: it names the run's artifact folder or blob prefix, its work folder and its ledger rows, so it must
/// never reach outside the runs folder. Rule: an ASCII letter or digit, then at most 63 ASCII letters, digits, '.',
/// '_' or '-', and no "..". New ids are <c>yyyyMMdd-HHmmss-xxxxxx</c> (UTC time, 3 random bytes in hex), optionally
/// after a prefix such as <c>reconcile-</c>. Checked once, where the id enters (option or store call).
/// </summary>
public readonly record struct RunId
{
    /// <summary>Longest id: fits a blob prefix and a folder name everywhere.</summary>
    public const int MaxLength = 64;

    RunId(string value) => Value = value;

    public string Value { get; }

    /// <summary>A new id from the UTC time and a random suffix.</summary>
    public static RunId New(string prefix = "") =>
        Parse(prefix + DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture) + "-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3)));

    /// <summary>Checks <paramref name="text"/> against the rule; <paramref name="problem"/> says what is wrong.</summary>
    public static bool TryParse(string? text, out RunId id, out string problem)
    {
        id = default;
        problem = "";
        if (string.IsNullOrEmpty(text)) problem = "run id is empty";
        else if (text.Length > MaxLength) problem = $"run id '{Shown(text)}' is longer than {MaxLength} characters";
        else if (!char.IsAsciiLetterOrDigit(text[0]) || !text.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-') || text.Contains("..", StringComparison.Ordinal))
            problem = $"run id '{Shown(text)}' is not valid: it must start with a letter or digit and hold only letters, digits, '.', '_' and '-' (no '..', no path separators)";
        else id = new RunId(text);
        return problem.Length == 0;
    }

    /// <summary>The id, or an <see cref="ArgumentException"/> saying what is wrong.</summary>
    public static RunId Parse(string? text) => TryParse(text, out var id, out var problem) ? id : throw new ArgumentException(problem, nameof(text));

    public override string ToString() => Value ?? "";

    // An id echoed in a message is cut short and stripped of control characters.
    static string Shown(string text) => new([.. text.Take(MaxLength).Select(c => char.IsControl(c) ? '?' : c)]);
}
