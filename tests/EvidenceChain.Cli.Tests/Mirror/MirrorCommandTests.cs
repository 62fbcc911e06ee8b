using System.Globalization;
using System.Text.Json;
using EvidenceChain.Core.Notes;
using EvidenceChain.Testing;

namespace EvidenceChain.Cli.Tests.Mirror;

/// <summary>
/// evidencectl mirror against real nodes over HTTP (Kestrel on 127.0.0.1), and the mirror served by a plain static
/// file server and read back by proof, consistency and checkpoint --log: incremental runs, resuming after an
/// interrupted run, a split view between two nodes sharing a key, and tampered tiles.
/// </summary>
public sealed class MirrorCommandTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private static string I(ulong n) => n.ToString(CultureInfo.InvariantCulture);

    private static Task<CliResult> MirrorAsync(string url, string dir, string key, params string[] more) =>
        Cli.RunAsync(["mirror", url, dir, "--key", key, .. more]);

    private static void AssertMirrored(CliResult result, ulong size)
    {
        Assert.True(result.ExitCode == 0, result.ToString());
        var line = Assert.Single(result.OutLines);
        Assert.StartsWith("mirrored: ", line, StringComparison.Ordinal);
        Assert.Contains($" at size {I(size)}, root ", line, StringComparison.Ordinal);
    }

    /// <summary>Every file under <paramref name="dir"/>'s tile/ folder, as relative paths with '/'.</summary>
    private static SortedSet<string> Tiles(string dir) => new(
        Directory.Exists(Path.Combine(dir, "tile"))
            ? Directory.EnumerateFiles(Path.Combine(dir, "tile"), "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(dir, f).Replace('\\', '/'))
            : [],
        StringComparer.Ordinal);

    private static void AssertSameFiles(string expectedDir, string dir, IEnumerable<string> paths)
    {
        foreach (var path in paths)
        {
            Assert.True(File.Exists(Path.Combine(dir, path)), $"{path} is missing from {dir}");
            Assert.True(File.ReadAllBytes(Path.Combine(expectedDir, path)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(dir, path))), $"{path} differs");
        }
    }

    [Fact]
    public async Task Mirror_ThenAppendAndMirrorAgain_CopiesTheLogIncrementally()
    {
        await using var log = await MirrorLog.StartAsync();
        var size1 = await log.AppendAsync(300);
        var dir = _temp.Sub("mirror");

        var first = await MirrorAsync(log.Url, dir, log.LogKey);

        AssertMirrored(first, size1);
        Assert.Contains("from no checkpoint", first.Out, StringComparison.Ordinal);
        Assert.Equal(await log.Node.Http.GetByteArrayAsync("/checkpoint"), await File.ReadAllBytesAsync(Path.Combine(dir, "checkpoint")));
        var firstTiles = Tiles(dir);
        Assert.Contains("tile/entries/000", firstTiles);
        Assert.Contains("tile/0/000", firstTiles);
        Assert.Contains($"tile/1/000.p/1", firstTiles);
        Assert.Subset(Tiles(log.LogFolder), firstTiles);
        AssertSameFiles(log.LogFolder, dir, firstTiles);

        var size2 = await log.AppendAsync(260);
        var second = await MirrorAsync(log.Url, dir, log.LogKey);

        AssertMirrored(second, size2);
        Assert.Contains($"from size {I(size1)} (root ", second.Out, StringComparison.Ordinal);
        Assert.Contains($"; {I(size2 - size1)} new entries, ", second.Out, StringComparison.Ordinal);
        var secondTiles = Tiles(dir);
        Assert.Subset(Tiles(log.LogFolder), secondTiles);
        AssertSameFiles(log.LogFolder, dir, secondTiles);
        Assert.DoesNotContain("tile/0/001.p/" + I(size1 % 256), secondTiles);
        Assert.Contains("tile/entries/001", secondTiles);
        Assert.Contains($"tile/1/000.p/2", secondTiles);
        var fetched = int.Parse(second.Out.Split(" files fetched")[0].Split(' ')[^1], CultureInfo.InvariantCulture);
        Assert.True(fetched == secondTiles.Except(firstTiles).Count(), second.Out);

        var third = await MirrorAsync(log.Url, dir, log.LogKey, "--json");
        Assert.True(third.ExitCode == 0, third.ToString());
        Assert.Equal("uptodate", JsonDocument.Parse(third.Out).RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Mirror_ServedByAStaticFileServer_ProofConsistencyAndCheckpointVerifyFromIt()
    {
        await using var log = await MirrorLog.StartAsync();
        var size = await log.AppendAsync(280);
        var dir = _temp.Sub("mirror");
        AssertMirrored(await MirrorAsync(log.Url, dir, log.LogKey), size);
        await using var server = await StaticLogServer.StartAsync(dir);

        var proof = await Cli.RunAsync("proof", "270", "--log", server.Url, "--key", log.LogKey);
        var older = await Cli.RunAsync("proof", "5", "--size", "100", "--log", dir, "--key", log.LogKey, "--json");
        var consistency = await Cli.RunAsync("consistency", "10", "latest", "--log", server.Url, "--key", log.LogKey);
        var checkpoint = await Cli.RunAsync("checkpoint", "--log", server.Url, "--key", log.LogKey);
        var again = await MirrorAsync(server.Url, _temp.Sub("mirror-of-mirror"), log.LogKey);

        Assert.True(proof.ExitCode == 0, proof.ToString());
        Assert.Equal(
            ["PASS checkpoint signature", "PASS leaf format", "PASS leaf identity", "PASS inclusion"],
            proof.OutLines[..^1].Select(l => l[..l.IndexOf(':')]));
        Assert.StartsWith($"verified: entry 270 (leaf hash ", proof.OutLines[^1], StringComparison.Ordinal);
        Assert.Contains($"is in the tree of size {I(size)}, read from {server.Url}", proof.OutLines[^1], StringComparison.Ordinal);
        var steps = JsonDocument.Parse(older.Out).RootElement.GetProperty("steps").EnumerateArray().ToList();
        Assert.True(older.ExitCode == 0, older.ToString());
        Assert.Equal(
            ["checkpoint signature", "leaf format", "leaf identity", "inclusion", "inclusion at size 100", "consistency"],
            steps.Select(s => s.GetProperty("step").GetString()));
        Assert.True(consistency.ExitCode == 0, consistency.ToString());
        Assert.StartsWith("verified: the tree of size 10 is a prefix of the tree of size " + I(size), consistency.OutLines[^1], StringComparison.Ordinal);
        Assert.True(checkpoint.ExitCode == 0, checkpoint.ToString());
        Assert.Equal(await File.ReadAllTextAsync(Path.Combine(dir, "checkpoint")), checkpoint.Out);
        Assert.StartsWith("verified: ", checkpoint.Error, StringComparison.Ordinal);
        AssertMirrored(again, size);
        AssertSameFiles(dir, _temp.Sub("mirror-of-mirror"), Tiles(dir));
    }

    [Fact]
    public async Task Proof_FromAMirrorWithAForgedEntry_Fails()
    {
        await using var log = await MirrorLog.StartAsync();
        var size = await log.AppendAsync(10);
        var dir = _temp.Sub("mirror");
        AssertMirrored(await MirrorAsync(log.Url, dir, log.LogKey), size);
        var bundle = Path.Combine(dir, "tile", "entries", $"000.p/{I(size)}");
        var bytes = await File.ReadAllBytesAsync(bundle);
        bytes[^1] ^= 1;
        await File.WriteAllBytesAsync(bundle, bytes);

        var result = await Cli.RunAsync("proof", I(size - 1), "--log", dir, "--key", log.LogKey);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.StartsWith("FAILED: ", result.OutLines[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Mirror_InterruptedRun_KeepsTheOldCheckpointAndTheNextRunFetchesOnlyWhatIsMissing()
    {
        await using var log = await MirrorLog.StartAsync();
        var size1 = await log.AppendAsync(20);
        var dir = _temp.Sub("mirror");
        AssertMirrored(await MirrorAsync(log.Url, dir, log.LogKey), size1);
        var held = await File.ReadAllBytesAsync(Path.Combine(dir, "checkpoint"));
        var size2 = await log.AppendAsync(1100);
        var upstream = _temp.Sub("upstream");
        AssertMirrored(await MirrorAsync(log.Url, upstream, log.LogKey), size2);
        await using var server = await StaticLogServer.StartAsync(upstream);
        var before = Tiles(dir);
        server.FailFrom = 7;

        var cut = await MirrorAsync(server.Url, dir, log.LogKey, "--concurrency", "2");

        Assert.True(cut.ExitCode == 1, cut.ToString());
        Assert.Contains("HTTP 503", cut.Error, StringComparison.Ordinal);
        Assert.Contains("keeps its state", cut.Error, StringComparison.Ordinal);
        Assert.Equal(held, await File.ReadAllBytesAsync(Path.Combine(dir, "checkpoint")));
        var kept = Tiles(dir).Except(before).ToList();
        Assert.NotEmpty(kept);
        AssertSameFiles(upstream, dir, kept);
        var torn = kept[0];
        var tornBytes = await File.ReadAllBytesAsync(Path.Combine(dir, torn));
        await File.WriteAllBytesAsync(Path.Combine(dir, torn), tornBytes[..(tornBytes.Length / 2)]);
        await File.WriteAllTextAsync(Path.Combine(dir, "tile", "entries", "003.tmp"), "half a file");
        server.Reset();

        var resumed = await MirrorAsync(server.Url, dir, log.LogKey);

        AssertMirrored(resumed, size2);
        var requested = server.Requested.ToHashSet(StringComparer.Ordinal);
        Assert.Contains(torn, requested);
        Assert.All(kept.Skip(1), p => Assert.DoesNotContain(p, requested));
        AssertSameFiles(upstream, dir, Tiles(upstream));
        Assert.DoesNotContain(Tiles(dir), p => p.EndsWith(".tmp", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Mirror_TwoLogsWithOneKeyThatDiverge_RefusesTheSecondKeepsItsStateAndSavesTheConflict()
    {
        await using var honest = await MirrorLog.StartAsync();
        await using var forked = await MirrorLog.StartAsync(_temp, honest);
        Assert.Equal(honest.LogKey, forked.LogKey);
        var size = await honest.AppendAsync(3);
        Assert.Equal(size, await forked.AppendAsync(3));
        var dir = _temp.Sub("mirror");
        AssertMirrored(await MirrorAsync(honest.Url, dir, honest.LogKey), size);
        var held = await File.ReadAllBytesAsync(Path.Combine(dir, "checkpoint"));
        var heldTiles = Tiles(dir);
        var forkedNote = await forked.Node.Http.GetByteArrayAsync("/checkpoint");
        var forkedCheckpoint = CheckpointNote.Open(forkedNote, NoteVerifier.Parse(honest.LogKey)).Checkpoint!;
        var honestRoot = CheckpointNote.Open(held, NoteVerifier.Parse(honest.LogKey)).Checkpoint!.Root;

        var sameSize = await MirrorAsync(forked.Url, dir, honest.LogKey);

        Assert.True(sameSize.ExitCode == 3, sameSize.ToString());
        var line = Assert.Single(sameSize.OutLines);
        Assert.StartsWith($"REFUSED: the log rewrote history: its checkpoint of size {I(size)} has root {forkedCheckpoint.Root}, but the mirror's tree has root {honestRoot} at size {I(size)}", line, StringComparison.Ordinal);
        var evidence = Path.Combine(dir, "conflicts", $"{I(size)}-{forkedCheckpoint.Root}");
        Assert.EndsWith($"evidence in {evidence}", line, StringComparison.Ordinal);
        Assert.Equal(held, await File.ReadAllBytesAsync(Path.Combine(dir, "checkpoint")));
        Assert.Equal(forkedNote, await File.ReadAllBytesAsync(Path.Combine(evidence, "checkpoint")));
        Assert.Equal(held, await File.ReadAllBytesAsync(Path.Combine(evidence, "mirror-checkpoint")));
        var bothSigned = await Cli.RunAsync("note", "verify", Path.Combine(evidence, "checkpoint"), "--key", honest.LogKey);
        Assert.True(bothSigned.ExitCode == 0, bothSigned.ToString());

        var larger = await forked.AppendAsync(5);
        var grown = await MirrorAsync(forked.Url, dir, honest.LogKey);

        Assert.True(grown.ExitCode == 3, grown.ToString());
        Assert.StartsWith($"REFUSED: the log rewrote history: its checkpoint of size {I(larger)} (root ", Assert.Single(grown.OutLines), StringComparison.Ordinal);
        Assert.Contains($"does not extend the mirror's of size {I(size)} (root {honestRoot})", grown.Out, StringComparison.Ordinal);
        Assert.Equal(held, await File.ReadAllBytesAsync(Path.Combine(dir, "checkpoint")));
        Assert.Equal(heldTiles, Tiles(dir));
        Assert.Equal(2, Directory.GetDirectories(Path.Combine(dir, "conflicts")).Length);
        var honestAgain = await MirrorAsync(honest.Url, dir, honest.LogKey);
        Assert.True(honestAgain.ExitCode == 0, honestAgain.ToString());
        Assert.StartsWith($"up to date: {forkedCheckpoint.Origin} at size {I(size)}, root {honestRoot}", honestAgain.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("tile/entries/000")]
    [InlineData("tile/0/000")]
    [InlineData("tile/0/001.p/")]
    public async Task Mirror_ATileThatDoesNotMatchTheCheckpoint_IsRefusedAndNothingIsKept(string tampered)
    {
        await using var log = await MirrorLog.StartAsync();
        var size = await log.AppendAsync(300);
        var upstream = _temp.Sub("upstream");
        AssertMirrored(await MirrorAsync(log.Url, upstream, log.LogKey), size);
        var file = tampered.EndsWith('/') ? tampered + I(size % 256) : tampered;
        var bytes = await File.ReadAllBytesAsync(Path.Combine(upstream, file));
        bytes[^1] ^= 0x40;
        await File.WriteAllBytesAsync(Path.Combine(upstream, file), bytes);
        await using var server = await StaticLogServer.StartAsync(upstream);
        var dir = _temp.Sub("mirror");

        var result = await MirrorAsync(server.Url, dir, log.LogKey);

        Assert.True(result.ExitCode == 3, result.ToString());
        var line = Assert.Single(result.OutLines);
        Assert.StartsWith("REFUSED: the log's ", line, StringComparison.Ordinal);
        Assert.Contains(file.StartsWith("tile/0/001", StringComparison.Ordinal) ? "partial tiles" : file, line, StringComparison.Ordinal);
        Assert.Contains($"size {I(size)}", line, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(dir, "checkpoint")));
        var evidence = Assert.Single(Directory.GetDirectories(Path.Combine(dir, "conflicts")));
        Assert.True(File.Exists(Path.Combine(evidence, "checkpoint")));
    }

    [Fact]
    public async Task Mirror_SameTreeWithAnExtraSignatureLine_KeepsTheNoteAsServed()
    {
        await using var log = await MirrorLog.StartAsync();
        var size = await log.AppendAsync(5);
        var dir = _temp.Sub("mirror");
        var upstream = _temp.Sub("upstream");
        AssertMirrored(await MirrorAsync(log.Url, dir, log.LogKey), size);
        AssertMirrored(await MirrorAsync(log.Url, upstream, log.LogKey), size);
        var note = await File.ReadAllTextAsync(Path.Combine(upstream, "checkpoint"));
        var text = SignedNote.TextOf(note)!;
        var witness = NoteSigner.FromSeed("witness.example/w1", new byte[NoteSigner.SeedSize]);
        var cosigned = note + SignedNote.Sign(text, witness)[(text.Length + 1)..];
        await File.WriteAllTextAsync(Path.Combine(upstream, "checkpoint"), cosigned);
        await using var server = await StaticLogServer.StartAsync(upstream);

        var result = await MirrorAsync(server.Url, dir, log.LogKey);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.StartsWith("up to date: ", result.Out, StringComparison.Ordinal);
        Assert.Equal(cosigned, await File.ReadAllTextAsync(Path.Combine(dir, "checkpoint")));
        Assert.Contains("— witness.example/w1 ", cosigned, StringComparison.Ordinal);
        var verified = await Cli.RunAsync("note", "verify", Path.Combine(dir, "checkpoint"), "--key", log.LogKey);
        Assert.True(verified.ExitCode == 0, verified.ToString());
    }

    [Fact]
    public async Task Mirror_UnreachableLog_ExitsOneAfterRetries()
    {
        var key = NoteSigner.FromSeed("example.org/log", new byte[NoteSigner.SeedSize]).VerifierKey.ToString();

        var result = await MirrorAsync("http://127.0.0.1:9/", _temp.Sub("mirror"), key);

        Assert.True(result.ExitCode == 1, result.ToString());
        var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("evidencectl: mirror: GET http://127.0.0.1:9/checkpoint failed 4 times; the last: ", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Mirror_CheckpointUnderAnotherKey_ExitsOne()
    {
        await using var log = await MirrorLog.StartAsync();
        var impostor = NoteSigner.FromSeed(NoteVerifier.Parse(log.LogKey).Name, new byte[NoteSigner.SeedSize]).VerifierKey.ToString();

        var result = await MirrorAsync(log.Url, _temp.Sub("mirror"), impostor);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("does not verify under the pinned key", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_temp.Sub("mirror"), "checkpoint")));
    }
}
