using System.Net;
using System.Text;
using EvidenceChain.Capture.Guard;

namespace EvidenceChain.Capture.Internal;

/// <summary>One host's name resolution as the capture did it: every answer, the guard's verdict on each, and the one used.</summary>
internal sealed class DnsLookup
{
    public required string Host { get; init; }

    public required DateTimeOffset Date { get; init; }

    /// <summary>True when the host was an IP literal: nothing was resolved.</summary>
    public bool Literal { get; init; }

    public IReadOnlyList<AddressVerdict> Answers { get; set; } = [];

    public IPAddress? Used { get; set; }

    public string? Error { get; set; }

    public double Milliseconds { get; set; }

    /// <summary>The <c>dns:</c> resource record's block (text; docs/formats.md describes it).</summary>
    public byte[] ToBlock(string resolver)
    {
        var text = new StringBuilder()
            .Append("host: ").Append(Host).Append('\n')
            .Append("resolver: ").Append(Literal ? "none (IP literal)" : resolver).Append('\n')
            .Append("queried: ").Append(Warc.WarcWriter.FormatDate(Date)).Append('\n');
        if (Error is not null)
        {
            text.Append("error: ").Append(Error).Append('\n');
        }

        foreach (var answer in Answers)
        {
            text.Append("answer: ").Append(answer.Address).Append(' ').Append(answer.Allowed ? "allowed" : "refused").Append(' ').Append(answer.Allowed ? AddressClasses.RuleName(answer.Class) : answer.Rule).Append('\n');
        }

        text.Append("used: ").Append(Used?.ToString() ?? "none").Append('\n');
        return Encoding.UTF8.GetBytes(text.ToString());
    }
}
