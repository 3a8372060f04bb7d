using System.Globalization;
using System.Text;

namespace Folio.Export.Core.Text;

/// <summary>The little YAML the exports need: block mappings of scalars and lists, every string double-quoted.</summary>
public static class Yaml
{
    public static string Quote(string value)
    {
        var builder = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in XmlText.Clean(value))
        {
            builder.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ => c.ToString(),
            });
        }

        return builder.Append('"').ToString();
    }

    /// <summary>Appends <c>key: value</c> lines; null values and empty lists are left out.</summary>
    public static void AppendFields(StringBuilder yaml, IEnumerable<(string Key, object? Value)> fields, string indent = "")
    {
        foreach (var (key, value) in fields)
        {
            switch (value)
            {
                case null:
                    break;
                case string text:
                    yaml.Append(indent).Append(key).Append(": ").Append(Quote(text)).Append('\n');
                    break;
                case IReadOnlyList<string> list when list.Count > 0:
                    yaml.Append(indent).Append(key).Append(":\n");
                    foreach (var item in list)
                    {
                        yaml.Append(indent).Append("  - ").Append(Quote(item)).Append('\n');
                    }

                    break;
                case IReadOnlyList<string>:
                    break;
                case IFormattable number:
                    yaml.Append(indent).Append(key).Append(": ").Append(number.ToString(null, CultureInfo.InvariantCulture)).Append('\n');
                    break;
                default:
                    throw new ArgumentException($"{key}: unsupported YAML value {value.GetType().Name}.", nameof(fields));
            }
        }
    }

    /// <summary>The book's metadata as YAML mapping lines (front matter, manuscript/metadata.yml).</summary>
    public static string Metadata(BookMetadata metadata)
    {
        var yaml = new StringBuilder();
        AppendFields(yaml,
        [
            ("title", metadata.Title),
            ("subtitle", metadata.Subtitle),
            ("author", metadata.Authors),
            ("lang", metadata.Language),
            ("identifier", metadata.Identifier),
            ("publisher", metadata.Publisher),
            ("rights", metadata.Rights),
            ("edition", metadata.Edition),
            ("date", metadata.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
            ("description", metadata.Description),
            ("subject", metadata.Subjects),
            ("series", metadata.SeriesName),
            ("series-number", metadata.SeriesName is null ? null : metadata.SeriesNumber),
        ]);
        return yaml.ToString();
    }
}
