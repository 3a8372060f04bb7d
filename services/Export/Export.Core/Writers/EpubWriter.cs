using System.Globalization;
using System.IO.Compression;
using System.Text;
using Folio.Export.Core.Text;

namespace Folio.Export.Core.Writers;

/// <summary>
/// EPUB 3 written directly: the OCF zip (<c>mimetype</c> first and stored), an OPF package with Dublin Core metadata and
/// the series as <c>belongs-to-collection</c>, a navigation document, one XHTML file per chapter and a stylesheet.
/// </summary>
public sealed class EpubWriter : IBookWriter
{
    private const string XhtmlStart =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" xmlns:epub=\"http://www.idpf.org/2007/ops\"";

    public ExportFormat Format => ExportFormat.Epub;

    public void Write(Book book, ExportOptions options, Stream output)
    {
        if (book.Chapters.Count == 0)
        {
            throw new ArgumentException("A book needs at least one chapter to be exported.", nameof(book));
        }

        var metadata = book.Metadata;
        var language = metadata.Language;
        var stamp = metadata.Date.UtcDateTime;
        using var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true);
        Add(zip, "mimetype", "application/epub+zip", stamp, CompressionLevel.NoCompression);
        Add(zip, "META-INF/container.xml",
            """
            <?xml version="1.0" encoding="UTF-8"?>
            <container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
              <rootfiles>
                <rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/>
              </rootfiles>
            </container>
            """, stamp);
        Add(zip, "OEBPS/style.css", Stylesheet(options), stamp);

        var spine = new List<(string Id, string Href, string? Properties)>();
        if (book.Cover is { } cover)
        {
            var extension = cover.MediaType == "image/png" ? "png" : "jpg";
            var entry = zip.CreateEntry($"OEBPS/cover.{extension}", CompressionLevel.NoCompression);
            entry.LastWriteTime = stamp;
            using (var stream = entry.Open())
            {
                stream.Write(cover.Data);
            }

            Add(zip, "OEBPS/cover.xhtml", Page(language, "Cover",
                $"<section epub:type=\"cover\" class=\"cover\"><img src=\"cover.{extension}\" alt=\"{XmlText.Escape(metadata.Title)}\"/></section>"), stamp);
            spine.Add(("cover", "cover.xhtml", null));
        }

        if (options.TitlePage)
        {
            Add(zip, "OEBPS/title.xhtml", Page(language, metadata.Title, TitlePage(metadata)), stamp);
            Add(zip, "OEBPS/copyright.xhtml", Page(language, "Copyright", CopyrightPage(metadata)), stamp);
            spine.Add(("title-page", "title.xhtml", null));
            spine.Add(("copyright", "copyright.xhtml", null));
        }

        Add(zip, "OEBPS/nav.xhtml", Navigation(book), stamp);
        if (options.TableOfContents)
        {
            spine.Add(("nav", "nav.xhtml", "nav"));
        }

        foreach (var chapter in book.Chapters)
        {
            var file = ChapterFile(chapter);
            var body = new StringBuilder()
                .Append("<section epub:type=\"chapter\" role=\"doc-chapter\" id=\"chapter-").Append(chapter.Number).Append("\">\n<h1>")
                .Append(XmlText.Escape(chapter.Title)).Append("</h1>\n")
                .Append(ManuscriptMarkdown.ToXhtml(chapter.Markdown))
                .Append("</section>");
            Add(zip, "OEBPS/" + file, Page(language, chapter.Title, body.ToString()), stamp);
            spine.Add(($"chapter-{chapter.Number}", file, null));
        }

        Add(zip, "OEBPS/content.opf", Package(book, spine), stamp);
    }

    private static string ChapterFile(BookChapter chapter) => $"chapter-{chapter.Number:000}.xhtml";

    private static void Add(ZipArchive zip, string name, string text, DateTime stamp, CompressionLevel level = CompressionLevel.Optimal)
    {
        var entry = zip.CreateEntry(name, level);
        entry.LastWriteTime = stamp;
        using var stream = entry.Open();
        using var writer = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16);
        writer.Write(text);
    }

    private static string Page(string language, string title, string body) =>
        $"{XhtmlStart} xml:lang=\"{XmlText.Escape(language)}\" lang=\"{XmlText.Escape(language)}\">\n<head>\n<title>{XmlText.Escape(title)}</title>\n" +
        $"<link rel=\"stylesheet\" type=\"text/css\" href=\"style.css\"/>\n</head>\n<body>\n{body}\n</body>\n</html>\n";

    private static string TitlePage(BookMetadata metadata)
    {
        var html = new StringBuilder("<section epub:type=\"titlepage\" class=\"title-page\">\n");
        html.Append("<h1 class=\"title\">").Append(XmlText.Escape(metadata.Title)).Append("</h1>\n");
        if (!string.IsNullOrWhiteSpace(metadata.Subtitle))
        {
            html.Append("<p class=\"subtitle\">").Append(XmlText.Escape(metadata.Subtitle)).Append("</p>\n");
        }

        if (metadata.SeriesName is { } series)
        {
            html.Append("<p class=\"series\">").Append(XmlText.Escape(SeriesLine(series, metadata.SeriesNumber))).Append("</p>\n");
        }

        if (metadata.AuthorLine.Length > 0)
        {
            html.Append("<p class=\"author\">").Append(XmlText.Escape(metadata.AuthorLine)).Append("</p>\n");
        }

        if (!string.IsNullOrWhiteSpace(metadata.Publisher))
        {
            html.Append("<p class=\"publisher\">").Append(XmlText.Escape(metadata.Publisher)).Append("</p>\n");
        }

        return html.Append("</section>").ToString();
    }

    internal static string SeriesLine(string series, int? number) => number is { } n ? $"{series}, book {n}" : series;

    private static string CopyrightPage(BookMetadata metadata)
    {
        var html = new StringBuilder("<section epub:type=\"copyright-page\" class=\"copyright\">\n");
        void Line(string? text)
        {
            if (!string.IsNullOrWhiteSpace(text))
            {
                html.Append("<p>").Append(XmlText.Escape(text)).Append("</p>\n");
            }
        }

        Line(metadata.Title + (metadata.AuthorLine.Length > 0 ? " by " + metadata.AuthorLine : ""));
        Line(metadata.Rights ?? $"© {metadata.Date.Year} {metadata.AuthorLine}".TrimEnd());
        Line(metadata.Edition);
        Line(metadata.Publisher);
        Line(metadata.Identifier);
        return html.Append("</section>").ToString();
    }

    private static string Navigation(Book book)
    {
        var nav = new StringBuilder();
        nav.Append(XhtmlStart).Append(" xml:lang=\"").Append(XmlText.Escape(book.Metadata.Language)).Append("\" lang=\"")
            .Append(XmlText.Escape(book.Metadata.Language)).Append("\">\n<head>\n<title>Contents</title>\n")
            .Append("<link rel=\"stylesheet\" type=\"text/css\" href=\"style.css\"/>\n</head>\n<body>\n")
            .Append("<nav epub:type=\"toc\" role=\"doc-toc\" id=\"toc\">\n<h1>Contents</h1>\n<ol>\n");
        foreach (var chapter in book.Chapters)
        {
            nav.Append("<li><a href=\"").Append(ChapterFile(chapter)).Append("\">").Append(XmlText.Escape(chapter.Title)).Append("</a></li>\n");
        }

        nav.Append("</ol>\n</nav>\n<nav epub:type=\"landmarks\" id=\"landmarks\" hidden=\"hidden\">\n<h2>Landmarks</h2>\n<ol>\n")
            .Append("<li><a epub:type=\"bodymatter\" href=\"").Append(ChapterFile(book.Chapters[0])).Append("\">Start of the book</a></li>\n")
            .Append("</ol>\n</nav>\n</body>\n</html>\n");
        return nav.ToString();
    }

    private static string Package(Book book, List<(string Id, string Href, string? Properties)> spine)
    {
        var metadata = book.Metadata;
        var opf = new StringBuilder();
        opf.Append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
            .Append("<package xmlns=\"http://www.idpf.org/2007/opf\" version=\"3.0\" unique-identifier=\"book-id\" xml:lang=\"")
            .Append(XmlText.Escape(metadata.Language)).Append("\">\n<metadata xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n");
        opf.Append("<dc:identifier id=\"book-id\">").Append(XmlText.Escape(metadata.Identifier)).Append("</dc:identifier>\n");
        opf.Append("<dc:title id=\"title\">").Append(XmlText.Escape(metadata.Title)).Append("</dc:title>\n")
            .Append("<meta refines=\"#title\" property=\"title-type\">main</meta>\n");
        if (!string.IsNullOrWhiteSpace(metadata.Subtitle))
        {
            opf.Append("<dc:title id=\"subtitle\">").Append(XmlText.Escape(metadata.Subtitle)).Append("</dc:title>\n")
                .Append("<meta refines=\"#subtitle\" property=\"title-type\">subtitle</meta>\n");
        }

        for (var i = 0; i < metadata.Authors.Count; i++)
        {
            opf.Append("<dc:creator id=\"creator-").Append(i + 1).Append("\">").Append(XmlText.Escape(metadata.Authors[i])).Append("</dc:creator>\n")
                .Append("<meta refines=\"#creator-").Append(i + 1).Append("\" property=\"role\" scheme=\"marc:relators\">aut</meta>\n");
        }

        opf.Append("<dc:language>").Append(XmlText.Escape(metadata.Language)).Append("</dc:language>\n");
        Element(opf, "dc:publisher", metadata.Publisher);
        Element(opf, "dc:rights", metadata.Rights);
        Element(opf, "dc:description", metadata.Description);
        foreach (var subject in metadata.Subjects)
        {
            Element(opf, "dc:subject", subject);
        }

        opf.Append("<dc:date>").Append(metadata.Date.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).Append("</dc:date>\n");
        opf.Append("<meta property=\"dcterms:modified\">").Append(metadata.Date.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)).Append("</meta>\n");
        if (!string.IsNullOrWhiteSpace(metadata.Edition))
        {
            opf.Append("<meta property=\"schema:bookEdition\">").Append(XmlText.Escape(metadata.Edition)).Append("</meta>\n");
        }

        if (metadata.SeriesName is { } series)
        {
            opf.Append("<meta property=\"belongs-to-collection\" id=\"series\">").Append(XmlText.Escape(series)).Append("</meta>\n")
                .Append("<meta refines=\"#series\" property=\"collection-type\">series</meta>\n");
            if (metadata.SeriesNumber is { } number)
            {
                opf.Append("<meta refines=\"#series\" property=\"group-position\">").Append(number.ToString(CultureInfo.InvariantCulture)).Append("</meta>\n");
            }
        }

        if (book.Cover is not null)
        {
            opf.Append("<meta name=\"cover\" content=\"cover-image\"/>\n");
        }

        opf.Append("</metadata>\n<manifest>\n")
            .Append("<item id=\"nav\" href=\"nav.xhtml\" media-type=\"application/xhtml+xml\" properties=\"nav\"/>\n")
            .Append("<item id=\"style\" href=\"style.css\" media-type=\"text/css\"/>\n");
        if (book.Cover is { } cover)
        {
            opf.Append("<item id=\"cover-image\" href=\"cover.").Append(cover.MediaType == "image/png" ? "png" : "jpg")
                .Append("\" media-type=\"").Append(cover.MediaType).Append("\" properties=\"cover-image\"/>\n");
        }

        foreach (var (id, href, _) in spine.Where(item => item.Id != "nav"))
        {
            opf.Append("<item id=\"").Append(id).Append("\" href=\"").Append(href).Append("\" media-type=\"application/xhtml+xml\"/>\n");
        }

        opf.Append("</manifest>\n<spine>\n");
        foreach (var (id, _, _) in spine)
        {
            opf.Append("<itemref idref=\"").Append(id).Append("\"/>\n");
        }

        opf.Append("</spine>\n");
        return opf.Append("</package>\n").ToString();
    }

    private static void Element(StringBuilder opf, string name, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            opf.Append('<').Append(name).Append('>').Append(XmlText.Escape(value)).Append("</").Append(name).Append(">\n");
        }
    }

    private static string Stylesheet(ExportOptions options) =>
        $$"""
        body { font-family: "{{options.FontFamily.Replace("\"", "", StringComparison.Ordinal)}}", serif; line-height: 1.45; margin: 0 5%; }
        h1 { font-size: 1.6em; text-align: center; margin: 2em 0 1.5em; font-weight: normal; }
        p { margin: 0; text-indent: 1.4em; text-align: justify; }
        h1 + p, hr + p, blockquote + p { text-indent: 0; }
        blockquote { margin: 1em 2em; }
        hr { border: none; text-align: center; margin: 1em 0; }
        hr::after { content: "* * *"; }
        .title-page { text-align: center; margin-top: 20%; }
        .title-page .title { font-size: 2.2em; }
        .title-page p, .copyright p { text-indent: 0; text-align: center; margin: 0.5em 0; }
        .title-page .author { font-size: 1.3em; margin-top: 2em; }
        .copyright { margin-top: 40%; font-size: 0.85em; }
        .cover { text-align: center; }
        .cover img { max-width: 100%; max-height: 100%; }
        nav ol { list-style: none; padding: 0; }
        nav li { margin: 0.3em 0; }
        """;
}
