using System.Text.RegularExpressions;

namespace Folio.Continuity.Core.Text;

/// <summary>A chapter's statement of a character's attribute ("Lydia was a stout girl of fifteen"). <see cref="Qualifier"/> is
/// <c>&lt;</c>, <c>&gt;</c> or <c>~</c> for hedged ages ("not yet twenty", "above thirty", "about twenty-seven").</summary>
public sealed record AttributeStatement(CharacterProfile Character, string Key, string Value, string? Qualifier, Paragraph Paragraph, int Index, string Sentence);

/// <summary>Finds attributes stated right after a character's name, within the same clause.</summary>
public static partial class Attributes
{
    public const string EyeColour = "eye_colour";
    public const string HairColour = "hair_colour";
    public const string Age = "age";
    public const string Height = "height";

    private static readonly Dictionary<string, string> ColourFamilies = new(StringComparer.OrdinalIgnoreCase)
    {
        ["black"] = "dark", ["brown"] = "dark", ["hazel"] = "dark", ["dark"] = "dark",
        ["chestnut"] = "dark", ["red"] = "red", ["white"] = "light", ["blue"] = "light", ["grey"] = "light", ["green"] = "light", ["light"] = "light", ["fair"] = "light",
    };

    public static IEnumerable<AttributeStatement> Find(ChapterText chapter, NameIndex names)
    {
        foreach (var paragraph in chapter.Paragraphs)
        {
            foreach (var mention in names.Find(paragraph.Text))
            {
                if (mention.Character is null)
                {
                    continue;
                }

                var after = paragraph.Text.AsSpan(mention.Index + mention.Length).ToString();
                after = after.Length > 120 ? after[..120] : after;
                foreach (var (key, value, qualifier) in Match(after))
                {
                    yield return new AttributeStatement(mention.Character, key, value, qualifier, paragraph, mention.Index, paragraph.SentenceAt(mention.Index));
                }

                var before = paragraph.Text[Math.Max(0, mention.Index - 30)..mention.Index];
                var compound = ColouredPrefix().Match(before);
                if (compound.Success)
                {
                    var key = compound.Groups["part"].Value == "eyed" ? EyeColour : HairColour;
                    yield return new AttributeStatement(mention.Character, key, compound.Groups["colour"].Value.ToLowerInvariant(), null, paragraph, mention.Index, paragraph.SentenceAt(mention.Index));
                }
            }
        }
    }

    private static IEnumerable<(string Key, string Value, string? Qualifier)> Match(string after)
    {
        var feature = Feature().Match(after);
        if (!feature.Success)
        {
            feature = FeatureWithPronoun().Match(after);
        }

        if (feature.Success)
        {
            var key = feature.Groups["part"].Value == "eyes" ? EyeColour : HairColour;
            yield return (key, feature.Groups["colour"].Value.ToLowerInvariant(), null);
        }

        var age = AgeOf().Match(after);
        if (!age.Success)
        {
            age = AgeWas().Match(after);
        }

        if (age.Success && Numbers.Parse(age.Groups["n"].Value) is { } years && years is > 0 and < 120)
        {
            var hedge = age.Groups["q"].Value.ToLowerInvariant();
            string? qualifier = hedge switch
            {
                "" or "only " or "just " or "but " => null,
                _ when hedge.StartsWith("not", StringComparison.Ordinal) || hedge.StartsWith("under", StringComparison.Ordinal) || hedge.StartsWith("scarcely", StringComparison.Ordinal) || hedge.StartsWith("hardly", StringComparison.Ordinal) => "<",
                _ when hedge.StartsWith("about", StringComparison.Ordinal) || hedge.StartsWith("near", StringComparison.Ordinal) => "~",
                _ => ">",
            };
            yield return (Age, years.ToString(System.Globalization.CultureInfo.InvariantCulture), qualifier);
        }

        var height = HeightWas().Match(after);
        if (height.Success)
        {
            yield return (Height, height.Groups["h"].Value.ToLowerInvariant(), null);
        }
    }

    /// <summary>Whether an observed value contradicts a known one: colours of the same family agree ("dark" and "black"); ages allow a birthday.</summary>
    public static bool Contradicts(string key, string known, string observed, string? qualifier)
    {
        known = known.Trim().ToLowerInvariant();
        observed = observed.Trim().ToLowerInvariant();
        switch (key)
        {
            case EyeColour or HairColour:
                var (a, b) = (Canonical(known), Canonical(observed));
                if (a == b || known.Contains(observed, StringComparison.Ordinal) || observed.Contains(known, StringComparison.Ordinal))
                {
                    return false;
                }

                if (a is "dark" or "light" || b is "dark" or "light")
                {
                    return ColourFamilies.TryGetValue(a, out var familyA) && ColourFamilies.TryGetValue(b, out var familyB) && familyA != familyB;
                }

                return true;
            case Age:
                if (!int.TryParse(known, out var age) || !int.TryParse(observed, out var stated))
                {
                    return false;
                }

                return qualifier switch
                {
                    "<" => age >= stated,
                    ">" => age < stated - 1,
                    "~" => Math.Abs(age - stated) > 3,
                    _ => Math.Abs(age - stated) > 1,
                };
            case Height:
                return (known.Contains("tall", StringComparison.Ordinal) && observed == "short") || (known.Contains("short", StringComparison.Ordinal) && observed == "tall");
            default:
                return false;
        }
    }

    private static string Canonical(string colour) => colour switch
    {
        "gray" => "grey",
        "blonde" or "blond" or "golden" or "flaxen" => "fair",
        "auburn" or "ginger" => "red",
        _ => colour,
    };

    private const string Colour = "blue|grey|gray|green|brown|hazel|dark|black|light|fair|red|golden|auburn|blonde|blond|chestnut|white|flaxen";

    [GeneratedRegex(@"^(?:['’]s)\s+(?:(?:fine|beautiful|bright|lovely|pretty|large|handsome|soft|keen|sparkling|clear|long|thick|curling|curly|pale|deep)\s*,?\s+){0,2}(?:(?:light|dark|pale|deep|bright)\s+)?(?<colour>" + Colour + @")\s+(?<part>eyes|hair)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Feature();

    [GeneratedRegex(@"^[^.;!?“”""]{0,50}?\b(?:his|her|whose)\s+(?:(?:fine|beautiful|bright|lovely|pretty|large|handsome|soft|keen|sparkling|clear|long|thick|curling|pale|deep)\s*,?\s+){0,2}(?:(?:(?:light|dark|pale|deep|bright)\s+)?(?<colour>" + Colour + @")\s+(?<part>eyes|hair)\b|(?<part>eyes|hair)\s+(?:were|was|are|is)\s+(?:(?:very|quite|rather|a)\s+)?(?:(?:light|dark|pale|deep|bright)\s+)?(?<colour>" + Colour + @")\b)", RegexOptions.IgnoreCase)]
    private static partial Regex FeatureWithPronoun();

    [GeneratedRegex(@"(?:(?:light|dark|pale|deep|bright)\s+)?(?<colour>" + Colour + @")-(?<part>eyed|haired)\s+(?:(?:Mr\.|Mrs\.|Miss)\s+)?$", RegexOptions.IgnoreCase)]
    private static partial Regex ColouredPrefix();

    [GeneratedRegex(@"^(?:,\s*|\s+(?:was|is|being)\s+)(?:a|an|the)?\s*(?:[\w-]+,?\s+){0,3}?(?:girl|boy|man|woman|lady|gentleman|youth|child|fellow)\s+of\s+(?<q>(?:not\s+(?:yet\s+|quite\s+)?|only\s+|just\s+|about\s+|nearly\s+|little\s+more\s+than\s+|above\s+|upwards\s+of\s+|more\s+than\s+|under\s+)?)(?<n>" + Numbers.Pattern + @")\b(?!\s+(?:thousand|hundred|pounds|miles|a\s+year|years\s+standing))", RegexOptions.IgnoreCase)]
    private static partial Regex AgeOf();

    [GeneratedRegex(@"^(?:,\s*(?:who\s+was\s+|aged\s+|now\s+)?|\s+(?:was|is|being|had\s+turned|turned)\s+)(?<q>(?:not\s+(?:yet\s+|quite\s+)?|only\s+|just\s+|but\s+|about\s+|nearly\s+|scarcely\s+|hardly\s+|little\s+more\s+than\s+|above\s+|upwards\s+of\s+|more\s+than\s+|under\s+)?)(?<n>" + Numbers.Pattern + @")(?=\s+years?\s+(?:old|of\s+age)|\s*[,.;!?—]|\s+(?:and|but|when|yet)\b)", RegexOptions.IgnoreCase)]
    private static partial Regex AgeWas();

    [GeneratedRegex(@"^\s+(?:was|is)\s+(?:an?\s+)?(?:(?:very|rather|quite|remarkably|uncommonly|unusually)\s+)?(?<h>tall|short)\b(?!\s+(?:of|time|while|distance|walk|way))", RegexOptions.IgnoreCase)]
    private static partial Regex HeightWas();
}
