using System.Globalization;
using System.Text;

namespace Folio.Versioning.Api.Features.History;

public sealed record TreeEntry(Guid ChapterId, string ContentId);

/// <summary>
/// The book at one commit: chapters in reading order, each with the content id of its text. Serialized as one line
/// per chapter and stored as a content object, so consecutive trees share storage like chapter texts do.
/// </summary>
public sealed record BookTree(IReadOnlyList<TreeEntry> Chapters)
{
    public static readonly BookTree Empty = new([]);

    public string? Find(Guid chapterId) => Chapters.FirstOrDefault(entry => entry.ChapterId == chapterId)?.ContentId;

    /// <summary>Replaces the chapter's content, appends a new chapter at the end, or removes it when <paramref name="contentId"/> is null.</summary>
    public BookTree With(Guid chapterId, string? contentId)
    {
        var chapters = Chapters.ToList();
        var index = chapters.FindIndex(entry => entry.ChapterId == chapterId);
        if (contentId is null)
        {
            if (index >= 0)
            {
                chapters.RemoveAt(index);
            }
        }
        else if (index >= 0)
        {
            chapters[index] = new TreeEntry(chapterId, contentId);
        }
        else
        {
            chapters.Add(new TreeEntry(chapterId, contentId));
        }

        return new BookTree(chapters);
    }

    /// <summary>Puts the listed chapters first, in that order; chapters not listed keep their relative order after them.</summary>
    public BookTree Reordered(IReadOnlyList<Guid> order)
    {
        var position = order.Select((id, index) => (id, index)).ToDictionary(pair => pair.id, pair => pair.index);
        return new BookTree(Chapters.OrderBy(entry => position.GetValueOrDefault(entry.ChapterId, int.MaxValue)).ToList());
    }

    public string Serialize()
    {
        var text = new StringBuilder("folio-tree 1\n");
        foreach (var entry in Chapters)
        {
            text.Append(CultureInfo.InvariantCulture, $"{entry.ChapterId:N} {entry.ContentId}\n");
        }

        return text.ToString();
    }

    public static BookTree Parse(string text)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (lines.Length == 0 || lines[0] != "folio-tree 1")
        {
            throw new InvalidDataException("Not a Folio book tree.");
        }

        return new BookTree(lines.Skip(1)
            .Select(line => line.Split(' '))
            .Select(parts => new TreeEntry(Guid.ParseExact(parts[0], "N"), parts[1]))
            .ToList());
    }
}
