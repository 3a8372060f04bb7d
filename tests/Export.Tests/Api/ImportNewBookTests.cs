using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Folio.Export.Api.Features.Git;
using Folio.Export.Api.Features.Sources;
using Folio.Export.Tests.Writers;
using Folio.ServiceDefaults.Grpc;
using Folio.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Folio.Export.Tests.Api;

/// <summary>Import as a new book: Projects (real, over REST) makes the book and its chapters, Versioning gets the whole history.</summary>
[Collection(SharedExportApi.Name)]
public sealed class ImportNewBookTests(ExportApiFixture fixture)
{
    [Fact]
    public async Task Importing_an_export_as_a_new_book_reproduces_every_branch_and_version_with_the_books_metadata()
    {
        var owner = Guid.NewGuid();
        var chapters = SampleBooks.FirstChapters(3).Chapters;
        var original = await fixture.CreateBookAsync(owner, chapters, SampleBooks.Metadata);
        using var versioning = fixture.VersioningClientFor(owner);
        var head = await SaveAsync(versioning, original, "main", original.Head, 1, chapters[1].Markdown + "\n\nA closing line the reviser agent added.", agent: true);
        await TagAsync(versioning, original.ProjectId, "v1.0", "main", "First edition", "completed");
        var draftHead = await BranchAsync(versioning, original.ProjectId, "second-draft", "v1.0");
        draftHead = await SaveAsync(versioning, original, "second-draft", draftHead, 0, chapters[0].Markdown + "\n\nThe second draft's new ending.");
        await TagAsync(versioning, original.ProjectId, "v1.1", "second-draft", "Second draft", "draft");
        await SaveAsync(versioning, original, "main", head, 2, chapters[2].Markdown.Replace("Mr.", "Mister", StringComparison.Ordinal));
        await TagAsync(versioning, original.ProjectId, "v2.0", "main", null, "published");

        using var client = fixture.ExportClientFor(owner);
        var bundle = await ExportApiFixture.ExportGitAsync(client, original.ProjectId);
        var job = await ImportAsync(client, bundle, "book.bundle");
        job.GetProperty("status").GetString().Should().Be("completed", job.ToString());
        job.GetProperty("commitsImported").GetInt32().Should().Be(chapters.Count + 3, "three saves on main, one revision, one on the second draft, one more on main");
        var projectId = job.GetProperty("projectId").GetGuid();
        projectId.Should().NotBe(original.ProjectId);

        using var projects = fixture.ProjectsClientFor(owner);
        var project = await (await projects.GetAsync(new Uri($"/api/v1/projects/{projectId}", UriKind.Relative))).ShouldBeJsonAsync(HttpStatusCode.OK);
        project.GetProperty("title").GetString().Should().Be("Pride and Prejudice");
        project.GetProperty("subtitle").GetString().Should().Be("A Novel");
        project.GetProperty("authorName").GetString().Should().Be("Jane Austen");
        project.GetProperty("language").GetString().Should().Be("en-GB");
        project.GetProperty("publisher").GetString().Should().Be("Folio Test Press");
        project.GetProperty("subjects").EnumerateArray().Select(subject => subject.GetString()).Should().Equal("Fiction", "Courtship");
        project.GetProperty("identifier").ValueKind.Should().Be(JsonValueKind.Null, "the old book's urn:uuid is not the new book's identifier");
        var titles = (await (await projects.GetAsync(new Uri($"/api/v1/projects/{projectId}/chapters", UriKind.Relative))).ShouldBeJsonAsync(HttpStatusCode.OK))
            .EnumerateArray().Select(chapter => chapter.GetProperty("title").GetString()).ToList();
        titles.Should().Equal(chapters.Select(chapter => chapter.Title));
        var series = (await (await projects.GetAsync(new Uri("/api/v1/series", UriKind.Relative))).ShouldBeJsonAsync(HttpStatusCode.OK)).GetProperty("items");
        series.EnumerateArray().Should().ContainSingle().Which.GetProperty("title").GetString().Should().Be("Austen's Novels");
        var books = (await (await projects.GetAsync(new Uri($"/api/v1/series/{series[0].GetProperty("id").GetString()}", UriKind.Relative))).ShouldBeJsonAsync(HttpStatusCode.OK)).GetProperty("books");
        books.EnumerateArray().Select(book => book.GetProperty("projectId").GetGuid()).Should().Equal([projectId], "the new book joins a series of that name (book 2 of an empty series is its first)");

        await ExportApiFixture.EventuallyAsync(async () =>
        {
            using var history = await client.GetAsync(new Uri($"/api/v1/projects/{projectId}/exports", UriKind.Relative));
            return history.IsSuccessStatusCode;
        }, "Export learns of the new book from Projects' ProjectCreated");
        var reexported = await ExportApiFixture.ExportGitAsync(client, projectId);
        (await TextsAtAsync(bundle, "second-draft")).Should().HaveCount(3).And.NotEqual(await TextsAtAsync(bundle, "main"), "the branches differ, so each is checked on its own");
        foreach (var reference in new[] { "main", "second-draft", "v1.0", "v1.1", "v2.0" })
        {
            (await TextsAtAsync(reexported, reference)).Should().Equal(await TextsAtAsync(bundle, reference), $"{reference} has the same chapter texts after import(export(book))");
        }

        (await TagsAsync(reexported)).Should().Be(await TagsAsync(bundle), "the versions keep their messages and statuses");
        (await VersionsOnFirstParentAsync(reexported, "second-draft")).Should().Be(await VersionsOnFirstParentAsync(bundle, "second-draft"));
    }

    [Fact]
    public async Task An_import_that_fails_after_creating_its_book_deletes_the_book_and_says_why()
    {
        var owner = Guid.NewGuid();
        var original = await fixture.CreateBookAsync(owner, SampleBooks.FirstChapters(2).Chapters, SampleBooks.Metadata with { SeriesName = null });
        using var client = fixture.ExportClientFor(owner);
        var bundle = await ExportApiFixture.ExportGitAsync(client, original.ProjectId);

        // git takes a branch named like a version; Versioning does not, and finds out only after main is replayed.
        var clone = Path.Combine(Path.GetTempPath(), $"folio-import-bad-{Guid.NewGuid():N}");
        await Git(Path.GetTempPath(), "clone", "--quiet", "--bare", bundle, clone);
        await Git(clone, "branch", "v9.9", "main~1");
        var broken = Tool.TempFile("bundle");
        await Git(clone, "bundle", "create", broken, "--all");

        var job = await ImportAsync(client, broken, "broken.bundle");
        job.GetProperty("status").GetString().Should().Be("failed");
        job.GetProperty("error").GetString().Should().Contain("v9.9");
        job.GetProperty("projectId").ValueKind.Should().Be(JsonValueKind.Null, "the book it created is deleted");
        using var projects = fixture.ProjectsClientFor(owner);
        var list = await (await projects.GetAsync(new Uri("/api/v1/projects", UriKind.Relative))).ShouldBeJsonAsync(HttpStatusCode.OK);
        list.GetProperty("items").EnumerateArray().Select(item => item.GetProperty("title").GetString()).Should().BeEmpty("no half-imported book is left");
    }

    [Fact]
    public async Task A_new_book_import_refuses_bad_uploads_and_another_users_job_is_404()
    {
        var owner = Guid.NewGuid();
        using var client = fixture.ExportClientFor(owner);
        using (var response = await client.PostAsJsonAsync("/api/v1/imports", new { file = "not multipart" }))
        {
            await response.ShouldBeValidationProblemAsync("file");
        }

        using (var form = new MultipartFormDataContent { { new ByteArrayContent("just some text"u8.ToArray()), "file", "notes.txt" } })
        using (var response = await client.PostAsync(new Uri("/api/v1/imports", UriKind.Relative), form))
        {
            await response.ShouldBeValidationProblemAsync("file");
        }

        var bundle = Tool.TempFile("bundle");
        var empty = Path.Combine(Path.GetTempPath(), $"folio-import-plain-{Guid.NewGuid():N}");
        await Git(Path.GetTempPath(), "init", "--quiet", empty);
        await File.WriteAllTextAsync(Path.Combine(empty, "README.md"), "Not a DraftForge repository.\n");
        await Git(empty, "add", "README.md");
        await Git(empty, "-c", "user.name=T", "-c", "user.email=t@example.com", "commit", "--quiet", "-m", "plain");
        await Git(empty, "bundle", "create", bundle, "--all");
        var job = await ImportAsync(client, bundle, "plain.bundle");
        job.GetProperty("status").GetString().Should().Be("failed");
        job.GetProperty("error").GetString().Should().Contain("stats.json");
        job.GetProperty("projectId").ValueKind.Should().Be(JsonValueKind.Null);

        using var intruder = fixture.ExportClientFor(Guid.NewGuid());
        using var other = await intruder.GetAsync(new Uri($"/api/v1/imports/{job.GetProperty("id").GetString()}", UriKind.Relative));
        await other.ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Versionings_grpc_branch_and_version_creation_refuse_bad_input_and_another_users_book()
    {
        var owner = Guid.NewGuid();
        var book = await fixture.CreateBookAsync(owner, SampleBooks.FirstChapters(1).Chapters, SampleBooks.Metadata with { SeriesName = null });
        var client = fixture.Export.Services.GetRequiredService<VersioningClient>();
        var token = TestInfrastructure.TokenFor(owner);

        var branch = await client.CreateBranchAsync(book.ProjectId, "alt", book.Head!, token, CancellationToken.None);
        branch.HeadCommitId.Should().Be(book.Head);
        var version = await client.CreateVersionAsync(book.ProjectId, "v3.1", "alt", "Tagged over gRPC", "completed", token, CancellationToken.None);
        (version.Name, version.CommitId, version.Status).Should().Be(("v3.1", book.Head!, "completed"));

        await Refused(() => client.CreateBranchAsync(book.ProjectId, "bad name", "", token, CancellationToken.None), GrpcStatusCode.InvalidArgument);
        await Refused(() => client.CreateBranchAsync(book.ProjectId, "alt", "", token, CancellationToken.None), GrpcStatusCode.Aborted);
        await Refused(() => client.CreateVersionAsync(book.ProjectId, "1.0", "main", "", "draft", token, CancellationToken.None), GrpcStatusCode.InvalidArgument);
        await Refused(() => client.CreateVersionAsync(book.ProjectId, "v4.0", "main", "", "final", token, CancellationToken.None), GrpcStatusCode.InvalidArgument);

        var intruder = TestInfrastructure.TokenFor(Guid.NewGuid());
        await Refused(() => client.CreateBranchAsync(book.ProjectId, "theirs", "", intruder, CancellationToken.None), GrpcStatusCode.NotFound);
        await Refused(() => client.CreateVersionAsync(book.ProjectId, "v5.0", "main", "", "draft", intruder, CancellationToken.None), GrpcStatusCode.NotFound);
    }

    private static async Task Refused(Func<Task> call, GrpcStatusCode expected) =>
        (await call.Should().ThrowAsync<GrpcException>()).Which.StatusCode.Should().Be(expected);

    private static async Task<string> SaveAsync(HttpClient versioning, TestBook book, string branch, string? head, int chapter, string text, bool agent = false)
    {
        using var saved = await versioning.PutAsJsonAsync($"/api/v1/projects/{book.ProjectId}/chapters/{book.ChapterIds[chapter]}/content", new
        {
            text, mode = "version", expectedHead = head, branch,
            author = agent ? new { kind = "agent", agent = new { name = "reviser", model = "offline-v1" } } : null,
        });
        return (await saved.ShouldBeJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetString()!;
    }

    private static async Task TagAsync(HttpClient versioning, Guid projectId, string version, string reference, string? message, string status)
    {
        using (var tagged = await versioning.PostAsJsonAsync($"/api/v1/projects/{projectId}/versions", new { version, @ref = reference, message }))
        {
            await tagged.ShouldBeJsonAsync(HttpStatusCode.Created);
        }

        if (status != "draft")
        {
            using var changed = await versioning.PostAsJsonAsync($"/api/v1/projects/{projectId}/versions/{version}/status", new { status });
            await changed.ShouldBeJsonAsync(HttpStatusCode.OK);
        }
    }

    private static async Task<string> BranchAsync(HttpClient versioning, Guid projectId, string name, string from)
    {
        using var created = await versioning.PostAsJsonAsync($"/api/v1/projects/{projectId}/branches", new { name, from });
        return (await created.ShouldBeJsonAsync(HttpStatusCode.Created)).GetProperty("headCommitId").GetString()!;
    }

    private static async Task<JsonElement> ImportAsync(HttpClient client, string upload, string name)
    {
        using var form = new MultipartFormDataContent { { new ByteArrayContent(await File.ReadAllBytesAsync(upload)), "file", name } };
        using var started = await client.PostAsync(new Uri("/api/v1/imports", UriKind.Relative), form);
        var accepted = await started.ShouldBeJsonAsync(HttpStatusCode.Accepted);
        accepted.GetProperty("projectId").ValueKind.Should().Be(JsonValueKind.Null, "the book does not exist before the job makes it");
        return await ExportApiFixture.WaitForImportAsync(client, accepted.GetProperty("id").GetString()!);
    }

    /// <summary>The chapter texts (blob ids, in reading order) at a branch or tag of a bundle.</summary>
    private static async Task<IReadOnlyList<string>> TextsAtAsync(string bundle, string reference) =>
        (await Git(Path.GetTempPath(), "-C", await CloneAsync(bundle), "ls-tree", reference, "chapters/"))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.Split(' ', '\t')[2]).ToList();

    private static async Task<string> TagsAsync(string bundle) =>
        await Git(Path.GetTempPath(), "-C", await CloneAsync(bundle), "for-each-ref", "--format=%(refname:short) %(contents)", "refs/tags");

    /// <summary>A branch's first-parent line as messages and agents: the history it was written in, not only where it ends.</summary>
    private static async Task<string> VersionsOnFirstParentAsync(string bundle, string branch) =>
        await Git(Path.GetTempPath(), "-C", await CloneAsync(bundle), "log", "--first-parent", "--format=%s|%(trailers:key=Folio-Model,valueonly,separator=)", branch);

    private static async Task<string> CloneAsync(string bundle)
    {
        var clone = Path.Combine(Path.GetTempPath(), $"folio-import-clone-{Guid.NewGuid():N}");
        await Git(Path.GetTempPath(), "clone", "--quiet", "--bare", bundle, clone);
        return clone;
    }

    private static Task<string> Git(string directory, params string[] arguments) =>
        GitBundleWriter.RunAsync(arguments, directory, null, CancellationToken.None);
}
