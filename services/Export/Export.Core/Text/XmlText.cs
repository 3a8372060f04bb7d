using System.Text;

namespace Folio.Export.Core.Text;

/// <summary>Text made safe for XML 1.0 documents (XHTML, OPF, DOCX parts).</summary>
public static class XmlText
{
    /// <summary>
    /// Drops what XML 1.0 cannot carry at all — control characters other than tab and line breaks, lone surrogates,
    /// U+FFFE/U+FFFF — which escaping cannot fix: a manuscript pasted from anywhere may contain them.
    /// </summary>
    public static string Clean(string text)
    {
        var firstBad = IndexOfInvalid(text);
        if (firstBad < 0)
        {
            return text;
        }

        var builder = new StringBuilder(text.Length);
        builder.Append(text, 0, firstBad);
        for (var i = firstBad; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                builder.Append(c).Append(text[++i]);
            }
            else if (IsAllowed(c))
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    /// <summary>Escapes for element content and double-quoted attribute values, after <see cref="Clean"/>.</summary>
    public static string Escape(string text)
    {
        var clean = Clean(text);
        if (clean.AsSpan().IndexOfAny("<>&\"'") < 0)
        {
            return clean;
        }

        var builder = new StringBuilder(clean.Length + 16);
        foreach (var c in clean)
        {
            builder.Append(c switch
            {
                '<' => "&lt;",
                '>' => "&gt;",
                '&' => "&amp;",
                '"' => "&quot;",
                '\'' => "&#39;",
                _ => c.ToString(),
            });
        }

        return builder.ToString();
    }

    private static int IndexOfInvalid(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (!IsAllowed(c))
            {
                return i;
            }
        }

        return -1;
    }

    private static bool IsAllowed(char c) =>
        c is '\t' or '\n' or '\r' || (c >= 0x20 && c < 0xD800) || (c >= 0xE000 && c <= 0xFFFD);
}
