using System.Globalization;
using System.Text;
using Folio.Export.Core.Text;

namespace Folio.Export.Core.Writers;

/// <summary>
/// The book as one HTML document with CSS paged media for WeasyPrint: trim size and margins, page numbers, running
/// heads (book title on left pages, chapter title on right), chapters opening on a right-hand page, a contents page
/// whose page numbers come from <c>target-counter</c>, and hyphenation in the book's language.
/// </summary>
public static class PrintHtmlWriter
{
    public static void Write(Book book, ExportOptions options, TextWriter html)
    {
        if (book.Chapters.Count == 0)
        {
            throw new ArgumentException("A book needs at least one chapter to be exported.", nameof(book));
        }

        var metadata = book.Metadata;
        var language = XmlText.Escape(metadata.Language);
        html.Write($"<!DOCTYPE html>\n<html lang=\"{language}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{XmlText.Escape(metadata.Title)}</title>\n");
        if (metadata.AuthorLine.Length > 0)
        {
            html.Write($"<meta name=\"author\" content=\"{XmlText.Escape(metadata.AuthorLine)}\">\n");
        }

        if (!string.IsNullOrWhiteSpace(metadata.Description))
        {
            html.Write($"<meta name=\"description\" content=\"{XmlText.Escape(metadata.Description)}\">\n");
        }

        foreach (var subject in metadata.Subjects)
        {
            html.Write($"<meta name=\"keywords\" content=\"{XmlText.Escape(subject)}\">\n");
        }

        html.Write($"<style>\n{Stylesheet(options)}\n</style>\n</head>\n<body>\n");
        html.Write($"<div class=\"book-title\">{XmlText.Escape(metadata.Title)}</div>\n");
        if (book.Cover is { } cover)
        {
            html.Write($"<section class=\"front cover\"><img src=\"data:{cover.MediaType};base64,{Convert.ToBase64String(cover.Data)}\" alt=\"{XmlText.Escape(metadata.Title)}\"></section>\n");
        }

        if (options.TitlePage)
        {
            html.Write("<section class=\"front title-page\">\n");
            html.Write($"<h1 class=\"title\">{XmlText.Escape(metadata.Title)}</h1>\n");
            Line(html, "subtitle", metadata.Subtitle);
            Line(html, "series", metadata.SeriesName is { } series ? EpubWriter.SeriesLine(series, metadata.SeriesNumber) : null);
            Line(html, "author", metadata.AuthorLine);
            Line(html, "publisher", metadata.Publisher);
            html.Write("</section>\n<section class=\"front copyright\">\n");
            Line(html, null, metadata.Rights ?? $"© {metadata.Date.Year} {metadata.AuthorLine}".TrimEnd());
            Line(html, null, metadata.Edition);
            Line(html, null, metadata.Identifier);
            html.Write("</section>\n");
        }

        if (options.TableOfContents)
        {
            html.Write("<nav class=\"front toc\">\n<h2>Contents</h2>\n<ol>\n");
            foreach (var chapter in book.Chapters)
            {
                html.Write($"<li><a href=\"#chapter-{chapter.Number}\">{XmlText.Escape(chapter.Title)}</a></li>\n");
            }

            html.Write("</ol>\n</nav>\n");
        }

        foreach (var chapter in book.Chapters)
        {
            html.Write($"<section class=\"chapter\" id=\"chapter-{chapter.Number}\">\n<h1 class=\"chapter-title\">{XmlText.Escape(chapter.Title)}</h1>\n");
            html.Write(ManuscriptMarkdown.ToXhtml(chapter.Markdown));
            html.Write("</section>\n");
        }

        html.Write("</body>\n</html>\n");
    }

    public static string Render(Book book, ExportOptions options)
    {
        var html = new StringWriter(new StringBuilder(1 << 20), CultureInfo.InvariantCulture);
        Write(book, options, html);
        return html.ToString();
    }

    private static void Line(TextWriter html, string? cssClass, string? text)
    {
        if (!string.IsNullOrWhiteSpace(text))
        {
            html.Write(cssClass is null ? "<p>" : $"<p class=\"{cssClass}\">");
            html.Write(XmlText.Escape(text));
            html.Write("</p>\n");
        }
    }

    private static string Stylesheet(ExportOptions options)
    {
        var size = options.TrimSize;
        var inch = (double value) => value.ToString("0.###", CultureInfo.InvariantCulture) + "in";
        // Margins grow a little with the page so a 6x9 and a letter page both look set, not cramped.
        var outer = inch(Math.Round(size.WidthInches * 0.1, 2));
        var inner = inch(Math.Round(size.WidthInches * 0.125, 2));
        var top = inch(Math.Round(size.HeightInches * 0.08, 2));
        var bottom = inch(Math.Round(size.HeightInches * 0.09, 2));
        var pageNumber = options.PageNumbers ? "content: counter(page);" : "content: none;";
        var font = options.FontFamily.Replace("\"", "", StringComparison.Ordinal).Replace("\\", "", StringComparison.Ordinal);
        var fontSize = options.FontSize.ToString("0.##", CultureInfo.InvariantCulture) + "pt";
        return $$"""
            @page { size: {{inch(size.WidthInches)}} {{inch(size.HeightInches)}}; margin: {{top}} {{outer}} {{bottom}} {{inner}};
              @bottom-center { {{pageNumber}} font-size: 9pt; }
              @top-center { font-size: 9pt; font-style: italic; } }
            @page :left { margin-left: {{outer}}; margin-right: {{inner}}; @top-center { content: string(book-title); } }
            @page :right { margin-left: {{inner}}; margin-right: {{outer}}; @top-center { content: string(chapter-title); } }
            @page front { @top-center { content: none; } @bottom-center { content: none; } }
            @page cover { margin: 0; @top-center { content: none; } @bottom-center { content: none; } }
            section.cover { page: cover; height: 100%; text-align: center; break-after: page; }
            section.cover img { width: 100%; height: 100%; object-fit: contain; }
            @page chapter-start { @top-center { content: none; } }
            @page :blank { @top-center { content: none; } @bottom-center { content: none; } }
            html { font-family: "{{font}}", serif; font-size: {{fontSize}}; line-height: 1.4; }
            body { margin: 0; }
            .book-title { string-set: book-title content(); display: none; }
            .front { page: front; break-after: page; }
            .title-page { text-align: center; padding-top: 25%; }
            .title-page .title { font-size: 2.2em; font-weight: normal; margin: 0 0 0.5em; }
            .title-page .subtitle { font-style: italic; font-size: 1.3em; }
            .title-page .author { font-size: 1.3em; margin-top: 3em; }
            .copyright { padding-top: 60%; font-size: 0.85em; text-align: center; }
            .copyright p { margin: 0.3em 0; text-indent: 0; }
            .toc { break-before: right; }
            .toc h2 { text-align: center; font-weight: normal; }
            .toc ol { list-style: none; padding: 0; }
            .toc a { color: inherit; text-decoration: none; }
            .toc a::after { content: leader('.') target-counter(attr(href), page); }
            .chapter { break-before: right; }
            .chapter-title { string-set: chapter-title content(); page: chapter-start; font-size: 1.6em; font-weight: normal; text-align: center; margin: 2em 0 1.5em; }
            p { margin: 0; text-indent: 1.3em; text-align: justify; hyphens: auto; orphans: 2; widows: 2; }
            h1 + p, hr + p { text-indent: 0; }
            hr { border: none; margin: 1em 0; text-align: center; }
            hr::after { content: "* * *"; }
            blockquote { margin: 0.8em 1.5em; }
            """;
    }
}
