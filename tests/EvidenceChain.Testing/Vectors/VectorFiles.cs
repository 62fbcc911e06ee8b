using System.Text.Json;

namespace EvidenceChain.Testing.Vectors;

/// <summary>
/// Finds and reads the JSON test vectors under <c>tests/data/vectors</c>, which test projects copy to
/// <c>data/vectors</c> beside the test assembly.
/// </summary>
/// <remarks>Stateless and thread-safe.</remarks>
public static class VectorFiles
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        AllowTrailingCommas = false,
        ReadCommentHandling = JsonCommentHandling.Disallow,
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
    };

    /// <summary>The folder the vectors were copied to: <c>data/vectors</c> beside the test assembly.</summary>
    public static string RootFolder => Path.Combine(AppContext.BaseDirectory, "data", "vectors");

    /// <summary>
    /// Reads every <c>*.json</c> file below <paramref name="folder"/> (relative to <see cref="RootFolder"/>, with
    /// '/' separators), in ordinal order of their relative paths, as <typeparamref name="T"/>.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">The folder was not copied to the output.</exception>
    /// <exception cref="InvalidDataException">The folder holds no vectors, or a file does not parse.</exception>
    public static IReadOnlyList<VectorFile<T>> Load<T>(string folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        var root = Path.Combine(RootFolder, folder.Replace('/', Path.DirectorySeparatorChar));
        if (!Directory.Exists(root))
        {
            throw new DirectoryNotFoundException($"No vectors at {root}; is tests/data copied to the output?");
        }

        var files = Directory.EnumerateFiles(root, "*.json", SearchOption.AllDirectories)
            .Select(path => (Path: path, Name: Path.GetRelativePath(root, path).Replace(Path.DirectorySeparatorChar, '/')))
            .OrderBy(f => f.Name, StringComparer.Ordinal)
            .ToList();
        if (files.Count == 0)
        {
            throw new InvalidDataException($"No *.json vectors below {root}.");
        }

        return files.Select(f => new VectorFile<T>(f.Name, Read<T>(f.Path))).ToList();
    }

    private static T Read<T>(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(File.ReadAllBytes(path), Options)
                ?? throw new InvalidDataException($"{path} holds JSON null.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is not a valid {typeof(T).Name}: {e.Message}", e);
        }
    }
}
