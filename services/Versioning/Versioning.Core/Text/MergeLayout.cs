namespace Folio.Versioning.Core.Text;

/// <summary>
/// Puts merge output back together with the inputs' own whitespace: between two blocks that are neighbours in
/// ours and in theirs, the separator is merged three-way (theirs wins only where ours kept the base's); in one
/// side only, that side's; otherwise the inputs' usual separator. Leading and trailing whitespace merge three-way.
/// </summary>
internal sealed class MergeLayout
{
    public static readonly MergeLayout Plain = new(new MarkdownLayout("", []), new MarkdownLayout("", []), new MarkdownLayout("", []));

    private readonly MarkdownLayout @base;
    private readonly MarkdownLayout ours;
    private readonly MarkdownLayout theirs;
    private readonly string defaultSeparator;

    public MergeLayout(MarkdownLayout @base, MarkdownLayout ours, MarkdownLayout theirs)
    {
        this.@base = @base;
        this.ours = ours;
        this.theirs = theirs;
        defaultSeparator = UsualSeparator(ours, theirs, @base);
    }

    public string Compose(IReadOnlyList<MergePiece> pieces) =>
        Merge3(@base.Leading, ours.Leading, theirs.Leading) + Join(pieces) + Merge3(Trailing(@base), Trailing(ours), Trailing(theirs));

    /// <summary>The text of blocks as they follow each other in the merge, without leading or trailing whitespace.</summary>
    public string Join(IReadOnlyList<MergePiece> pieces)
    {
        var text = new System.Text.StringBuilder();
        for (var i = 0; i < pieces.Count; i++)
        {
            if (i > 0)
            {
                text.Append(Separator(pieces[i - 1], pieces[i]));
            }

            text.Append(pieces[i].Text);
        }

        return text.ToString();
    }

    private string Separator(MergePiece before, MergePiece after)
    {
        var inBase = Between(@base, before.Base, after.Base);
        var inOurs = Between(ours, before.Ours, after.Ours);
        var inTheirs = Between(theirs, before.Theirs, after.Theirs);
        if (inOurs is not null && inTheirs is not null)
        {
            return Merge3(inBase, inOurs, inTheirs);
        }

        return inOurs ?? inTheirs ?? defaultSeparator;
    }

    private static string UsualSeparator(params MarkdownLayout[] layouts)
    {
        foreach (var layout in layouts)
        {
            var usual = layout.Segments.SkipLast(1)
                .GroupBy(segment => segment.Separator, StringComparer.Ordinal)
                .MaxBy(group => group.Count())?.Key;
            if (usual is not null)
            {
                return usual;
            }
        }

        return layouts.Any(layout => layout.Compose().Contains("\r\n", StringComparison.Ordinal)) ? "\r\n\r\n" : MarkdownBlocks.CanonicalSeparator;
    }

    private static string? Between(MarkdownLayout layout, int? before, int? after) =>
        before is { } index && after == index + 1 ? layout.Segments[index].Separator : null;

    private static string Trailing(MarkdownLayout layout) => layout.Segments.Count == 0 ? "" : layout.Segments[^1].Separator;

    private static string Merge3(string? @base, string ours, string theirs) =>
        string.Equals(ours, @base, StringComparison.Ordinal) ? theirs : ours;
}
