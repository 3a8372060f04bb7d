using Markdig;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace Folio.Export.Core.Text;

/// <summary>
/// How every writer reads a chapter's Markdown: raw HTML is not interpreted (a manuscript is prose, and its HTML could
/// break the package), images become their description because a book package must not fetch remote resources, and
/// links keep their text but lose their target unless it is a web or mail address (no <c>javascript:</c> in a book).
/// </summary>
public static class ManuscriptMarkdown
{
    public static MarkdownPipeline Pipeline { get; } = new MarkdownPipelineBuilder().DisableHtml().Build();

    public static MarkdownDocument Parse(string markdown)
    {
        var document = Markdown.Parse(XmlText.Clean(markdown), Pipeline);
        foreach (var link in document.Descendants<LinkInline>().Where(link => link.IsImage || !IsSafeTarget(link.Url)).ToList())
        {
            link.ReplaceBy(new LiteralInline(PlainText(link)), copyChildren: false);
        }

        return document;
    }

    private static bool IsSafeTarget(string? url) =>
        url is not null && (url.StartsWith("https://", StringComparison.OrdinalIgnoreCase) || url.StartsWith("http://", StringComparison.OrdinalIgnoreCase)
            || url.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase));

    /// <summary>XHTML fragment (Markdig closes void elements and escapes text, so it is well-formed XML).</summary>
    public static string ToXhtml(string markdown)
    {
        using var writer = new StringWriter();
        var renderer = new Markdig.Renderers.HtmlRenderer(writer);
        Pipeline.Setup(renderer);
        renderer.Render(Parse(markdown));
        writer.Flush();
        return writer.ToString();
    }

    /// <summary>The words of an inline container without markup.</summary>
    public static string PlainText(ContainerInline? container)
    {
        var text = new System.Text.StringBuilder();
        AppendPlain(container, text);
        return text.ToString();
    }

    private static void AppendPlain(ContainerInline? container, System.Text.StringBuilder text)
    {
        for (var inline = container?.FirstChild; inline is not null; inline = inline.NextSibling)
        {
            switch (inline)
            {
                case LiteralInline literal:
                    text.Append(literal.Content);
                    break;
                case CodeInline code:
                    text.Append(code.Content);
                    break;
                case LineBreakInline:
                    text.Append(' ');
                    break;
                case HtmlEntityInline entity:
                    text.Append(entity.Transcoded);
                    break;
                case AutolinkInline autolink:
                    text.Append(autolink.Url);
                    break;
                case ContainerInline child:
                    AppendPlain(child, text);
                    break;
            }
        }
    }
}
