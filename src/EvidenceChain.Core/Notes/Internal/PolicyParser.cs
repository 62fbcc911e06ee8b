using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace EvidenceChain.Core.Notes.Internal;

/// <summary>
/// Reads and writes the c2sp.org/tlog-policy text for <see cref="WitnessPolicy"/>. Total: reports every problem as a
/// one-line reason that names the line, and never throws for any text.
/// </summary>
internal static class PolicyParser
{
    private sealed class State
    {
        public List<PolicyLog> Logs { get; } = [];

        public List<PolicyWitness> Witnesses { get; } = [];

        public List<PolicyGroup> Groups { get; } = [];

        /// <summary>Every witness and group name, with the line that defined it.</summary>
        public Dictionary<string, int> Names { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, int> WitnessKeys { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, int> LogKeys { get; } = new(StringComparer.Ordinal);

        public string? Quorum { get; set; }

        public int QuorumLine { get; set; }
    }

    public static bool TryParse(string text, [NotNullWhen(true)] out WitnessPolicy? policy, out string error)
    {
        policy = null;
        if (Encoding.UTF8.GetByteCount(text) > WitnessPolicy.MaxBytes)
        {
            error = string.Create(CultureInfo.InvariantCulture, $"the policy is more than {WitnessPolicy.MaxBytes} bytes");
            return false;
        }

        if (text.StartsWith('\uFEFF'))
        {
            error = "line 1: the file starts with a byte order mark (U+FEFF); save it as UTF-8 without one";
            return false;
        }

        var state = new State();
        var lines = text.Split('\n');

        // A final line without its newline is read as if it had one.
        var count = lines.Length > 0 && lines[^1].Length == 0 ? lines.Length - 1 : lines.Length;
        for (var i = 0; i < count; i++)
        {
            var number = i + 1;
            var problem = ReadLine(lines[i], number, state);
            if (problem is not null)
            {
                error = string.Create(CultureInfo.InvariantCulture, $"line {number}: {problem}");
                return false;
            }
        }

        if (state.Quorum is null)
        {
            error = "no quorum line: a policy needs exactly one (\"quorum none\" requires no cosignatures)";
            return false;
        }

        policy = new WitnessPolicy(state.Logs, state.Witnesses, state.Groups, state.Quorum);
        error = string.Empty;
        return true;
    }

    public static void AppendLog(StringBuilder text, PolicyLog log)
    {
        text.Append("log ").Append(log.Key);
        AppendUrl(text, log.Url);
    }

    public static void AppendWitness(StringBuilder text, PolicyWitness witness)
    {
        text.Append("witness ").Append(witness.Name).Append(' ').Append(witness.Key);
        AppendUrl(text, witness.Url);
    }

    public static void AppendGroup(StringBuilder text, PolicyGroup group) =>
        text.Append("group ").Append(group.Name).Append(' ').Append(group.Threshold.ToString(CultureInfo.InvariantCulture))
            .Append(' ').AppendJoin(' ', group.Members).Append('\n');

    private static void AppendUrl(StringBuilder text, Uri? url)
    {
        if (url is not null)
        {
            text.Append(' ').Append(url.OriginalString);
        }

        text.Append('\n');
    }

    /// <returns>The problem with the line, or null when it was read.</returns>
    private static string? ReadLine(string line, int number, State state)
    {
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (c == '\r')
            {
                return "carriage return (CR): lines end with a newline (LF) only; save the file with LF line ends";
            }

            if ((c < 0x20 && c != '\t') || c == 0x7f)
            {
                return string.Create(CultureInfo.InvariantCulture, $"control character U+{(int)c:X4} (only tab and newline are allowed)");
            }
        }

        var items = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (items.Length == 0 || items[0].StartsWith('#'))
        {
            return null;
        }

        return items[0] switch
        {
            "log" => ReadLog(items, number, state),
            "witness" => ReadWitness(items, number, state),
            "group" => ReadGroup(items, number, state),
            "quorum" => ReadQuorum(items, number, state),
            _ => $"unknown keyword \"{Printable(items[0])}\" (expected log, witness, group or quorum; comments start with #)",
        };
    }

    private static string? ReadLog(string[] items, int number, State state)
    {
        if (items.Length is < 2 or > 3)
        {
            return "expected \"log VKEY [URL]\"";
        }

        if (!NoteVerifier.TryParse(items[1], out var key, out var error))
        {
            return $"bad log key \"{Printable(items[1])}\": {error}";
        }

        var fingerprint = Convert.ToHexString(key.PublicKey);
        if (state.LogKeys.TryGetValue(fingerprint, out var first))
        {
            return string.Create(CultureInfo.InvariantCulture, $"duplicate log: the key of {key.Name} is already listed on line {first}");
        }

        if (state.Logs.Count == WitnessPolicy.MaxEntries)
        {
            return string.Create(CultureInfo.InvariantCulture, $"more than {WitnessPolicy.MaxEntries} logs");
        }

        Uri? url = null;
        if (items.Length == 3 && !TryUrl(items[2], out url, out error))
        {
            return error;
        }

        state.LogKeys[fingerprint] = number;
        state.Logs.Add(new PolicyLog(key, url));
        return null;
    }

    private static string? ReadWitness(string[] items, int number, State state)
    {
        if (items.Length is < 3 or > 4)
        {
            return "expected \"witness NAME VKEY [URL]\"";
        }

        var name = items[1];
        if (NameProblem(name, state) is { } problem)
        {
            return problem;
        }

        if (!WitnessKey.TryParse(items[2], out var key, out var error))
        {
            return $"bad key for witness {Printable(name)}: {error}";
        }

        var fingerprint = Convert.ToHexString(key.PublicKey);
        if (state.WitnessKeys.TryGetValue(fingerprint, out var first))
        {
            var other = state.Witnesses.First(w => Convert.ToHexString(w.Key.PublicKey) == fingerprint);
            return string.Create(CultureInfo.InvariantCulture, $"duplicate witness: {Printable(name)} has the same public key as {Printable(other.Name)} (line {first})");
        }

        if (state.Witnesses.Count == WitnessPolicy.MaxEntries)
        {
            return string.Create(CultureInfo.InvariantCulture, $"more than {WitnessPolicy.MaxEntries} witnesses");
        }

        Uri? url = null;
        if (items.Length == 4 && !TryUrl(items[3], out url, out error))
        {
            return error;
        }

        state.WitnessKeys[fingerprint] = number;
        state.Names[name] = number;
        state.Witnesses.Add(new PolicyWitness(name, key, url));
        return null;
    }

    private static string? ReadGroup(string[] items, int number, State state)
    {
        if (items.Length < 4)
        {
            return "expected \"group NAME all|any|K MEMBER...\" with at least one member";
        }

        var name = items[1];
        if (NameProblem(name, state) is { } problem)
        {
            return problem;
        }

        var members = items[3..];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var member in members)
        {
            if (member == WitnessPolicy.NoQuorum)
            {
                return $"group {Printable(name)}: \"none\" cannot be a group member";
            }

            if (!state.Names.ContainsKey(member))
            {
                return $"group {Printable(name)}: unknown member \"{Printable(member)}\" (members must be witnesses or groups defined on earlier lines)";
            }

            if (!seen.Add(member))
            {
                return $"group {Printable(name)}: member \"{Printable(member)}\" is listed twice";
            }
        }

        int threshold;
        switch (items[2])
        {
            case "all":
                threshold = members.Length;
                break;
            case "any":
                threshold = 1;
                break;
            default:
                var k = items[2];
                if (k.Length == 0 || !k.All(char.IsAsciiDigit) || (k.Length > 1 && k[0] == '0'))
                {
                    return $"group {Printable(name)}: the threshold \"{Printable(k)}\" is not all, any or a decimal number";
                }

                if (!int.TryParse(k, NumberStyles.None, CultureInfo.InvariantCulture, out threshold) || threshold > members.Length)
                {
                    return string.Create(CultureInfo.InvariantCulture, $"group {Printable(name)}: k = {Printable(k)} is more than its {members.Length} member(s)");
                }

                if (threshold < 1)
                {
                    return $"group {Printable(name)}: k = 0; k must be at least 1 (\"quorum none\" requires no cosignatures)";
                }

                break;
        }

        if (state.Groups.Count == WitnessPolicy.MaxEntries)
        {
            return string.Create(CultureInfo.InvariantCulture, $"more than {WitnessPolicy.MaxEntries} groups");
        }

        state.Names[name] = number;
        state.Groups.Add(new PolicyGroup(name, threshold, members));
        return null;
    }

    private static string? ReadQuorum(string[] items, int number, State state)
    {
        if (items.Length != 2)
        {
            return "expected \"quorum NAME\"";
        }

        if (state.Quorum is not null)
        {
            return string.Create(CultureInfo.InvariantCulture, $"a second quorum line (the first is line {state.QuorumLine}); a policy has exactly one");
        }

        var name = items[1];
        if (name != WitnessPolicy.NoQuorum && !state.Names.ContainsKey(name))
        {
            return $"unknown quorum \"{Printable(name)}\" (it must be none or a witness or group defined on an earlier line)";
        }

        state.Quorum = name;
        state.QuorumLine = number;
        return null;
    }

    private static string? NameProblem(string name, State state)
    {
        if (name == WitnessPolicy.NoQuorum)
        {
            return "\"none\" is predefined and cannot name a witness or group";
        }

        return state.Names.TryGetValue(name, out var line)
            ? string.Create(CultureInfo.InvariantCulture, $"the name \"{Printable(name)}\" is already defined on line {line}")
            : null;
    }

    private static bool TryUrl(string text, out Uri? url, out string error)
    {
        if (Uri.TryCreate(text, UriKind.Absolute, out url) && (url.Scheme == Uri.UriSchemeHttps || url.Scheme == Uri.UriSchemeHttp)
            && string.IsNullOrEmpty(url.UserInfo))
        {
            error = string.Empty;
            return true;
        }

        url = null;
        error = $"\"{Printable(text)}\" is not an absolute http or https URL (without user name or password)";
        return false;
    }

    /// <summary>Untrusted text for a message: at most 80 characters.</summary>
    private static string Printable(string text) => text.Length <= 80 ? text : text[..77] + "...";
}
