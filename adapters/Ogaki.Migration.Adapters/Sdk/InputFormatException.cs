namespace Ogaki.Migration.Adapters.Sdk;

/// <summary>
/// An input file the operator gave (layout, copybook, database, configuration table) that cannot be used as it is:
/// an invalid-input error (exit 2), not a bug. The message is one line naming the file and, where known, the line.
/// </summary>
public class InputFormatException : Exception
{
    /// <param name="file">The file (name or path) as the operator knows it.</param>
    /// <param name="line">1-based line (or record) the problem is on; 0 when it concerns the whole file.</param>
    /// <param name="message">What is wrong, as one sentence.</param>
    /// <param name="inner">The underlying error, kept for --verbose.</param>
    public InputFormatException(string file, long line, string message, Exception? inner = null)
        : base(line > 0 ? $"{file}({line}): {message}" : $"{file}: {message}", inner)
    {
        File = file;
        Line = line;
        Reason = message;
    }

    /// <summary>For messages that already name their file (and line).</summary>
    public InputFormatException(string message, Exception? inner = null) : base(message, inner)
    {
        File = "";
        Reason = message;
    }

    public string File { get; }

    public long Line { get; }

    /// <summary>What is wrong, without the file and line.</summary>
    public string Reason { get; }
}
