namespace Ogaki.Migration.Adapters.Layouts;

/// <summary>Limits on layouts, documented in the adapters' README, so a typo cannot make a reader allocate gigabytes.</summary>
public static class LayoutLimits
{
    /// <summary>Longest record a layout may describe: 1 MiB (IBM's largest LRECL is 32,760; 1 MiB leaves room for open-system files).</summary>
    public const int MaxRecordLength = 1 << 20;

    /// <summary>Throws when <paramref name="length"/> bytes exceed <see cref="MaxRecordLength"/>.</summary>
    public static void Check(long length, string file, int line, string what)
    {
        if (length > MaxRecordLength)
            throw new LayoutException(file, line, FormattableString.Invariant($"{what} is {length:N0} bytes; a record may be at most {MaxRecordLength:N0} bytes (1 MiB)."));
    }
}
