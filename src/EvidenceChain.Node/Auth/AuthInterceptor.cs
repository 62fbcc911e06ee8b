using Grpc.Core;
using Grpc.Core.Interceptors;

namespace EvidenceChain.Node.Auth;

/// <summary>
/// Authenticates calls to methods marked <see cref="RequireRoleAttribute"/> from their <c>authorization</c> header,
/// for gRPC and transcoded JSON calls alike. Methods without the attribute are public and not checked.
/// </summary>
internal sealed class AuthInterceptor : Interceptor
{
    private readonly ApiKeyService _keys;

    /// <summary>Creates the interceptor.</summary>
    public AuthInterceptor(ApiKeyService keys) => _keys = keys;

    /// <inheritdoc/>
    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        Authenticate(context);
        return continuation(request, context);
    }

    /// <inheritdoc/>
    public override Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Authenticate(context);
        return continuation(requestStream, context);
    }

    /// <inheritdoc/>
    public override Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Authenticate(context);
        return continuation(request, responseStream, context);
    }

    /// <inheritdoc/>
    public override Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Authenticate(context);
        return continuation(requestStream, responseStream, context);
    }

    private void Authenticate(ServerCallContext context)
    {
        var http = context.GetHttpContext();
        if (http.GetEndpoint()?.Metadata.GetMetadata<RequireRoleAttribute>() is { } required)
        {
            context.SetCaller(_keys.Authenticate(http.Request.Headers.Authorization.ToString(), required.Roles));
        }
    }
}
