using EvidenceChain.Core;

namespace EvidenceChain.Ledger.Search;

/// <summary>
/// What the search store keeps of one evidence entry (kinds <c>file</c> and <c>webpage</c>), with its committed fields
/// in clear (the store is confidential, like the openings). Immutable.
/// </summary>
/// <param name="Index">Entry index.</param>
/// <param name="LeafHash">Its leaf hash.</param>
/// <param name="Kind"><c>file</c> or <c>webpage</c>.</param>
/// <param name="Time">Node time of receipt.</param>
/// <param name="Submitter">The submitting key's id.</param>
/// <param name="Title">The file's title; empty when none was given and for web pages.</param>
/// <param name="FileName">The file's name; empty for web pages.</param>
/// <param name="Url">The URL asked for; empty for files.</param>
/// <param name="Size">The main artefact's size (the file; a capture's payload, else its WARC).</param>
/// <param name="MediaType">The main artefact's media type.</param>
/// <param name="Sha256">The main artefact's SHA-256.</param>
/// <param name="Sm3">The main artefact's SM3, under the national crypto profile.</param>
/// <param name="HasScreenshot">Whether the entry has a <c>screenshot.png</c> artefact.</param>
/// <param name="CaptureStatus">A web page's <c>capture-status</c>; empty for files.</param>
public sealed record SearchRecord(
    ulong Index,
    Hash LeafHash,
    string Kind,
    DateTimeOffset Time,
    string Submitter,
    string Title,
    string FileName,
    string Url,
    long Size,
    string MediaType,
    Hash Sha256,
    Hash? Sm3,
    bool HasScreenshot,
    string CaptureStatus);
