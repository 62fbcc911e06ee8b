using System.Text.RegularExpressions;
using EvidenceChain.Cli.Tests.Mirror;
using EvidenceChain.Core.Tiles;
using EvidenceChain.Ledger;
using EvidenceChain.Storage;
using EvidenceChain.Testing.Postgres;
using EvidenceChain.Storage.Postgres;
using EvidenceChain.Testing;
using EvidenceChain.Testing.Node;
using Npgsql;

namespace EvidenceChain.Cli.Tests.Audit;

/// <summary>
/// <c>evidencectl audit</c> of one real node's ledger read four ways: its data folder, a mirror of it, its published
/// log over HTTP (the running node) and a postgres database holding the same log (copied through the postgres
/// driver's ports into the throw-away cluster of the storage contract tests). The four must agree; a damaged tile,
/// bundle or checkpoint must be found through each.
/// </summary>
public sealed partial class AuditSourcesTests(PostgresDatabaseFixture database) : IClassFixture<PostgresDatabaseFixture>, IAsyncLifetime, IDisposable
{
    private readonly TempFolder _temp = new();
    private string _logKey = string.Empty;
    private string _httpOut = string.Empty;
    private int _httpExit = -1;

    private string Data => Path.Combine(_temp.Path, "data");

    private string MirrorDir => Path.Combine(_temp.Path, "mirror");

    public async Task InitializeAsync()
    {
        await using var node = await TestNode.StartAsync(Data);
        _logKey = (await File.ReadAllTextAsync(Path.Combine(Data, "keys", LogKeyFiles.VerifierKeyFile))).Trim();
        var submitter = await node.CreateKeyAsync("submitter");
        foreach (var count in new[] { 200, 100 })
        {
            await MirrorLog.PreserveNewFilesAsync(node, submitter, Path.Combine(_temp.Path, "files" + count), count);
        }

        var url = node.Node.HttpAddress.ToString();
        var mirrored = await Cli.RunAsync("mirror", url, MirrorDir, "--key", _logKey);
        Assert.True(mirrored.ExitCode == 0, mirrored.ToString());
        var http = await Cli.RunAsync("audit", "--url", url, "--key", _logKey);
        (_httpExit, _httpOut) = (http.ExitCode, http.ToString());
    }

    public Task DisposeAsync()
    {
        _temp.Dispose();
        return Task.CompletedTask;
    }

    public void Dispose() => _temp.Dispose();

    [GeneratedRegex(@"^audit clean: (\S+) — (\d+) entries, root ([0-9a-f]{64});", RegexOptions.Multiline)]
    private static partial Regex CleanLine();

    private static (string Origin, string Entries, string Root) Clean(CliResult result)
    {
        Assert.True(result.ExitCode == 0, result.ToString());
        var match = CleanLine().Match(result.Out);
        Assert.True(match.Success, result.ToString());
        return (match.Groups[1].Value, match.Groups[2].Value, match.Groups[3].Value);
    }

    [Fact]
    public async Task Audit_DataFolderMirrorAndHttp_AgreeOnTheWholeLog()
    {
        var data = Clean(await Cli.RunAsync("audit", "--data", Data, "--key", _logKey));
        var mirror = await Cli.RunAsync("audit", "--mirror", MirrorDir, "--key", _logKey);

        Assert.True(_httpExit == 0, _httpOut);
        Assert.Equal("302", data.Entries); // 300 files and the two API keys' events
        Assert.Equal(data, Clean(mirror));
        Assert.Contains($"audit clean: {data.Origin} — 302 entries, root {data.Root};", _httpOut, StringComparison.Ordinal);
        Assert.Single(Regex.Matches(_httpOut, "not checked: timestamp tokens"));
        Assert.Contains("not checked: the checkpoint history: a mirror", mirror.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("tile/0/000")]
    [InlineData("tile/entries/000")]
    [InlineData("tile/entries/001.p")]
    [InlineData("checkpoint")]
    public async Task Audit_MirrorAndHttpWithADamagedFile_Fail(string file)
    {
        var copy = Path.Combine(_temp.Path, "damaged-" + file.Replace('/', '_'));
        CopyFolder(MirrorDir, copy);
        if (file.EndsWith(".p", StringComparison.Ordinal))
        {
            // The latest partial bundle, whatever its width.
            file += "/" + Path.GetFileName(Directory.EnumerateFiles(Path.Combine(copy, file)).Single());
        }

        Damage(Path.Combine(copy, file.Replace('/', Path.DirectorySeparatorChar)));
        await using var server = await StaticLogServer.StartAsync(copy);

        var mirror = await Cli.RunAsync("audit", "--mirror", copy, "--key", _logKey);
        var http = await Cli.RunAsync("audit", "--url", server.Url, "--key", _logKey);

        foreach (var result in new[] { mirror, http })
        {
            Assert.True(result.ExitCode == 1, result.ToString());
            Assert.StartsWith(file == "checkpoint" ? "audit FAILED: checkpoint: " : $"audit FAILED: {file}", result.Out, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Audit_UnreachableUrlAndMissingKey_ExitTwoWithOneLine()
    {
        var unreachable = await Cli.RunAsync("audit", "--url", "http://127.0.0.1:1/", "--key", _logKey);
        var keyless = await Cli.RunAsync("audit", "--mirror", MirrorDir);
        var two = await Cli.RunAsync("audit", "--mirror", MirrorDir, "--data", Data, "--key", _logKey);

        Assert.Equal(2, unreachable.ExitCode);
        Assert.Contains("GET http://127.0.0.1:1/checkpoint failed", unreachable.Error, StringComparison.Ordinal);
        Assert.Single(unreachable.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(2, keyless.ExitCode);
        Assert.Contains("--mirror needs --key", keyless.Error, StringComparison.Ordinal);
        Assert.Equal(2, two.ExitCode);
    }

    [PostgresFact]
    public async Task Audit_Postgres_AgreesWithTheDataFolderIncludingTokensAndBlobs()
    {
        var schema = await CopyToPostgresAsync();

        var data = await Cli.RunAsync("audit", "--data", Data, "--key", _logKey);
        var pg = await Cli.RunAsync("audit", "--postgres", database.ConnectionString, "--schema", schema, "--key", _logKey,
            "--tsa-ca", Path.Combine(Data, "keys", "tsa-ca.pem"));

        Assert.Equal(Clean(data), Clean(pg));
        Assert.Equal(Counts(data.Out), Counts(pg.Out));
        Assert.DoesNotContain(new NpgsqlConnectionStringBuilder(database.ConnectionString).Password ?? "\u0000", pg.ToString(), StringComparison.Ordinal);
    }

    [PostgresFact]
    public async Task Audit_PostgresWithADamagedTileBundleOrCheckpoint_Fails()
    {
        string[] damages =
        [
            "UPDATE tiles SET data = set_byte(data, 5, get_byte(data, 5) # 1) WHERE NOT entries AND level = 0 AND idx = 0 AND width = 256",
            "UPDATE tiles SET data = set_byte(data, 40, get_byte(data, 40) # 1) WHERE entries AND idx = 1 AND width = (SELECT max(width) FROM tiles WHERE entries AND idx = 1)",
            "UPDATE checkpoint_latest SET note = replace(note, E'\\n' || size || E'\\n', E'\\n' || (size - 1) || E'\\n')",
        ];
        string[] found = ["audit FAILED: tile/0/000", "audit FAILED: tile/entries/001", "audit FAILED: checkpoint_latest: "];
        for (var i = 0; i < damages.Length; i++)
        {
            var schema = await CopyToPostgresAsync();
            await ExecuteAsync(schema, damages[i]);

            var result = await Cli.RunAsync("audit", "--postgres", database.ConnectionString, "--schema", schema, "--key", _logKey);

            Assert.True(result.ExitCode == 1, result.ToString());
            Assert.StartsWith(found[i], result.Out, StringComparison.Ordinal);
        }
    }

    [PostgresFact]
    public async Task Audit_PostgresUnreachableOrNoLog_ExitsTwoWithoutTheConnectionString()
    {
        var refused = await Cli.RunAsync("audit", "--postgres", "Host=127.0.0.1;Port=1;Database=x;Username=u;Password=s3cret-pw;Timeout=3", "--key", _logKey);
        var empty = await Cli.RunAsync("audit", "--postgres", database.ConnectionString, "--schema", "no_such_schema", "--key", _logKey);

        Assert.Equal(2, refused.ExitCode);
        Assert.Single(refused.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("database 127.0.0.1/x", refused.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret-pw", refused.ToString(), StringComparison.Ordinal);
        Assert.Equal(2, empty.ExitCode);
        Assert.Contains("holds no EvidenceChain log", empty.Error, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"(\d+) timestamp tokens, (\d+) blobs")]
    private static partial Regex TokensAndBlobs();

    private static string Counts(string output) => TokensAndBlobs().Match(output).Value;

    /// <summary>Copies the stopped node's log (tiles, checkpoint history, tokens, blobs) into a new schema through the postgres driver's ports.</summary>
    private async Task<string> CopyToPostgresAsync()
    {
        var options = database.NewSchema();
        await using (var driver = await PostgresDriver.OpenAsync(options, TimeProvider.System))
        {
            var log = Path.Combine(Data, "log");
            var tiles = new List<TileData>();
            foreach (var file in Directory.EnumerateFiles(Path.Combine(log, "tile"), "*", SearchOption.AllDirectories))
            {
                var relative = Path.GetRelativePath(log, file).Replace(Path.DirectorySeparatorChar, '/');
                Assert.True(TileId.TryParsePath(relative, out var id), relative);
                tiles.Add(new TileData(id, await File.ReadAllBytesAsync(file)));
            }

            await driver.Log.WriteTilesAsync(tiles, CancellationToken.None);
            // log/checkpoints (docs/formats.md §7): 4-byte big-endian lengths, each followed by a note. A size
            // published twice (the same root, signed again) is kept once, as the database keeps one per size.
            var history = await File.ReadAllBytesAsync(Path.Combine(log, "checkpoints"));
            var sizes = new HashSet<string>();
            for (var offset = 0; offset < history.Length;)
            {
                var length = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(history.AsSpan(offset));
                var note = System.Text.Encoding.UTF8.GetString(history, offset + 4, length);
                offset += 4 + length;
                if (sizes.Add(note.Split('\n')[1]))
                {
                    await driver.Log.PublishCheckpointAsync(note, CancellationToken.None);
                }
            }

            var stamps = new FileTimestampStore(log);
            var copied = new List<Ledger.Timestamping.StoredTimestamp>();
            for (var next = await stamps.FindCoveringAsync(0, CancellationToken.None); next is not null; next = await stamps.FindCoveringAsync(next.Size + 1, CancellationToken.None))
            {
                copied.Add(next);
            }

            await driver.Timestamps.AppendAsync(copied, CancellationToken.None);
            // The blobs are the files preserved: their bytes are the artefacts.
            foreach (var file in Directory.EnumerateFiles(_temp.Path, "e*.txt", SearchOption.AllDirectories))
            {
                await using var upload = driver.Blobs.BeginUpload(withSm3: false);
                await upload.WriteAsync(await File.ReadAllBytesAsync(file), CancellationToken.None);
                await upload.CompleteAsync(CancellationToken.None);
                await upload.CommitAsync(CancellationToken.None);
            }
        }

        return options.Schema!;
    }

    private async Task ExecuteAsync(string schema, string sql)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(database.ConnectionString) { SearchPath = schema }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        Assert.Equal(1, await command.ExecuteNonQueryAsync());
    }

    private static void Damage(string file)
    {
        var bytes = File.ReadAllBytes(file);
        if (Path.GetFileName(file) == "checkpoint")
        {
            // Another root: the signature no longer covers the note.
            var text = System.Text.Encoding.UTF8.GetString(bytes);
            var lines = text.Split('\n');
            lines[2] = lines[2][..^2] + (lines[2][^2] == 'A' ? "B" : "A") + lines[2][^1];
            File.WriteAllText(file, string.Join('\n', lines));
            return;
        }

        bytes[40] ^= 1;
        File.WriteAllBytes(file, bytes);
    }

    private static void CopyFolder(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}

/// <summary>A fact that needs the PostgreSQL server: skipped with the reason when there is none here, except in CI (<c>CI=true</c>), where it runs and fails.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute() => Skip = PostgresServer.SkipReason;
}
