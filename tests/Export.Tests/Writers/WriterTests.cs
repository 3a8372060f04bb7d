using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Folio.Export.Api.Features.Exports;
using Folio.Export.Core;
using Folio.Export.Core.Writers;
using Microsoft.Extensions.Options;

namespace Folio.Export.Tests.Writers;

/// <summary>Each writer's output judged by an independent tool, on a multi-chapter book from the corpus and on hostile input.</summary>
public sealed class WriterTests
{
    private static readonly ExportOptions Options = new();

    private static string WriteToFile(IBookWriter writer, Book book, ExportOptions? options = null)
    {
        var path = Tool.TempFile(writer.Format.Extension);
        using (var file = File.Create(path))
        {
            writer.Write(book, options ?? Options, file);
        }

        return path;
    }

    [Fact]
    public async Task Epub_of_a_corpus_book_passes_epubcheck_without_errors_or_warnings()
    {
        var book = SampleBooks.FirstChapters(5) with { Cover = new CoverImage(TinyPng, "image/png") };
        var path = WriteToFile(new EpubWriter(), book);

        await Tool.ShouldPassEpubcheckAsync(path);
        using var zip = ZipFile.OpenRead(path);
        zip.Entries[0].FullName.Should().Be("mimetype");
        zip.Entries[0].CompressedLength.Should().Be(zip.Entries[0].Length, "the mimetype entry is stored, not compressed");
        var opf = Read(zip, "OEBPS/content.opf");
        opf.Should().Contain("<meta property=\"belongs-to-collection\" id=\"series\">Austen&#39;s Novels</meta>")
            .And.Contain("<meta refines=\"#series\" property=\"group-position\">2</meta>")
            .And.Contain("<dc:creator id=\"creator-1\">Jane Austen</dc:creator>")
            .And.Contain("properties=\"cover-image\"");
        var nav = Read(zip, "OEBPS/nav.xhtml");
        foreach (var chapter in book.Chapters)
        {
            nav.Should().Contain($"<a href=\"chapter-{chapter.Number:000}.xhtml\">{chapter.Title}</a>");
            SampleBooks.Letters(Read(zip, $"OEBPS/chapter-{chapter.Number:000}.xhtml")).Should().Contain(SampleBooks.Letters(SampleBooks.FirstSentence(chapter)));
        }
    }

    [Fact]
    public async Task Epub_of_the_whole_61_chapter_corpus_book_passes_epubcheck()
    {
        await Tool.ShouldPassEpubcheckAsync(WriteToFile(new EpubWriter(), SampleBooks.Corpus61));
    }

    [Fact]
    public async Task Epub_escapes_markup_and_drops_characters_xml_cannot_carry()
    {
        var path = WriteToFile(new EpubWriter(), SampleBooks.Hostile);

        await Tool.ShouldPassEpubcheckAsync(path);
        using var zip = ZipFile.OpenRead(path);
        var chapter = Read(zip, "OEBPS/chapter-001.xhtml");
        chapter.Should().Contain("&lt;script&gt;alert('x')&lt;/script&gt;").And.NotContain("<script")
            .And.NotContain("javascript:").And.NotContain("http://example.com/cover.png").And.Contain("📖");
        Read(zip, "OEBPS/content.opf").Should().Contain("Tom &amp; Jerry &lt;&quot;Quoted&quot;&gt;");
    }

    [Fact]
    public async Task Epub_of_a_200000_word_chapter_is_valid()
    {
        var path = WriteToFile(new EpubWriter(), SampleBooks.Huge());

        await Tool.ShouldPassEpubcheckAsync(path);
    }

    [Fact]
    public async Task Epub_without_title_page_or_contents_is_still_valid()
    {
        var path = WriteToFile(new EpubWriter(), SampleBooks.FirstChapters(2), new ExportOptions { TitlePage = false, TableOfContents = false });

        await Tool.ShouldPassEpubcheckAsync(path);
    }

    [Fact]
    public async Task Docx_opens_in_LibreOffice_and_pandoc_reads_back_every_chapter()
    {
        var book = SampleBooks.FirstChapters(5);
        var path = WriteToFile(new DocxWriter(), book);

        var text = await PandocPlainAsync(path);
        foreach (var chapter in book.Chapters)
        {
            SampleBooks.Letters(text).Should().Contain(SampleBooks.Letters(chapter.Title))
                .And.Contain(SampleBooks.Letters(chapter.Markdown), "pandoc reads back the chapter's whole text");
        }

        var converted = await ConvertWithLibreOfficeAsync(path);
        new FileInfo(converted).Length.Should().BeGreaterThan(10_000);
        var pdfText = await Tool.RunAsync("pdftotext", converted, "-");
        SampleBooks.Letters(pdfText.Output).Should().Contain(SampleBooks.Letters(SampleBooks.FirstSentence(book.Chapters[^1])));
    }

    [Fact]
    public void Docx_has_real_styles_a_toc_field_page_numbers_and_page_breaks()
    {
        var path = WriteToFile(new DocxWriter(), SampleBooks.FirstChapters(3));

        using var zip = ZipFile.OpenRead(path);
        var styles = Read(zip, "word/styles.xml");
        styles.Should().Contain("w:styleId=\"Title\"").And.Contain("w:styleId=\"Heading1\"").And.Contain("w:firstLine=\"360\"");
        var document = Read(zip, "word/document.xml");
        document.Should().Contain(" TOC \\o \"1-1\" \\h").And.Contain("w:type=\"page\"").And.Contain("w:footerReference");
        var footer = zip.Entries.Should().ContainSingle(entry => entry.FullName.StartsWith("word/footer", StringComparison.Ordinal)).Which;
        Read(zip, footer.FullName).Should().Contain(" PAGE ");
    }

    [Fact]
    public async Task Docx_of_hostile_and_huge_chapters_is_read_back()
    {
        var hostile = await PandocPlainAsync(WriteToFile(new DocxWriter(), SampleBooks.Hostile));
        hostile.Should().Contain("<script>alert('x')</script>").And.Contain("Ampersands & <angle brackets> \"quotes\" control");

        var huge = SampleBooks.Huge();
        var text = await PandocPlainAsync(WriteToFile(new DocxWriter(), huge));
        text.Split(' ', '\n').Count(word => word == "sight.").Should().Be(huge.Chapters[0].Markdown.Split("sight.").Length - 1);
    }

    [Fact]
    public async Task Pdf_passes_qpdf_and_contains_every_chapters_first_sentence()
    {
        var book = SampleBooks.FirstChapters(4);
        var path = Tool.TempFile("pdf");
        await new WeasyPrint(Microsoft.Extensions.Options.Options.Create(new WeasyPrintOptions())).RenderAsync(book, Options with { TrimSize = TrimSize.Digest }, path, CancellationToken.None);

        var check = await Tool.RunAsync("qpdf", "--check", path);
        check.ExitCode.Should().Be(0, check.Output + check.Errors);
        var text = SampleBooks.Letters((await Tool.RunAsync("pdftotext", path, "-")).Output);
        foreach (var chapter in book.Chapters)
        {
            text.Should().Contain(SampleBooks.Letters(SampleBooks.FirstSentence(chapter)));
        }

        var info = (await Tool.RunAsync("pdfinfo", path)).Output;
        info.Should().MatchRegex(@"Page size:\s+396 x 612 pts", "5.5 x 8.5 inches is 396 x 612 points");
    }

    [Fact]
    public async Task Pdf_of_hostile_text_is_valid()
    {
        var path = Tool.TempFile("pdf");
        await new WeasyPrint(Microsoft.Extensions.Options.Options.Create(new WeasyPrintOptions())).RenderAsync(SampleBooks.Hostile, Options, path, CancellationToken.None);

        (await Tool.RunAsync("qpdf", "--check", path)).ExitCode.Should().Be(0);
        (await Tool.RunAsync("pdftotext", path, "-")).Output.Should().Contain("<script>alert('x')</script>").And.Contain("The last sentence of the hostile book.");
    }

    [Fact]
    public async Task Pdf_without_weasyprint_is_refused_and_leaves_no_file()
    {
        var path = Tool.TempFile("pdf");
        var missing = new WeasyPrint(Microsoft.Extensions.Options.Options.Create(new WeasyPrintOptions { Executable = "/nonexistent/weasyprint" }));

        var render = () => missing.RenderAsync(SampleBooks.Hostile, Options, path, CancellationToken.None);

        await render.Should().ThrowAsync<WeasyPrintMissingException>();
        File.Exists(path).Should().BeFalse();
    }

    [Fact]
    public async Task Markdown_front_matter_is_metadata_pandoc_understands()
    {
        var book = SampleBooks.FirstChapters(3);
        var path = WriteToFile(new MarkdownWriter(), book);

        var json = await Tool.RunAsync("pandoc", "-f", "markdown", "-t", "json", path);
        json.ExitCode.Should().Be(0, json.Errors);
        var meta = JsonDocument.Parse(json.Output).RootElement.GetProperty("meta");
        Stringify(meta.GetProperty("title")).Should().Be("Pride and Prejudice");
        Stringify(meta.GetProperty("series")).Should().Be("Austen’s Novels");
        meta.GetProperty("series-number").GetProperty("c").EnumerateArray().First().GetProperty("c").GetString().Should().Be("2");
        var plain = await Tool.RunAsync("pandoc", "-f", "markdown", "-t", "plain", "--wrap=none", path);
        foreach (var chapter in book.Chapters)
        {
            SampleBooks.Letters(plain.Output).Should().Contain(SampleBooks.Letters(chapter.Markdown));
        }
    }

    [Fact]
    public async Task Markdown_of_hostile_metadata_is_still_valid_yaml()
    {
        var path = WriteToFile(new MarkdownWriter(), SampleBooks.Hostile);

        var json = await Tool.RunAsync("pandoc", "-f", "markdown", "-t", "json", path);
        json.ExitCode.Should().Be(0, json.Errors);
        Stringify(JsonDocument.Parse(json.Output).RootElement.GetProperty("meta").GetProperty("title")).Should().Be("Tom & Jerry <“Quoted”> ‘apostrophes’");
    }

    [Fact]
    public void Text_has_the_title_block_and_every_chapters_prose_without_markup()
    {
        var book = SampleBooks.FirstChapters(3);
        using var output = new MemoryStream();
        new PlainTextWriter().Write(book, Options, output);

        var text = Encoding.UTF8.GetString(output.ToArray());
        text.Should().StartWith("Pride and Prejudice\nA Novel\nby Jane Austen\nAusten's Novels, book 2\n");
        text.Should().Contain("It is a truth universally acknowledged, that a single man in possession of a good fortune, must be in want of a wife.");
        foreach (var chapter in book.Chapters)
        {
            SampleBooks.Letters(text).Should().Contain(SampleBooks.Letters(chapter.Markdown));
        }

        text.Should().NotContain("*You*").And.Contain("“You want to tell me");
    }

    [Fact]
    public void Every_writer_refuses_a_book_without_chapters()
    {
        var empty = new Book(SampleBooks.Metadata, []);
        foreach (var writer in new IBookWriter[] { new EpubWriter(), new DocxWriter() })
        {
            var write = () => writer.Write(empty, Options, new MemoryStream());
            write.Should().Throw<ArgumentException>().WithMessage("*at least one chapter*");
        }
    }

    private static async Task<string> PandocPlainAsync(string docxPath)
    {
        var result = await Tool.RunAsync("pandoc", "-f", "docx", "-t", "plain", "--wrap=none", docxPath);
        result.ExitCode.Should().Be(0, result.Errors);
        return result.Output;
    }

    private static async Task<string> ConvertWithLibreOfficeAsync(string docxPath)
    {
        var outputDirectory = Path.Combine(Path.GetTempPath(), $"folio-lo-{Guid.NewGuid():N}");
        var profile = Path.Combine(outputDirectory, "profile");
        var result = await Tool.RunAsync("soffice", $"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf", "--outdir", outputDirectory, docxPath);
        var converted = Path.Combine(outputDirectory, Path.GetFileNameWithoutExtension(docxPath) + ".pdf");
        File.Exists(converted).Should().BeTrue($"LibreOffice converts the document: {result.Output}{result.Errors}");
        return converted;
    }

    private static string Read(ZipArchive zip, string name)
    {
        using var reader = new StreamReader(zip.GetEntry(name)!.Open());
        return reader.ReadToEnd();
    }

    /// <summary>Pandoc's metadata inlines back to a string.</summary>
    private static string Stringify(JsonElement meta)
    {
        var text = new StringBuilder();
        void Walk(JsonElement element)
        {
            if (element.ValueKind == JsonValueKind.Object)
            {
                var tag = element.GetProperty("t").GetString();
                if (tag == "Str")
                {
                    text.Append(element.GetProperty("c").GetString());
                }
                else if (tag == "Space")
                {
                    text.Append(' ');
                }
                else if (tag == "Quoted")
                {
                    var quote = element.GetProperty("c")[0].GetProperty("t").GetString() == "DoubleQuote" ? ("“", "”") : ("‘", "’");
                    text.Append(quote.Item1);
                    Walk(element.GetProperty("c")[1]);
                    text.Append(quote.Item2);
                }
                else if (element.TryGetProperty("c", out var content))
                {
                    Walk(content);
                }
            }
            else if (element.ValueKind == JsonValueKind.Array)
            {
                foreach (var child in element.EnumerateArray())
                {
                    Walk(child);
                }
            }
        }

        Walk(meta);
        return text.ToString();
    }

    /// <summary>A valid 1x1 PNG.</summary>
    [Fact]
    public void A_cover_is_told_by_its_magic_bytes_and_its_size_is_read_from_the_header()
    {
        CoverImage.From(TinyPng).Should().BeEquivalentTo(new { MediaType = "image/png" });
        CoverImage.From(TinyPng)!.PixelSize().Should().Be((1, 1));
        byte[] jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x04, 0x4A, 0x46, 0xFF, 0xC0, 0x00, 0x11, 0x08, 0x03, 0x84, 0x02, 0x58, 0x03, 0x01, 0x22, 0x00];
        CoverImage.From(jpeg)!.MediaType.Should().Be("image/jpeg");
        CoverImage.From(jpeg)!.PixelSize().Should().Be((600, 900));
        CoverImage.From("GIF89a\u0001\u0000\u0001\u0000"u8.ToArray()).Should().BeNull("only PNG and JPEG are covers");
        CoverImage.From(TinyPng[..12]).Should().BeNull("a PNG signature without a readable header is no picture");
        CoverImage.From("<svg xmlns='http://www.w3.org/2000/svg'/>"u8.ToArray()).Should().BeNull();
    }

    [Fact]
    public async Task Docx_and_pdf_with_a_cover_start_with_the_picture_and_stay_valid()
    {
        var book = SampleBooks.FirstChapters(2) with { Cover = CoverImage.From(TinyPng) };
        var docx = WriteToFile(new DocxWriter(), book);
        using (var zip = ZipFile.OpenRead(docx))
        {
            zip.Entries.Should().Contain(entry => entry.FullName.StartsWith("media/", StringComparison.Ordinal) && entry.FullName.EndsWith(".png", StringComparison.Ordinal));
            var document = Read(zip, "word/document.xml");
            document.IndexOf("<a:blip", StringComparison.Ordinal).Should().BePositive()
                .And.BeLessThan(document.IndexOf("w:val=\"Title\"", StringComparison.Ordinal), "the cover comes before the title page");
        }

        SampleBooks.Letters(await PandocPlainAsync(docx)).Should().Contain(SampleBooks.Letters(book.Chapters[1].Markdown));
        var converted = await ConvertWithLibreOfficeAsync(docx);
        (await Tool.RunAsync("pdfimages", "-list", converted)).Output.Split('\n').Should().Contain(line => line.TrimStart().StartsWith("1 ", StringComparison.Ordinal), "LibreOffice shows the picture on page 1");

        var pdf = Tool.TempFile("pdf");
        await new WeasyPrint(Microsoft.Extensions.Options.Options.Create(new WeasyPrintOptions())).RenderAsync(book, Options, pdf, CancellationToken.None);
        var check = await Tool.RunAsync("qpdf", "--check", pdf);
        check.ExitCode.Should().Be(0, check.Output + check.Errors);
        (await Tool.RunAsync("pdfimages", "-list", pdf)).Output.Split('\n').Should().Contain(line => line.TrimStart().StartsWith("1 ", StringComparison.Ordinal), "the cover is page 1");
        SampleBooks.Letters((await Tool.RunAsync("pdftotext", "-f", "1", "-l", "1", pdf, "-")).Output).Should().NotContain(SampleBooks.Letters("Pride and Prejudice"), "page 1 is the picture alone");
    }

    private static readonly byte[] TinyPng = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");
}
