using System;
using System.IO;
using System.Linq;
using System.Reflection;

namespace Router.Hal.Desktop;

/// <summary>
/// The desktop's <see cref="IAssetSource"/>: files embedded in an assembly as manifest resources, the ones named
/// <c>prefix + file + ".gz"</c>, indexed in ordinal order of the file names (the order the build numbers them in).
/// It stands in for a board's application image in flash; it counts the slices read so tests can see how a file went out.
/// </summary>
public sealed class EmbeddedAssetSource : IAssetSource
{
    private readonly byte[][] _assets;

    public EmbeddedAssetSource(Assembly assembly, string prefix)
    {
        const string suffix = ".gz";
        string[] names = assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && n.EndsWith(suffix, StringComparison.Ordinal))
            .OrderBy(n => n.Substring(prefix.Length, n.Length - prefix.Length - suffix.Length), StringComparer.Ordinal)
            .ToArray();
        if (names.Length == 0) throw new ArgumentException($"{assembly.GetName().Name} has no resources named {prefix}*{suffix}.");
        _assets = names.Select(n =>
        {
            using Stream stream = assembly.GetManifestResourceStream(n)!;
            using var bytes = new MemoryStream();
            stream.CopyTo(bytes);
            return bytes.ToArray();
        }).ToArray();
    }

    /// <summary>Slices read so far, and the largest one asked for.</summary>
    public int Reads { get; private set; }
    public int LargestRead { get; private set; }

    public int Count => _assets.Length;

    public int Length(int asset) => _assets[asset].Length;

    public int Read(int asset, int offset, byte[] buffer, int bufferOffset, int count)
    {
        byte[] bytes = _assets[asset];
        int n = Math.Max(0, Math.Min(count, bytes.Length - offset));
        Array.Copy(bytes, offset, buffer, bufferOffset, n);
        Reads++;
        LargestRead = Math.Max(LargestRead, count);
        return n;
    }
}
