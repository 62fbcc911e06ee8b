using System.Net;

namespace EvidenceChain.Node.Internal;

/// <summary>Parses a listen URL such as <c>http://127.0.0.1:5080</c> into the endpoint Kestrel binds.</summary>
internal static class ListenAddress
{
    /// <exception cref="ArgumentException">Not an http URL with an IP address or localhost and a port.</exception>
    public static IPEndPoint Parse(string url, string setting)
    {
        // The port must be written out: "http://127.0.0.1" would silently mean 80.
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttp || uri.AbsolutePath != "/"
            || !url.TrimEnd('/').EndsWith($":{uri.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)}", StringComparison.Ordinal))
        {
            throw new ArgumentException(
                $"{setting} must be an http URL with an IP address and a port, such as http://127.0.0.1:5080 (port 0 picks a free one); got \"{url}\". TLS is not built in: terminate it in a reverse proxy.");
        }

        var address = uri.Host == "localhost" ? IPAddress.Loopback
            : IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) ? ip
            : throw new ArgumentException($"{setting}: listen on an IP address (or localhost), not the name \"{uri.Host}\".");
        return new IPEndPoint(address, uri.Port);
    }
}
