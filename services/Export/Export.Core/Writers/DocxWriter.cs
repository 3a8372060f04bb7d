using System.Globalization;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;
using Folio.Export.Core.Text;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;
using Drawing = DocumentFormat.OpenXml.Drawing;
using Pictures = DocumentFormat.OpenXml.Drawing.Pictures;
using WordDrawing = DocumentFormat.OpenXml.Drawing.Wordprocessing;
using WordText = DocumentFormat.OpenXml.Wordprocessing.Text;

namespace Folio.Export.Core.Writers;

/// <summary>
/// A Word document with real styles (Title, Heading 1, a body style with a first-line indent), a TOC field Word
/// fills in on opening, page numbers in the footer, a page per chapter, and the page size of the trim size.
/// </summary>
public sealed class DocxWriter : IBookWriter
{
    private const int TwipsPerInch = 1440;

    public ExportFormat Format => ExportFormat.Docx;

    public void Write(Book book, ExportOptions options, Stream output)
    {
        if (book.Chapters.Count == 0)
        {
            throw new ArgumentException("A book needs at least one chapter to be exported.", nameof(book));
        }

        using var document = WordprocessingDocument.Create(output, WordprocessingDocumentType.Document);
        var metadata = book.Metadata;
        document.PackageProperties.Title = XmlText.Clean(metadata.Title);
        document.PackageProperties.Creator = XmlText.Clean(metadata.AuthorLine);
        document.PackageProperties.Language = metadata.Language;
        document.PackageProperties.Identifier = XmlText.Clean(metadata.Identifier);
        if (metadata.Description is { } description)
        {
            document.PackageProperties.Description = XmlText.Clean(description);
        }

        var main = document.AddMainDocumentPart();
        main.AddNewPart<StyleDefinitionsPart>().Styles = Styles(options, metadata.Language);
        // Word fills the TOC field's page numbers when it opens the file.
        main.AddNewPart<DocumentSettingsPart>().Settings = new Settings(new UpdateFieldsOnOpen { Val = true });

        var body = new Body();
        var first = true;
        void NewPage()
        {
            if (!first)
            {
                body.Append(new Paragraph(new Run(new Break { Type = BreakValues.Page })));
            }

            first = false;
        }

        if (book.Cover is { } cover)
        {
            NewPage();
            body.Append(CoverPage(main, cover, metadata.Title, options.TrimSize));
        }

        if (options.TitlePage)
        {
            NewPage();
            body.Append(Styled("Title", metadata.Title));
            if (!string.IsNullOrWhiteSpace(metadata.Subtitle))
            {
                body.Append(Styled("Subtitle", metadata.Subtitle));
            }

            if (metadata.SeriesName is { } series)
            {
                body.Append(Styled("Subtitle", EpubWriter.SeriesLine(series, metadata.SeriesNumber)));
            }

            if (metadata.AuthorLine.Length > 0)
            {
                body.Append(Styled("Author", metadata.AuthorLine));
            }

            NewPage();
            foreach (var line in new[] { metadata.Rights ?? $"© {metadata.Date.Year} {metadata.AuthorLine}".TrimEnd(), metadata.Edition, metadata.Publisher, metadata.Identifier })
            {
                if (!string.IsNullOrWhiteSpace(line))
                {
                    body.Append(Styled("Copyright", line));
                }
            }
        }

        if (options.TableOfContents)
        {
            NewPage();
            body.Append(Styled("TOCHeading", "Contents"));
            body.Append(TableOfContentsField());
        }

        foreach (var chapter in book.Chapters)
        {
            NewPage();
            body.Append(Styled("Heading1", chapter.Title));
            var afterHeading = true;
            foreach (var block in ManuscriptMarkdown.Parse(chapter.Markdown))
            {
                AppendBlock(body, block, ref afterHeading, 0);
            }
        }

        var section = new SectionProperties(
            new PageSize { Width = Twips(options.TrimSize.WidthInches), Height = Twips(options.TrimSize.HeightInches) },
            new PageMargin { Top = 1080, Bottom = 1080, Left = 1008U, Right = 1008U, Header = 576U, Footer = 576U, Gutter = 0U });
        if (options.PageNumbers)
        {
            var footer = main.AddNewPart<FooterPart>();
            footer.Footer = new Footer(new Paragraph(
                new ParagraphProperties(new ParagraphStyleId { Val = "Footer" }),
                new SimpleField(new Run(new WordText("1"))) { Instruction = " PAGE " }));
            section.PrependChild(new FooterReference { Type = HeaderFooterValues.Default, Id = main.GetIdOfPart(footer) });
        }

        body.Append(section);
        main.Document = new Document(body);
    }

    private static UInt32Value Twips(double inches) => (uint)Math.Round(inches * TwipsPerInch);

    /// <summary>The cover picture, centred and as large as the page's text area allows without changing its proportions.</summary>
    private static Paragraph CoverPage(MainDocumentPart main, CoverImage cover, string title, TrimSize trim)
    {
        var image = main.AddImagePart(cover.MediaType == "image/png" ? ImagePartType.Png : ImagePartType.Jpeg);
        using (var data = new MemoryStream(cover.Data, writable: false))
        {
            image.FeedData(data);
        }

        // The text area: the page less the margins set below (1008 twips each side, 1080 top and bottom), in EMU.
        const long EmuPerTwip = 635;
        var (boxWidth, boxHeight) = ((Twips(trim.WidthInches) - 2016L) * EmuPerTwip, (Twips(trim.HeightInches) - 2160L - 400L) * EmuPerTwip);
        var (width, height) = cover.PixelSize();
        var scale = Math.Min((double)boxWidth / width, (double)boxHeight / height);
        var (cx, cy) = ((long)(width * scale), (long)(height * scale));
        var picture = new Pictures.Picture(
            new Pictures.NonVisualPictureProperties(
                new Pictures.NonVisualDrawingProperties { Id = 0U, Name = "cover" }, new Pictures.NonVisualPictureDrawingProperties()),
            new Pictures.BlipFill(new Drawing.Blip { Embed = main.GetIdOfPart(image) }, new Drawing.Stretch(new Drawing.FillRectangle())),
            new Pictures.ShapeProperties(
                new Drawing.Transform2D(new Drawing.Offset { X = 0L, Y = 0L }, new Drawing.Extents { Cx = cx, Cy = cy }),
                new Drawing.PresetGeometry(new Drawing.AdjustValueList()) { Preset = Drawing.ShapeTypeValues.Rectangle }));
        var inline = new WordDrawing.Inline(
            new WordDrawing.Extent { Cx = cx, Cy = cy },
            new WordDrawing.EffectExtent { LeftEdge = 0L, TopEdge = 0L, RightEdge = 0L, BottomEdge = 0L },
            new WordDrawing.DocProperties { Id = 1U, Name = "Cover", Description = XmlText.Clean(title) },
            new WordDrawing.NonVisualGraphicFrameDrawingProperties(new Drawing.GraphicFrameLocks { NoChangeAspect = true }),
            new Drawing.Graphic(new Drawing.GraphicData(picture) { Uri = "http://schemas.openxmlformats.org/drawingml/2006/picture" }))
        {
            DistanceFromTop = 0U, DistanceFromBottom = 0U, DistanceFromLeft = 0U, DistanceFromRight = 0U,
        };
        return new Paragraph(
            new ParagraphProperties(new Justification { Val = JustificationValues.Center }),
            new Run(new DocumentFormat.OpenXml.Wordprocessing.Drawing(inline)));
    }

    private static Paragraph Styled(string style, string text) =>
        new(new ParagraphProperties(new ParagraphStyleId { Val = style }), TextRun(text, null));

    private static Run TextRun(string text, RunProperties? properties)
    {
        var run = new Run();
        if (properties is not null)
        {
            run.Append(properties);
        }

        run.Append(new WordText(XmlText.Clean(text)) { Space = SpaceProcessingModeValues.Preserve });
        return run;
    }

    private static Paragraph TableOfContentsField() => new(
        new ParagraphProperties(new ParagraphStyleId { Val = "TOC1" }),
        new Run(new FieldChar { FieldCharType = FieldCharValues.Begin, Dirty = true }),
        new Run(new FieldCode(" TOC \\o \"1-1\" \\h \\z \\u ") { Space = SpaceProcessingModeValues.Preserve }),
        new Run(new FieldChar { FieldCharType = FieldCharValues.Separate }),
        new Run(new WordText("The table of contents is filled in when the document is opened.")),
        new Run(new FieldChar { FieldCharType = FieldCharValues.End }));

    private static void AppendBlock(Body body, Block block, ref bool afterHeading, int indentLevel)
    {
        switch (block)
        {
            case HeadingBlock heading:
                body.Append(InlineParagraph(heading.Level <= 1 ? "Heading2" : "Heading3", heading.Inline, indentLevel));
                afterHeading = true;
                break;
            case ParagraphBlock paragraph:
                body.Append(InlineParagraph(afterHeading ? "FirstParagraph" : "BodyText", paragraph.Inline, indentLevel));
                afterHeading = false;
                break;
            case ThematicBreakBlock:
                body.Append(Styled("SceneBreak", "* * *"));
                afterHeading = true;
                break;
            case LeafBlock leaf:
                foreach (var line in leaf.Lines.Lines.Take(leaf.Lines.Count))
                {
                    body.Append(Styled("Preformatted", line.Slice.ToString()));
                }

                afterHeading = false;
                break;
            case ContainerBlock container:
                var inner = block is QuoteBlock or ListBlock ? indentLevel + 1 : indentLevel;
                foreach (var child in container)
                {
                    AppendBlock(body, child, ref afterHeading, inner);
                }

                break;
        }
    }

    private static Paragraph InlineParagraph(string style, ContainerInline? inlines, int indentLevel)
    {
        var properties = new ParagraphProperties(new ParagraphStyleId { Val = style });
        if (indentLevel > 0)
        {
            properties.Append(new Indentation { Left = (indentLevel * 720).ToString(CultureInfo.InvariantCulture) });
        }

        var paragraph = new Paragraph(properties);
        AppendInlines(paragraph, inlines, italic: false, bold: false);
        return paragraph;
    }

    private static void AppendInlines(Paragraph paragraph, ContainerInline? container, bool italic, bool bold)
    {
        for (var inline = container?.FirstChild; inline is not null; inline = inline.NextSibling)
        {
            switch (inline)
            {
                case EmphasisInline emphasis:
                    AppendInlines(paragraph, emphasis, italic || emphasis.DelimiterCount == 1, bold || emphasis.DelimiterCount >= 2);
                    break;
                case LineBreakInline { IsHard: true }:
                    paragraph.Append(new Run(new Break()));
                    break;
                case LineBreakInline:
                    paragraph.Append(TextRun(" ", null));
                    break;
                case ContainerInline child:
                    AppendInlines(paragraph, child, italic, bold);
                    break;
                default:
                    var text = inline switch
                    {
                        LiteralInline literal => literal.Content.ToString(),
                        CodeInline code => code.Content,
                        HtmlEntityInline entity => entity.Transcoded.ToString(),
                        AutolinkInline autolink => autolink.Url,
                        _ => "",
                    };
                    if (text.Length > 0)
                    {
                        paragraph.Append(TextRun(text, Emphasis(italic, bold)));
                    }

                    break;
            }
        }
    }

    private static RunProperties? Emphasis(bool italic, bool bold)
    {
        if (!italic && !bold)
        {
            return null;
        }

        var properties = new RunProperties();
        if (bold)
        {
            properties.Append(new Bold());
        }

        if (italic)
        {
            properties.Append(new Italic());
        }

        return properties;
    }

    private static Styles Styles(ExportOptions options, string language)
    {
        var halfPoints = ((int)Math.Round(options.FontSize * 2)).ToString(CultureInfo.InvariantCulture);
        var font = options.FontFamily;
        var styles = new Styles(new DocDefaults(
            new RunPropertiesDefault(new RunPropertiesBaseStyle(
                new RunFonts { Ascii = font, HighAnsi = font, ComplexScript = font, EastAsia = font },
                new FontSize { Val = halfPoints },
                new Languages { Val = language })),
            new ParagraphPropertiesDefault(new ParagraphPropertiesBaseStyle(new SpacingBetweenLines { After = "0", Line = "276", LineRule = LineSpacingRuleValues.Auto }))));

        styles.Append(ParagraphStyle("Normal", "Normal", null, null, isDefault: true));
        styles.Append(ParagraphStyle("BodyText", "Body Text", "Normal",
            new ParagraphProperties(new Indentation { FirstLine = "360" }, new Justification { Val = JustificationValues.Both })));
        styles.Append(ParagraphStyle("FirstParagraph", "First Paragraph", "BodyText",
            new ParagraphProperties(new Indentation { FirstLine = "0" })));
        styles.Append(ParagraphStyle("Title", "Title", "Normal",
            new ParagraphProperties(new SpacingBetweenLines { Before = "2880", After = "240" }, new Justification { Val = JustificationValues.Center }),
            new StyleRunProperties(new FontSize { Val = "56" })));
        styles.Append(ParagraphStyle("Subtitle", "Subtitle", "Normal",
            new ParagraphProperties(new SpacingBetweenLines { After = "240" }, new Justification { Val = JustificationValues.Center }),
            new StyleRunProperties(new Italic(), new FontSize { Val = "32" })));
        styles.Append(ParagraphStyle("Author", "Author", "Normal",
            new ParagraphProperties(new SpacingBetweenLines { Before = "720" }, new Justification { Val = JustificationValues.Center }),
            new StyleRunProperties(new FontSize { Val = "32" })));
        styles.Append(ParagraphStyle("Copyright", "Copyright", "Normal",
            new ParagraphProperties(new SpacingBetweenLines { After = "120" }, new Justification { Val = JustificationValues.Center }),
            new StyleRunProperties(new FontSize { Val = "18" })));
        styles.Append(ParagraphStyle("Heading1", "heading 1", "Normal",
            new ParagraphProperties(new KeepNext(), new SpacingBetweenLines { Before = "1440", After = "480" }, new Justification { Val = JustificationValues.Center }, new OutlineLevel { Val = 0 }),
            new StyleRunProperties(new FontSize { Val = "36" })));
        styles.Append(ParagraphStyle("Heading2", "heading 2", "Normal",
            new ParagraphProperties(new KeepNext(), new SpacingBetweenLines { Before = "360", After = "240" }, new OutlineLevel { Val = 1 }),
            new StyleRunProperties(new Bold(), new FontSize { Val = "28" })));
        styles.Append(ParagraphStyle("Heading3", "heading 3", "Normal",
            new ParagraphProperties(new KeepNext(), new SpacingBetweenLines { Before = "240", After = "120" }, new OutlineLevel { Val = 2 }),
            new StyleRunProperties(new Bold())));
        styles.Append(ParagraphStyle("SceneBreak", "Scene Break", "Normal",
            new ParagraphProperties(new SpacingBetweenLines { Before = "240", After = "240" }, new Justification { Val = JustificationValues.Center })));
        styles.Append(ParagraphStyle("Preformatted", "Preformatted Text", "Normal", null,
            new StyleRunProperties(new RunFonts { Ascii = "Liberation Mono", HighAnsi = "Liberation Mono" })));
        styles.Append(ParagraphStyle("TOCHeading", "TOC Heading", "Heading1", null));
        styles.Append(ParagraphStyle("TOC1", "toc 1", "Normal",
            new ParagraphProperties(new Tabs(new TabStop { Val = TabStopValues.Right, Leader = TabStopLeaderCharValues.Dot, Position = 8000 }))));
        styles.Append(ParagraphStyle("Footer", "footer", "Normal",
            new ParagraphProperties(new Justification { Val = JustificationValues.Center })));
        return styles;
    }

    private static Style ParagraphStyle(string id, string name, string? basedOn, ParagraphProperties? paragraph, StyleRunProperties? run = null, bool isDefault = false)
    {
        var style = new Style { Type = StyleValues.Paragraph, StyleId = id, Default = isDefault ? true : null };
        style.Append(new StyleName { Val = name });
        if (basedOn is not null)
        {
            style.Append(new BasedOn { Val = basedOn });
        }

        style.Append(new PrimaryStyle());
        if (paragraph is not null)
        {
            style.Append(new StyleParagraphProperties(paragraph.ChildElements.Select(child => child.CloneNode(true))));
        }

        if (run is not null)
        {
            style.Append(run);
        }

        return style;
    }
}
