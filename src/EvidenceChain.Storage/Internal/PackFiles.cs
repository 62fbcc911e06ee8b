using System.Globalization;
using Microsoft.Win32.SafeHandles;

namespace EvidenceChain.Storage.Internal;

/// <summary>The names of the files in a packs folder, <c>NNNNNNNN.pack</c> and its index <c>NNNNNNNN.idx</c>, and reading them.</summary>
internal static class PackFiles
{
    /// <summary>The path of pack <paramref name="number"/> in <paramref name="folder"/>.</summary>
    public static string PackPath(string folder, int number) =>
        Path.Combine(folder, number.ToString("D8", CultureInfo.InvariantCulture) + ".pack");

    /// <summary>The path of the index of pack <paramref name="number"/>.</summary>
    public static string IndexPath(string folder, int number) => Path.ChangeExtension(PackPath(folder, number), ".idx");

    /// <summary>The numbers of the packs in <paramref name="folder"/>, in order.</summary>
    public static List<int> Numbers(string folder)
    {
        var numbers = new List<int>();
        foreach (var path in Directory.EnumerateFiles(folder, "*.pack"))
        {
            var name = Path.GetFileNameWithoutExtension(path);
            if (name.Length == 8 && int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
            {
                numbers.Add(number);
            }
        }

        numbers.Sort();
        return numbers;
    }

    /// <summary>Fills <paramref name="buffer"/> from <paramref name="offset"/> on, short only at the end of the file; returns how much was read.</summary>
    public static int ReadAt(SafeFileHandle file, Span<byte> buffer, long offset)
    {
        var done = 0;
        while (done < buffer.Length)
        {
            var read = RandomAccess.Read(file, buffer[done..], offset + done);
            if (read == 0)
            {
                break;
            }

            done += read;
        }

        return done;
    }
}
