using System.Globalization;
using EvidenceChain.Core;

namespace EvidenceChain.Cli;

/// <summary>
/// Parsed command-line arguments: <c>--name value</c> or <c>--name=value</c> options (repeatable), flags, and
/// positional values. Every accessor that finds a malformed value throws <see cref="UsageException"/> naming the
/// option, so each command reads as a list of what it needs.
/// </summary>
internal sealed class Arguments
{
    // The only short option: -o FILE, as in curl and cc.
    private static readonly Dictionary<string, string> ShortNames = new(StringComparer.Ordinal) { ["-o"] = "output" };
    private readonly Dictionary<string, List<string>> _options = new(StringComparer.Ordinal);
    private readonly HashSet<string> _flags = new(StringComparer.Ordinal);
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);

    private Arguments(List<string> positional) => Positional = positional;

    public List<string> Positional { get; }

    /// <summary>Parses <paramref name="args"/>; <paramref name="flags"/> names the options that take no value.</summary>
    public static Arguments Parse(IEnumerable<string> args, params string[] flags)
    {
        var positional = new List<string>();
        var parsed = new Arguments(positional);
        using var e = args.GetEnumerator();
        var onlyPositional = false;
        while (e.MoveNext())
        {
            var arg = e.Current;
            if (!onlyPositional && ShortNames.TryGetValue(arg, out var longName))
            {
                arg = "--" + longName;
            }

            if (onlyPositional || !arg.StartsWith("--", StringComparison.Ordinal) || arg == "-")
            {
                positional.Add(arg);
                continue;
            }

            if (arg == "--")
            {
                onlyPositional = true;
                continue;
            }

            var name = arg[2..];
            string? value = null;
            var eq = name.IndexOf('=', StringComparison.Ordinal);
            if (eq >= 0)
            {
                value = name[(eq + 1)..];
                name = name[..eq];
            }

            if (flags.Contains(name))
            {
                if (value is not null)
                {
                    throw new UsageException($"--{name} takes no value");
                }

                parsed._flags.Add(name);
                continue;
            }

            if (value is null)
            {
                if (!e.MoveNext())
                {
                    throw new UsageException($"--{name} needs a value");
                }

                value = e.Current;
            }

            if (!parsed._options.TryGetValue(name, out var list))
            {
                parsed._options[name] = list = [];
            }

            list.Add(value);
        }

        return parsed;
    }

    public bool Flag(string name)
    {
        _used.Add(name);
        return _flags.Contains(name);
    }

    public string? Optional(string name)
    {
        _used.Add(name);
        if (!_options.TryGetValue(name, out var values))
        {
            return null;
        }

        if (values.Count > 1)
        {
            throw new UsageException($"--{name} is given {values.Count} times; give it once");
        }

        return values[0];
    }

    public string Required(string name) => Optional(name) ?? throw new UsageException($"--{name} is required");

    public IReadOnlyList<string> All(string name)
    {
        _used.Add(name);
        return _options.TryGetValue(name, out var values) ? values : [];
    }

    public ulong RequiredUInt64(string name)
    {
        var text = Required(name);
        return ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new UsageException($"--{name} must be a whole number from 0 to {ulong.MaxValue}; got \"{text}\"");
    }

    /// <summary>Parses a positional whole number such as an entry index; <paramref name="what"/> names it in errors.</summary>
    public static ulong ParseUInt64(string what, string text) =>
        ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new UsageException($"{what} must be a whole number from 0 to {ulong.MaxValue}; got \"{Shorten(text)}\"");

    public Hash RequiredHash(string name) => ParseHash(name, Required(name));

    /// <summary>A comma-separated list of hashes; absent or empty means an empty list.</summary>
    public Hash[] HashList(string name)
    {
        var text = Optional(name);
        if (string.IsNullOrEmpty(text))
        {
            return [];
        }

        return [.. text.Split(',').Select((h, i) => ParseHash($"{name} element {i + 1}", h.Trim()))];
    }

    public static Hash ParseHash(string name, string text) =>
        Hash.TryParse(text, out var hash) && text.Length == 64
            ? hash
            : throw new UsageException($"--{name} must be a hash as 64 hex digits; got \"{Shorten(text)}\"");

    /// <summary>Refuses options the command did not ask for, and extra positional arguments.</summary>
    public void EnsureAllUsed(int maxPositional)
    {
        var unknown = _options.Keys.Concat(_flags).FirstOrDefault(k => !_used.Contains(k));
        if (unknown is not null)
        {
            throw new UsageException($"unknown option --{unknown}");
        }

        if (Positional.Count > maxPositional)
        {
            throw new UsageException($"unexpected argument \"{Shorten(Positional[maxPositional])}\"");
        }
    }

    private static string Shorten(string text) => text.Length > 80 ? text[..77] + "..." : text;
}
