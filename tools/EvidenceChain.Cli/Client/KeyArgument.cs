namespace EvidenceChain.Cli.Client;

/// <summary>
/// The value of an option that takes a key (<c>--key</c>, <c>--log-key</c>, <c>--api-key</c>): a file path or the key
/// itself. When the text names an existing file, the key is the file's content, trimmed; otherwise it is the text.
/// </summary>
internal static class KeyArgument
{
    private const int MaxKeyFileBytes = 64 << 10;

    /// <summary>The key that <paramref name="text"/> gives; <paramref name="option"/> names it in errors.</summary>
    /// <exception cref="UsageException">The file is too large for a key or cannot be read.</exception>
    public static string Read(string option, string text)
    {
        if (!File.Exists(text))
        {
            return text;
        }

        try
        {
            var length = new FileInfo(text).Length;
            return length > MaxKeyFileBytes
                ? throw new UsageException($"{option} {text} is {length} bytes; a key file holds one short line")
                : File.ReadAllText(text).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"{option} {text} cannot be read: {e.Message}");
        }
    }
}
