using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Folio.Generation.Core.Offline;

/// <summary>Small text rules shared by the offline writer's parts.</summary>
internal static partial class Prose
{
    private static readonly HashSet<string> StopWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "the", "and", "for", "with", "from", "into", "onto", "that", "this", "then", "than", "when", "where", "what",
        "who", "whom", "has", "have", "had", "was", "were", "are", "its", "his", "her", "their", "them", "they",
        "she", "him", "but", "not", "all", "about", "after", "before", "over", "under", "again", "only", "out",
    };

    /// <summary>Whitespace-separated tokens that contain a letter or a digit.</summary>
    public static int CountWords(string text)
    {
        var count = 0;
        var inToken = false;
        var tokenHasWordCharacter = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                if (inToken && tokenHasWordCharacter)
                {
                    count++;
                }

                inToken = false;
                tokenHasWordCharacter = false;
                continue;
            }

            inToken = true;
            tokenHasWordCharacter |= char.IsLetterOrDigit(c);
        }

        return inToken && tokenHasWordCharacter ? count + 1 : count;
    }

    public static string Capitalise(string text) =>
        text.Length == 0 || char.IsUpper(text[0]) ? text : char.ToUpperInvariant(text[0]) + text[1..];

    /// <summary>
    /// A beat written as a sentence ("Mara finds the key.") turned into a clause that can follow "Then": the end
    /// punctuation goes, and the first letter is lowered unless the beat starts with a name.
    /// </summary>
    public static string AsClause(string beat, IEnumerable<string> properNames)
    {
        // Outlines arrive as Markdown lists ("- Mara…", "2. Mara…"); a marker left in would break the paragraph.
        var clause = ListMarker().Replace(beat.Trim(), "").TrimEnd('.', '!', '?', ';', ':', ' ');
        if (clause.Length < 2 || char.IsUpper(clause[1]) || clause.StartsWith("I ", StringComparison.Ordinal)
            || properNames.Any(name => name.Length > 0 && clause.StartsWith(name, StringComparison.Ordinal)))
        {
            return clause;
        }

        return char.ToLowerInvariant(clause[0]) + clause[1..];
    }

    /// <summary>The words that carry a beat's meaning: what a reader (or a test) would look for in the chapter.</summary>
    public static IReadOnlyList<string> KeyWords(string text) =>
        Words(text).Where(word => word.Length >= 3 && !StopWords.Contains(word)).ToArray();

    public static IEnumerable<string> Words(string text)
    {
        var word = new StringBuilder();
        foreach (var c in text)
        {
            if (char.IsLetterOrDigit(c) || (c == '\'' && word.Length > 0))
            {
                word.Append(char.ToLowerInvariant(c));
            }
            else if (word.Length > 0)
            {
                yield return word.ToString().TrimEnd('\'');
                word.Clear();
            }
        }

        if (word.Length > 0)
        {
            yield return word.ToString().TrimEnd('\'');
        }
    }

    public static string JoinNames(IReadOnlyList<string> names) => names.Count switch
    {
        0 => "",
        1 => names[0],
        2 => $"{names[0]} and {names[1]}",
        _ => string.Join(", ", names.Take(names.Count - 1)) + ", and " + names[^1],
    };

    public static string Normalise(string sentence) => sentence.Trim().ToLower(CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^(?:[-*+>#]+|\d+[.)])\s+", RegexOptions.CultureInvariant)]
    private static partial Regex ListMarker();
}
