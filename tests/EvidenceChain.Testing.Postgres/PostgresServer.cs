using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace EvidenceChain.Testing.Postgres;

/// <summary>
/// The PostgreSQL server the tests use, one per test run: the server that <c>EVIDENCECHAIN_TEST_POSTGRES</c> names (an
/// Npgsql connection string of a role that may create databases), or else a throw-away cluster of Debian's PostgreSQL
/// (<c>initdb</c> and <c>pg_ctl</c> from <c>/usr/lib/postgresql/N/bin</c>, the newest installed; 15 on bookworm) in a temporary folder, listening on a free
/// loopback port and a unix socket in that folder, run as the <c>postgres</c> user when the tests run as root (the
/// server refuses root), and stopped and deleted when the test process exits. The throw-away cluster runs with
/// <c>fsync=off</c>: it is thrown away, and its tests check what the node asks of the server, not the disk.
/// </summary>
public static class PostgresServer
{
    /// <summary>The environment variable naming an existing server.</summary>
    public const string EnvironmentVariable = "EVIDENCECHAIN_TEST_POSTGRES";

    // Debian's layout: /usr/lib/postgresql/15/bin on bookworm; the newest installed version is used.
    private static readonly string BinFolder = FindBinFolder();
    private static readonly Lazy<Task<string>> Admin = new(StartAsync);

    public static bool InCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Why no server can be had here, or null when one can.</summary>
    public static string? Unavailable { get; } = FindUnavailable();

    /// <summary>Why the PostgreSQL tests are skipped here; null when they run (always in CI, where a missing server fails them).</summary>
    public static string? SkipReason => Unavailable is { } reason && !InCi
        ? $"{reason}; set {EnvironmentVariable} or apt-get install postgresql (CI installs it in .ci/run and runs these tests)"
        : null;

    /// <summary>Creates an empty database and returns a connection string to it.</summary>
    public static async Task<string> CreateDatabaseAsync()
    {
        if (Unavailable is { } reason)
        {
            throw new InvalidOperationException($"No PostgreSQL server for the tests: {reason}.");
        }

        var admin = await Admin.Value;
        var name = "ec_" + Guid.NewGuid().ToString("N")[..16];
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await create.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(admin) { Database = name, Pooling = true }.ConnectionString;
    }

    /// <summary>Drops a database made by <see cref="CreateDatabaseAsync"/>.</summary>
    public static async Task DropDatabaseAsync(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(await Admin.Value);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }

    private static string FindBinFolder() =>
        (Directory.Exists("/usr/lib/postgresql") ? Directory.GetDirectories("/usr/lib/postgresql") : [])
            .Where(d => int.TryParse(Path.GetFileName(d), NumberStyles.None, CultureInfo.InvariantCulture, out _) && File.Exists(Path.Combine(d, "bin", "initdb")))
            .OrderByDescending(d => int.Parse(Path.GetFileName(d), CultureInfo.InvariantCulture))
            .Select(d => Path.Combine(d, "bin"))
            .FirstOrDefault() ?? "/usr/lib/postgresql/15/bin";

    private static string? FindUnavailable()
    {
        if (!string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(EnvironmentVariable)))
        {
            return null;
        }

        if (!File.Exists(Path.Combine(BinFolder, "initdb")) || !File.Exists(Path.Combine(BinFolder, "pg_ctl")))
        {
            return $"PostgreSQL is not installed (no /usr/lib/postgresql/N/bin/initdb) and {EnvironmentVariable} is not set";
        }

        return IsRoot && !File.Exists("/usr/sbin/runuser") && !File.Exists("/sbin/runuser")
            ? "running as root without runuser, and PostgreSQL refuses to run as root"
            : null;
    }

    private static bool IsRoot => Environment.UserName == "root";

    private static async Task<string> StartAsync()
    {
        if (Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } given)
        {
            return given;
        }

        var folder = Path.Combine(Path.GetTempPath(), "ec-pg-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(folder);
        // The server's user (postgres when we are root) creates the data folder and the socket in this one.
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(folder, (UnixFileMode)0x1FF);
        }

        StartWatchdog(folder);
        var data = Path.Combine(folder, "data");
        var port = FreePort();
        await RunAsync("initdb", "-D", data, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync", "--no-instructions");
        await RunAsync(
            "pg_ctl", "-D", data, "-l", Path.Combine(folder, "server.log"), "-w", "-t", "60",
            "-o", $"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c max_connections=300", "start");
        return new NpgsqlConnectionStringBuilder { Host = folder, Port = port, Username = "postgres", Database = "postgres", Pooling = false }.ConnectionString;
    }

    // A detached watchdog stops the cluster and deletes its folder once this process has exited, however it exits
    // (a test host that is killed runs no exit handlers).
    private static void StartWatchdog(string folder)
    {
        const string Script = """
            while kill -0 "$1" 2>/dev/null; do sleep 0.5; done
            $4 "$3/pg_ctl" -D "$2/data" -m immediate -w stop >/dev/null 2>&1
            rm -rf "$2"
            """;
        var start = new ProcessStartInfo(File.Exists("/usr/bin/setsid") ? "/usr/bin/setsid" : "/bin/sh")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, WorkingDirectory = "/",
        };
        if (start.FileName != "/bin/sh")
        {
            start.ArgumentList.Add("/bin/sh");
        }

        foreach (var a in new[] { "-c", Script, "watchdog", Environment.ProcessId.ToString(CultureInfo.InvariantCulture), folder, BinFolder, IsRoot ? "runuser -u postgres --" : string.Empty })
        {
            start.ArgumentList.Add(a);
        }

        Process.Start(start)!.Dispose();
    }

    private static async Task RunAsync(string tool, params string[] args)
    {
        var start = new ProcessStartInfo(IsRoot ? "runuser" : Path.Combine(BinFolder, tool))
        {
            RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetTempPath(),
        };
        if (IsRoot)
        {
            foreach (var a in new[] { "-u", "postgres", "--", Path.Combine(BinFolder, tool) })
            {
                start.ArgumentList.Add(a);
            }
        }

        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{tool} {string.Join(' ', args)} failed ({process.ExitCode}): {await stdout}{await stderr}");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
