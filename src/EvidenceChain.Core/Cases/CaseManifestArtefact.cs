namespace EvidenceChain.Core.Cases;

/// <summary>An artefact of an item in a <see cref="CaseManifest"/>, as its entry lists it. Immutable.</summary>
/// <param name="Name">The artefact's name, control characters replaced by '?' (names carry no proof; digests do).</param>
/// <param name="Size">Its size in bytes.</param>
/// <param name="Sha256">Its SHA-256.</param>
/// <param name="Sm3">Its SM3, under the national crypto profile; otherwise null.</param>
public sealed record CaseManifestArtefact(string Name, long Size, Hash Sha256, Hash? Sm3)
{
    /// <summary>The manifest's form of an entry's artefact.</summary>
    public static CaseManifestArtefact From(Entries.Artefact artefact)
    {
        ArgumentNullException.ThrowIfNull(artefact);
        return new(new string([.. artefact.Name.Select(c => char.IsControl(c) || char.IsSurrogate(c) ? '?' : c)]), artefact.Size, artefact.Sha256, artefact.Sm3);
    }
}
