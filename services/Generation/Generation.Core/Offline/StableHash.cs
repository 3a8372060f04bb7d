using System.Text;

namespace Folio.Generation.Core.Offline;

/// <summary>FNV-1a over UTF-8: the same seed on every machine and process, unlike string.GetHashCode.</summary>
internal static class StableHash
{
    private const ulong OffsetBasis = 0xCBF29CE484222325UL;
    private const ulong Prime = 0x100000001B3UL;

    public static ulong Of(params object[] parts)
    {
        var hash = OffsetBasis;
        foreach (var part in parts)
        {
            foreach (var b in Encoding.UTF8.GetBytes(Convert.ToString(part, System.Globalization.CultureInfo.InvariantCulture) ?? ""))
            {
                hash = (hash ^ b) * Prime;
            }

            // A separator keeps ("ab", "c") and ("a", "bc") apart.
            hash = (hash ^ 0x1F) * Prime;
        }

        return hash;
    }
}
