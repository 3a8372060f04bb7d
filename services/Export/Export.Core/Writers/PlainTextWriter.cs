using System.Text;
using Folio.Export.Core.Text;
using Markdig.Syntax;

namespace Folio.Export.Core.Writers;

/// <summary>Plain UTF-8 text: a title block, optionally a contents list, and each chapter's prose without markup.</summary>
public sealed class PlainTextWriter : IBookWriter
{
    public ExportFormat Format => ExportFormat.Text;

    public void Write(Book book, ExportOptions options, Stream output)
    {
        using var writer = new StreamWriter(output, new UTF8Encoding(false), 1 << 16, leaveOpen: true) { NewLine = "\n" };
        var metadata = book.Metadata;
        if (options.TitlePage)
        {
            writer.WriteLine(metadata.Title);
            WriteIfAny(writer, metadata.Subtitle);
            WriteIfAny(writer, metadata.AuthorLine.Length == 0 ? null : "by " + metadata.AuthorLine);
            WriteIfAny(writer, metadata.SeriesName is null ? null : $"{metadata.SeriesName}{(metadata.SeriesNumber is { } n ? $", book {n}" : "")}");
            writer.WriteLine();
            WriteIfAny(writer, metadata.Rights);
            WriteIfAny(writer, metadata.Edition);
            writer.WriteLine(metadata.Identifier);
            writer.WriteLine();
        }

        if (options.TableOfContents)
        {
            writer.WriteLine("Contents");
            writer.WriteLine();
            foreach (var chapter in book.Chapters)
            {
                writer.WriteLine(Heading(chapter));
            }

            writer.WriteLine();
        }

        foreach (var chapter in book.Chapters)
        {
            var heading = Heading(chapter);
            writer.WriteLine();
            writer.WriteLine(heading);
            writer.WriteLine(new string('=', Math.Min(heading.Length, 72)));
            writer.WriteLine();
            foreach (var block in ManuscriptMarkdown.Parse(chapter.Markdown))
            {
                WriteBlock(writer, block, "");
            }
        }
    }

    private static string Heading(BookChapter chapter) => XmlText.Clean(chapter.Title).ReplaceLineEndings(" ");

    private static void WriteIfAny(StreamWriter writer, string? line)
    {
        if (!string.IsNullOrWhiteSpace(line))
        {
            writer.WriteLine(XmlText.Clean(line));
        }
    }

    private static void WriteBlock(StreamWriter writer, Block block, string prefix)
    {
        switch (block)
        {
            case LeafBlock { Inline: { } inline }:
                writer.WriteLine(prefix + ManuscriptMarkdown.PlainText(inline));
                writer.WriteLine();
                break;
            case ThematicBreakBlock:
                writer.WriteLine(prefix + "* * *");
                writer.WriteLine();
                break;
            case LeafBlock leaf:
                foreach (var line in leaf.Lines.Lines.Take(leaf.Lines.Count))
                {
                    writer.WriteLine(prefix + line.Slice.ToString());
                }

                writer.WriteLine();
                break;
            case QuoteBlock quote:
                foreach (var child in quote)
                {
                    WriteBlock(writer, child, prefix + "    ");
                }

                break;
            case ContainerBlock container:
                foreach (var child in container)
                {
                    WriteBlock(writer, child, container is ListItemBlock ? prefix + "  " : prefix);
                }

                break;
        }
    }
}
