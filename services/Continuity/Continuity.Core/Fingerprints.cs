using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Folio.Continuity.Core;

public static partial class Fingerprints
{
    public static string Of(string rule, string passage)
    {
        var normalized = Whitespace().Replace(passage.Trim(), " ").ToLowerInvariant();
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{rule}\n{normalized}")))[..32];
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
