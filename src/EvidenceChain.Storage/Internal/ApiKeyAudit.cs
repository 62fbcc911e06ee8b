using System.Globalization;
using System.Text;
using EvidenceChain.Core.Entries;
using EvidenceChain.Core.Keys;
using EvidenceChain.Ledger;
using LiteDB;

namespace EvidenceChain.Storage.Internal;

/// <summary>
/// The audit's checks of the key store <c>node.db</c> (<see cref="ApiKeyStore"/>) and of <c>keys/admin.apikey</c>: each
/// key record reads, has a well-formed id, a role the node knows, a 32-byte secret hash, and a revocation no earlier
/// than its creation; the first admin key's secret file matches its record. Then node.db is compared with the ledger's
/// <c>api-key-event</c> entries (<see cref="ApiKeyEvent"/>): every key's role, description and revocation must be what
/// they say, every key must have a create event unless it predates key events (made before the ledger's first one),
/// and every key the ledger creates must be in node.db. The secret hashes cannot be derived from anything else (the
/// ledger never holds them), so only their presence is checked.
/// </summary>
internal static class ApiKeyAudit
{
    private const string Where = "node.db";
    private const string AdminKeyFile = "admin.apikey";
    private static readonly System.Buffers.SearchValues<char> LowerHex = System.Buffers.SearchValues.Create("0123456789abcdef");
    private static readonly string[] KnownRoles = ["submitter", "case-manager", "admin"];

    /// <summary>
    /// Checks the key store against the ledger's <c>api-key-event</c> entries (<paramref name="events"/>, in index
    /// order); returns the keys read (empty when there is no store or it is unreadable).
    /// </summary>
    public static IReadOnlyList<ApiKeyRecord> Check(DataFolder folder, IReadOnlyList<LedgerEntry> events, AuditReport report)
    {
        if (!File.Exists(folder.StatePath))
        {
            if (events.Count > 0)
            {
                report.Problem(Where, $"does not exist, but the ledger records {events.Count} API key event(s) (restore it from a backup)");
            }
            else
            {
                report.Note("node.db does not exist: no API key was ever made on this folder");
            }

            return [];
        }

        List<ApiKeyRecord> keys = [];
        try
        {
            using var db = new LiteDatabase(new ConnectionString { Filename = folder.StatePath, Connection = ConnectionType.Direct, ReadOnly = true });
            foreach (var doc in db.GetCollection("apikeys").FindAll())
            {
                if (CheckRecord(doc, report) is { } key)
                {
                    keys.Add(key);
                }
            }
        }
        catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
        {
            // Whatever a damaged LiteDB file makes LiteDB throw, the finding is the same: the key store is unusable.
            report.Problem(Where, $"unreadable: {e.Message} (restore it from a backup)");
            return [];
        }

        CheckAdminKeyFile(folder, keys, report);
        CheckAgainstLedger(keys, events, report);
        return keys;
    }

    private static void CheckAgainstLedger(List<ApiKeyRecord> keys, IReadOnlyList<LedgerEntry> events, AuditReport report)
    {
        // Replay: per key, its create event (if any) and the index of its revoke event (if any).
        var created = new Dictionary<string, (ulong Index, ApiKeyEvent Event)>(StringComparer.Ordinal);
        var revoked = new Dictionary<string, ulong>(StringComparer.Ordinal);
        foreach (var entry in events)
        {
            var where = string.Create(CultureInfo.InvariantCulture, $"log entry {entry.Index}");
            ApiKeyEvent e;
            try
            {
                e = ApiKeyEvent.FromEntry(entry);
            }
            catch (FormatException ex)
            {
                report.Problem(where, ex.Message);
                continue;
            }

            if (e.Action == ApiKeyAction.Create && !created.TryAdd(e.KeyId, (entry.Index, e)))
            {
                report.Problem(where, Invariant($"creates API key {e.KeyId} again (entry {created[e.KeyId].Index} created it)"));
            }
            else if (e.Action == ApiKeyAction.Revoke && !revoked.TryAdd(e.KeyId, entry.Index))
            {
                report.Problem(where, Invariant($"revokes API key {e.KeyId} again (entry {revoked[e.KeyId]} revoked it)"));
            }
        }

        var firstEventTime = events.Count > 0 ? events[0].Time : (DateTimeOffset?)null;
        var predating = 0;
        foreach (var key in keys)
        {
            var where = $"{Where} API key {key.Id}";
            if (created.TryGetValue(key.Id, out var c))
            {
                if (key.Role != c.Event.Role)
                {
                    report.Problem(where, Invariant($"role is {Quote(key.Role)}, but its create event (entry {c.Index}) says {Quote(c.Event.Role)}"));
                }

                if (key.Description != c.Event.Description)
                {
                    report.Problem(where, Invariant($"description is {Quote(key.Description)}, but its create event (entry {c.Index}) says {Quote(c.Event.Description!)}"));
                }
            }
            else if (firstEventTime is null || key.Created < firstEventTime)
            {
                predating++;
            }
            else
            {
                report.Problem(where, "has no create event in the ledger, and was made after the ledger's first API key event: it was added to node.db behind the node's back");
            }

            var revokedAt = revoked.TryGetValue(key.Id, out var r) ? r : (ulong?)null;
            if (revokedAt is { } index && key.Revoked is null)
            {
                report.Problem(where, Invariant($"revoked: node.db says valid, but entry {index} revoked it (the key would still work: revoke it again)"));
            }
            else if (revokedAt is null && key.Revoked is { } at && (firstEventTime is null || at >= firstEventTime))
            {
                // A key revoked before the first key event has no revoke event; a later revocation always has one.
                report.Problem(where, "revoked: node.db says revoked, but the ledger has no revoke event for it");
            }
        }

        var stored = keys.Select(k => k.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var (id, c) in created.Where(c => !stored.Contains(c.Key)))
        {
            report.Problem(Where, Invariant($"has no API key {id}, which entry {c.Index} of the ledger created (restore node.db from a backup)"));
        }

        foreach (var (id, index) in revoked.Where(r => !stored.Contains(r.Key)))
        {
            report.Problem(Where, Invariant($"has no API key {id}, which entry {index} of the ledger revoked"));
        }

        if (predating > 0)
        {
            report.Note(Invariant($"node.db: {predating} API key(s) predate key events (made before the ledger's first api-key-event entry); only their record's form is checked"));
        }

        report.Note(Invariant($"node.db: {keys.Count} API key(s) checked against {events.Count} api-key-event entries; secret hashes are checked only for presence (they cannot be derived: the ledger never holds them)"));
    }

    private static string Quote(string text) => "\"" + Core.Text.UntrustedText.Printable(text, 60) + "\"";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static ApiKeyRecord? CheckRecord(BsonDocument doc, AuditReport report)
    {
        if (!doc["_id"].IsString || doc["_id"].AsString is not { Length: 17 } id || id[0] != 'k' || id.AsSpan(1).ContainsAnyExcept(LowerHex))
        {
            report.Problem(Where, $"API key record with id {Printable(doc["_id"])} is malformed (ids are k and 16 lowercase hex digits)");
            return null;
        }

        var where = $"{Where} API key {id}";
        var role = doc["role"];
        if (!role.IsString || !KnownRoles.Contains(role.AsString, StringComparer.Ordinal))
        {
            report.Problem(where, $"has role {Printable(role)}, which is not a role the node knows ({string.Join(", ", KnownRoles)})");
            return null;
        }

        if (!doc["description"].IsString)
        {
            report.Problem(where, "has no description string");
            return null;
        }

        if (!doc["secretSha256"].IsBinary || doc["secretSha256"].AsBinary.Length != Core.Hash.Size)
        {
            report.Problem(where, "has no 32-byte secret hash");
            return null;
        }

        if (!doc["created"].IsInt64 || doc["created"].AsInt64 is < 0 or > 3155378975999999999L)
        {
            report.Problem(where, "has no creation time");
            return null;
        }

        var created = new DateTimeOffset(doc["created"].AsInt64, TimeSpan.Zero);
        DateTimeOffset? revoked = null;
        if (!doc["revoked"].IsNull)
        {
            if (!doc["revoked"].IsInt64 || doc["revoked"].AsInt64 < created.UtcTicks || doc["revoked"].AsInt64 > 3155378975999999999L)
            {
                report.Problem(where, "has a revocation time that is not a time after its creation");
                return null;
            }

            revoked = new DateTimeOffset(doc["revoked"].AsInt64, TimeSpan.Zero);
        }

        return new ApiKeyRecord(id, role.AsString, doc["description"].AsString, new Core.Hash(doc["secretSha256"].AsBinary), created, revoked);
    }

    private static void CheckAdminKeyFile(DataFolder folder, List<ApiKeyRecord> keys, AuditReport report)
    {
        var path = Path.Combine(folder.KeysPath, AdminKeyFile);
        if (!File.Exists(path))
        {
            return;
        }

        var text = File.ReadAllText(path, Encoding.ASCII);
        var dot = text.IndexOf('.', StringComparison.Ordinal);
        var key = dot > 0 ? keys.FirstOrDefault(k => k.Id == text[..dot]) : null;
        if (key is null || !text.EndsWith('\n') || text.Count(c => c == '\n') != 1)
        {
            report.Problem("keys/" + AdminKeyFile, "does not hold the id of a key in node.db, a dot, its secret and one newline");
            return;
        }

        var secret = Encoding.UTF8.GetBytes(text[(dot + 1)..^1]);
        if (!System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(System.Security.Cryptography.SHA256.HashData(secret), key.SecretHash.ToArray()))
        {
            report.Problem("keys/" + AdminKeyFile, $"its secret does not match the secret hash of API key {key.Id} in node.db (one of the two is damaged)");
        }
        else if (key.Revoked is not null)
        {
            report.Note($"keys/{AdminKeyFile} holds the secret of API key {key.Id}, which is revoked; it can be deleted");
        }
    }

    private static string Printable(BsonValue value)
    {
        var text = value.IsString ? value.AsString : value.ToString();
        return text.Length <= 40 && text.All(c => c is >= ' ' and <= '~') ? "\"" + text + "\"" : "(unprintable)";
    }
}
