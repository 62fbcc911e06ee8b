namespace EvidenceChain.Cli.Tests.Commands;

/// <summary>keys create, list and revoke, and what a revoked key gets.</summary>
public sealed partial class NodeCommandsTests
{
    [Fact]
    public async Task Keys_CreateListRevoke_KeyWorksUntilRevoked()
    {
        var created = await Cli.RunAsync(node.Args(node.AdminKey, "keys", "create", "--role", "submitter", "--description", "Jane Doe, Acme Legal"));
        Assert.True(created.ExitCode == 0, created.ToString());
        var secret = Assert.Single(created.OutLines);
        Assert.Matches("^k[0-9a-f]{16}\\.[A-Za-z0-9_-]{43}$", secret);
        var id = secret[..secret.IndexOf('.')];
        Assert.Equal($"created API key {id} with role submitter; its secret (above) is shown only once\n", created.Error);
        await node.PreserveAsync(node.WriteFile("k.txt", [1]), secret);

        var listed = await Cli.RunAsync(node.Args(node.AdminKey, "keys", "list"));
        Assert.True(listed.ExitCode == 0, listed.ToString());
        var line = Assert.Single(listed.OutLines, l => l.StartsWith(id, StringComparison.Ordinal));
        Assert.Matches($"^{id}  submitter     created [0-9T:.Z-]+  valid  Jane Doe, Acme Legal$", line);
        Assert.DoesNotContain(secret[(id.Length + 1)..], listed.Out);

        var revoked = await Cli.RunAsync(node.Args(node.AdminKey, "keys", "revoke", id));
        Assert.True(revoked.ExitCode == 0, revoked.ToString());
        Assert.StartsWith($"revoked API key {id} (submitter) at ", revoked.Out);

        var refused = await Cli.RunAsync(node.Args(secret, "preserve", node.WriteFile("late.txt", [2])));
        Cli.AssertNodeError(refused, "Unauthenticated", $"API key {id} was revoked at ");
        var json = Json(await Cli.RunAsync(node.Args(node.AdminKey, "keys", "list", "--json")));
        var key = Assert.Single(json.GetProperty("keys").EnumerateArray(), k => k.GetProperty("id").GetString() == id);
        Assert.NotNull(key.GetProperty("revoked").GetString());
    }

    [Fact]
    public async Task Keys_CreateJson_HoldsTheSecretOnce()
    {
        var result = Json(await Cli.RunAsync(node.Args(node.AdminKey, "keys", "create", "--role", "case-manager", "--json")));

        Assert.Equal("case-manager", result.GetProperty("role").GetString());
        Assert.StartsWith(result.GetProperty("id").GetString() + ".", result.GetProperty("secret").GetString());
    }

    [Fact]
    public async Task Keys_CreateWithAdminKeyFile_Works()
    {
        var path = node.Node.Node.AdminKeyPath ?? throw new InvalidOperationException("The test node wrote no admin key file.");

        var result = await Cli.RunAsync(node.Args(null, "keys", "create", "--role", "submitter", "--api-key-file", path));

        Assert.True(result.ExitCode == 0, result.ToString());
    }

    [Fact]
    public async Task Keys_CreateUnknownRole_ExitsTwoInvalidArgument()
    {
        var result = await Cli.RunAsync(node.Args(node.AdminKey, "keys", "create", "--role", "judge"));

        Cli.AssertNodeError(result, "InvalidArgument", "role must be submitter, case-manager or admin; got \"judge\"", exitCode: 2);
    }

    [Fact]
    public async Task Keys_CreateWithoutRole_ExitsTwo()
    {
        Cli.AssertUsage(await Cli.RunAsync(node.Args(node.AdminKey, "keys", "create")), "--role is required");
    }

    [Fact]
    public async Task Keys_ListWithSubmitterKey_ExitsOnePermissionDenied()
    {
        Cli.AssertNodeError(await Cli.RunAsync(node.Args(node.SubmitterKey, "keys", "list")), "PermissionDenied", "This call needs role admin");
    }

    [Fact]
    public async Task Keys_ListWithoutKey_ExitsOneUnauthenticated()
    {
        Cli.AssertNodeError(await Cli.RunAsync(node.Args(null, "keys", "list")), "Unauthenticated", "no API key was given");
    }

    [Fact]
    public async Task Keys_RevokeUnknown_ExitsOneNotFound()
    {
        Cli.AssertNodeError(await Cli.RunAsync(node.Args(node.AdminKey, "keys", "revoke", "k0000000000000000")), "NotFound", "There is no API key k0000000000000000");
    }

    [Fact]
    public async Task Keys_RevokeTwice_ExitsOneFailedPrecondition()
    {
        var secret = await node.Node.CreateKeyAsync("submitter");
        var id = secret[..secret.IndexOf('.')];
        Assert.Equal(0, (await Cli.RunAsync(node.Args(node.AdminKey, "keys", "revoke", id))).ExitCode);

        Cli.AssertNodeError(await Cli.RunAsync(node.Args(node.AdminKey, "keys", "revoke", id)), "FailedPrecondition", id);
    }
}
