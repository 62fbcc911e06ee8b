using EvidenceChain.Core.Notes;
using EvidenceChain.Testing;
using Microsoft.Extensions.Logging;

namespace EvidenceChain.Witness.Tests;

/// <summary>Two logs with one key and origin that diverge, concurrency on one log, and state that survives a restart.</summary>
public sealed class SplitViewTests
{
    private static readonly NoteSigner SharedKey = NoteSigner.FromSeed("example.org/forked", Enumerable.Repeat((byte)5, 32).ToArray());

    [Fact]
    public async Task ForkedLogSameSize_SecondRefusedAndLoggedAsSplitView()
    {
        var honest = new TestLog(SharedKey, "leaf").Grow(10);
        var fork = new TestLog(SharedKey, "other").Grow(10); // same key and origin, another history
        await using var witness = await WitnessServer.StartAsync(null, SharedKey.VerifierKey);
        Assert.Equal(200, (await witness.PostAsync(honest.Request(0, 10))).Status);

        var first = await witness.PostAsync(fork.Request(0, 10));
        var second = await witness.PostAsync(fork.Request(10, 10));
        var grown = await witness.PostAsync(fork.Grow(5).Request(10, 15));

        Assert.Equal((409, "text/x.tlog.size", "10\n"), first);
        Assert.Equal(422, second.Status);
        Assert.Contains("split view", second.Body, StringComparison.Ordinal);
        Assert.Equal(422, grown.Status);
        var error = Assert.Single(witness.Logs.Entries, e => e.Level == LogLevel.Error);
        Assert.Equal(902, error.EventId);
        Assert.Contains("example.org/forked", error.Message, StringComparison.Ordinal);
        Assert.Contains(fork.Root(10).ToString(), error.Message, StringComparison.Ordinal);
        Assert.Contains(witness.Logs.Entries, e => e.Level == LogLevel.Warning && e.EventId == 903);
        Assert.Equal(200, (await witness.PostAsync(honest.Request(10, 10))).Status);
    }

    [Fact]
    public async Task TwoDifferentCheckpointsOfOneSizeAtOnce_ExactlyOneCosigned()
    {
        var a = new TestLog(SharedKey, "a").Grow(8);
        var b = new TestLog(SharedKey, "b").Grow(8);
        for (var round = 0; round < 10; round++)
        {
            await using var witness = await WitnessServer.StartAsync(null, SharedKey.VerifierKey);

            var answers = await Task.WhenAll(
                Enumerable.Range(0, 8).Select(i => witness.PostAsync(i % 2 == 0 ? a.Request(0, 8) : b.Request(0, 8))));

            var cosigned = Assert.Single(answers, x => x.Status == 200);
            Assert.All(answers.Where(x => x.Status != 200), x => Assert.Equal((409, "text/x.tlog.size", "8\n"), x));
            Assert.True(Cosignature.TryParseLine(cosigned.Body, out var line));
            var text = (TestLog Log) => SignedNote.TextOf(Log.Checkpoint(8))!;
            Assert.True(Cosignature.TryVerify(witness.Host.Key, text(a), line, out _) ^ Cosignature.TryVerify(witness.Host.Key, text(b), line, out _));
        }
    }

    [Fact]
    public async Task Restart_KeepsCosignedSizeAndRoot()
    {
        var log = new TestLog(SharedKey, "leaf").Grow(12);
        var fork = new TestLog(SharedKey, "other").Grow(12);
        using var folder = new TempFolder();
        WitnessKey key;
        await using (var first = await WitnessServer.StartAsync(folder, SharedKey.VerifierKey))
        {
            key = first.Host.Key;
            Assert.Equal(200, (await first.PostAsync(log.Request(0, 9))).Status);
        }

        await using var second = await WitnessServer.StartAsync(folder, SharedKey.VerifierKey);

        Assert.Equal(key, second.Host.Key);
        Assert.Equal((409, "text/x.tlog.size", "9\n"), await second.PostAsync(log.Request(0, 12)));
        Assert.Equal(422, (await second.PostAsync(fork.Request(9, 9))).Status);
        Assert.Equal(200, (await second.PostAsync(log.Request(9, 12))).Status);
    }

    [Fact]
    public async Task SecondWitnessOnSameFolder_IsRefused()
    {
        using var folder = new TempFolder();
        await using var first = await WitnessServer.StartAsync(folder, SharedKey.VerifierKey);

        var e = await Assert.ThrowsAsync<IOException>(() => WitnessServer.StartAsync(folder, SharedKey.VerifierKey));

        Assert.Contains("in use", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StateFileTampered_StartIsRefused()
    {
        var log = new TestLog(SharedKey, "leaf").Grow(4);
        var fork = new TestLog(SharedKey, "other").Grow(4);
        using var folder = new TempFolder();
        await using (var first = await WitnessServer.StartAsync(folder, SharedKey.VerifierKey))
        {
            Assert.Equal(200, (await first.PostAsync(log.Request(0, 4))).Status);
        }

        var state = Directory.GetFiles(folder.Path, "*.checkpoint").Single();
        var text = await File.ReadAllTextAsync(state);
        await File.WriteAllTextAsync(state, text.Replace(log.Root(4).ToBase64(), fork.Root(4).ToBase64(), StringComparison.Ordinal));

        var e = await Assert.ThrowsAsync<InvalidDataException>(() => WitnessServer.StartAsync(folder, SharedKey.VerifierKey));

        Assert.Contains("not cosigned by this witness", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void KeyFiles_CreatedOwnerOnly_AndNameIsFixed()
    {
        using var folder = new TempFolder();

        var created = WitnessKeyFiles.LoadOrCreate(folder.Path, "court.example/witness");
        var loaded = WitnessKeyFiles.LoadOrCreate(folder.Path, null);

        Assert.Equal(created.Key, loaded.Key);
        Assert.Equal(created.Key + "\n", File.ReadAllText(Path.Combine(folder.Path, WitnessKeyFiles.VerifierKeyFile)));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(folder.Path, WitnessKeyFiles.PrivateKeyFile)));
        }

        Assert.Throws<InvalidDataException>(() => WitnessKeyFiles.LoadOrCreate(folder.Path, "other.example/witness"));
    }
}
