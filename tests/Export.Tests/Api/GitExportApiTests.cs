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

    [Fact]
    public async Task Importing_an_exported_bundle_or_tarball_reproduces_the_same_texts_at_every_version()
    {
        var owner = Guid.NewGuid();
        var chapters = SampleBooks.FirstChapters(3).Chapters;
        var original = await fixture.CreateBookAsync(owner, chapters, SampleBooks.Metadata);
        using var versioning = fixture.VersioningClientFor(owner);
        using (var saved = await versioning.PutAsJsonAsync($"/api/v1/projects/{original.ProjectId}/chapters/{original.ChapterIds[1]}/content", new
        {
            text = chapters[1].Markdown + "\n\nA closing line the reviser agent added.", mode = "version", expectedHead = original.Head, branch = "main",
            author = new { kind = "agent", agent = new { name = "reviser", model = "offline-v1" } },
        }))
        {
            await saved.ShouldBeJsonAsync(HttpStatusCode.Created);
        }

        using var client = fixture.ExportClientFor(owner);
        var bundle = await ExportApiFixture.ExportGitAsync(client, original.ProjectId);
        var tarball = await TarballOfAsync(bundle);

        using var projects = fixture.ProjectsClientFor(owner);
        foreach (var (upload, name) in new[] { (bundle, "book.bundle"), (tarball, "book.tar.gz") })
        {
            var copyId = await fixture.CreateEmptyBookInProjectsAsync(owner, $"A copy from a {name}");
            using var form = new MultipartFormDataContent { { new ByteArrayContent(await File.ReadAllBytesAsync(upload)), "file", name } };
            using var started = await client.PostAsync(new Uri($"/api/v1/projects/{copyId}/imports", UriKind.Relative), form);
            var job = await ExportApiFixture.WaitForImportAsync(client, (await started.ShouldBeJsonAsync(HttpStatusCode.Accepted)).GetProperty("id").GetString()!);
            job.GetProperty("status").GetString().Should().Be("completed", job.ToString());
            job.GetProperty("commitsImported").GetInt32().Should().Be(chapters.Count + 1);
            (await (await projects.GetAsync(new Uri($"/api/v1/projects/{copyId}/chapters", UriKind.Relative))).ShouldBeJsonAsync(HttpStatusCode.OK))
                .EnumerateArray().Select(chapter => chapter.GetProperty("title").GetString())
                .Should().Equal(chapters.Select(chapter => chapter.Title), "the imported chapters are added to the book's plan in Projects");

            var reexported = await ExportApiFixture.ExportGitAsync(client, copyId);
            (await VersionsOfAsync(reexported)).Should().Equal(await VersionsOfAsync(bundle), $"import(export(book)) from a {name} has the same texts, messages and agents at every version");
        }
    }

    [Fact]
    public async Task An_upload_that_is_no_repository_is_400_and_another_users_book_is_404()
    {
        var owner = Guid.NewGuid();
        var book = await fixture.CreateBookAsync(owner, [], SampleBooks.Metadata with { SeriesName = null });
        using var client = fixture.ExportClientFor(owner);

        using (var form = new MultipartFormDataContent { { new ByteArrayContent("just some text"u8.ToArray()), "file", "notes.txt" } })
        using (var response = await client.PostAsync(new Uri($"/api/v1/projects/{book.ProjectId}/imports", UriKind.Relative), form))
        {
            await response.ShouldBeValidationProblemAsync("file");
        }

        using var intruder = fixture.ExportClientFor(Guid.NewGuid());
        using (var form = new MultipartFormDataContent { { new ByteArrayContent("# v2 git bundle\n"u8.ToArray()), "file", "x.bundle" } })
        using (var response = await intruder.PostAsync(new Uri($"/api/v1/projects/{book.ProjectId}/imports", UriKind.Relative), form))
        {
            await response.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        }
    }

    private static async Task<string> TarballOfAsync(string bundle)
    {
        var folder = Path.Combine(Path.GetTempPath(), $"folio-tar-{Guid.NewGuid():N}");
        await GitBundleWriter.RunAsync(["clone", "--quiet", bundle, Path.Combine(folder, "book")], null, null, CancellationToken.None);
        var tarball = Tool.TempFile("tar.gz");
        (await Tool.RunAsync("tar", "-czf", tarball, "-C", folder, "book")).ExitCode.Should().Be(0);
        return tarball;
    }

    /// <summary>Per commit, oldest first: the chapter texts (as blob ids, in order), the message and the agent's model.</summary>
    private static async Task<IReadOnlyList<string>> VersionsOfAsync(string bundle)
    {
        var clone = Path.Combine(Path.GetTempPath(), $"folio-versions-{Guid.NewGuid():N}");
        await GitBundleWriter.RunAsync(["clone", "--quiet", "--bare", bundle, clone], null, null, CancellationToken.None);
        var versions = new List<string>();
        foreach (var sha in (await Git(clone, "rev-list", "--reverse", "HEAD")).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var blobs = (await Git(clone, "ls-tree", sha, "chapters/")).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.Split(' ', '\t')[2]);
            var subject = (await Git(clone, "show", "-s", "--format=%s|%(trailers:key=Folio-Model,valueonly,separator=)", sha)).Trim();
            versions.Add($"{string.Join(',', blobs)}|{subject}");
        }

        return versions;
    }

    private static Task<string> Git(string repository, params string[] arguments) =>
        GitBundleWriter.RunAsync(["-C", repository, .. arguments], null, null, CancellationToken.None);
}
