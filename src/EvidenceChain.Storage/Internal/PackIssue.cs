namespace EvidenceChain.Storage.Internal;

/// <summary>Something opening found wrong with a pack; <paramref name="Benign"/> when it is the expected trace of a crash.</summary>
internal sealed record PackIssue(string Where, string Message, bool Benign);
