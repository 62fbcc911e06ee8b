using System.Reflection;
using EvidenceChain.Api.V1;
using Google.Protobuf;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;

namespace EvidenceChain.Node.Internal;

/// <summary>
/// Binds each gRPC service's methods as grpc-dotnet's own binder does, but with request marshallers that turn a
/// malformed protobuf message into INVALID_ARGUMENT. grpc-dotnet deserializes a unary call's request before any
/// interceptor runs, so otherwise a garbled request from a client became UNKNOWN with an error-level stack trace.
/// Registered in place of grpc-dotnet's <c>BinderServiceMethodProvider</c> (see <see cref="Replace"/>). File upload
/// messages that carry only a chunk are read into pooled arrays (<see cref="PooledChunks"/>).
/// </summary>
/// <typeparam name="TService">The service implementation.</typeparam>
internal sealed class StrictServiceMethodProvider<TService> : IServiceMethodProvider<TService>
    where TService : class
{
    public void OnServiceMethodDiscovery(ServiceMethodProviderContext<TService> context)
    {
        var bind = FindBindMethod(typeof(TService));
        if (bind is null)
        {
            return; // not a generated service: nothing to bind, as with grpc-dotnet's binder
        }

        bind.Invoke(null, [new Binder(context), null]);
    }

    /// <summary>Puts this provider where grpc-dotnet registered its binder; the JSON transcoding provider stays.</summary>
    public static void Replace(IServiceCollection services)
    {
        var binder = services.Single(d => d.ServiceType == typeof(IServiceMethodProvider<>)
            && d.ImplementationType?.Name.StartsWith("BinderServiceMethodProvider", StringComparison.Ordinal) == true);
        services.Remove(binder);
        services.AddSingleton(typeof(IServiceMethodProvider<>), typeof(StrictServiceMethodProvider<>));
    }

    private static MethodInfo? FindBindMethod(Type? type)
    {
        for (; type is not null; type = type.BaseType)
        {
            if (type.GetCustomAttribute<BindServiceMethodAttribute>(inherit: false) is { } attribute)
            {
                return attribute.BindType.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)
                    .FirstOrDefault(m => m.Name == attribute.BindMethodName && m.GetParameters().Length == 2
                        && m.GetParameters()[0].ParameterType == typeof(ServiceBinderBase));
            }
        }

        return null;
    }

    private static Method<TRequest, TResponse> Strict<TRequest, TResponse>(Method<TRequest, TResponse> method)
    {
        var inner = method.RequestMarshaller;
        var deserialize = inner.ContextualDeserializer;
        if (deserialize is Func<DeserializationContext, PreserveFileRequest> file)
        {
            // An upload's chunks go into pooled arrays (PooledChunks); PreserveFile gives them back.
            deserialize = (Func<DeserializationContext, TRequest>)(object)new Func<DeserializationContext, PreserveFileRequest>(
                context => PooledChunks.Deserialize(context, file));
        }

        var marshaller = new Marshaller<TRequest>(inner.ContextualSerializer, context =>
        {
            try
            {
                return deserialize(context);
            }
            catch (InvalidProtocolBufferException e)
            {
                throw new RpcException(new Status(StatusCode.InvalidArgument, $"Malformed protobuf message for {method.Name}: {e.Message}"));
            }
        });
        return new Method<TRequest, TResponse>(method.Type, method.ServiceName, method.Name, marshaller, method.ResponseMarshaller);
    }

    // As grpc-dotnet: the implementation's method (or the base's, which answers UNIMPLEMENTED), and as endpoint
    // metadata the service type's attributes, then the method's (e.g. RequireRole), then POST.
    private static (TDelegate Invoker, List<object> Metadata) Model<TDelegate>(string name, params Type[] parameters)
        where TDelegate : Delegate
    {
        MethodInfo? handler = null;
        for (var type = typeof(TService); handler is null && type is not null; type = type.BaseType)
        {
            handler = type.GetMethod(name, BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly, parameters);
        }

        if (handler is null)
        {
            throw new InvalidOperationException($"{typeof(TService).Name} has no method {name}.");
        }

        var metadata = new List<object>();
        metadata.AddRange(typeof(TService).GetCustomAttributes(inherit: true));
        metadata.AddRange(handler.GetCustomAttributes(inherit: true));
        metadata.Add(new HttpMethodMetadata(["POST"], acceptCorsPreflight: true));
        return ((TDelegate)Delegate.CreateDelegate(typeof(TDelegate), handler), metadata);
    }

    private sealed class Binder(ServiceMethodProviderContext<TService> context) : ServiceBinderBase
    {
        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, UnaryServerMethod<TRequest, TResponse>? handler)
        {
            var (invoker, metadata) = Model<UnaryServerMethod<TService, TRequest, TResponse>>(method.Name, typeof(TRequest), typeof(ServerCallContext));
            context.AddUnaryMethod(Strict(method), metadata, invoker);
        }

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ClientStreamingServerMethod<TRequest, TResponse>? handler)
        {
            var (invoker, metadata) = Model<ClientStreamingServerMethod<TService, TRequest, TResponse>>(
                method.Name, typeof(IAsyncStreamReader<TRequest>), typeof(ServerCallContext));
            context.AddClientStreamingMethod(Strict(method), metadata, invoker);
        }

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ServerStreamingServerMethod<TRequest, TResponse>? handler)
        {
            var (invoker, metadata) = Model<ServerStreamingServerMethod<TService, TRequest, TResponse>>(
                method.Name, typeof(TRequest), typeof(IServerStreamWriter<TResponse>), typeof(ServerCallContext));
            context.AddServerStreamingMethod(Strict(method), metadata, invoker);
        }

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, DuplexStreamingServerMethod<TRequest, TResponse>? handler)
        {
            var (invoker, metadata) = Model<DuplexStreamingServerMethod<TService, TRequest, TResponse>>(
                method.Name, typeof(IAsyncStreamReader<TRequest>), typeof(IServerStreamWriter<TResponse>), typeof(ServerCallContext));
            context.AddDuplexStreamingMethod(Strict(method), metadata, invoker);
        }
    }
}
