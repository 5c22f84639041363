using System.Reflection;

namespace Ogaki.Migration.Validation.Reports;

/// <summary>
/// The one version of the tool, as <c>ogaki-migrate --version</c> prints it and every report records it: the
/// informational version with the commit it was built from (<c>0.1.0+&lt;sha&gt;</c>). Every assembly of the solution
/// carries the same version (Directory.Build.props), so this assembly's attribute is the tool's.
/// </summary>
public static class ToolVersion
{
    public static string Current { get; } =
        typeof(ToolVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(ToolVersion).Assembly.GetName().Version?.ToString() ?? "0.0.0";
}
