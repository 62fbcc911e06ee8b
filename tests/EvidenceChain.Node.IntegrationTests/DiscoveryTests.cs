using EvidenceChain.Node.IntegrationTests.Infrastructure;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Reflection.V1Alpha;

namespace EvidenceChain.Node.IntegrationTests;

/// <summary>The standard services beside the API: grpc.health.v1 and server reflection.</summary>
public sealed class DiscoveryTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private readonly NodeFixture _fixture = fixture;

    [Fact]
    public async Task HealthCheck_RunningNode_Serving()
    {
        var health = new Health.HealthClient(_fixture.Node.Channel);

        var reply = await health.CheckAsync(new HealthCheckRequest());

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, reply.Status);
        _fixture.Node.AssertNoErrors();
    }

    [Fact]
    public async Task HealthCheck_UnknownService_NotFound()
    {
        var health = new Health.HealthClient(_fixture.Node.Channel);

        var e = await Assert.ThrowsAsync<RpcException>(() => health.CheckAsync(new HealthCheckRequest { Service = "no.such.Service" }).ResponseAsync);

        Assert.Equal(StatusCode.NotFound, e.StatusCode);
        _fixture.Node.AssertNoErrors();
    }

    [Fact]
    public async Task Reflection_ListServices_IncludesApiHealthAndReflection()
    {
        var reply = await AskAsync(new ServerReflectionRequest { ListServices = string.Empty });

        var names = reply.ListServicesResponse.Service.Select(s => s.Name).ToList();
        Assert.Contains("evidencechain.v1.EvidenceService", names);
        Assert.Contains("evidencechain.v1.LogService", names);
        Assert.Contains("evidencechain.v1.AdminService", names);
        Assert.Contains("grpc.health.v1.Health", names);
        _fixture.Node.AssertNoErrors();
    }

    [Fact]
    public async Task Reflection_FileContainingSymbol_DescribesEvidenceService()
    {
        var reply = await AskAsync(new ServerReflectionRequest { FileContainingSymbol = "evidencechain.v1.EvidenceService" });

        var files = reply.FileDescriptorResponse.FileDescriptorProto.Select(b => Google.Protobuf.Reflection.FileDescriptorProto.Parser.ParseFrom(b)).ToList();
        var service = files.SelectMany(f => f.Service).Single(s => s.Name == "EvidenceService");
        Assert.Contains(service.Method, m => m.Name == "PreserveFile" && m.ClientStreaming && !m.ServerStreaming);
        _fixture.Node.AssertNoErrors();
    }

    [Fact]
    public async Task Reflection_ClientDropsCallAfterFirstReply_NoErrorLogged()
    {
        var client = new ServerReflection.ServerReflectionClient(_fixture.Node.Channel);
        for (var i = 0; i < 20; i++)
        {
            using var call = client.ServerReflectionInfo();
            await call.RequestStream.WriteAsync(new ServerReflectionRequest { FileContainingSymbol = "evidencechain.v1.EvidenceService" });
            Assert.True(await call.ResponseStream.MoveNext());
        }

        // The node handles the resets after the calls are gone; a health check on the same connection comes after them.
        await new Health.HealthClient(_fixture.Node.Channel).CheckAsync(new HealthCheckRequest());
        _fixture.Node.AssertNoErrors();
    }

    private async Task<ServerReflectionResponse> AskAsync(ServerReflectionRequest request)
    {
        var client = new ServerReflection.ServerReflectionClient(_fixture.Node.Channel);
        using var call = client.ServerReflectionInfo();
        await call.RequestStream.WriteAsync(request);
        await call.RequestStream.CompleteAsync();
        var replies = new List<ServerReflectionResponse>();
        await foreach (var reply in call.ResponseStream.ReadAllAsync())
        {
            replies.Add(reply); // read to the end: the call completes normally instead of being reset
        }

        var only = Assert.Single(replies);
        Assert.NotEqual(ServerReflectionResponse.MessageResponseOneofCase.ErrorResponse, only.MessageResponseCase);
        return only;
    }
}
