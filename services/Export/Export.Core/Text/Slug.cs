using System.Globalization;
using System.Text;

namespace Folio.Export.Core.Text;

public static class Slug
{
    /// <summary>Lower-case ASCII letters and digits joined by hyphens: safe in file names, URLs and git paths.</summary>
    public static string From(string text, string fallback = "untitled")
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text.Normalize(NormalizationForm.FormD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            if (char.IsAsciiLetterOrDigit(c))
            {
                builder.Append(char.ToLowerInvariant(c));
            }
            else if (builder.Length > 0 && builder[^1] != '-')
            {
                builder.Append('-');
            }
        }

        var slug = builder.ToString().Trim('-');
        return slug.Length == 0 ? fallback : slug.Length > 60 ? slug[..60].TrimEnd('-') : slug;
    }
}
