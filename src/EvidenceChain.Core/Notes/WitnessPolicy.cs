using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using EvidenceChain.Core.Notes.Internal;

namespace EvidenceChain.Core.Notes;

/// <summary>
/// A witness policy in the C2SP tlog-policy syntax (c2sp.org/tlog-policy, docs/formats.md §6c): the logs it accepts,
/// the witnesses it knows, and the quorum, the rule that says which sets of witnesses' cosignatures make a checkpoint
/// trustworthy. The usual k-of-n policy is one group of n witnesses with threshold k, named by the quorum line.
/// </summary>
/// <remarks>
/// <para>
/// Immutable and thread-safe. Every instance is valid: names are unique, every group and the quorum refer only to
/// names defined before them, 1 &lt;= k &lt;= n in every group, no member twice, no two witnesses (or logs) with the
/// same public key. <see cref="ToString"/> gives the canonical text, which <see cref="Parse(string)"/> reads back to
/// an equal policy (the same canonical text).
/// </para>
/// <para>Parsing is strict: every malformed line is refused with a one-line reason naming the line.</para>
/// </remarks>
public sealed class WitnessPolicy
{
    /// <summary>The predefined quorum name that requires no cosignature at all.</summary>
    public const string NoQuorum = "none";

    /// <summary>The largest policy text accepted, in UTF-8 bytes (64 KiB).</summary>
    public const int MaxBytes = 64 * 1024;

    /// <summary>The most logs, witnesses and groups each (tlog-policy asks implementations to support at least 32).</summary>
    public const int MaxEntries = 100;

    private readonly Dictionary<string, PolicyGroup> _groups;

    internal WitnessPolicy(IReadOnlyList<PolicyLog> logs, IReadOnlyList<PolicyWitness> witnesses, IReadOnlyList<PolicyGroup> groups, string quorum)
    {
        Logs = logs;
        Witnesses = witnesses;
        Groups = groups;
        Quorum = quorum;
        _groups = groups.ToDictionary(g => g.Name, StringComparer.Ordinal);
    }

    /// <summary>The logs the policy accepts, in file order; empty when the log is known from elsewhere (a pinned key).</summary>
    public IReadOnlyList<PolicyLog> Logs { get; }

    /// <summary>The witnesses the policy lists, in file order.</summary>
    public IReadOnlyList<PolicyWitness> Witnesses { get; }

    /// <summary>The groups, in file order (each refers only to witnesses and groups before it).</summary>
    public IReadOnlyList<PolicyGroup> Groups { get; }

    /// <summary>The quorum: the name of a witness or group, or <see cref="NoQuorum"/>.</summary>
    public string Quorum { get; }

    /// <summary>False for <c>quorum none</c>: the policy then accepts a checkpoint without any cosignature.</summary>
    public bool RequiresCosignatures => Quorum != NoQuorum;

    /// <summary>Parses a policy file's text.</summary>
    /// <exception cref="FormatException">The text is not a valid policy; the message names the line and the problem.</exception>
    public static WitnessPolicy Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParse(text, out var policy, out var error) ? policy : throw new FormatException(error);
    }

    /// <summary>Parses a policy file's bytes, which must be UTF-8.</summary>
    /// <exception cref="FormatException">The bytes are not UTF-8 or not a valid policy; the message says why.</exception>
    public static WitnessPolicy Parse(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > MaxBytes)
        {
            throw new FormatException(string.Create(CultureInfo.InvariantCulture, $"the policy is {utf8.Length} bytes; at most {MaxBytes} are read"));
        }

        string text;
        try
        {
            text = new UTF8Encoding(false, true).GetString(utf8);
        }
        catch (DecoderFallbackException e)
        {
            throw new FormatException(string.Create(CultureInfo.InvariantCulture, $"the policy is not UTF-8 (at byte {e.Index})"));
        }

        return Parse(text);
    }

    /// <summary>Parses a policy as <see cref="Parse(string)"/> does, or returns false and the one-line reason.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, [NotNullWhen(true)] out WitnessPolicy? policy, out string error)
    {
        policy = null;
        if (text is null)
        {
            error = "no policy text";
            return false;
        }

        return PolicyParser.TryParse(text, out policy, out error);
    }

    /// <summary>
    /// The k-of-n policy: <paramref name="witnesses"/> in one group named <c>witnesses</c> with threshold
    /// <paramref name="threshold"/>, which is the quorum; the logs are listed when given.
    /// </summary>
    /// <exception cref="ArgumentException">
    /// No witnesses; a witness name that is invalid, <c>none</c> or <c>witnesses</c>, or given twice; two witnesses
    /// (or logs) with the same key; more than <see cref="MaxEntries"/>.
    /// </exception>
    /// <exception cref="ArgumentOutOfRangeException">The threshold is below 1 or above the number of witnesses.</exception>
    public static WitnessPolicy FromThreshold(int threshold, IEnumerable<PolicyWitness> witnesses, IEnumerable<PolicyLog>? logs = null)
    {
        ArgumentNullException.ThrowIfNull(witnesses);
        var list = witnesses.ToList();
        if (list.Count == 0)
        {
            throw new ArgumentException("A k-of-n policy needs at least one witness.", nameof(witnesses));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(threshold, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(threshold, list.Count);
        const string Group = "witnesses";
        var text = new StringBuilder();
        foreach (var log in logs ?? [])
        {
            PolicyParser.AppendLog(text, log);
        }

        foreach (var witness in list)
        {
            if (witness is null || witness.Name == Group)
            {
                throw new ArgumentException($"A witness of a k-of-n policy may not be null or named \"{Group}\".", nameof(witnesses));
            }

            PolicyParser.AppendWitness(text, witness);
        }

        PolicyParser.AppendGroup(text, new PolicyGroup(Group, threshold, [.. list.Select(w => w.Name)]));
        text.Append("quorum ").Append(Group).Append('\n');
        return PolicyParser.TryParse(text.ToString(), out var policy, out var error)
            ? policy
            : throw new ArgumentException($"The witnesses do not make a valid policy: {error}", nameof(witnesses));
    }

    /// <summary>
    /// True when the witnesses named in <paramref name="witnessed"/> (policy names of witnesses whose cosignature
    /// verified) meet the quorum. Always true for <c>quorum none</c>; names the policy does not list count for nothing.
    /// </summary>
    public bool IsMetBy(IReadOnlySet<string> witnessed)
    {
        ArgumentNullException.ThrowIfNull(witnessed);
        return !RequiresCosignatures || Witnessed(Quorum, witnessed);
    }

    /// <summary>
    /// Whether the group or witness <paramref name="name"/> witnessed, given the witnesses that did (as
    /// <see cref="IsMetBy"/>); false for a name the policy does not define.
    /// </summary>
    public bool Witnessed(string name, IReadOnlySet<string> witnessed)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(witnessed);

        // Groups refer only to names before them, so one pass in file order decides every group, each once (a group
        // may be a member of several others: evaluating recursively could take exponential time).
        var yes = new HashSet<string>(Witnesses.Where(w => witnessed.Contains(w.Name)).Select(w => w.Name), StringComparer.Ordinal);
        foreach (var group in Groups)
        {
            if (group.Members.Count(yes.Contains) >= group.Threshold)
            {
                yes.Add(group.Name);
            }
        }

        return yes.Contains(name);
    }

    /// <summary>
    /// The quorum in words: <c>none</c>, a witness's name, or <c>k of a, b, c</c> with a nested group spelled out
    /// after its name the first time, for example <c>all of X (2 of X1, X2, X3), Y (1 of Y1, Y2)</c>.
    /// </summary>
    public string DescribeQuorum() => Describe(Quorum, top: true);

    /// <summary>The group named <paramref name="name"/>, or null.</summary>
    public PolicyGroup? FindGroup(string name) => _groups.GetValueOrDefault(name);

    /// <summary>The canonical policy text: log, witness and group lines in order, then the quorum line, each ending in a newline.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        foreach (var log in Logs)
        {
            PolicyParser.AppendLog(text, log);
        }

        foreach (var witness in Witnesses)
        {
            PolicyParser.AppendWitness(text, witness);
        }

        foreach (var group in Groups)
        {
            PolicyParser.AppendGroup(text, group);
        }

        return text.Append("quorum ").Append(Quorum).Append('\n').ToString();
    }

    private string Describe(string name, bool top, HashSet<string>? expanded = null)
    {
        if (!_groups.TryGetValue(name, out var group))
        {
            return name;
        }

        // Each group is spelled out once; a group that is a member of several others is then named only.
        expanded ??= new HashSet<string>(StringComparer.Ordinal);
        if (!expanded.Add(name))
        {
            return name;
        }

        var k = group.Threshold == group.Members.Count && group.Members.Count > 1 ? "all" : group.Threshold.ToString(CultureInfo.InvariantCulture);
        var inner = $"{k} of {string.Join(", ", group.Members.Select(m => Describe(m, top: false, expanded)))}";
        return top ? inner : $"{name} ({inner})";
    }
}
