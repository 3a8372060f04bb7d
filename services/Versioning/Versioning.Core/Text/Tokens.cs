namespace Folio.Versioning.Core.Text;

/// <summary>
/// Word-level tokens: maximal runs of whitespace and of non-whitespace (punctuation stays on its word, as in
/// <c>git diff --word-diff</c>). Every non-whitespace token is one unit of <see cref="WordCount"/> when it
/// holds a letter or digit, so word statistics add up exactly.
/// </summary>
internal static class Tokens
{
    public static string[] Split(string text)
    {
        var tokens = new List<string>();
        var start = 0;
        for (var i = 1; i <= text.Length; i++)
        {
            if (i == text.Length || char.IsWhiteSpace(text[i]) != char.IsWhiteSpace(text[start]))
            {
                tokens.Add(text[start..i]);
                start = i;
            }
        }

        return [.. tokens];
    }

    public static bool IsWhitespace(string token) => char.IsWhiteSpace(token[0]);
}
