using System.Net;
using System.Net.Http.Json;
using Folio.Export.Api.Features.Git;
using Folio.Export.Tests.Writers;
using Folio.Tests.Infrastructure;

namespace Folio.Export.Tests.Api;

[Collection(SharedExportApi.Name)]
public sealed class GitExportApiTests(ExportApiFixture fixture)
{
    [Fact]
    public async Task A_git_export_carries_every_version_with_its_authors_branches_and_tags()
    {
        var owner = Guid.NewGuid();
        var chapters = SampleBooks.FirstChapters(2).Chapters;
        var book = await fixture.CreateBookAsync(owner, chapters, SampleBooks.Metadata);
        using var versioning = fixture.VersioningClientFor(owner);
        var revised = chapters[0].Markdown + "\n\nA paragraph the writer agent added.";
        using (var saved = await versioning.PutAsJsonAsync($"/api/v1/projects/{book.ProjectId}/chapters/{book.ChapterIds[0]}/content", new
        {
            text = revised, mode = "version", expectedHead = book.Head, branch = "main",
            author = new { kind = "agent", agent = new { name = "writer", model = "offline-v1", parameters = new { temperature = 0.7 }, confidence = 0.8 } },
        }))
        {
            await saved.ShouldBeJsonAsync(HttpStatusCode.Created);
        }

        using (var tagged = await versioning.PostAsJsonAsync($"/api/v1/projects/{book.ProjectId}/versions", new { bump = "major", message = "First edition" }))
        {
            await tagged.ShouldBeJsonAsync(HttpStatusCode.Created);
        }

        using var client = fixture.ExportClientFor(owner);
        using var started = await client.PostAsJsonAsync("/api/v1/exports", new { projectId = book.ProjectId, format = "git" });
        var job = await ExportApiFixture.WaitForJobAsync(client, (await started.ShouldBeJsonAsync(HttpStatusCode.Accepted)).GetProperty("id").GetString()!);
        job.GetProperty("status").GetString().Should().Be("completed", job.ToString());
        using var file = await client.GetAsync(new Uri(job.GetProperty("downloadUrl").GetString()!, UriKind.Relative));
        file.Content.Headers.ContentType!.MediaType.Should().Be("application/x-git-bundle");
        file.Content.Headers.ContentDisposition!.FileNameStar.Should().Be("pride-and-prejudice.bundle");
        var bundle = Tool.TempFile("bundle");
        await File.WriteAllBytesAsync(bundle, await file.Content.ReadAsByteArrayAsync());

        var clone = Path.Combine(Path.GetTempPath(), $"folio-git-api-{Guid.NewGuid():N}");
        await GitBundleWriter.RunAsync(["clone", "--quiet", bundle, clone], null, null, CancellationToken.None);
        var fsck = await Tool.RunAsync("git", "-C", clone, "fsck", "--strict");
        fsck.ExitCode.Should().Be(0, fsck.Errors);
        var log = (await Git(clone, "log", "--format=%an <%ae>|%s|%(trailers:key=Folio-Model,valueonly)")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        log.Should().HaveCount(chapters.Count + 1, "one commit per saved version");
        log[0].Should().StartWith("writer (offline-v1) <writer@agents.folio.invalid>|").And.EndWith("offline-v1");
        log[1].Should().Contain($"<{owner}@users.folio.invalid>");
        (await Git(clone, "tag", "-l")).Trim().Should().Be("v1.0");
        (await Git(clone, "show", "HEAD:chapters/01-chapter-i.md")).Should().Be(revised);
        (await Git(clone, "show", "HEAD~1:chapters/01-chapter-i.md")).Should().Be(chapters[0].Markdown);
        (await Git(clone, "show", "HEAD:chapters/02-chapter-ii.md")).Should().Be(chapters[1].Markdown);
        (await Git(clone, "ls-tree", "--name-only", "HEAD~2", "chapters/")).Trim().Should().Be("chapters/01-chapter-i.md", "the first version had only the first chapter");
        (await Git(clone, "ls-tree", "-r", "--name-only", "HEAD", ".draftforge/agent-runs/")).Trim().Should().EndWith(".json");
    }

    private static Task<string> Git(string repository, params string[] arguments) =>
        GitBundleWriter.RunAsync(["-C", repository, .. arguments], null, null, CancellationToken.None);
}
