using System.Net;
using System.Security.Cryptography;
using System.Text;
using Folio.Tests.Infrastructure;

namespace Folio.Versioning.Tests.Api;

/// <summary>The whole editing history of Pride and Prejudice (566 revisions in 83 commits) replayed through the REST API.</summary>
[Collection(SharedVersioningApi.Name)]
public sealed class CorpusReplayTests(VersioningApiFactory factory)
{
    [Fact]
    public async Task Every_revision_of_the_corpus_reads_back_byte_identical_at_its_commit()
    {
        var revisions = Corpus.Load();
        using var book = await Book.CreateAsync(factory);
        var commitOfSeq = new Dictionary<int, string>();
        string? head = null;
        foreach (var commit in revisions.GroupBy(revision => revision.Seq).OrderBy(group => group.Key))
        {
            var created = await book.PostJsonAsync("commits", new
            {
                expectedHead = head,
                message = commit.First().Message,
                changes = commit.Select(revision => new { chapterId = ChapterId(revision.Chapter), text = revision.Markdown }),
            }, HttpStatusCode.Created);
            head = created.GetProperty("id").GetString()!;
            commitOfSeq[commit.Key] = head;
        }

        foreach (var revision in revisions)
        {
            (await book.TextAsync(ChapterId(revision.Chapter), commitOfSeq[revision.Seq])).Should().Be(revision.Markdown, $"chapter {revision.Chapter} at seq {revision.Seq}");
        }

        foreach (var chapter in revisions.GroupBy(revision => revision.Chapter))
        {
            var history = await book.GetJsonAsync($"chapters/{ChapterId(chapter.Key)}/history?limit=500");
            history.GetArrayLength().Should().Be(chapter.Count(), $"chapter {chapter.Key} changed in {chapter.Count()} commits");
            history.EnumerateArray().Select(r => r.GetProperty("commitId").GetString()).Should()
                .Equal(chapter.OrderByDescending(revision => revision.Seq).Select(revision => commitOfSeq[revision.Seq]));
            var oldest = history[history.GetArrayLength() - 1].GetProperty("change");
            oldest.GetProperty("changeKind").GetString().Should().Be("added");
            oldest.GetProperty("wordsRemoved").GetInt32().Should().Be(0);
        }

        (await book.GetJsonAsync("log?limit=500")).GetArrayLength().Should().Be(commitOfSeq.Count);
    }

    private static Guid ChapterId(int number) => new(SHA256.HashData(Encoding.UTF8.GetBytes($"pride-and-prejudice-{number}")).AsSpan(0, 16));
}
