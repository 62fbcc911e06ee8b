using System.CommandLine;
using System.Globalization;
using EvidenceChain.Core;

namespace EvidenceChain.Cli;

/// <summary>
/// What System.CommandLine parsed for one command, read by option name: <c>Optional("title")</c> is the value of
/// <c>--title</c>. The accessors that convert a value throw <see cref="UsageException"/> naming the option, so each
/// command reads as a list of what it needs. System.CommandLine has already refused unknown options and extra
/// arguments.
/// </summary>
internal sealed class Arguments
{
    private readonly ParseResult _result;

    public Arguments(ParseResult result)
    {
        _result = result;
        Positional = [.. result.CommandResult.Command.Arguments
            .SelectMany(argument => result.GetResult(argument)?.Tokens.Select(t => t.Value) ?? [])];
    }

    /// <summary>The command's arguments (not options), in order.</summary>
    public List<string> Positional { get; }

    public bool Flag(string name) => _result.GetValue<bool>("--" + name);

    public string? Optional(string name) => _result.GetValue<string>("--" + name);

    public string Required(string name) => Optional(name) ?? throw new UsageException($"--{name} is required");

    /// <summary>Every value of a repeatable option, in order.</summary>
    public IReadOnlyList<string> All(string name) => _result.GetValue<string[]>("--" + name) ?? [];

    public ulong RequiredUInt64(string name) => ParseUInt64("--" + name, Required(name), range: true);

    /// <summary>Parses a whole number such as an entry index; <paramref name="what"/> names it in errors.</summary>
    public static ulong ParseUInt64(string what, string text) => ParseUInt64(what, text, range: false);

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

    private static ulong ParseUInt64(string what, string text, bool range) =>
        ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new UsageException(range || text.All(char.IsAsciiDigit)
                ? $"{what} must be a whole number from 0 to {ulong.MaxValue}; got \"{Shorten(text)}\""
                : $"{what} must be a whole number, got \"{Shorten(text)}\"");

    private static string Shorten(string text) => text.Length > 80 ? text[..77] + "..." : text;
}
