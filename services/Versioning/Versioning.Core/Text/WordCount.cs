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
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                var rune = new Rune(c, text[++i]);
                if (!inWord && Rune.IsLetterOrDigit(rune))
                {
                    inWord = true;
                    count++;
                }
            }
            else if (char.IsWhiteSpace(c))
            {
                inWord = false;
            }
            else if (!inWord && char.IsLetterOrDigit(c))
            {
                inWord = true;
                count++;
            }
        }

        return count;
    }
}
