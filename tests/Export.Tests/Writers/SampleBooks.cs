using Folio.Export.Core;
using Folio.Tests.Infrastructure;

namespace Folio.Export.Tests.Writers;

/// <summary>Books built from the shared corpus (the latest text of each chapter) and a few hostile ones.</summary>
public static class SampleBooks
{
    private static readonly Lazy<IReadOnlyList<BookChapter>> LatestChapters = new(() => CorpusBooks.LatestChapters(Corpus.Load()));

    public static BookMetadata Metadata => CorpusBooks.Metadata;

    /// <summary>The whole book, 61 chapters.</summary>
    public static Book Corpus61 => new(Metadata, LatestChapters.Value);

    public static Book FirstChapters(int count) => new(Metadata, LatestChapters.Value.Take(count).ToList());

    /// <summary>Everything XHTML and XML must escape or drop, in a title, metadata and text.</summary>
    public static Book Hostile { get; } = new(
        Metadata with { Title = "Tom & Jerry <\"Quoted\"> 'apostrophes'", Authors = ["A <b>bold</b> author & co"], SeriesName = "Series ]]> & <more>" },
        [
            new BookChapter(1, "Ampersands & <angle brackets> \"quotes\" \u0001control\u0008", string.Join("\n\n",
                "Raw HTML stays text: <script>alert('x')</script> and <div class=\"x\">a div</div> & an ampersand.",
                "Entities: &amp; &lt; &copy; &nbsp; &bogus; and a CDATA end ]]> and control characters here:\u0001\u000b\uffff.",
                "Emoji \ud83d\udcd6 and a lone surrogate \ud800 in *italic* and **bold** and `code <x>`.",
                "![a remote image](http://example.com/cover.png) and a [link](javascript:alert(1)).",
                "---",
                "> A quotation\n> over two lines.",
                "1. A list item\n2. Another")),
            new BookChapter(2, "Second", "The last sentence of the hostile book."),
        ]);

    /// <summary>One chapter of 200,000 words.</summary>
    public static Book Huge()
    {
        var paragraph = string.Join(' ', Enumerable.Repeat("The long chapter keeps on going, sentence after sentence, without end in sight.", 10));
        var words = paragraph.Split(' ').Length;
        var text = string.Join("\n\n", Enumerable.Repeat(paragraph, 200_000 / words));
        return new Book(Metadata, [new BookChapter(1, "The Long One", "It begins here. " + text), new BookChapter(2, "After", "A short ending.")]);
    }

    /// <summary>The first sentence of a chapter's prose, without Markdown emphasis.</summary>
    public static string FirstSentence(BookChapter chapter)
    {
        var firstParagraph = chapter.Markdown.Split("\n\n")[0].Replace("*", "", StringComparison.Ordinal);
        var end = firstParagraph.IndexOfAny(['.', '!', '?']);
        return end < 0 ? firstParagraph : firstParagraph[..(end + 1)];
    }

    /// <summary>Letters and digits only, lower case: what survives line breaking, hyphenation and typography.</summary>
    public static string Letters(string text) =>
        new(text.Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant).ToArray());
}
