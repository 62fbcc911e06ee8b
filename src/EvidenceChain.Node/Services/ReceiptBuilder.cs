using System.Globalization;
using EvidenceChain.Api.V1;
using EvidenceChain.Ledger;
using EvidenceChain.Ledger.Timestamping;
using EvidenceChain.Node.Internal;
using EvidenceChain.Node.Witnessing;
using EvidenceChain.Core.Proofs;
using EvidenceChain.Verifier.Receipts;
using EvidenceChain.Verifier.Timestamps;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.Options;

namespace EvidenceChain.Node.Services;

/// <summary>
/// Assembles an entry's receipt: the leaf, its inclusion proof at a timestamped checkpoint that covers it, that
/// checkpoint's token, and copies of the trust anchors. With witnesses configured the checkpoint is the newest one
/// that meets the quorum and covers the entry, with its cosignatures (a request that may wait waits up to
/// <c>Witnesses:ReceiptWait</c> for one while the policy is met); otherwise, and when none does (yet), the earliest
/// timestamped checkpoint that covers it (the earliest trusted time the entry existed by), with whatever
/// cosignatures it has. Asking again later gets the cosigned checkpoint once there is one.
/// </summary>
internal sealed class ReceiptBuilder(
    EvidenceLedger ledger, NodeTimestamping time, LogKeys keys, EntryOpenings openings, IOptions<NodeLimits> limits, NodeWitnessing witnessing)
    : IDisposable
{
    private readonly SemaphoreSlim _waiting = new(limits.Value.MaxWaitingReceiptRequests);

    /// <inheritdoc/>
    public void Dispose() => _waiting.Dispose();

    /// <summary>
    /// Builds the receipt of entry <paramref name="index"/>, with the openings of its committed fields
    /// (<c>disclosed.json</c>) when <paramref name="reader"/> may see the entry (<see cref="ArtefactAccess.MaySee"/>).
    /// </summary>
    /// <exception cref="RpcException">NOT_FOUND for an entry beyond the log; UNAVAILABLE when no token covers it (yet).</exception>
    public async Task<ReceiptContents> BuildAsync(ulong index, bool wait, CancellationToken cancellationToken, Auth.Caller? reader = null)
    {
        var size = ledger.Latest.Size;
        if (index >= size)
        {
            throw Wire.NoSuchEntry(index, size);
        }

        var stamp = await FindStampAsync(index, wait, cancellationToken);
        var entry = await ledger.GetEntryAsync(index, cancellationToken);
        var proof = await ledger.InclusionProofAsync(index, stamp.Size, cancellationToken);
        return new ReceiptContents
        {
            Leaf = entry.Leaf,
            Index = index,
            ProofHashes = proof,
            SignedCheckpoint = stamp.SignedCheckpoint,
            TimestampResponse = stamp.Response,
            LogVerifierKey = keys.LogVerifierKey,
            TsaChainPem = time.TrustPem,
            Sm2VerifierKey = keys.Sm2VerifierKey,
            Disclosed = ArtefactAccess.MaySee(reader, entry.Entry) && await openings.ReadAsync(entry.Entry, cancellationToken) is { } disclosed
                ? new ReadOnlyMemory<byte>(disclosed.Encode())
                : (ReadOnlyMemory<byte>?)null, // typed: a null array or memory would convert to an empty, present member
            FileName = string.Create(CultureInfo.InvariantCulture, $"entry-{index}.evidence.zip"),
        };
    }

    /// <summary>The receipt as the API's message.</summary>
    public static Receipt ToProto(ReceiptContents receipt)
    {
        var proof = new TlogProof(receipt.Index, receipt.ProofHashes, receipt.SignedCheckpoint);
        var size = Core.Notes.Checkpoint.Parse(proof.CheckpointText).Size;
        return new Receipt
        {
            Index = receipt.Index,
            Leaf = ByteString.CopyFrom(receipt.Leaf.Span),
            LeafHash = Core.Merkle.Rfc6962.HashLeaf(receipt.Leaf.Span).ToString(),
            TlogProof = proof.Encode(),
            TreeSize = size,
            TimestampResponse = ByteString.CopyFrom(receipt.TimestampResponse.Span),
            TimestampTime = GenTime(receipt.TimestampResponse.Span),
            LogVerifierKey = receipt.LogVerifierKey,
            TsaChainPem = receipt.TsaChainPem,
            Sm2VerifierKey = receipt.Sm2VerifierKey ?? string.Empty,
            Disclosed = receipt.Disclosed is { } disclosed ? ByteString.CopyFrom(disclosed.Span) : ByteString.Empty,
        };
    }

    private async Task<StoredTimestamp> FindStampAsync(ulong index, bool wait, CancellationToken cancellationToken)
    {
        if (await FindCosignedStampAsync(index, wait, cancellationToken) is { } cosigned)
        {
            return cosigned;
        }

        var stamp = await FindEarliestStampAsync(index, wait, cancellationToken);
        return witnessing.Cosigner?.Latest is { } latest && latest.Size == stamp.Size
            && Core.Notes.SignedNote.TextOf(latest.SignedNote) == Core.Notes.SignedNote.TextOf(stamp.SignedCheckpoint)
            ? stamp with { SignedCheckpoint = latest.SignedNote } // the token covers the note text, which cosignatures leave as it is
            : stamp;
    }

    /// <summary>The newest checkpoint meeting the quorum, when it covers the entry and has a token, with its cosignatures.</summary>
    private async Task<StoredTimestamp?> FindCosignedStampAsync(ulong index, bool wait, CancellationToken cancellationToken)
    {
        if (witnessing.Cosigner is not { } cosigner)
        {
            return null;
        }

        var quorum = cosigner.LatestQuorum;
        var waiting = false;
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(witnessing.Options.ReceiptWait);
        try
        {
            if ((quorum is null || quorum.Size <= index) && wait && cosigner.Status.PolicyMet && (waiting = _waiting.Wait(0, CancellationToken.None)))
            {
                quorum = await cosigner.WaitForQuorumAsync(index + 1, limit.Token);
            }

            if (quorum is null || quorum.Size <= index)
            {
                return null;
            }

            // Every checkpoint gets a token from the built-in TSA (shortly after it is published); an external TSA
            // stamps only some, and then a cosigned checkpoint without one is passed over.
            var stamp = await time.Timestamper.FindCoveringAsync(quorum.Size, cancellationToken);
            if ((stamp is null || stamp.Size != quorum.Size) && wait)
            {
                stamp = await time.Timestamper.WaitForCoverageAsync(quorum.Size, limit.Token);
            }

            return stamp is not null && stamp.Size == quorum.Size ? stamp with { SignedCheckpoint = quorum.SignedNote } : null;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null; // no cosigned checkpoint in time: the earliest timestamped one
        }
        finally
        {
            if (waiting)
            {
                _waiting.Release();
            }
        }
    }

    private async Task<StoredTimestamp> FindEarliestStampAsync(ulong index, bool wait, CancellationToken cancellationToken)
    {
        var timestamper = time.Timestamper;
        if (!wait)
        {
            var stored = await timestamper.FindCoveringAsync(index + 1, cancellationToken);
            return stored ?? throw NotYetStamped(index, timestamper);
        }

        if (await timestamper.FindCoveringAsync(index + 1, cancellationToken) is { } ready)
        {
            return ready; // no need to wait, nor to take a waiting slot
        }

        if (!_waiting.Wait(0, CancellationToken.None))
        {
            throw new RpcException(new Status(StatusCode.ResourceExhausted, string.Create(
                CultureInfo.InvariantCulture,
                $"{limits.Value.MaxWaitingReceiptRequests} receipt requests are already waiting for a timestamp (Limits:MaxWaitingReceiptRequests); retry shortly.")));
        }

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(time.Options.MaxReceiptWait);
        try
        {
            return await timestamper.WaitForCoverageAsync(index + 1, limit.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw NotYetStamped(index, timestamper, $" after waiting {time.Options.MaxReceiptWait.TotalSeconds:0.#} s (Timestamping:MaxReceiptWait)");
        }
        finally
        {
            _waiting.Release();
        }
    }

    private static RpcException NotYetStamped(ulong index, CheckpointTimestamper timestamper, string waited = "")
    {
        var status = timestamper.Status;
        var latest = status.LastStampedSize is { } s ? string.Create(CultureInfo.InvariantCulture, $"the latest token covers {s} entries") : "no checkpoint has a token yet";
        var failing = status.IsHealthy ? string.Empty : $"; timestamping is failing: {status.LastError}";
        return new RpcException(new Status(
            StatusCode.Unavailable,
            string.Create(CultureInfo.InvariantCulture, $"Entry {index} is not yet covered by a timestamped checkpoint{waited} ({latest}{failing}); retry shortly, or ask to wait.")));
    }

    private static string GenTime(ReadOnlySpan<byte> response)
    {
        // Shown in the receipt's VERIFY.txt and manifest; the token itself is what a verifier checks.
        return TimestampVerifier.TryReadResponse(response, out var info, out _)
            ? info.GenTime.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)
            : string.Empty;
    }
}
