namespace EvidenceChain.Architecture.Tests;

/// <summary>The I/O rules of DESIGN.md §1 and STYLE.md §1, as types and members.</summary>
internal static class IoRules
{
    /// <summary>Any network: sockets, HTTP, DNS, TLS streams, web sockets, mail, QUIC.</summary>
    public static readonly IoRule NoNetwork = new(
        "no network",
        namespaces: ["System.Net"],
        types: [],
        members: []);

    /// <summary>
    /// Core and Verifier take bytes and streams and give back results: no files, network, processes, console,
    /// environment, current directory or registry. (Streams handed in are fine; opening one by path is not.)
    /// </summary>
    public static readonly IoRule NoIo = new(
        "no files, sockets, processes, console or environment",
        namespaces: ["System.Net", "System.IO.Pipes", "System.IO.MemoryMappedFiles", "System.IO.IsolatedStorage", "Microsoft.Win32"],
        types:
        [
            "System.IO.File", "System.IO.Directory", "System.IO.FileStream", "System.IO.FileInfo", "System.IO.DirectoryInfo",
            "System.IO.FileSystemInfo", "System.IO.DriveInfo", "System.IO.FileSystemWatcher", "System.IO.RandomAccess",
            "System.IO.Compression.ZipFile", "System.IO.Compression.ZipFileExtensions",
            "System.Diagnostics.Process", "System.Diagnostics.ProcessStartInfo", "System.Console",
        ],
        members:
        [
            "System.Environment::GetEnvironmentVariable", "System.Environment::GetEnvironmentVariables",
            "System.Environment::SetEnvironmentVariable", "System.Environment::ExpandEnvironmentVariables",
            "System.Environment::GetCommandLineArgs", "System.Environment::get_CommandLine",
            "System.Environment::get_CurrentDirectory", "System.Environment::set_CurrentDirectory",
            "System.Environment::GetFolderPath", "System.Environment::Exit",
            "System.IO.Path::GetTempPath", "System.IO.Path::GetTempFileName", "System.IO.Path::GetFullPath",
            "System.IO.StreamReader::.ctor(System.String", "System.IO.StreamWriter::.ctor(System.String",
        ]);
}
