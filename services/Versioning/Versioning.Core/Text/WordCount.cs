using System.Text;

namespace Folio.Versioning.Core.Text;

/// <summary>
/// Words as a writer counts them: whitespace-separated runs that hold at least one letter or digit, so
/// "well-known", "don't" and "*You*" are one word each and a lone "—", "*" or "#" is none.
/// </summary>
public static class WordCount
{
    public static int Count(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var count = 0;
        var inWord = false;
        foreach (var rune in text.EnumerateRunes())
        {
            if (Rune.IsWhiteSpace(rune))
            {
                inWord = false;
            }
            else if (!inWord && Rune.IsLetterOrDigit(rune))
            {
                inWord = true;
                count++;
            }
        }

        return count;
    }
}
