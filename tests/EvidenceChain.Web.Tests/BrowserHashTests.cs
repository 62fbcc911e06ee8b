using System.Security.Cryptography;
using System.Text;
using EvidenceChain.Core.Digests;
using EvidenceChain.Web.Tests.Infrastructure;

namespace EvidenceChain.Web.Tests;

/// <summary>
/// The page's own SHA-256 and SM3 (wwwroot/js/digests.js), which hash dropped originals, agree with the published
/// vectors, .NET's SHA256 and Core's SM3 (BouncyCastle), whole and fed in pieces.
/// </summary>
public sealed class BrowserHashTests(PageFixture fixture) : IClassFixture<PageFixture>
{
    private const string Hash = """
        async ([data, cut, sm3]) => {
          const { Sha256, Sm3, hex } = await import('./js/digests.js');
          const make = () => sm3 ? new Sm3() : new Sha256();
          const bytes = Uint8Array.from(atob(data), c => c.charCodeAt(0));
          const incremental = make();
          let offset = 0, step = 1;
          while (offset < bytes.length) {
            const next = Math.min(bytes.length, offset + step);
            incremental.update(bytes.subarray(offset, next));
            offset = next;
            step = (step * cut) % 100003 + 1;
          }
          return [hex(make().update(bytes).digest()), hex(incremental.digest())];
        }
        """;

    [ChromiumFact]
    public async Task KnownVectors()
    {
        await using var session = await fixture.OpenAsync();
        Assert.Equal(
            ["e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"],
            await session.Page.EvaluateAsync<string[]>(Hash, new object[] { string.Empty, 7, false }));
        Assert.Equal(
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
            (await session.Page.EvaluateAsync<string[]>(Hash, new object[] { Convert.ToBase64String("abc"u8), 7, false }))[0]);
        Assert.Equal(
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0",
            await session.Page.EvaluateAsync<string>(
                "async () => { const { sha256Hex } = await import('./js/digests.js'); return sha256Hex(new Uint8Array(1000000).fill(97)); }"));
    }

    [ChromiumFact]
    public async Task Sm3_KnownVectors()
    {
        // GB/T 32905-2016, appendix A: "abc" and "abcd" × 16.
        await using var session = await fixture.OpenAsync();
        Assert.Equal(
            ["66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0", "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"],
            await session.Page.EvaluateAsync<string[]>(Hash, new object[] { Convert.ToBase64String("abc"u8), 1, true }));
        Assert.Equal(
            "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732",
            (await session.Page.EvaluateAsync<string[]>(Hash, new object[] { Convert.ToBase64String(Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("abcd", 16)))), 5, true }))[1]);
    }

    [ChromiumFact]
    public async Task AgreesWithDotNet_OnBlockBoundariesAndALargeInput()
    {
        await using var session = await fixture.OpenAsync();
        foreach (var size in new[] { 0, 1, 55, 56, 63, 64, 65, 119, 120, 128, 4097, (1 << 20) + 3 })
        {
            var bytes = RandomNumberGenerator.GetBytes(size);
            var expected = Convert.ToHexStringLower(SHA256.HashData(bytes));
            var got = await session.Page.EvaluateAsync<string[]>(Hash, new object[] { Convert.ToBase64String(bytes), 31 + size % 17, false });
            Assert.True(expected == got[0] && expected == got[1], $"{size} bytes: .NET {expected}, page {got[0]} (whole) / {got[1]} (in pieces)");
            var sm3 = ArtefactHasher.Sm3(bytes).ToString();
            var gotSm3 = await session.Page.EvaluateAsync<string[]>(Hash, new object[] { Convert.ToBase64String(bytes), 29 + size % 13, true });
            Assert.True(sm3 == gotSm3[0] && sm3 == gotSm3[1], $"{size} bytes: SM3 {sm3}, page {gotSm3[0]} (whole) / {gotSm3[1]} (in pieces)");
        }
    }
}
