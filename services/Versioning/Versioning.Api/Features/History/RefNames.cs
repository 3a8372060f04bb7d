using System.Text.RegularExpressions;

namespace Folio.Versioning.Api.Features.History;

/// <summary>Branch names follow git's check-ref-format rules, so a book's history can always be exported to git.</summary>
public static partial class RefNames
{
    public const string MainBranch = "main";

    public static bool IsValidBranch(string? name) =>
        name is { Length: > 0 and <= 100 }
        && !name.StartsWith('/') && !name.EndsWith('/') && !name.EndsWith('.') && !name.EndsWith(".lock", StringComparison.Ordinal)
        && !name.Contains("..", StringComparison.Ordinal) && !name.Contains("//", StringComparison.Ordinal)
        && !name.Contains("@{", StringComparison.Ordinal) && name != "@" && !name.StartsWith('-')
        && !name.Split('/').Any(part => part.StartsWith('.'))
        && !ForbiddenCharacters().IsMatch(name)
        && !SemanticVersion.TryParse(name, out _);

    [GeneratedRegex(@"[\x00-\x20\x7F~^:?*\[\\]")]
    private static partial Regex ForbiddenCharacters();
}
