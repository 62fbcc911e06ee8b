using System.Net;
using System.Text.Json;
using Grpc.Core;

namespace EvidenceChain.Node.IntegrationTests.Infrastructure;

/// <summary>Checks HTTP error replies: the status and a <c>{"code":..,"message":..}</c> body naming what was wrong.</summary>
public static class HttpAssert
{
    public static async Task<string> ErrorAsync(HttpResponseMessage response, HttpStatusCode status, StatusCode code, params string[] messageParts)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"Expected HTTP {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.StartsWith("application/json", response.Content.Headers.ContentType?.MediaType ?? string.Empty, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(body);
        Assert.Equal((int)code, json.RootElement.GetProperty("code").GetInt32());
        var message = json.RootElement.GetProperty("message").GetString() ?? string.Empty;
        foreach (var part in messageParts)
        {
            Assert.True(message.Contains(part, StringComparison.Ordinal), $"The message \"{message}\" does not contain \"{part}\".");
        }

        return message;
    }
}
