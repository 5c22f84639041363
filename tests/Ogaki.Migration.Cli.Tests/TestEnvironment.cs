using System.Runtime.CompilerServices;
using System.Security.Cryptography;

namespace Ogaki.Migration.Cli.Tests;

/// <summary>The environment every CLI test starts from, so `dotnet test` alone behaves as under test.sh.</summary>
static class TestEnvironment
{
    /// <summary>
    /// Without OGAKI_PSEUDONYM_KEY the CLI warns on stderr about the development key, which tests asserting a single error
    /// line would read as a second line. test.sh sets a fresh key; here one is made per test process when none is given.
    /// Tests of the development key itself unset it explicitly.
    /// </summary>
#pragma warning disable CA2255 // a test assembly's start-up, not a library's
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Initialize()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("OGAKI_PSEUDONYM_KEY")))
            Environment.SetEnvironmentVariable("OGAKI_PSEUDONYM_KEY", "cli-tests-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12)));
    }
}
