using System.Text;
using EvidenceChain.Storage;
using EvidenceChain.Testing.Node;
using EvidenceChain.Testing;
using LiteDB;
using Xunit.Abstractions;

namespace EvidenceChain.Node.IntegrationTests.Damage;

/// <summary><c>evidencectl audit</c>'s checks over a whole node folder: every file is checked or shown harmless.</summary>
[FilesDriverOnly("flips and truncates bytes of the data folder's files")]
public sealed class AuditTests(NodeFolderFixture folder, ITestOutputHelper output) : IClassFixture<NodeFolderFixture>
{
    private static async Task<AuditReport> AuditAsync(string path)
    {
        using var data = DataFolder.Open(path, create: false);
        return await LedgerAuditor.RunAsync(data, pinnedKey: null, maxProblems: 50);
    }

    private static void Flip(string path, int position, int bit = 0)
    {
        var bytes = File.ReadAllBytes(path);
        bytes[position] ^= (byte)(1 << bit);
        File.WriteAllBytes(path, bytes);
    }

    private static string Dump(AuditReport report) => string.Join("\n", report.Problems) + "\nnotes:\n" + string.Join("\n", report.Notes);

    [Fact]
    public async Task Audit_NodeFolder_CleanAndEveryTokenAndKeyChecked()
    {
        var report = await AuditAsync(folder.Pristine);

        Assert.True(report.IsClean, Dump(report));
        Assert.True(report.Timestamps >= 3, $"{report.Timestamps} tokens checked");
        Assert.Equal(4, report.ApiKeys);
    }

    [Fact]
    public async Task Audit_FlippedByteInTimestampRecords_NamesTheRecord()
    {
        using var temp = new TempFolder();
        var data = folder.Copy(temp);
        var records = Path.Combine(data, "log", "timestamps");
        Flip(records, (int)(new FileInfo(records).Length / 2));

        var report = await AuditAsync(data);

        Assert.False(report.IsClean);
        Assert.StartsWith("log/timestamps record ", report.Problems[0].Where, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(5)] // the tree size
    [InlineData(13)] // the offset
    [InlineData(19)] // the length
    [InlineData(22)] // the check bytes
    public async Task Audit_FlippedByteInTimestampIndex_NamesTheIndexOrItsRecord(int position)
    {
        using var temp = new TempFolder();
        var data = folder.Copy(temp);
        Flip(Path.Combine(data, "log", "timestamps.idx"), 24 + position);

        var report = await AuditAsync(data);

        Assert.False(report.IsClean);
        Assert.Contains(report.Problems, p => p.ToString().Contains("timestamps.idx", StringComparison.Ordinal)
            || p.Where.StartsWith("log/timestamps record 1 ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Audit_FlippedByteInTsaKey_NamesTheKeyFile()
    {
        using var temp = new TempFolder();
        var data = folder.Copy(temp);
        var key = Path.Combine(data, "keys", "tsa.key");
        Flip(key, File.ReadAllText(key).IndexOf('\n', StringComparison.Ordinal) + 20);

        var report = await AuditAsync(data);

        Assert.False(report.IsClean);
        Assert.Equal("keys/tsa.key", report.Problems[0].Where);
    }

    [Fact]
    public async Task Audit_TsaSerialSetBehind_NamesTheSerialFile()
    {
        using var temp = new TempFolder();
        var data = folder.Copy(temp);
        await File.WriteAllTextAsync(Path.Combine(data, "keys", "tsa.serial"), "1\n");

        var report = await AuditAsync(data);

        Assert.False(report.IsClean);
        Assert.All(report.Problems, p => Assert.Equal("keys/tsa.serial", p.Where));
        Assert.Contains("serials would repeat", report.Problems[0].What, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Audit_FlippedRoleInNodeDb_NamesTheKey()
    {
        using var temp = new TempFolder();
        var data = folder.Copy(temp);
        var db = Path.Combine(data, "node.db");
        var bytes = await File.ReadAllBytesAsync(db);
        var at = bytes.AsSpan().IndexOf("case-manager"u8);
        Assert.True(at >= 0, "the role is not stored as plain UTF-8");
        Flip(db, at + 4, 1); // case-manager -> case-oanager

        var report = await AuditAsync(data);

        Assert.False(report.IsClean);
        Assert.Equal($"node.db API key {folder.CaseManagerId}", report.Problems[0].Where);
    }

    [Theory]
    [InlineData("role", "role is \"submitter\", but its create event")]
    [InlineData("description", "description is \"other\", but its create event")]
    [InlineData("revoke", "revoked: node.db says revoked, but the ledger has no revoke event")]
    [InlineData("unrevoke", "revoked: node.db says valid, but entry")]
    public async Task Audit_KeyFieldInNodeDbChangedToAnotherValidValue_NamesTheKeyAndField(string change, string message)
    {
        using var temp = new TempFolder();
        var data = folder.Copy(temp);
        var id = change == "unrevoke" ? folder.RevokedId : folder.CaseManagerId;
        using (var db = new LiteDatabase(new ConnectionString { Filename = Path.Combine(data, "node.db"), Connection = ConnectionType.Direct }))
        {
            var keys = db.GetCollection("apikeys");
            var doc = keys.FindById(id);
            switch (change)
            {
                case "role": doc["role"] = "submitter"; break;
                case "description": doc["description"] = "other"; break;
                case "revoke": doc["revoked"] = doc["created"].AsInt64 + 1; break;
                default: doc["revoked"] = BsonValue.Null; break;
            }

            Assert.True(keys.Update(doc));
            db.Checkpoint();
        }

        var report = await AuditAsync(data);

        var problem = Assert.Single(report.Problems);
        Assert.Equal($"node.db API key {id}", problem.Where);
        Assert.StartsWith(message, problem.What, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Audit_KeyAddedToNodeDbWithoutCreateEvent_NamesTheKey()
    {
        using var temp = new TempFolder();
        var data = folder.Copy(temp);
        using (var db = new LiteDatabase(new ConnectionString { Filename = Path.Combine(data, "node.db"), Connection = ConnectionType.Direct }))
        {
            var keys = db.GetCollection("apikeys");
            var doc = keys.FindById(folder.CaseManagerId);
            doc["_id"] = "k00000000000000ff";
            keys.Insert(doc);
            db.Checkpoint();
        }

        var report = await AuditAsync(data);

        var problem = Assert.Single(report.Problems);
        Assert.Equal("node.db API key k00000000000000ff", problem.Where);
        Assert.Contains("has no create event in the ledger", problem.What, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Audit_KeyAndRevocationOlderThanTheFirstKeyEvent_NotedAsPredatingAndClean()
    {
        using var temp = new TempFolder();
        var data = folder.Copy(temp);
        using (var db = new LiteDatabase(new ConnectionString { Filename = Path.Combine(data, "node.db"), Connection = ConnectionType.Direct }))
        {
            var keys = db.GetCollection("apikeys");
            var doc = keys.FindById(folder.CaseManagerId);
            doc["_id"] = "k00000000000000ee";
            doc["created"] = new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc).Ticks;
            doc["revoked"] = new DateTime(2025, 2, 1, 0, 0, 0, DateTimeKind.Utc).Ticks;
            keys.Insert(doc);
            db.Checkpoint();
        }

        var report = await AuditAsync(data);

        Assert.True(report.IsClean, Dump(report));
        Assert.Contains(report.Notes, n => n.StartsWith("node.db: 1 API key(s) predate key events", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Audit_AnyFlippedByteInAnyFile_DetectedOrProvablyHarmless()
    {
        using var temp = new TempFolder();
        var data = folder.Copy(temp);
        var random = new Random(314159);
        var all = Directory.EnumerateFiles(data, "*", SearchOption.AllDirectories)
            .Where(f => Path.GetFileName(f) != "LOCK")
            .Order(StringComparer.Ordinal)
            .ToList();
        var bulk = all.Where(f => Relative(data, f).StartsWith("log/tile/", StringComparison.Ordinal) || Relative(data, f).StartsWith("blobs/", StringComparison.Ordinal)).ToList();
        var files = all.Except(bulk).Concat(bulk.OrderBy(_ => random.Next()).Take(8)).ToList();
        var missed = new List<string>();
        var flips = 0;
        foreach (var file in files)
        {
            var relative = Relative(data, file);
            var original = await File.ReadAllBytesAsync(file);
            var positions = Enumerable.Range(0, 8).Select(_ => random.Next(original.Length)).Append(0).Append(original.Length - 1);
            foreach (var position in positions.Distinct())
            {
                var flipped = (byte[])original.Clone();
                flipped[position] ^= (byte)(1 << random.Next(8));
                await File.WriteAllBytesAsync(file, flipped);
                var report = await AuditAsync(data);
                flips++;
                if (report.IsClean && !Harmless(relative, flipped, original, report))
                {
                    missed.Add($"{relative} byte {position}");
                }

                await File.WriteAllBytesAsync(file, original);
            }
        }

        output.WriteLine($"{flips} flips in {files.Count} files: {string.Join(", ", files.Select(f => Relative(data, f)))}");
        Assert.True((await AuditAsync(data)).IsClean);
        Assert.Empty(missed);
    }

    // What a clean audit after a flip may leave unreported, and why.
    private static bool Harmless(string relative, byte[] flipped, byte[] original, AuditReport report) => relative switch
    {
        // Derived LiteDB files: index.db's whole content is compared with the ledger, so a flip the audit does not
        // report (free space, page slack) changed nothing a look-up returns; cases.db and search.db are listed as not compared.
        "index.db" => true,
        "cases.db" => report.Notes.Any(n => n.StartsWith("cases.db ", StringComparison.Ordinal)),
        "search.db" => report.Notes.Any(n => n.StartsWith("search.db ", StringComparison.Ordinal)),
        "jobs.db" => report.Notes.Any(n => n.StartsWith("jobs.db ", StringComparison.Ordinal)), // the jobs' state, listed as not compared

        // node.db: every field of every key is read and checked except the secret hashes, which nothing else
        // derives (LiteDB keeps no checksums, so flips in free space are not seen either).
        "node.db" => true,

        // A serial block further ahead only skips serial numbers.
        "keys/tsa.serial" => ulong.Parse(Encoding.ASCII.GetString(flipped).TrimEnd('\n'), System.Globalization.CultureInfo.InvariantCulture)
            > ulong.Parse(Encoding.ASCII.GetString(original).TrimEnd('\n'), System.Globalization.CultureInfo.InvariantCulture),
        _ => false,
    };

    private static string Relative(string root, string path) => Path.GetRelativePath(root, path).Replace('\\', '/');
}
