using System.Security.Cryptography;
using EvidenceChain.Web.Tests.Infrastructure;

namespace EvidenceChain.Web.Tests;

/// <summary>The page's own SHA-256 (wwwroot/js/digests.js), which hashes dropped originals, agrees with .NET's.</summary>
public sealed class BrowserHashTests(PageFixture fixture) : IClassFixture<PageFixture>
{
    private const string Hash = """
        async ([data, cut]) => {
          const { Sha256, hex, sha256Hex } = await import('./js/digests.js');
          const bytes = Uint8Array.from(atob(data), c => c.charCodeAt(0));
          const incremental = new Sha256();
          let offset = 0, step = 1;
          while (offset < bytes.length) {
            const next = Math.min(bytes.length, offset + step);
            incremental.update(bytes.subarray(offset, next));
            offset = next;
            step = (step * cut) % 100003 + 1;
          }
          return [sha256Hex(bytes), hex(incremental.digest())];
        }
        """;

    [ChromiumFact]
    public async Task KnownVectors()
    {
        await using var session = await fixture.OpenAsync();
        Assert.Equal(
            ["e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"],
            await session.Page.EvaluateAsync<string[]>(Hash, new object[] { string.Empty, 7 }));
        Assert.Equal(
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
            (await session.Page.EvaluateAsync<string[]>(Hash, new object[] { Convert.ToBase64String("abc"u8), 7 }))[0]);
        Assert.Equal(
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0",
            await session.Page.EvaluateAsync<string>(
                "async () => { const { sha256Hex } = await import('./js/digests.js'); return sha256Hex(new Uint8Array(1000000).fill(97)); }"));
    }

    [ChromiumFact]
    public async Task AgreesWithDotNet_OnBlockBoundariesAndALargeInput()
    {
        await using var session = await fixture.OpenAsync();
        foreach (var size in new[] { 0, 1, 55, 56, 63, 64, 65, 119, 120, 128, 4097, (1 << 20) + 3 })
        {
            var bytes = RandomNumberGenerator.GetBytes(size);
            var expected = Convert.ToHexStringLower(SHA256.HashData(bytes));
            var got = await session.Page.EvaluateAsync<string[]>(Hash, new object[] { Convert.ToBase64String(bytes), 31 + size % 17 });
            Assert.True(expected == got[0] && expected == got[1], $"{size} bytes: .NET {expected}, page {got[0]} (whole) / {got[1]} (in pieces)");
        }
    }
}
