using Ogaki.Migration.Adapters.Encodings;
using Ogaki.Migration.Mappers.Engine;

namespace Ogaki.Migration.Pipeline;

/// <summary>
/// Opens the four legacy systems of an estate folder (as <c>ogaki-migrate sample</c> writes it, or a real export
/// laid out the same way) through <see cref="Mappers.Engine.LegacySources"/>, after checking that every file is
/// there, so a missing one is one clear error instead of a source silently left out.
/// </summary>
public static class EstateFolder
{
    static readonly string[] Required =
    [
        "opensys/SETAI.dat", "opensys/JUMIN.dat", "csv/IDO_RIREKI.csv", "mainframe/ZEIMAST.dat", "sqlite/jidoteate.db",
        "layouts/SETAI.layout.csv", "layouts/JUMIN.layout.csv", "layouts/ZEIMAST.cpy",
    ];

    public static IReadOnlyList<MappingSource> Open(string estateDirectory)
    {
        if (!Directory.Exists(estateDirectory))
            throw new PipelineException($"legacy source folder {estateDirectory} not found; pass a folder written by 'ogaki-migrate sample' or laid out like one.");
        foreach (var f in Required)
            if (!File.Exists(Path.Combine(estateDirectory, f)))
                throw new PipelineException($"legacy source file {Path.Combine(estateDirectory, f)} not found; an estate folder holds {string.Join(", ", Required)}.");
        LegacyEncodings.Register();
        try
        {
            return LegacySources.FromFolder(estateDirectory);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or InvalidDataException)
        {
            throw new PipelineException($"a layout in {Path.Combine(estateDirectory, "layouts")} is malformed: {e.Message}");
        }
    }

    /// <summary>The entity each source emits once per source record, for the balance of read and mapped.</summary>
    public static string PrimaryEntity(SourceRole role) => role switch
    {
        SourceRole.Households => "Household",
        SourceRole.Residents => "Resident",
        SourceRole.History => "ResidentHistory",
        SourceRole.Tax => "TaxAssessment",
        SourceRole.AllowanceRecipients => "AllowanceRecipient",
        SourceRole.AllowanceChildren => "AllowanceChild",
        _ => "AllowancePayment",
    };
}
