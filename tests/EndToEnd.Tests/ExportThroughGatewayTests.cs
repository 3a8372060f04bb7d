using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Folio.EndToEnd.Tests;

/// <summary>Export as a writer reaches it: through the gateway, with metadata from Projects and text from Versioning.</summary>
[Collection(RunningFolioDefinition.Name)]
public sealed class ExportThroughGatewayTests(RunningFolio stack)
{
    private static readonly TimeSpan EventTravel = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_book_planned_in_Projects_and_written_in_Versioning_exports_to_epub_with_its_titles_and_shows_in_the_history()
    {
        using var writer = await GatewayClient.RegisterAsync(stack.Gateway);
        var projectId = (await writer.PostJsonAsync("/api/v1/projects", new { title = "The Lighthouse Keeper", language = "en", authorName = "Ellen Marsh" }, HttpStatusCode.Created))
            .GetProperty("id").GetString();
        var chapterId = (await writer.PostJsonAsync($"/api/v1/projects/{projectId}/chapters", new { title = "The Lamp" }, HttpStatusCode.Created)).GetProperty("id").GetString();
        await writer.EventuallyGetJsonAsync($"/api/v1/projects/{projectId}/branches", EventTravel);
        using (var save = await writer.SendAsync(HttpMethod.Put, $"/api/v1/projects/{projectId}/chapters/{chapterId}/content",
                   new { text = "The lamp took forty minutes to light.\n\nA ship with no name anchored off the rock.", mode = "version", expectedHead = (string?)null }))
        {
            save.StatusCode.Should().Be(HttpStatusCode.Created, await save.Content.ReadAsStringAsync());
        }

        JsonElement job = default;
        var deadline = DateTime.UtcNow + EventTravel;
        while (true)
        {
            // Export learns of the book from Projects' events; until then the book is not there for it (404).
            using var started = await writer.SendAsync(HttpMethod.Post, "/api/v1/exports", new { projectId, format = "epub" });
            if (started.StatusCode == HttpStatusCode.Accepted)
            {
                job = JsonDocument.Parse(await started.Content.ReadAsStringAsync()).RootElement.Clone();
                break;
            }

            started.StatusCode.Should().Be(HttpStatusCode.NotFound, await started.Content.ReadAsStringAsync());
            DateTime.UtcNow.Should().BeBefore(deadline, "Export should know the book from ProjectCreated by now");
            await Task.Delay(200);
        }

        var jobId = job.GetProperty("id").GetString();
        while (job.GetProperty("status").GetString() is "queued" or "running")
        {
            await Task.Delay(200);
            job = await writer.GetJsonAsync($"/api/v1/exports/{jobId}");
        }

        job.GetProperty("status").GetString().Should().Be("completed", job.ToString());
        using var file = await writer.SendAsync(HttpMethod.Get, $"/api/v1/exports/{jobId}/file");
        file.StatusCode.Should().Be(HttpStatusCode.OK);
        file.Content.Headers.ContentType!.MediaType.Should().Be("application/epub+zip");
        file.Content.Headers.ContentDisposition!.FileNameStar.Should().Be("the-lighthouse-keeper-main.epub");
        using var zip = new ZipArchive(new MemoryStream(await file.Content.ReadAsByteArrayAsync()));
        using (var nav = new StreamReader(zip.GetEntry("OEBPS/nav.xhtml")!.Open()))
        {
            (await nav.ReadToEndAsync()).Should().Contain(">The Lamp</a>", "chapter titles come from Projects");
        }

        using (var opf = new StreamReader(zip.GetEntry("OEBPS/content.opf")!.Open()))
        {
            (await opf.ReadToEndAsync()).Should().Contain(">Ellen Marsh</dc:creator>");
        }

        var history = await writer.GetJsonAsync($"/api/v1/projects/{projectId}/exports");
        history.GetProperty("items").EnumerateArray().Select(item => item.GetProperty("id").GetString()).Should().Equal(jobId);
    }

    [Fact]
    public async Task The_gateway_lets_a_repository_upload_larger_than_a_megabyte_through_to_Export()
    {
        using var writer = await GatewayClient.RegisterAsync(stack.Gateway);
        var projectId = (await writer.PostJsonAsync("/api/v1/projects", new { title = "Imported" }, HttpStatusCode.Created)).GetProperty("id").GetString();
        var deadline = DateTime.UtcNow + EventTravel;
        using var http = new HttpClient { BaseAddress = stack.Gateway };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", writer.Token);
        while (true)
        {
            using var form = new MultipartFormDataContent { { new ByteArrayContent(new byte[2 * 1024 * 1024]), "file", "big.bin" } };
            using var response = await http.PostAsync(new Uri($"/api/v1/projects/{projectId}/imports", UriKind.Relative), form);
            if (response.StatusCode != HttpStatusCode.NotFound)
            {
                var body = await response.Content.ReadAsStringAsync();
                response.StatusCode.Should().Be(HttpStatusCode.BadRequest, body);
                body.Should().Contain("neither a git bundle nor a gzipped tarball", "Export itself read the 2 MB upload and judged it");
                break;
            }

            DateTime.UtcNow.Should().BeBefore(deadline, "Export should know the book from ProjectCreated by now");
            await Task.Delay(200);
        }
    }

    [Fact]
    public async Task The_gateway_lets_a_new_book_import_larger_than_a_megabyte_through_and_keeps_import_jobs_private()
    {
        using var writer = await GatewayClient.RegisterAsync(stack.Gateway);
        using var http = new HttpClient { BaseAddress = stack.Gateway };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", writer.Token);
        using (var form = new MultipartFormDataContent { { new ByteArrayContent(new byte[2 * 1024 * 1024]), "file", "big.bin" } })
        using (var response = await http.PostAsync(new Uri("/api/v1/imports", UriKind.Relative), form))
        {
            var body = await response.Content.ReadAsStringAsync();
            response.StatusCode.Should().Be(HttpStatusCode.BadRequest, body);
            body.Should().Contain("neither a git bundle nor a gzipped tarball", "Export itself read the 2 MB upload and judged it");
        }

        using var other = await http.GetAsync(new Uri($"/api/v1/imports/{Guid.NewGuid()}", UriKind.Relative));
        other.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }
}
