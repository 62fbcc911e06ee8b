using EvidenceChain.Core;
using EvidenceChain.Ledger;
using EvidenceChain.Testing;

namespace EvidenceChain.Storage.Tests;

public sealed class ApiKeyStoreTests
{
    private static readonly DateTimeOffset Created = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Add_ThenReopen_KeyIsThereWithItsHash()
    {
        using var temp = new TempFolder();
        var key = new ApiKeyRecord("k0123456789abcdef", "submitter", "alice", new Hash([.. Enumerable.Range(0, 32).Select(i => (byte)i)]), Created, null);
        using (var store = new ApiKeyStore(temp.Sub("node.db")))
        {
            store.Add(key);
        }

        using var reopened = new ApiKeyStore(temp.Sub("node.db"));
        Assert.Equal(key, reopened.Find(key.Id));
        Assert.Equal(1, reopened.Count);
    }

    [Fact]
    public void Revoke_ThenReopen_StaysRevoked_AndSecondRevokeThrows()
    {
        using var temp = new TempFolder();
        var key = new ApiKeyRecord("k1", "admin", string.Empty, default, Created, null);
        using (var store = new ApiKeyStore(temp.Sub("node.db")))
        {
            store.Add(key);
            Assert.Equal(Created.AddHours(1), store.Revoke("k1", Created.AddHours(1))!.Revoked);
            Assert.Null(store.Revoke("nope", Created));
        }

        using var reopened = new ApiKeyStore(temp.Sub("node.db"));
        Assert.Equal(Created.AddHours(1), reopened.Find("k1")!.Revoked);
        var e = Assert.Throws<InvalidOperationException>(() => reopened.Revoke("k1", Created.AddHours(2)));
        Assert.Contains("already revoked", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Add_DuplicateId_Throws_AndListIsOldestFirst()
    {
        using var temp = new TempFolder();
        using var store = new ApiKeyStore(temp.Sub("node.db"));
        store.Add(new ApiKeyRecord("kb", "admin", string.Empty, default, Created.AddMinutes(1), null));
        store.Add(new ApiKeyRecord("ka", "submitter", string.Empty, default, Created, null));

        Assert.Throws<ArgumentException>(() => store.Add(new ApiKeyRecord("ka", "admin", string.Empty, default, Created, null)));
        Assert.Equal(["ka", "kb"], store.List().Select(k => k.Id));
    }
}
