using EvidenceChain.Testing;

namespace EvidenceChain.Storage.Tests;

public sealed class SecretFileTests : IDisposable
{
    private readonly TempFolder _temp = new();

    [Fact]
    public void Write_NewFile_HoldsTheTextAtMode0600()
    {
        var path = Path.Combine(_temp.Path, "admin.apikey");

        SecretFile.Write(path, "k1.secret\n");

        Assert.Equal("k1.secret\n", File.ReadAllText(path));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }

        Assert.Equal([path], Directory.GetFiles(_temp.Path)); // no temporary file left behind
    }

    [Fact]
    public void Write_Existing_RefusesAndKeepsIt()
    {
        var path = Path.Combine(_temp.Path, "log.key");
        File.WriteAllText(path, "old");

        var e = Assert.Throws<IOException>(() => SecretFile.Write(path, "new"));

        Assert.Contains("already exists", e.Message, StringComparison.Ordinal);
        Assert.Equal("old", File.ReadAllText(path));
        Assert.Single(Directory.GetFiles(_temp.Path));
    }

    [Fact]
    public void Write_OverwriteAWiderFile_ReplacesItAt0600()
    {
        var path = Path.Combine(_temp.Path, "admin.apikey");
        File.WriteAllText(path, "old");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        }

        SecretFile.Write(path, "new", overwrite: true);

        Assert.Equal("new", File.ReadAllText(path));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }
    }

    public void Dispose() => _temp.Dispose();
}
