using Grpc.Core;

namespace EvidenceChain.Node.IntegrationTests.Infrastructure;

/// <summary>Asserts that a call fails with a status code and a message that names what was wrong.</summary>
public static class RpcAssert
{
    public static async Task<RpcException> FailsAsync(StatusCode code, Func<Task> call, params string[] messageParts)
    {
        var e = await Assert.ThrowsAsync<RpcException>(call);
        Assert.True(e.StatusCode == code, $"Expected {code}, got {e.StatusCode}: {e.Status.Detail}");
        foreach (var part in messageParts)
        {
            Assert.True(e.Status.Detail.Contains(part, StringComparison.Ordinal), $"The message \"{e.Status.Detail}\" does not contain \"{part}\".");
        }

        return e;
    }
}
