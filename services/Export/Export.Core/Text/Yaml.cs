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

    /// <summary>
    /// Reads what <see cref="Metadata"/> writes (a repository's <c>manuscript/metadata.yml</c>): <c>key: "text"</c>,
    /// <c>key: 3</c> and <c>key:</c> followed by <c>  - "item"</c> lines. Each key maps to its values (one for a scalar);
    /// comments and lines of any other shape are passed over.
    /// </summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> ReadFields(string yaml)
    {
        var fields = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        List<string>? list = null;
        foreach (var line in yaml.ReplaceLineEndings("\n").Split('\n'))
        {
            if (list is not null && line.StartsWith("  - ", StringComparison.Ordinal))
            {
                list.Add(Unquote(line[4..].Trim()));
                continue;
            }

            list = null;
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (line.StartsWith('#') || line.StartsWith(' ') || colon <= 0)
            {
                continue;
            }

            var (key, value) = (line[..colon], line[(colon + 1)..].Trim());
            if (value.Length == 0)
            {
                fields[key] = list = [];
            }
            else
            {
                fields[key] = [Unquote(value)];
            }
        }

        return fields;
    }

    private static string Unquote(string value)
    {
        if (value.Length < 2 || value[0] != '"' || value[^1] != '"')
        {
            return value;
        }

        var builder = new StringBuilder(value.Length);
        for (var i = 1; i < value.Length - 1; i++)
        {
            if (value[i] == '\\' && i + 1 < value.Length - 1)
            {
                i++;
                builder.Append(value[i] switch { 'n' => '\n', 'r' => '\r', 't' => '\t', var other => other });
            }
            else
            {
                builder.Append(value[i]);
            }
        }

        return builder.ToString();
    }
}
