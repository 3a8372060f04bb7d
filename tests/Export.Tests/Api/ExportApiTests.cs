using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Folio.Contracts;
using Folio.Contracts.Export;
using Folio.Export.Api.Features.Exports;
using Folio.Export.Core;
using Folio.Export.Tests.Writers;
using Folio.Tests.Infrastructure;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Folio.Export.Tests.Api;

[Collection(SharedExportApi.Name)]
public sealed class ExportApiTests(ExportApiFixture fixture)
{
    private static readonly IReadOnlyList<BookChapter> ThreeChapters = SampleBooks.FirstChapters(3).Chapters;

    private async Task<(TestBook Book, HttpClient Client)> NewBookAsync(IReadOnlyList<BookChapter>? chapters = null)
    {
        var owner = Guid.NewGuid();
        var book = await fixture.CreateBookAsync(owner, chapters ?? ThreeChapters, SampleBooks.Metadata);
        return (book, fixture.ExportClientFor(owner));
    }

    private static async Task<JsonElement> StartAsync(HttpClient client, object request, HttpStatusCode expected = HttpStatusCode.Accepted)
    {
        using var response = await client.PostAsJsonAsync("/api/v1/exports", request);
        var body = await response.ShouldBeJsonAsync(expected);
        if (expected == HttpStatusCode.Accepted)
        {
            response.Headers.Location!.ToString().Should().EndWith($"/api/v1/exports/{body.GetProperty("id").GetString()}");
        }

        return body;
    }

    private static async Task<(JsonElement Job, HttpResponseMessage File)> ExportAsync(HttpClient client, object request)
    {
        var started = await StartAsync(client, request);
        started.GetProperty("status").GetString().Should().Be("queued");
        var job = await ExportApiFixture.WaitForJobAsync(client, started.GetProperty("id").GetString()!);
        job.GetProperty("status").GetString().Should().Be("completed", job.ToString());
        var file = await client.GetAsync(new Uri(job.GetProperty("downloadUrl").GetString()!, UriKind.Relative));
        file.StatusCode.Should().Be(HttpStatusCode.OK);
        return (job, file);
    }

    private static async Task<string> SaveAsync(HttpResponseMessage file, string extension)
    {
        var path = Tool.TempFile(extension);
        await File.WriteAllBytesAsync(path, await file.Content.ReadAsByteArrayAsync());
        return path;
    }

    [Fact]
    public async Task An_epub_export_runs_in_the_background_and_downloads_a_valid_book_with_the_projects_metadata()
    {
        var (book, client) = await NewBookAsync();

        var (job, file) = await ExportAsync(client, new { projectId = book.ProjectId, @ref = "main", format = "epub" });

        job.GetProperty("progress").GetInt32().Should().Be(100);
        job.GetProperty("commitId").GetString().Should().Be(book.Head);
        (job.GetProperty("expiresAt").GetDateTimeOffset() - job.GetProperty("completedAt").GetDateTimeOffset()).Should().Be(TimeSpan.FromDays(7));
        file.Content.Headers.ContentType!.MediaType.Should().Be("application/epub+zip");
        file.Content.Headers.ContentDisposition!.FileNameStar.Should().Be("pride-and-prejudice-main.epub");
        var path = await SaveAsync(file, "epub");
        await Tool.ShouldPassEpubcheckAsync(path);
        using var zip = ZipFile.OpenRead(path);
        using var opf = new StreamReader(zip.GetEntry("OEBPS/content.opf")!.Open());
        (await opf.ReadToEndAsync()).Should().Contain("<dc:title id=\"title\">Pride and Prejudice</dc:title>")
            .And.Contain("<dc:creator id=\"creator-1\">Jane Austen</dc:creator>")
            .And.Contain("<meta property=\"belongs-to-collection\" id=\"series\">Austen&#39;s Novels</meta>")
            .And.Contain("<meta refines=\"#series\" property=\"group-position\">2</meta>")
            .And.Contain($"urn:uuid:{book.ProjectId}");
        using var nav = new StreamReader(zip.GetEntry("OEBPS/nav.xhtml")!.Open());
        (await nav.ReadToEndAsync()).Should().Contain("Chapter I</a>").And.Contain("Chapter III</a>");
    }

    [Theory]
    [InlineData("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")]
    [InlineData("pdf", "application/pdf")]
    [InlineData("txt", "text/plain")]
    [InlineData("md", "text/markdown")]
    public async Task Every_format_downloads_with_its_content_type_and_name_and_holds_the_text(string format, string contentType)
    {
        var (book, client) = await NewBookAsync();

        var (_, file) = await ExportAsync(client, new { projectId = book.ProjectId, format, options = new { trimSize = "5.5x8.5", fontSize = 12 } });

        file.Content.Headers.ContentType!.MediaType.Should().Be(contentType);
        file.Content.Headers.ContentDisposition!.FileNameStar.Should().Be($"pride-and-prejudice-main.{(format == "md" ? "md" : format)}");
        var path = await SaveAsync(file, format);
        var text = format switch
        {
            "docx" => (await Tool.RunAsync("pandoc", "-f", "docx", "-t", "plain", "--wrap=none", path)).Output,
            "pdf" => (await Tool.RunAsync("pdftotext", path, "-")).Output,
            _ => await File.ReadAllTextAsync(path),
        };
        if (format == "pdf")
        {
            (await Tool.RunAsync("qpdf", "--check", path)).ExitCode.Should().Be(0);
        }

        foreach (var chapter in ThreeChapters)
        {
            SampleBooks.Letters(text).Should().Contain(SampleBooks.Letters(SampleBooks.FirstSentence(chapter)));
        }
    }

    [Fact]
    public async Task A_chapter_selection_exports_only_those_chapters_from_the_pinned_commit()
    {
        var (book, client) = await NewBookAsync();

        var (job, file) = await ExportAsync(client, new { projectId = book.ProjectId, @ref = book.Head, format = "txt", chapters = new[] { book.ChapterIds[2], book.ChapterIds[0] } });

        var text = await file.Content.ReadAsStringAsync();
        job.GetProperty("ref").GetString().Should().Be(book.Head);
        text.Should().Contain("Chapter I\n").And.Contain("Chapter III\n").And.NotContain("Chapter II\n");
        text.IndexOf("Chapter I\n", StringComparison.Ordinal).Should().BeLessThan(text.IndexOf("Chapter III\n", StringComparison.Ordinal), "chapters keep the book's order");
    }

    [Fact]
    public async Task A_chapter_not_in_the_book_fails_the_job_with_a_reason_and_an_ExportFailed_event()
    {
        var (book, client) = await NewBookAsync();
        var stranger = Guid.NewGuid();

        var started = await StartAsync(client, new { projectId = book.ProjectId, format = "epub", chapters = new[] { stranger } });
        var job = await ExportApiFixture.WaitForJobAsync(client, started.GetProperty("id").GetString()!);

        job.GetProperty("status").GetString().Should().Be("failed");
        job.GetProperty("error").GetString().Should().Contain(stranger.ToString());
        job.GetProperty("downloadUrl").ValueKind.Should().Be(JsonValueKind.Null);
        using var file = await client.GetAsync(new Uri($"/api/v1/exports/{job.GetProperty("id").GetString()}/file", UriKind.Relative));
        await file.ShouldBeProblemAsync(HttpStatusCode.Conflict);
        (await OutboxTypesAsync(job.GetProperty("id").GetGuid())).Should().Contain(typeof(ExportFailed).FullName);
    }

    [Fact]
    public async Task Completion_is_announced_with_ExportCompleted()
    {
        var (book, client) = await NewBookAsync();

        var (job, _) = await ExportAsync(client, new { projectId = book.ProjectId, format = "md" });

        (await OutboxTypesAsync(job.GetProperty("id").GetGuid())).Should().Contain(typeof(ExportCompleted).FullName);
    }

    [Fact]
    public async Task Bad_input_is_a_400_naming_the_field()
    {
        var (book, client) = await NewBookAsync();

        using (var response = await client.PostAsJsonAsync("/api/v1/exports", new { projectId = book.ProjectId, format = "rtf" }))
        {
            await response.ShouldBeValidationProblemAsync("Format");
        }

        using (var response = await client.PostAsJsonAsync("/api/v1/exports", new { projectId = book.ProjectId, format = "pdf", options = new { fontSize = 200, trimSize = "huge" } }))
        {
            var problem = await response.ShouldBeValidationProblemAsync("options.fontSize");
            problem.GetProperty("errors").TryGetProperty("options.trimSize", out _).Should().BeTrue();
        }

        using (var response = await client.PostAsJsonAsync("/api/v1/exports", new { projectId = book.ProjectId, format = "epub", @ref = "no-such-branch" }))
        {
            await response.ShouldBeValidationProblemAsync("ref");
        }

        using (var response = await client.PostAsJsonAsync("/api/v1/exports", new { projectId = book.ProjectId, format = "epub", chapters = Array.Empty<Guid>() }))
        {
            await response.ShouldBeValidationProblemAsync("Chapters");
        }

        using (var response = await client.PostAsync(new Uri("/api/v1/exports", UriKind.Relative), new StringContent("{not json", System.Text.Encoding.UTF8, "application/json")))
        {
            await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        }
    }

    [Fact]
    public async Task A_book_without_any_saved_text_cannot_be_exported()
    {
        var owner = Guid.NewGuid();
        var book = await fixture.CreateBookAsync(owner, [], SampleBooks.Metadata with { SeriesName = null });
        using var client = fixture.ExportClientFor(owner);

        using var response = await client.PostAsJsonAsync("/api/v1/exports", new { projectId = book.ProjectId, format = "epub" });

        (await response.ShouldBeValidationProblemAsync("ref")).GetProperty("errors").GetProperty("ref")[0].GetString().Should().Contain("no");
    }

    [Fact]
    public async Task Another_users_book_and_exports_are_404()
    {
        var (book, client) = await NewBookAsync();
        var (job, _) = await ExportAsync(client, new { projectId = book.ProjectId, format = "txt" });
        var jobId = job.GetProperty("id").GetString();
        using var intruder = fixture.ExportClientFor(Guid.NewGuid());

        using (var response = await intruder.PostAsJsonAsync("/api/v1/exports", new { projectId = book.ProjectId, format = "txt" }))
        {
            await response.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        }

        foreach (var path in new[] { $"/api/v1/exports/{jobId}", $"/api/v1/exports/{jobId}/file", $"/api/v1/projects/{book.ProjectId}/exports" })
        {
            using var response = await intruder.GetAsync(new Uri(path, UriKind.Relative));
            await response.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        }

        using var anonymous = fixture.Export.CreateClient();
        (await anonymous.GetAsync(new Uri($"/api/v1/exports/{jobId}", UriKind.Relative))).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task History_lists_a_projects_exports_newest_first()
    {
        var (book, client) = await NewBookAsync();
        var (first, _) = await ExportAsync(client, new { projectId = book.ProjectId, format = "txt" });
        var (second, _) = await ExportAsync(client, new { projectId = book.ProjectId, format = "md" });

        using var response = await client.GetAsync(new Uri($"/api/v1/projects/{book.ProjectId}/exports", UriKind.Relative));
        var items = (await response.ShouldBeJsonAsync(HttpStatusCode.OK)).GetProperty("items");

        items.EnumerateArray().Select(item => item.GetProperty("id").GetString()).Should().Equal(second.GetProperty("id").GetString(), first.GetProperty("id").GetString());
        items[0].GetProperty("format").GetString().Should().Be("md");
    }

    [Fact]
    public async Task After_its_expiry_a_file_is_410_and_the_sweeper_deletes_it()
    {
        var (book, client) = await NewBookAsync();
        var (job, _) = await ExportAsync(client, new { projectId = book.ProjectId, format = "txt" });
        var jobId = job.GetProperty("id").GetGuid();
        await ExecuteAsync("UPDATE export_jobs SET expires_at = now() - interval '1 second' WHERE id = @jobId", new { jobId });

        using (var response = await client.GetAsync(new Uri($"/api/v1/exports/{jobId}/file", UriKind.Relative)))
        {
            await response.ShouldBeProblemAsync(HttpStatusCode.Gone);
        }

        (await GetJobAsync(client, jobId)).GetProperty("status").GetString().Should().Be("expired");
        var stored = Path.Combine(fixture.StoragePath, $"{jobId:N}.txt");
        File.Exists(stored).Should().BeTrue();
        await fixture.Export.Services.GetRequiredService<ExpiredFileSweeper>().SweepAsync(CancellationToken.None);
        File.Exists(stored).Should().BeFalse();
    }

    [Fact]
    public async Task A_job_left_running_by_a_crash_is_retried_and_one_out_of_attempts_fails()
    {
        var (book, client) = await NewBookAsync();
        var (job, _) = await ExportAsync(client, new { projectId = book.ProjectId, format = "epub" });
        var jobId = job.GetProperty("id").GetGuid();
        var bus = fixture.Export.Services.GetRequiredService<IBus>();

        // What a crash mid-export leaves: the job running, no file recorded; the broker redelivers the message.
        await ExecuteAsync("UPDATE export_jobs SET status = 'running', attempts = 1, progress = 50, storage_key = NULL, completed_at = NULL WHERE id = @jobId", new { jobId });
        (await GetJobAsync(client, jobId)).GetProperty("downloadUrl").ValueKind.Should().Be(JsonValueKind.Null, "a running job serves no file");
        await bus.Publish(new RunExport(Guid.NewGuid(), Guid.NewGuid(), DateTimeOffset.UtcNow, Actor.System("test"), jobId, book.ProjectId));
        await ExportApiFixture.EventuallyAsync(async () => (await GetJobAsync(client, jobId)).GetProperty("status").GetString() == "completed", "the redelivered job completes");
        (await ScalarAsync<int>("SELECT attempts FROM export_jobs WHERE id = @jobId", new { jobId })).Should().Be(2);

        await ExecuteAsync("UPDATE export_jobs SET status = 'running', attempts = 3, storage_key = NULL WHERE id = @jobId", new { jobId });
        await bus.Publish(new RunExport(Guid.NewGuid(), Guid.NewGuid(), DateTimeOffset.UtcNow, Actor.System("test"), jobId, book.ProjectId));
        await ExportApiFixture.EventuallyAsync(async () => (await GetJobAsync(client, jobId)).GetProperty("status").GetString() == "failed", "a job out of attempts fails");
        (await GetJobAsync(client, jobId)).GetProperty("error").GetString().Should().Contain("3 attempts");
    }

    [Fact]
    public async Task Pdf_without_WeasyPrint_is_a_503_problem()
    {
        var (book, client) = await NewBookAsync();
        await using var withoutWeasyPrint = new ExportHost(fixture.Versioning.GrpcAddress, fixture.StoragePath, fixture.Export.ConnectionString,
            new Dictionary<string, string> { ["Export:WeasyPrint:Executable"] = "/nonexistent/weasyprint" });
        using var other = withoutWeasyPrint.CreateClient();
        other.DefaultRequestHeaders.Authorization = client.DefaultRequestHeaders.Authorization;

        using var response = await other.PostAsJsonAsync("/api/v1/exports", new { projectId = book.ProjectId, format = "pdf" });

        (await response.ShouldBeProblemAsync(HttpStatusCode.ServiceUnavailable)).GetProperty("detail").GetString().Should().Contain("WeasyPrint");
        (await ScalarAsync<int>("SELECT count(*) FROM export_jobs WHERE project_id = @projectId", new { projectId = book.ProjectId })).Should().Be(0);
    }

    [Fact]
    public async Task A_200000_word_chapter_exports_to_a_valid_epub()
    {
        var (book, client) = await NewBookAsync(SampleBooks.Huge().Chapters);

        var (_, file) = await ExportAsync(client, new { projectId = book.ProjectId, format = "epub" });

        await Tool.ShouldPassEpubcheckAsync(await SaveAsync(file, "epub"));
    }

    private static async Task<JsonElement> GetJobAsync(HttpClient client, Guid jobId)
    {
        using var response = await client.GetAsync(new Uri($"/api/v1/exports/{jobId}", UriKind.Relative));
        return await response.ShouldBeJsonAsync(HttpStatusCode.OK);
    }

    private async Task<IReadOnlyList<string>> OutboxTypesAsync(Guid jobId)
    {
        var types = await QueryAsync<string>("SELECT message_type FROM outbox_messages WHERE aggregate_id = @id", new { id = jobId.ToString() });
        return types.Select(type => type.Split(',')[0]).ToList();
    }

    private async Task ExecuteAsync(string sql, object parameters)
    {
        await using var connection = new NpgsqlConnection(fixture.Export.ConnectionString);
        await connection.ExecuteAsync(sql, parameters);
    }

    private async Task<T> ScalarAsync<T>(string sql, object parameters)
    {
        await using var connection = new NpgsqlConnection(fixture.Export.ConnectionString);
        return (await connection.ExecuteScalarAsync<T>(sql, parameters))!;
    }

    private async Task<IReadOnlyList<T>> QueryAsync<T>(string sql, object parameters)
    {
        await using var connection = new NpgsqlConnection(fixture.Export.ConnectionString);
        return (await connection.QueryAsync<T>(sql, parameters)).ToList();
    }
}
