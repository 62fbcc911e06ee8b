using System.Globalization;
using System.Text;

/// <summary>
/// CPU time of this process and of every process it started (the browsers and their children), by kind, from /proc:
/// one reading before a row and one after, no sampling in between. A process that ended in between is counted in its
/// parent's "children" figure once the parent has reaped it (Chromium's zygote reaps the renderers, this process the
/// browsers it stopped); what is reaped by init (the children of a killed browser) is not counted. Linux only.
/// </summary>
static class ProcessCpu
{
    private const double TickMs = 1000.0 / 100; // USER_HZ, 100 on Linux

    public static bool Available => File.Exists("/proc/self/stat");

    /// <summary>A reading: per process (pid, start time) its kind, own ticks and reaped children's ticks.</summary>
    public static Dictionary<(int Pid, long Start), (string Kind, long Own, long Children)> Read()
    {
        var self = Environment.ProcessId;
        var stats = new Dictionary<int, (int Parent, long Start, long Own, long Children)>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), out var pid) && Stat(dir + "/stat") is { } stat)
            {
                stats[pid] = stat;
            }
        }

        var result = new Dictionary<(int, long), (string, long, long)>();
        foreach (var (pid, stat) in stats)
        {
            if (pid == self)
            {
                result[(pid, stat.Start)] = ("node (.NET: capture, WARC, DevTools client; and the fixture site)", stat.Own, stat.Children);
            }
            else if (Descends(pid, self, stats) && Kind(pid) is { } kind)
            {
                result[(pid, stat.Start)] = (kind, stat.Own, stat.Children);
            }
        }

        return result;
    }

    /// <summary>CPU milliseconds per kind between two readings.</summary>
    public static Dictionary<string, double> Between(
        Dictionary<(int Pid, long Start), (string Kind, long Own, long Children)> before,
        Dictionary<(int Pid, long Start), (string Kind, long Own, long Children)> after)
    {
        var result = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (key, now) in after)
        {
            var then = before.TryGetValue(key, out var b) ? b : (now.Kind, 0, 0);
            Add(now.Kind, now.Own - then.Own);
            Add(now.Kind switch
            {
                "chromium: zygote" => "chromium: renderer (ended, reaped by the zygote)",
                var k when k.StartsWith("node", StringComparison.Ordinal) => "chromium: browsers stopped (reaped by the node)",
                var k => "ended children of " + k,
            }, now.Children - then.Children);
        }

        return result;

        void Add(string kind, long ticks)
        {
            if (ticks > 0)
            {
                result[kind] = result.GetValueOrDefault(kind) + ticks * TickMs;
            }
        }
    }

    /// <summary>Processes of a kind started between two readings and still running at the second.</summary>
    public static int Started(
        Dictionary<(int Pid, long Start), (string Kind, long Own, long Children)> before,
        Dictionary<(int Pid, long Start), (string Kind, long Own, long Children)> after, string kind) =>
        after.Count(a => a.Value.Kind == kind && !before.ContainsKey(a.Key));

    private static (int Parent, long Start, long Own, long Children)? Stat(string path)
    {
        try
        {
            var stat = File.ReadAllText(path);
            // after "pid (comm) ": state ppid ... utime stime cutime cstime (indexes 11-14) ... starttime (19)
            var f = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (int.Parse(f[1], CultureInfo.InvariantCulture), long.Parse(f[19], CultureInfo.InvariantCulture),
                long.Parse(f[11], CultureInfo.InvariantCulture) + long.Parse(f[12], CultureInfo.InvariantCulture),
                long.Parse(f[13], CultureInfo.InvariantCulture) + long.Parse(f[14], CultureInfo.InvariantCulture));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null; // gone meanwhile
        }
    }

    private static bool Descends(int pid, int ancestor, Dictionary<int, (int Parent, long Start, long Own, long Children)> stats)
    {
        for (var hops = 0; hops < 10 && stats.TryGetValue(pid, out var stat); hops++)
        {
            if (stat.Parent == ancestor)
            {
                return true;
            }

            pid = stat.Parent;
        }

        return false;
    }

    private static string? Kind(int pid)
    {
        string[] args;
        try
        {
            // Chromium rewrites its children's command line as one string with spaces (setproctitle)
            args = Encoding.UTF8.GetString(File.ReadAllBytes($"/proc/{pid}/cmdline")).Split(['\0', ' ']);
        }
        catch (IOException)
        {
            return null;
        }

        var type = args.FirstOrDefault(a => a.StartsWith("--type=", StringComparison.Ordinal))?["--type=".Length..];
        var sub = args.FirstOrDefault(a => a.StartsWith("--utility-sub-type=", StringComparison.Ordinal))?["--utility-sub-type=".Length..];
        return type switch
        {
            null when args[0].Length == 0 => "ending",
            null => args[0].Contains("chrom", StringComparison.Ordinal) ? "chromium: browser process" : "other: " + Path.GetFileName(args[0]),
            "renderer" => "chromium: renderer",
            "gpu-process" => "chromium: gpu/viz",
            "zygote" => "chromium: zygote",
            "utility" => "chromium: utility " + (sub ?? "?"),
            _ => "chromium: " + type,
        };
    }
}
