using System.CommandLine;

namespace Ogaki.Migration.Cli;

/// <summary>Builds the ogaki-migrate command tree and runs it.</summary>
public static class CliApp
{
    public static async Task<int> RunAsync(string[] args, TextWriter? output = null, TextWriter? error = null)
    {
        var root = new RootCommand("ogaki-migrate — rehearse and verify the migration of municipal core-system data to the national standard.");
        var config = new InvocationConfiguration { Output = output ?? Console.Out, Error = error ?? Console.Error };
        return await root.Parse(args).InvokeAsync(config);
    }
}
