using Npgsql;

namespace Ogaki.Migration.Cli.Tests;

/// <summary>The real servers the test script starts. Outside CI a missing server skips; in CI it fails.</summary>
static class Services
{
    static bool InCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    static string Require(string variable)
    {
        var value = Environment.GetEnvironmentVariable(variable);
        if (!string.IsNullOrWhiteSpace(value)) return value;
        Assert.SkipWhen(!InCi, $"{variable} is not set (run ./test.sh to start the services)");
        Assert.Fail($"{variable} is not set in CI: the test script must start the service");
        return "";
    }

    public static string AzureBlob => Require("AZURE_BLOB_CONN");

    /// <summary>A new, empty database for one test, dropped when the test disposes of it.</summary>
    public static async Task<TempDatabase> FreshPostgresDatabaseAsync(string name)
    {
        var admin = Require("PG_CONN");
        var database = "cli_" + name + "_" + Guid.NewGuid().ToString("N")[..8];
        await using var conn = new NpgsqlConnection(admin);
        await conn.OpenAsync(TestContext.Current.CancellationToken);
        await using var cmd = new NpgsqlCommand($"CREATE DATABASE {database}", conn);
        await cmd.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        return new TempDatabase(admin, database);
    }
}

/// <summary>A database of one test: dropped at its end, so a kept developer cluster does not fill up with them.</summary>
sealed class TempDatabase(string admin, string database) : IAsyncDisposable
{
    public string ConnectionString { get; } = new NpgsqlConnectionStringBuilder(admin) { Database = database }.ConnectionString;

    public async ValueTask DisposeAsync()
    {
        try
        {
            await using var conn = new NpgsqlConnection(admin);
            await conn.OpenAsync();
            // FORCE: the test's pooled connections to it are still open.
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {database} WITH (FORCE)", conn);
            await drop.ExecuteNonQueryAsync();
        }
        catch (NpgsqlException)
        {
            // Clean-up only (an autovacuum worker may hold it for a moment): the test's verdict stands, and a
            // throwaway cluster goes with the run.
        }
    }
}

/// <summary>A temporary folder deleted at the end of a test.</summary>
sealed class TempFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("ogaki-cli-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(Path, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
