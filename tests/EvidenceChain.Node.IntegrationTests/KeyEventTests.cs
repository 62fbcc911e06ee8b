using System.Security.Cryptography;
using System.Text;
using EvidenceChain.Api.V1;
using EvidenceChain.Core.Entries;
using EvidenceChain.Core.Keys;
using EvidenceChain.Testing.Node;
using static EvidenceChain.Node.IntegrationTests.Infrastructure.Uploads;

namespace EvidenceChain.Node.IntegrationTests;

/// <summary>API key creation and revocation are <c>api-key-event</c> ledger entries, without secret material.</summary>
public sealed class KeyEventTests
{
    [Fact]
    public async Task StartAsync_NewLedger_FirstAdminKeysCreateEventIsEntry0ByTheNode()
    {
        await using var node = await TestNode.StartAsync();

        var entry = await node.Evidence.GetEntryAsync(new GetEntryRequest { Index = 0 }, TestNode.As(node.AdminKey));

        Assert.Equal(ApiKeyEvent.Kind, entry.Kind);
        var e = ApiKeyEvent.FromEntry(Revealed(entry));
        Assert.DoesNotContain("first admin key", entry.Leaf.ToStringUtf8(), StringComparison.Ordinal); // committed (docs/formats.md §16)
        Assert.Equal(new ApiKeyEvent { Action = ApiKeyAction.Create, KeyId = KeyId(node.AdminKey), Role = "admin", Description = "first admin key, created at first start", Actor = ApiKeyEvent.NodeActor }, e);
        AssertNoSecret(entry.Leaf.ToByteArray(), node.AdminKey);
        node.AssertNoErrors();
    }

    [Fact]
    public async Task CreateAndRevokeApiKey_OverGrpc_AppendEventsWithoutSecretMaterial()
    {
        await using var node = await TestNode.StartAsync();
        var admin = TestNode.As(node.AdminKey);

        var created = await node.Admin.CreateApiKeyAsync(new CreateApiKeyRequest { Role = "submitter", Description = "Jane Doe" }, admin);
        var afterCreate = node.Node.Ledger.Size;
        await node.Admin.RevokeApiKeyAsync(new RevokeApiKeyRequest { Id = created.Key.Id }, admin);

        Assert.Equal(afterCreate + 1, node.Node.Ledger.Size);
        var createEntry = await node.Evidence.GetEntryAsync(new GetEntryRequest { Index = afterCreate - 1 }, admin);
        var revokeEntry = await node.Evidence.GetEntryAsync(new GetEntryRequest { Index = afterCreate });
        var actor = KeyId(node.AdminKey);
        Assert.Equal(
            new ApiKeyEvent { Action = ApiKeyAction.Create, KeyId = created.Key.Id, Role = "submitter", Description = "Jane Doe", Actor = actor },
            ApiKeyEvent.FromEntry(Revealed(createEntry)));
        Assert.DoesNotContain("Jane Doe", createEntry.Leaf.ToStringUtf8(), StringComparison.Ordinal);
        Assert.Equal(
            new ApiKeyEvent { Action = ApiKeyAction.Revoke, KeyId = created.Key.Id, Role = "submitter", Actor = actor },
            ApiKeyEvent.FromEntry(LeafCodec.Parse(revokeEntry.Leaf.Span)));
        Assert.Equal(actor, createEntry.Submitter);
        AssertNoSecret(createEntry.Leaf.ToByteArray(), created.Secret);
        AssertNoSecret(revokeEntry.Leaf.ToByteArray(), created.Secret);
        node.AssertNoErrors();
    }

    [Fact]
    public async Task RevokeApiKey_Refused_AppendsNothing()
    {
        await using var node = await TestNode.StartAsync();
        var size = node.Node.Ledger.Size;

        await Assert.ThrowsAsync<Grpc.Core.RpcException>(() =>
            node.Admin.RevokeApiKeyAsync(new RevokeApiKeyRequest { Id = KeyId(node.AdminKey) }, TestNode.As(node.AdminKey)).ResponseAsync);

        Assert.Equal(size, node.Node.Ledger.Size);
    }

    private static void AssertNoSecret(byte[] leaf, string token)
    {
        var secret = token[(token.IndexOf('.', StringComparison.Ordinal) + 1)..];
        var text = Encoding.UTF8.GetString(leaf);
        Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret))), text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(secret))), text, StringComparison.Ordinal);
    }

    // The leaf with the committed fields the node disclosed to the key put back in clear.
    private static Core.Entries.LedgerEntry Revealed(Entry entry)
    {
        var parsed = LeafCodec.Parse(entry.Leaf.Span);
        var clear = new Dictionary<string, string>(parsed.Draft.Attributes, StringComparer.Ordinal);
        var commitments = new Dictionary<string, Core.Entries.Commitment>(parsed.Draft.Commitments, StringComparer.Ordinal);
        foreach (var (name, value) in entry.Disclosed)
        {
            Assert.True(commitments.Remove(name));
            clear[name] = value;
        }

        return parsed with { Draft = parsed.Draft with { Attributes = clear, Commitments = commitments } };
    }
}
