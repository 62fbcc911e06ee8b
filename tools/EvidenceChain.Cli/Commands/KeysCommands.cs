using System.Text.Json.Nodes;
using EvidenceChain.Api.V1;
using EvidenceChain.Cli.Client;

namespace EvidenceChain.Cli.Commands;

/// <summary><c>keys create|list|revoke</c>: API key administration (needs an admin key).</summary>
internal static class KeysCommands
{
    public static async Task<int> CreateAsync(Arguments args, CliConsole console)
    {
        if (args.Flag("help"))
        {
            await console.Out.WriteLineAsync("""
                evidencectl keys create --role submitter|case-manager|admin [--description D]
                Creates an API key (needs an admin key) and prints its secret, <id>.<secret>, alone on stdout: it is
                shown only this once (the node keeps only its hash), so save it, e.g. with > submitter.apikey, and use
                it with --api-key-file. The key's id and role go to stderr. Submitters preserve and download their own
                evidence; case managers may download any artefact; admins also manage keys.
                """);
            return ExitCode.Verified;
        }

        var settings = NodeSettings.Read(args, console);
        var role = args.Optional("role") ?? throw new UsageException("--role is required: submitter, case-manager or admin");
        var description = args.Optional("description") ?? string.Empty;
        args.EnsureAllUsed(0);
        return await NodeClient.RunAsync(settings, console, async node =>
        {
            var created = await node.Admin.CreateApiKeyAsync(new CreateApiKeyRequest { Role = role, Description = description }, node.Options);
            if (settings.Json)
            {
                var document = ToJson(created.Key);
                document["secret"] = created.Secret;
                await JsonOutput.WriteAsync(console, document);
            }
            else
            {
                await console.Out.WriteLineAsync(created.Secret);
                await console.Error.WriteLineAsync(
                    $"created API key {created.Key.Id} with role {created.Key.Role}; its secret (above) is shown only once");
            }

            return ExitCode.Verified;
        });
    }

    public static async Task<int> ListAsync(Arguments args, CliConsole console)
    {
        if (args.Flag("help"))
        {
            await console.Out.WriteLineAsync("""
                evidencectl keys list
                Lists every API key, oldest first: id, role, created, revoked (or "valid") and description. Secrets are
                never shown. Needs an admin key.
                """);
            return ExitCode.Verified;
        }

        var settings = NodeSettings.Read(args, console);
        args.EnsureAllUsed(0);
        return await NodeClient.RunAsync(settings, console, async node =>
        {
            var keys = (await node.Admin.ListApiKeysAsync(new ListApiKeysRequest(), node.Options)).Keys;
            if (settings.Json)
            {
                await JsonOutput.WriteAsync(console, new JsonObject { ["keys"] = new JsonArray([.. keys.Select(ToJson)]) });
                return ExitCode.Verified;
            }

            foreach (var key in keys)
            {
                var state = key.Revoked.Length == 0 ? "valid" : "revoked " + key.Revoked;
                await console.Out.WriteLineAsync($"{key.Id}  {key.Role,-12}  created {key.Created}  {state}  {Text.Printable(key.Description)}".TrimEnd());
            }

            return ExitCode.Verified;
        });
    }

    public static async Task<int> RevokeAsync(Arguments args, CliConsole console)
    {
        if (args.Flag("help"))
        {
            await console.Out.WriteLineAsync("""
                evidencectl keys revoke ID
                Revokes API key ID (as keys list shows it) at once. Needs an admin key; the last valid admin key cannot
                be revoked, and revoking a key twice is an error.
                """);
            return ExitCode.Verified;
        }

        var settings = NodeSettings.Read(args, console);
        args.EnsureAllUsed(1);
        var id = args.Positional.FirstOrDefault() ?? throw new UsageException("keys revoke needs the key's ID (see evidencectl keys list)");
        return await NodeClient.RunAsync(settings, console, async node =>
        {
            var key = await node.Admin.RevokeApiKeyAsync(new RevokeApiKeyRequest { Id = id }, node.Options);
            if (settings.Json)
            {
                await JsonOutput.WriteAsync(console, ToJson(key));
            }
            else
            {
                await console.Out.WriteLineAsync($"revoked API key {key.Id} ({key.Role}) at {key.Revoked}");
            }

            return ExitCode.Verified;
        });
    }

    private static JsonObject ToJson(ApiKey key) => new()
    {
        ["id"] = key.Id,
        ["role"] = key.Role,
        ["description"] = key.Description,
        ["created"] = key.Created,
        ["revoked"] = key.Revoked.Length == 0 ? null : key.Revoked,
    };
}
