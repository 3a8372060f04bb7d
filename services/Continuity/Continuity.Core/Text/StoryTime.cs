using System.Globalization;
using System.Text.RegularExpressions;

namespace Folio.Continuity.Core.Text;

/// <summary>Months (0–11) named by a month, season or feast; a season covers three months.</summary>
public static partial class StoryTime
{
    private static readonly Dictionary<string, int[]> Names = new(StringComparer.OrdinalIgnoreCase)
    {
        ["January"] = [0], ["February"] = [1], ["March"] = [2], ["April"] = [3], ["May"] = [4], ["June"] = [5],
        ["July"] = [6], ["August"] = [7], ["September"] = [8], ["October"] = [9], ["November"] = [10], ["December"] = [11],
        ["spring"] = [2, 3, 4], ["summer"] = [5, 6, 7], ["autumn"] = [8, 9, 10], ["fall"] = [8, 9, 10], ["winter"] = [11, 0, 1],
        ["Christmas"] = [11, 0], ["Easter"] = [2, 3], ["Michaelmas"] = [8, 9], ["Whitsuntide"] = [4, 5], ["Lady Day"] = [2],
    };

    public const string Alternation = "January|February|March|April|May|June|July|August|September|October|November|December|spring|summer|autumn|fall|winter|Christmas|Easter|Michaelmas|Whitsuntide";

    public static IReadOnlyList<int> Months(string name) => Names.TryGetValue(name, out var months) ? months : [];

    /// <summary>The month and year (if any) of a timeline entry: an ISO sort key first, then a month or season named in the story time.</summary>
    public static (int Month, int? Year)? Parse(string? storyTime, string? sortKey)
    {
        if (sortKey is not null && DateOnly.TryParseExact(sortKey.Length >= 10 ? sortKey[..10] : sortKey, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return (date.Month - 1, date.Year);
        }

        if (string.IsNullOrWhiteSpace(storyTime))
        {
            return null;
        }

        var name = NamePattern().Match(storyTime);
        if (!name.Success)
        {
            return null;
        }

        var year = YearPattern().Match(storyTime);
        return (Months(name.Value)[0], year.Success ? int.Parse(year.Value, CultureInfo.InvariantCulture) : null);
    }

    [GeneratedRegex(@"\b(?:January|February|March|April|May|June|July|August|September|October|November|December|spring|summer|autumn|winter|Christmas|Easter|Michaelmas|Whitsuntide)\b", RegexOptions.IgnoreCase)]
    private static partial Regex NamePattern();

    [GeneratedRegex(@"\b1[0-9]{3}\b|\b20[0-9]{2}\b")]
    private static partial Regex YearPattern();
}
