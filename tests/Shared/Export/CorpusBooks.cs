using System.Security.Cryptography;
using System.Text;
using Folio.Export.Core;
using Folio.Export.Core.Git;

namespace Folio.Tests.Infrastructure;

/// <summary>The shared corpus as Export sees a book: its latest chapters, and its whole history (for tests and benchmarks).</summary>
public static class CorpusBooks
{
    public static BookMetadata Metadata { get; } = new()
    {
        Title = "Pride and Prejudice",
        Subtitle = "A Novel",
        Authors = ["Jane Austen"],
        Language = "en-GB",
        Identifier = "urn:uuid:5a0b6f0e-8f57-4bd4-9c1a-2f51c4b0a001",
        Publisher = "Folio Test Press",
        Rights = "Public domain in the United States.",
        Edition = "Second edition",
        Description = "Mr. Bennet & his daughters <a test of escaping>.",
        Subjects = ["Fiction", "Courtship"],
        Date = new DateTimeOffset(2026, 11, 21, 12, 0, 0, TimeSpan.Zero),
        SeriesName = "Austen's Novels",
        SeriesNumber = 2,
    };

    /// <summary>The latest text of each of the 61 chapters, titled "Chapter I" … "Chapter LXI".</summary>
    public static IReadOnlyList<BookChapter> LatestChapters(IReadOnlyList<CorpusRevision> revisions) => revisions
        .GroupBy(revision => revision.Chapter)
        .OrderBy(chapter => chapter.Key)
        .Select(chapter => chapter.Last())
        .Select(revision => new BookChapter(revision.Chapter, $"Chapter {revision.Title}", revision.Markdown))
        .ToList();

    /// <summary>
    /// The 566 revisions as a Folio history: one commit per <c>seq</c> carrying every chapter written so far, every third
    /// commit attributed to the writer agent, a <c>first-draft</c> branch and versions v1.0 and v2.0.
    /// </summary>
    public static (BookHistory History, IReadOnlyDictionary<string, string> Contents, IReadOnlyDictionary<string, IReadOnlyDictionary<int, string>> TextsByCommit) History(
        IReadOnlyList<CorpusRevision> revisions)
    {
        var projectId = Guid.Parse("0193a6c4-0000-7000-8000-000000000001");
        var contents = new Dictionary<string, string>();
        var texts = new Dictionary<string, IReadOnlyDictionary<int, string>>();
        var current = new SortedDictionary<int, (string ContentId, string Title, string Text)>();
        var commits = new List<HistoryCommit>();
        string? parent = null;
        foreach (var group in revisions.GroupBy(revision => revision.Seq).OrderBy(group => group.Key))
        {
            foreach (var revision in group)
            {
                var contentId = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(revision.Markdown)));
                contents[contentId] = revision.Markdown;
                current[revision.Chapter] = (contentId, $"Chapter {revision.Title}", revision.Markdown);
            }

            var first = group.First();
            var id = $"c{first.Seq:0000}{first.Commit}";
            var agent = first.Seq % 3 == 2 ? new AgentRun("writer", "offline-v1", "{\"temperature\":0.7,\"seed\":42}", 0.9) : null;
            commits.Add(new HistoryCommit(
                id, parent is null ? [] : [parent],
                agent is null ? new GitIdentity("Standard Ebooks volunteer", "volunteer@users.folio.invalid") : new GitIdentity("writer (offline-v1)", "writer@agents.folio.invalid"),
                first.Date, first.Message, "save",
                current.Select(pair => new HistoryChapter(ChapterId(pair.Key), pair.Value.ContentId, pair.Value.Title)).ToList(), agent));
            texts[id] = current.ToDictionary(pair => pair.Key, pair => pair.Value.Text);
            parent = id;
        }

        var tags = new List<HistoryTag>
        {
            new("v1.0", commits[commits.Count / 2].Id, "First edition", commits[commits.Count / 2].Date),
            new("v2.0", commits[^1].Id, "", commits[^1].Date),
        };
        var history = new BookHistory(Metadata, projectId, commits,
            new Dictionary<string, string> { ["main"] = commits[^1].Id, ["first-draft"] = commits[10].Id }, "main", tags);
        return (history, contents, texts);
    }

    /// <summary>Chapter n's id: its number in the last twelve digits, so a test can map a file back to its chapter.</summary>
    public static Guid ChapterId(int number) => new($"00000000-0000-0000-0000-{number:000000000000}");
}
