using System.Diagnostics;
using System.Text.RegularExpressions;

namespace EvidenceChain.Storage.Contract.Tests.Processes;

/// <summary>The built node (evidencechain-node.dll) run as a child process, as a user runs it: settings on the command line.</summary>
public sealed partial class NodeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly TaskCompletionSource<Uri> _http = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<string> _output = [];

    private NodeProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => Line(e.Data);
        process.ErrorDataReceived += (_, e) => Line(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.EnableRaisingEvents = true;
        process.Exited += (_, _) =>
        {
            process.WaitForExit(); // the output read to its end
            _http.TrySetException(new InvalidOperationException($"The node exited ({process.ExitCode}):\n{Output}"));
        };
    }

    /// <summary>The node's HTTP address (JSON API and tiles).</summary>
    public Uri Http => _http.Task.Result;

    /// <summary>Everything the node wrote so far.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return string.Join('\n', _output);
            }
        }
    }

    /// <summary>Starts the node with <paramref name="data"/> as its data folder and the postgres log given, and waits until it listens.</summary>
    public static async Task<NodeProcess> StartAsync(string data, string connectionString, string schema)
    {
        var start = new ProcessStartInfo("dotnet", [
            NodeAssembly(), $"--Data={data}", "--Grpc=http://127.0.0.1:0", "--Http=http://127.0.0.1:0", "--Origin=failover.test/log",
            "--Storage:Driver=postgres", $"--Storage:PostgresSchema={schema}", "--Logging:LogLevel:Default=Information",
        ])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };

        // The connection string (a password, in a real deployment) goes by environment, never on a command line.
        start.Environment["Storage__Postgres"] = connectionString;
        var node = new NodeProcess(Process.Start(start)!);
        await node._http.Task.WaitAsync(TimeSpan.FromSeconds(60));
        return node;
    }

    /// <summary>Waits until the node wrote a line containing <paramref name="text"/>.</summary>
    public async Task WaitForOutputAsync(string text, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (!Output.Contains(text, StringComparison.Ordinal))
        {
            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"The node did not write \"{text}\" within {timeout}:\n{Output}");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>SIGKILL: the process dies at once, no cleanup.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            Kill();
        }

        _process.Dispose();
        return ValueTask.CompletedTask;
    }

    private static string NodeAssembly()
    {
        // bin/<Configuration>/<TargetFramework>/ of this project, mirrored under src/EvidenceChain.Node (built through the project reference).
        var tfm = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = tfm.Parent!;
        var root = configuration.Parent!.Parent!.Parent!.Parent!;
        var path = Path.Combine(root.FullName, "src", "EvidenceChain.Node", "bin", configuration.Name, tfm.Name, "evidencechain-node.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException($"The node is not built at {path}.");
    }

    private void Line(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.Add(line);
        }

        if (ListeningLine().Match(line) is { Success: true } m)
        {
            _http.TrySetResult(new Uri(m.Groups[1].Value));
        }
    }

    [GeneratedRegex(@"HTTP/JSON and tiles on (http://\S+)")]
    private static partial Regex ListeningLine();
}
