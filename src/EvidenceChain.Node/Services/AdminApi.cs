using System.Text;
using EvidenceChain.Api.V1;
using EvidenceChain.Node.Auth;
using EvidenceChain.Node.Internal;
using Grpc.Core;

namespace EvidenceChain.Node.Services;

/// <summary>API key administration. Every method needs role admin.</summary>
internal sealed class AdminApi : AdminService.AdminServiceBase
{
    private const int MaxDescriptionBytes = 256;
    private readonly ApiKeyService _keys;
    private readonly ILogger<AdminApi> _logger;

    public AdminApi(ApiKeyService keys, ILogger<AdminApi> logger)
    {
        _keys = keys;
        _logger = logger;
    }

    [RequireRole(Role.Admin)]
    public override async Task<CreateApiKeyResponse> CreateApiKey(CreateApiKeyRequest request, ServerCallContext context)
    {
        if (!Roles.TryParse(request.Role, out var role))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument,
                $"role must be submitter, case-manager or admin; got \"{request.Role}\"."));
        }

        if (Encoding.UTF8.GetByteCount(request.Description) > MaxDescriptionBytes || request.Description.Any(char.IsControl))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument,
                $"description: at most {MaxDescriptionBytes} UTF-8 bytes, no control characters."));
        }

        var actor = context.GetCaller().KeyId;
        var (key, token, _) = await _keys.CreateAsync(role, request.Description, actor);
        NodeLog.KeyCreated(_logger, key.Id, key.Role, actor);
        return new CreateApiKeyResponse { Key = Wire.ToProto(key), Secret = token };
    }

    [RequireRole(Role.Admin)]
    public override Task<ListApiKeysResponse> ListApiKeys(ListApiKeysRequest request, ServerCallContext context)
    {
        var response = new ListApiKeysResponse();
        response.Keys.AddRange(_keys.List().Select(Wire.ToProto));
        return Task.FromResult(response);
    }

    [RequireRole(Role.Admin)]
    public override async Task<ApiKey> RevokeApiKey(RevokeApiKeyRequest request, ServerCallContext context)
    {
        if (request.Id.Length == 0)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "id: give the id of the key to revoke."));
        }

        var actor = context.GetCaller().KeyId;
        var key = await _keys.RevokeAsync(request.Id, actor);
        NodeLog.KeyRevoked(_logger, key.Id, actor);
        return Wire.ToProto(key);
    }
}
