using System.Security.Cryptography;
using System.Text;
using Folio.Export.Core.Git;
using Folio.Export.Tests.Writers;
using Folio.Tests.Infrastructure;

namespace Folio.Export.Tests.Git;

/// <summary>The corpus's 566 revisions as a Folio history: one commit per <c>seq</c>, every third one written by an agent.</summary>
public static class CorpusHistory
{
    public static (BookHistory History, IReadOnlyDictionary<string, string> Contents, IReadOnlyDictionary<string, IReadOnlyDictionary<int, string>> TextsByCommit) Build()
    {
        var projectId = Guid.Parse("0193a6c4-0000-7000-8000-000000000001");
        var chapterIds = Enumerable.Range(1, 61).ToDictionary(n => n, n => new Guid($"00000000-0000-0000-0000-{n:000000000000}"));
        var contents = new Dictionary<string, string>();
        var texts = new Dictionary<string, IReadOnlyDictionary<int, string>>();
        var current = new SortedDictionary<int, (string ContentId, string Title, string Text)>();
        var commits = new List<HistoryCommit>();
        string? parent = null;
        foreach (var group in Corpus.Load().GroupBy(revision => revision.Seq).OrderBy(group => group.Key))
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
                current.Select(pair => new HistoryChapter(chapterIds[pair.Key], pair.Value.ContentId, pair.Value.Title)).ToList(), agent));
            texts[id] = current.ToDictionary(pair => pair.Key, pair => pair.Value.Text);
            parent = id;
        }

        var tags = new List<HistoryTag>
        {
            new("v1.0", commits[commits.Count / 2].Id, "First edition", commits[commits.Count / 2].Date),
            new("v2.0", commits[^1].Id, "", commits[^1].Date),
        };
        var history = new BookHistory(SampleBooks.Metadata, projectId, commits,
            new Dictionary<string, string> { ["main"] = commits[^1].Id, ["first-draft"] = commits[10].Id }, "main", tags);
        return (history, contents, texts);
    }
}
