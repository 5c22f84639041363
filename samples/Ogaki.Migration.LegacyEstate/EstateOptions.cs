namespace Ogaki.Migration.LegacyEstate;

/// <summary>Defect kinds written to <c>ground-truth.csv</c>.</summary>
public static class DefectKinds
{
    public const string InvalidCheckDigit = "invalid-check-digit";
    public const string UnmappedCode = "unmapped-code";
    public const string ImpossibleDate = "impossible-date";
    public const string UnknownDate = "unknown-date";
    public const string OrphanMember = "orphan-member";
    public const string DuplicateKey = "duplicate-key";
    public const string OverLength = "over-length";
    public const string UnmappableGaiji = "unmappable-gaiji";

    public static IReadOnlyList<string> All { get; } =
        [InvalidCheckDigit, UnmappedCode, ImpossibleDate, UnknownDate, OrphanMember, DuplicateKey, OverLength, UnmappableGaiji];
}

/// <summary>Probability per eligible record of each injected defect kind (0 = never). A record gets at most one defect.</summary>
public sealed record DefectRates
{
    public double InvalidCheckDigit { get; init; } = 0.002;
    public double UnmappedCode { get; init; } = 0.002;
    public double ImpossibleDate { get; init; } = 0.002;
    public double UnknownDate { get; init; } = 0.003;
    public double OrphanMember { get; init; } = 0.001;
    public double DuplicateKey { get; init; } = 0.001;
    public double OverLength { get; init; } = 0.002;
    public double UnmappableGaiji { get; init; } = 0.001;

    /// <summary>A clean estate: no defects, empty ground truth.</summary>
    public static DefectRates None { get; } = new()
    {
        InvalidCheckDigit = 0, UnmappedCode = 0, ImpossibleDate = 0, UnknownDate = 0,
        OrphanMember = 0, DuplicateKey = 0, OverLength = 0, UnmappableGaiji = 0,
    };

    public double RateOf(string kind) => kind switch
    {
        DefectKinds.InvalidCheckDigit => InvalidCheckDigit,
        DefectKinds.UnmappedCode => UnmappedCode,
        DefectKinds.ImpossibleDate => ImpossibleDate,
        DefectKinds.UnknownDate => UnknownDate,
        DefectKinds.OrphanMember => OrphanMember,
        DefectKinds.DuplicateKey => DuplicateKey,
        DefectKinds.OverLength => OverLength,
        DefectKinds.UnmappableGaiji => UnmappableGaiji,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown defect kind"),
    };
}

/// <summary>What to generate and where. Scale 1.0 = 大垣市 (160,485 residents, 67,809 households).</summary>
public sealed record EstateOptions
{
    public double Scale { get; init; } = 1.0;
    public int Seed { get; init; } = 42;
    public required string OutputDirectory { get; init; }
    public DefectRates DefectRates { get; init; } = new();
    /// <summary>Write the mainframe file (needs the IBM930 codec).</summary>
    public bool IncludeMainframe { get; init; } = true;
}

/// <summary>Progress report: phase name and households done out of total.</summary>
public readonly record struct EstateProgress(string Phase, long Done, long Total);

/// <summary>What was written: record counts per file and record kind, defects per kind, and the files.</summary>
public sealed record EstateSummary(
    string OutputDirectory,
    int Seed,
    double Scale,
    IReadOnlyDictionary<string, long> Counts,
    IReadOnlyDictionary<string, long> DefectCounts,
    IReadOnlyList<string> Files,
    TimeSpan Elapsed);
