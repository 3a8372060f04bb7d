using System.Text;
using Folio.Export.Core.Text;

namespace Folio.Export.Core.Writers;

/// <summary>One Markdown file: YAML front matter with the metadata (pandoc's names), then each chapter under a level-1 heading.</summary>
public sealed class MarkdownWriter : IBookWriter
{
    public ExportFormat Format => ExportFormat.Markdown;

    public void Write(Book book, ExportOptions options, Stream output)
    {
        using var writer = new StreamWriter(output, new UTF8Encoding(false), 1 << 16, leaveOpen: true) { NewLine = "\n" };
        writer.Write("---\n");
        writer.Write(Yaml.Metadata(book.Metadata));
        if (options.TableOfContents)
        {
            writer.Write("toc: true\n");
        }

        writer.Write("---\n");
        foreach (var chapter in book.Chapters)
        {
            writer.Write("\n# ");
            writer.Write(XmlText.Clean(chapter.Title).ReplaceLineEndings(" "));
            writer.Write("\n\n");
            writer.Write(XmlText.Clean(chapter.Markdown).ReplaceLineEndings("\n").Trim('\n'));
            writer.Write('\n');
        }
    }
}
