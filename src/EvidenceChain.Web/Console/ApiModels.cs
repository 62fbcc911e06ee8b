using System.Text.Json.Serialization;

namespace EvidenceChain.Web.Console;

// The node's JSON API as the console reads it: proto3 JSON (lowerCamelCase names, 64-bit integers as strings),
// the messages of proto/evidencechain/v1. Only the fields the console shows are declared; others are ignored.

/// <summary>An error body, as gRPC JSON transcoding and the node's plain endpoints write it.</summary>
internal sealed record ApiError(int Code, string? Message);

/// <summary>GET /v1/whoami: the key's id, role and description.</summary>
internal sealed record WhoAmI(string Id, string Role, string? Description);

/// <summary>An artefact as listed in an entry.</summary>
internal sealed record ArtefactInfo(string Name, string? MediaType, ulong Size, string? Sha256, string? Sm3);

/// <summary>An entry as GET /v1/entries/{index} and the search give it.</summary>
internal sealed record EntryInfo(
    ulong Index,
    string? LeafHash,
    string? Origin,
    string? Prev,
    string? Time,
    string? Kind,
    string? Submitter,
    IReadOnlyList<ArtefactInfo>? Artefacts,
    IReadOnlyDictionary<string, string>? Attributes,
    IReadOnlyDictionary<string, string>? Commitments,
    IReadOnlyDictionary<string, string>? Disclosed);

/// <summary>One evidence entry as GET /v1/entries:search lists it (committed fields in clear: the caller may see it).</summary>
internal sealed record EntrySummary(
    ulong Index,
    string? Kind,
    string? Title,
    string? FileName,
    string? Url,
    ulong Size,
    string? MediaType,
    string? Sha256,
    string? Sm3,
    string? Time,
    string? Submitter,
    string? SubmitterDescription,
    bool HasScreenshot,
    string? CaptureStatus,
    string? LeafHash);

/// <summary>GET /v1/entries:search.</summary>
internal sealed record SearchResult(IReadOnlyList<EntrySummary>? Entries, string? NextPageToken);

/// <summary>GET /v1/entries:find.</summary>
internal sealed record FindResult(IReadOnlyList<EntryInfo>? Entries);

/// <summary>POST /v1/files.</summary>
internal sealed record PreserveResult(EntryInfo? Entry, ulong TreeSize);

/// <summary>POST /v1/captures, the request.</summary>
internal sealed record CaptureRequest(string Url, bool NoBrowser, bool PrivateUrl);

/// <summary>POST /v1/captures, the reply.</summary>
internal sealed record CaptureResult(
    EntryInfo? Entry, ulong TreeSize, string? Status, string? FailureReason, string? Failure, string? FinalUrl, uint HttpStatus, string? Rendering);

/// <summary>What console.js answers for a fetch it made with the key (a download, an image, a hand-over).</summary>
internal sealed record FetchOutcome(int Status, string? Message, string? Url);

/// <summary>A file as console.js describes it.</summary>
public sealed record PickedFile(int Id, string Name, long Size, string Type);

/// <summary>The source-generated (trimming-safe) JSON contract of the console's API calls.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    PropertyNameCaseInsensitive = true,
    NumberHandling = JsonNumberHandling.AllowReadingFromString,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ApiError))]
[JsonSerializable(typeof(WhoAmI))]
[JsonSerializable(typeof(EntryInfo))]
[JsonSerializable(typeof(SearchResult))]
[JsonSerializable(typeof(FindResult))]
[JsonSerializable(typeof(PreserveResult))]
[JsonSerializable(typeof(CaptureRequest))]
[JsonSerializable(typeof(CaptureResult))]
[JsonSerializable(typeof(FetchOutcome))]
[JsonSerializable(typeof(string))]
internal sealed partial class ApiJson : JsonSerializerContext;
