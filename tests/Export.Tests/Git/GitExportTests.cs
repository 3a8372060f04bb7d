using System.Text.Json;
using Folio.Export.Api.Features.Git;
using Folio.Export.Core.Git;
using Folio.Export.Tests.Writers;
using Folio.Tests.Infrastructure;

namespace Folio.Export.Tests.Git;

/// <summary>The corpus's whole history through git fast-import into a bundle, judged by git itself.</summary>
public sealed class GitExportTests
{
    [Fact]
    public async Task The_corpus_history_becomes_a_bundle_that_passes_fsck_strict_with_every_version_and_text()
    {
        var (history, contents, texts) = CorpusBooks.History(Corpus.Load());
        var bundle = Tool.TempFile("bundle");

        await new GitBundleWriter().WriteAsync(history, id => contents[id], bundle, CancellationToken.None);

        var clone = Path.Combine(Path.GetTempPath(), $"folio-git-test-{Guid.NewGuid():N}");
        await GitBundleWriter.RunAsync(["clone", "--quiet", "--mirror", bundle, clone], null, null, CancellationToken.None);
        var fsck = await Tool.RunAsync("git", "-C", clone, "fsck", "--strict", "--no-dangling");
        fsck.ExitCode.Should().Be(0, fsck.Errors + fsck.Output);
        (await Git(clone, "verify-pack", "-v", Directory.GetFiles(Path.Combine(clone, "objects", "pack"), "*.idx").Single())).Should().NotBeEmpty();

        var log = (await Git(clone, "log", "--format=%H %an <%ae>%n%B%n--end--", "main")).Split("--end--", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        log.Should().HaveCount(history.Commits.Count, "every version of the book is a git commit");
        log.Count(entry => entry.Contains("Folio-Agent: writer", StringComparison.Ordinal) && entry.Contains("Folio-Model: offline-v1", StringComparison.Ordinal))
            .Should().Be(history.Commits.Count(commit => commit.Agent is not null));
        log.Should().Contain(entry => entry.Contains("writer (offline-v1) <writer@agents.folio.invalid>", StringComparison.Ordinal))
            .And.Contain(entry => entry.Contains("Standard Ebooks volunteer <volunteer@users.folio.invalid>", StringComparison.Ordinal));
        (await Git(clone, "tag", "-l")).Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().Equal("v1.0", "v2.0");
        (await Git(clone, "cat-file", "-t", "v1.0")).Trim().Should().Be("tag");
        (await Git(clone, "for-each-ref", "--format=%(refname)", "refs/heads")).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Should().BeEquivalentTo("refs/heads/main", "refs/heads/first-draft");
        (await Git(clone, "symbolic-ref", "HEAD")).Trim().Should().Be("refs/heads/main");

        // Every commit's chapter files hold exactly the texts of that version (checked on a spread of commits).
        var gitCommits = (await Git(clone, "log", "--reverse", "--format=%H", "main")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        foreach (var index in new[] { 0, 1, gitCommits.Length / 3, gitCommits.Length / 2, gitCommits.Length - 1 })
        {
            var expected = texts[history.Commits[index].Id];
            var files = (await Git(clone, "ls-tree", "--name-only", gitCommits[index], "chapters/")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            files.Should().HaveCount(expected.Count);
            var stats = JsonDocument.Parse(await Git(clone, "show", $"{gitCommits[index]}:.draftforge/stats.json")).RootElement.GetProperty("chapters");
            for (var i = 0; i < files.Length; i++)
            {
                stats[i].GetProperty("file").GetString().Should().Be(files[i]);
                var number = int.Parse(stats[i].GetProperty("id").GetString()![^12..], System.Globalization.CultureInfo.InvariantCulture);
                (await Git(clone, "show", $"{gitCommits[index]}:{files[i]}")).Should().Be(expected[number]);
            }
        }

        var tree = await Git(clone, "ls-tree", "-r", "--name-only", "main");
        tree.Should().Contain("manuscript/metadata.yml").And.Contain(".draftforge/config.yml").And.Contain(".draftforge/stats.json").And.Contain(".draftforge/agent-runs/");
        (await Git(clone, "show", "main:manuscript/metadata.yml")).Should().Contain("series: \"Austen's Novels\"");
    }

    [Fact]
    public void A_book_without_history_is_refused()
    {
        var (history, _, _) = CorpusBooks.History(Corpus.Load());

        var write = () => DraftForgeHistory.WriteFastImport(history with { Commits = [] }, _ => "", new MemoryStream());

        write.Should().Throw<ArgumentException>().WithMessage("*no history*");
    }

    private static Task<string> Git(string repository, params string[] arguments) =>
        GitBundleWriter.RunAsync(["-C", repository, .. arguments], null, null, CancellationToken.None);
}
