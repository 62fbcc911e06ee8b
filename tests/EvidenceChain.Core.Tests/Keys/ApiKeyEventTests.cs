using System.Globalization;
using EvidenceChain.Core.Entries;
using EvidenceChain.Core.Keys;
using FsCheck;
using FsCheck.Xunit;

namespace EvidenceChain.Core.Tests.Keys;

public sealed class ApiKeyEventTests
{
    private const string Key = "k0123456789abcdef";
    private const string Admin = "kfedcba9876543210";
    private static readonly string[] RoleNames = ["submitter", "case-manager", "admin"];

    [Property]
    public void ToDraft_ThroughTheLeafCodec_RoundTrips(bool revoke, ulong key, ulong actor, NonNull<string> description, byte role)
    {
        var text = new string([.. description.Get.Where(c => !char.IsControl(c) && !char.IsSurrogate(c))]);
        var e = new ApiKeyEvent
        {
            Action = revoke ? ApiKeyAction.Revoke : ApiKeyAction.Create,
            KeyId = Id(key),
            Role = RoleNames[role % RoleNames.Length],
            Description = revoke ? null : text,
            Actor = !revoke && actor % 5 == 0 ? ApiKeyEvent.NodeActor : Id(actor),
        };
        var leaf = LeafCodec.Encode(new LedgerEntry("origin", 3, default, DateTimeOffset.UnixEpoch, e.ToDraft()));

        var back = ApiKeyEvent.FromEntry(LeafCodec.Parse(leaf));

        Assert.Equal(e, back);
    }

    [Fact]
    public void ToDraft_Create_HasExactlyTheDocumentedAttributes()
    {
        var draft = new ApiKeyEvent { Action = ApiKeyAction.Create, KeyId = Key, Role = "submitter", Description = "Jane Doe", Actor = Admin }.ToDraft();

        Assert.Equal(ApiKeyEvent.Kind, draft.Kind);
        Assert.Equal(Admin, draft.Submitter);
        Assert.Empty(draft.Artefacts);
        Assert.Equal(
            new Dictionary<string, string> { ["action"] = "create", ["actor"] = Admin, ["description"] = "Jane Doe", ["key"] = Key, ["role"] = "submitter" },
            draft.Attributes);
    }

    [Theory]
    [InlineData("revoke", "node", "actor")]
    [InlineData("create", "k1", "actor")]
    [InlineData("revoke", "kfedcba9876543210", "description")]
    public void FromEntry_MalformedEvent_IsRefusedNamingTheField(string action, string actor, string field)
    {
        var attributes = new Dictionary<string, string> { ["action"] = action, ["actor"] = actor, ["key"] = Key, ["role"] = "admin" };
        if (field == "description")
        {
            attributes["description"] = "x";
        }

        var entry = new LedgerEntry("o", 1, default, DateTimeOffset.UnixEpoch, new EntryDraft(ApiKeyEvent.Kind, actor, [], attributes));

        var error = Assert.Throws<FormatException>(() => ApiKeyEvent.FromEntry(entry));

        Assert.Contains(field, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromEntry_UnknownAttribute_IsRefused()
    {
        var draft = new ApiKeyEvent { Action = ApiKeyAction.Revoke, KeyId = Key, Role = "admin", Actor = Admin }.ToDraft();
        var attributes = new Dictionary<string, string>(draft.Attributes) { ["secret-sha256"] = new string('a', 64) };

        var error = Assert.Throws<FormatException>(() => ApiKeyEvent.FromEntry(new LedgerEntry("o", 1, default, DateTimeOffset.UnixEpoch, draft with { Attributes = attributes })));

        Assert.Contains("unexpected attribute \"secret-sha256\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromEntry_SubmitterIsNotTheActor_IsRefused()
    {
        var draft = new ApiKeyEvent { Action = ApiKeyAction.Revoke, KeyId = Key, Role = "admin", Actor = Admin }.ToDraft() with { Submitter = Key };

        Assert.Throws<FormatException>(() => ApiKeyEvent.FromEntry(new LedgerEntry("o", 1, default, DateTimeOffset.UnixEpoch, draft)));
    }

    [Fact]
    public void ToDraft_DescriptionWithControlCharacters_Throws() =>
        Assert.Throws<ArgumentException>(() => new ApiKeyEvent { Action = ApiKeyAction.Create, KeyId = Key, Role = "admin", Description = "a\nb", Actor = Admin }.ToDraft());

    private static string Id(ulong bits) => "k" + bits.ToString("x16", CultureInfo.InvariantCulture);
}
