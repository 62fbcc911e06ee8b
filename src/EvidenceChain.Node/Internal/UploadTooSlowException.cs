namespace EvidenceChain.Node.Internal;

/// <summary>
/// An upload stalled beyond <see cref="NodeLimits.UploadIdleTimeout"/> or arrived slower than
/// <see cref="NodeLimits.MinUploadBytesPerSecond"/>: DEADLINE_EXCEEDED over gRPC, 408 over HTTP. The client's fault.
/// </summary>
internal sealed class UploadTooSlowException(string message) : Exception(message);
