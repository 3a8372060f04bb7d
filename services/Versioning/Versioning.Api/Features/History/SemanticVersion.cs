using System.Globalization;
using System.Text.RegularExpressions;

namespace Folio.Versioning.Api.Features.History;

/// <summary>A book version: <c>v1.0</c>, <c>v1.1</c>, <c>v2.0.1</c> (patch shown only when not zero).</summary>
public sealed partial record SemanticVersion(int Major, int Minor, int Patch)
{
    public static bool TryParse(string? text, out SemanticVersion version)
    {
        version = new SemanticVersion(0, 0, 0);
        var match = text is null ? Match.Empty : Pattern().Match(text);
        if (!match.Success)
        {
            return false;
        }

        version = new SemanticVersion(
            int.Parse(match.Groups["major"].Value, CultureInfo.InvariantCulture),
            int.Parse(match.Groups["minor"].Value, CultureInfo.InvariantCulture),
            match.Groups["patch"].Success ? int.Parse(match.Groups["patch"].Value, CultureInfo.InvariantCulture) : 0);
        return true;
    }

    public SemanticVersion Bump(string part) => part switch
    {
        "major" => new SemanticVersion(Major + 1, 0, 0),
        "minor" => this with { Minor = Minor + 1, Patch = 0 },
        "patch" => this with { Patch = Patch + 1 },
        _ => throw new ArgumentOutOfRangeException(nameof(part), part, "Bump major, minor or patch."),
    };

    public override string ToString() =>
        Patch == 0 ? string.Create(CultureInfo.InvariantCulture, $"v{Major}.{Minor}") : string.Create(CultureInfo.InvariantCulture, $"v{Major}.{Minor}.{Patch}");

    [GeneratedRegex(@"^v(?<major>0|[1-9]\d{0,5})\.(?<minor>0|[1-9]\d{0,5})(\.(?<patch>0|[1-9]\d{0,5}))?$")]
    private static partial Regex Pattern();
}
