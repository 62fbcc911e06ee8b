using System.Text.Json.Nodes;
using EvidenceChain.Api.V1;
using EvidenceChain.Cli.Client;
using EvidenceChain.Storage;

namespace EvidenceChain.Cli.Commands;

/// <summary><c>keys create|list|revoke</c>: API key administration (needs an admin key).</summary>
internal static class KeysCommands
{
    public static async Task<int> CreateAsync(Arguments args, CliConsole console)
    {
        var settings = NodeSettings.Read(args, console);
        var role = args.Optional("role") ?? throw new UsageException("--role is required: submitter, case-manager or admin");
        var description = args.Optional("description") ?? string.Empty;
        var output = args.Optional("out");
        var replace = args.Flag("force");
        if (output is not null && !replace && Path.Exists(output))
        {
            throw new UsageException($"--out {output} exists; give --force to replace it");
        }

        return await NodeClient.RunAsync(settings, console, async node =>
        {
            var created = await node.Admin.CreateApiKeyAsync(new CreateApiKeyRequest { Role = role, Description = description }, node.Options);
            if (output is not null)
            {
                return await SaveAsync(created, output, replace, settings.Json, console);
            }

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
        var settings = NodeSettings.Read(args, console);
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
        var settings = NodeSettings.Read(args, console);
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

    /// <summary>Writes the new key's secret to <paramref name="output"/> (mode 0600) and says where it went.</summary>
    private static async Task<int> SaveAsync(CreateApiKeyResponse created, string output, bool replace, bool json, CliConsole console)
    {
        var path = Path.GetFullPath(output);
        try
        {
            SecretFile.Write(path, created.Secret + "\n", replace);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The node keeps only the secret's hash: print it rather than lose the key.
            await console.Error.WriteLineAsync(
                $"evidencectl: created API key {created.Key.Id} but cannot write {output}: {e.Message}; its secret follows on stdout, shown only once");
            await console.Out.WriteLineAsync(created.Secret);
            return ExitCode.Failed;
        }

        if (json)
        {
            var document = ToJson(created.Key);
            document["secretFile"] = path;
            await JsonOutput.WriteAsync(console, document);
        }
        else
        {
            await console.Out.WriteLineAsync($"created API key {created.Key.Id} with role {created.Key.Role}; its secret is in {path} (mode 0600)");
        }

        return ExitCode.Verified;
    }
}
