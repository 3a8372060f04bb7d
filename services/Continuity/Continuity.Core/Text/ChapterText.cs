using System.Text.RegularExpressions;

namespace Folio.Continuity.Core.Text;

/// <summary>One non-blank line of a chapter (a Markdown paragraph) and its narration: the text with dialogue blanked out, same offsets.</summary>
public sealed class Paragraph(int line, string text, string narration)
{
    public int Line { get; } = line;

    public string Text { get; } = text;

    public string Narration { get; } = narration;

    /// <summary>The sentence around <paramref name="index"/>, as a writer would quote it (at most 300 characters).</summary>
    public string SentenceAt(int index)
    {
        var (start, end) = Sentences.Bounds(Text, index);
        var sentence = Text[start..end].Trim();
        return sentence.Length <= 300 ? sentence : sentence[..300];
    }
}

/// <summary>A chapter split into paragraphs once, shared by every rule.</summary>
public sealed partial class ChapterText
{
    private ChapterText(IReadOnlyList<Paragraph> paragraphs, int words)
    {
        Paragraphs = paragraphs;
        Words = words;
    }

    public IReadOnlyList<Paragraph> Paragraphs { get; }

    public int Words { get; }

    public static ChapterText Parse(string? markdown)
    {
        var lines = (markdown ?? "").Split('\n');
        var paragraphs = new List<Paragraph>();
        var words = 0;
        var inLetter = false;
        for (var index = 0; index < lines.Length; index++)
        {
            var text = lines[index].TrimEnd('\r');
            if (string.IsNullOrWhiteSpace(text))
            {
                continue;
            }

            var count = WordPattern().Count(text);
            words += count;
            if (Salutation().IsMatch(text))
            {
                inLetter = true;
            }

            paragraphs.Add(new Paragraph(index + 1, text, inLetter ? new string(' ', text.Length) : Narration(text)));
            if (inLetter && count <= 4 && text.TrimEnd().EndsWith('.'))
            {
                inLetter = false;
            }
        }

        return new ChapterText(paragraphs, words);
    }

    public static int CountWords(string text) => WordPattern().Count(text);

    /// <summary>Blanks everything between quotation marks; a paragraph continuing a quotation opens with a mark again, so state starts fresh.</summary>
    private static string Narration(string text)
    {
        var chars = text.ToCharArray();
        var quoted = false;
        for (var index = 0; index < chars.Length; index++)
        {
            var c = chars[index];
            if (c == '“' || (c == '"' && !quoted))
            {
                quoted = true;
            }
            else if (c == '”' || (c == '"' && quoted))
            {
                quoted = false;
                chars[index] = ' ';
                continue;
            }

            if (quoted)
            {
                chars[index] = ' ';
            }
        }

        return new string(chars);
    }

    /// <summary>A letter quoted without quotation marks opens with "Dear Sir," on its own line and ends with a short signature line.</summary>
    [GeneratedRegex(@"^\s*(?:My\s+)?[Dd]ear(?:est)?\s+[^.]{1,30},\s*$")]
    private static partial Regex Salutation();

    [GeneratedRegex(@"[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*")]
    internal static partial Regex WordPattern();
}

public static partial class Sentences
{
    private static readonly HashSet<string> Abbreviations = new(StringComparer.Ordinal) { "Mr", "Mrs", "Dr", "St", "Col", "Capt", "Messrs", "Lt", "Gen", "Ms", "Jr", "Sr" };

    /// <summary>Start and end of the sentence containing <paramref name="index"/>; titles such as "Mr." do not end one.</summary>
    public static (int Start, int End) Bounds(string text, int index)
    {
        var start = 0;
        for (var i = Math.Min(index, text.Length) - 1; i > 0; i--)
        {
            if (IsEnd(text, i))
            {
                start = i + 1;
                break;
            }
        }

        var end = text.Length;
        for (var i = Math.Max(index, start); i < text.Length; i++)
        {
            if (IsEnd(text, i))
            {
                end = i + 1;
                break;
            }
        }

        return (start, end);
    }

    private static bool IsEnd(string text, int i)
    {
        var c = text[i];
        if (c is not ('.' or '!' or '?' or ';'))
        {
            return false;
        }

        if (i + 1 < text.Length && !char.IsWhiteSpace(text[i + 1]) && text[i + 1] is not ('”' or '"' or '’'))
        {
            return false;
        }

        if (c == '.')
        {
            var wordStart = i;
            while (wordStart > 0 && char.IsLetter(text[wordStart - 1]))
            {
                wordStart--;
            }

            if (Abbreviations.Contains(text[wordStart..i]))
            {
                return false;
            }
        }

        return true;
    }
}
