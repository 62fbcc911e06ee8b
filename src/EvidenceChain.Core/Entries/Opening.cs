namespace EvidenceChain.Core.Entries;

/// <summary>
/// What opens one <see cref="Commitment"/>: the field's name, its clear value and the 32-byte salt it was committed
/// with. Whoever holds it learns the value and can prove it is the one the leaf fixed. Immutable.
/// </summary>
/// <param name="Field">The attribute name, e.g. <c>title</c>.</param>
/// <param name="Value">The clear value.</param>
/// <param name="Salt">The 32 random salt bytes (held in a <see cref="Hash"/> for its fixed length and hex form).</param>
public sealed record Opening(string Field, string Value, Hash Salt);
