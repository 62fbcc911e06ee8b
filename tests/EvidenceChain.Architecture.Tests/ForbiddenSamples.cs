using System.Diagnostics;
using System.IO.Compression;
using System.IO.MemoryMappedFiles;
using System.IO.Pipes;
using System.Net.Sockets;

namespace EvidenceChain.Architecture.Tests;

/// <summary>
/// Never run: one use of each thing <see cref="IoRules"/> forbids, so that <see cref="ConventionTests"/> can show that the
/// checker finds each of them in this very assembly (a rule that cannot fail would guard nothing).
/// </summary>
internal static class ForbiddenSamples
{
    public static async Task UseEverythingAsync(string path, Stream stream)
    {
        _ = File.ReadAllBytes(path);
        _ = Directory.Exists(path);
        await using (var file = new FileStream(path, FileMode.Open))
        {
            await file.CopyToAsync(stream);
        }

        _ = new FileInfo(path).Length;
        _ = new DirectoryInfo(path).Exists;
        _ = DriveInfo.GetDrives();
        using (var watcher = new FileSystemWatcher(path))
        {
            watcher.EnableRaisingEvents = true;
        }

        using (var handle = File.OpenHandle(path))
        {
            _ = RandomAccess.GetLength(handle);
        }

        using (var zip = ZipFile.OpenRead(path))
        {
            zip.Entries[0].ExtractToFile(path);
        }

        using (var process = Process.Start(new ProcessStartInfo(path)))
        {
            await process!.WaitForExitAsync();
        }

        Console.WriteLine(path);
        _ = Environment.GetEnvironmentVariable(path);
        _ = Environment.GetEnvironmentVariables();
        Environment.SetEnvironmentVariable(path, path);
        _ = Environment.ExpandEnvironmentVariables(path);
        _ = Environment.GetCommandLineArgs();
        _ = Environment.CommandLine;
        Environment.CurrentDirectory = Environment.CurrentDirectory;
        _ = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        _ = Path.GetTempPath();
        _ = Path.GetTempFileName();
        _ = Path.GetFullPath(path);
        using (var reader = new StreamReader(path))
        {
            _ = await reader.ReadToEndAsync();
        }

        await using (var writer = new StreamWriter(path))
        {
            await writer.WriteAsync(path);
        }

        using (var client = new HttpClient())
        {
            _ = await client.GetAsync(new Uri(path));
        }

        using (var socket = new Socket(SocketType.Stream, ProtocolType.Tcp))
        {
            socket.Close();
        }

        await using (var pipe = new NamedPipeClientStream(path))
        {
            await pipe.ConnectAsync();
        }

        using (var mapped = MemoryMappedFile.CreateFromFile(path))
        {
            mapped.Dispose();
        }

        _ = System.IO.IsolatedStorage.IsolatedStorageFile.GetUserStoreForAssembly();
        if (OperatingSystem.IsWindows())
        {
            using var key = Microsoft.Win32.Registry.CurrentUser.OpenSubKey(path);
        }

        Environment.Exit(1);
    }

    /// <summary>Reads the same bytes without touching the machine: what Core and Verifier may do.</summary>
    public static async Task<int> UseOnlyWhatIsHandedInAsync(Stream stream)
    {
        using var reader = new StreamReader(stream);
        var text = await reader.ReadToEndAsync();
        return text.Length + Environment.NewLine.Length + Path.GetFileName(text).Length;
    }
}
