using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Options;

namespace EvidenceChain.Node.Internal;

/// <summary>
/// The single place where exceptions become statuses: known ones map to their code with their message
/// (<see cref="StatusMapping"/>); anything else is logged once and answered with INTERNAL, its message only when
/// <see cref="NodeOptions.DetailedErrors"/> is on.
/// </summary>
internal sealed class ErrorInterceptor : Interceptor
{
    private readonly ILogger<ErrorInterceptor> _logger;
    private readonly bool _detailed;

    public ErrorInterceptor(ILogger<ErrorInterceptor> logger, IOptions<NodeOptions> options)
    {
        _logger = logger;
        _detailed = options.Value.DetailedErrors;
    }

    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(request, context);
        }
        catch (Exception e) when (e is not RpcException)
        {
            throw Map(e, context);
        }
    }

    public override async Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(requestStream, context);
        }
        catch (Exception e) when (e is not RpcException)
        {
            throw Map(e, context);
        }
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(request, responseStream, context);
        }
        catch (Exception e) when (e is not RpcException)
        {
            throw Map(e, context);
        }
    }

    public override async Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(requestStream, responseStream, context);
        }
        catch (Exception e) when (e is not RpcException)
        {
            throw Map(e, context);
        }
    }

    private RpcException Map(Exception e, ServerCallContext context)
    {
        if (StatusMapping.ToStatus(e, context.CancellationToken.IsCancellationRequested) is { } status)
        {
            return new RpcException(status);
        }

        NodeLog.UnexpectedError(_logger, context.Method, e);
        var message = _detailed ? $"Internal error: {e.GetType().Name}: {e.Message}" : "Internal error; the node's log has the details.";
        return new RpcException(new Status(StatusCode.Internal, message));
    }
}
