namespace EvidenceChain.Testing.Vectors;

/// <summary>One test vector file: its path relative to the folder that was loaded, and its parsed content.</summary>
/// <typeparam name="T">The vector's record type.</typeparam>
/// <param name="Name">Relative path with '/' separators, e.g. <c>1/happy-path.json</c>; use it in failure messages.</param>
/// <param name="Case">The parsed file.</param>
public sealed record VectorFile<T>(string Name, T Case);
