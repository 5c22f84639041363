using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Ogaki.Migration.Targets.Tests.Support;

/// <summary>
/// A PostgreSQL 15 cluster of the test's own (CI-RECIPE §1), so the test can stop and restart the server.
/// Needs root (PostgreSQL runs as the postgres user through runuser) and /usr/lib/postgresql/15/bin.
/// </summary>
public sealed class ThrowawayPostgres : IDisposable
{
    const string Bin = "/usr/lib/postgresql/15/bin";

    ThrowawayPostgres(string data, int port)
    {
        DataDir = data;
        Port = port;
        ConnectionString = $"Host=127.0.0.1;Port={port};Username=ci;Password=ci_pw;Database=cidb;Timeout=5;Command Timeout=30";
    }

    public string DataDir { get; }

    public int Port { get; }

    public string ConnectionString { get; }

    /// <summary>Skips (or fails in CI) unless running as root with PostgreSQL 15 installed.</summary>
    public static void RequireEnvironment()
    {
        var root = OperatingSystem.IsLinux() && string.Equals(Environment.UserName, "root", StringComparison.Ordinal);
        var installed = File.Exists(Path.Combine(Bin, "initdb"));
        if (root && installed) return;
        var why = $"needs root and PostgreSQL 15 in {Bin} (root: {root}, installed: {installed})";
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase)) Assert.Fail(why);
        Assert.Skip(why);
    }

    public static ThrowawayPostgres Start()
    {
        RequireEnvironment();
        var data = Directory.CreateTempSubdirectory("pgthrow-").FullName;
        Run("chown", "postgres:postgres", data);
        Run("chmod", "700", data);
        Run("runuser", "-u", "postgres", "--", Bin + "/initdb", "-D", data, "-U", "postgres", "-E", "UTF8", "--locale=C.UTF-8",
            "--auth-local=trust", "--auth-host=scram-sha-256");
        var pg = new ThrowawayPostgres(data, FreePort());
        pg.StartServer();
        Run("runuser", "-u", "postgres", "--", Bin + "/psql", "-h", data, "-p", pg.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-U", "postgres", "-v", "ON_ERROR_STOP=1", "-q", "-c", "CREATE ROLE ci LOGIN PASSWORD 'ci_pw'", "-c", "CREATE DATABASE cidb OWNER ci");
        return pg;
    }

    public void StartServer() =>
        Run("runuser", "-u", "postgres", "--", Bin + "/pg_ctl", "-D", DataDir, "-l", Path.Combine(DataDir, "server.log"), "-w", "-t", "60", "start", "-o",
            $"-c listen_addresses=127.0.0.1 -p {Port} -c unix_socket_directories={DataDir} -c fsync=off -c full_page_writes=off");

    // synchronous_commit stays on: a commit must survive the immediate stop below (with it off, the last
    // committed batches vanish together with their ledger rows, which a resume redoes, but the test wants exact counts).
    /// <summary>Stops the server at once (<c>-m immediate</c>: no shutdown checkpoint, open transactions die).</summary>
    public void StopServer() => Run("runuser", "-u", "postgres", "--", Bin + "/pg_ctl", "-D", DataDir, "-m", "immediate", "-w", "stop");

    /// <summary>Runs SQL as the cluster's superuser in <paramref name="database"/> (roles and grants a test needs).</summary>
    public void AsSuperuser(string database, string sql) =>
        Run("runuser", "-u", "postgres", "--", Bin + "/psql", "-h", DataDir, "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-U", "postgres", "-d", database, "-v", "ON_ERROR_STOP=1", "-q", "-c", sql);

    public void Dispose()
    {
        try
        {
            if (File.Exists(Path.Combine(DataDir, "postmaster.pid")))
                Run("runuser", "-u", "postgres", "--", Bin + "/pg_ctl", "-D", DataDir, "-m", "fast", "-w", "stop");
        }
        finally
        {
            Directory.Delete(DataDir, recursive: true);
        }
    }

    static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    static void Run(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = "/tmp" };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited {p.ExitCode}: {stderr} {stdout.Result}");
    }
}
