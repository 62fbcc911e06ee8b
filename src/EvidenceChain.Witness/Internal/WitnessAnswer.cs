namespace EvidenceChain.Witness.Internal;

/// <summary>An answer to <c>POST /add-checkpoint</c>: the HTTP status, content type and body the protocol asks for.</summary>
/// <param name="Status">200, or the error status of c2sp.org/tlog-witness.</param>
/// <param name="ContentType">The body's media type.</param>
/// <param name="Body">The cosignature line(s), the current size (409) or a one-line reason.</param>
internal sealed record WitnessAnswer(int Status, string ContentType, string Body)
{
    public const string SizeContentType = "text/x.tlog.size";

    private const string Text = "text/plain; charset=utf-8";

    public static WitnessAnswer Cosigned(string lines) => new(200, Text, lines);

    public static WitnessAnswer Error(int status, string reason) => new(status, Text, reason + "\n");

    public static WitnessAnswer Conflict(ulong size) =>
        new(409, SizeContentType, size.ToString(System.Globalization.CultureInfo.InvariantCulture) + "\n");
}
