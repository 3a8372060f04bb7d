using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using Folio.Export.Tests.Writers;
using Folio.Tests.Infrastructure;

namespace Folio.Export.Tests.Api;

[Collection(SharedExportApi.Name)]
public sealed class CoverExportTests(ExportApiFixture fixture)
{
    private const string TinyPng = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";

    [Fact]
    public async Task An_epub_with_an_uploaded_cover_has_the_picture_as_its_cover_image_and_passes_epubcheck()
    {
        var owner = Guid.NewGuid();
        var book = await fixture.CreateBookAsync(owner, SampleBooks.FirstChapters(2).Chapters, SampleBooks.Metadata);
        using var client = fixture.ExportClientFor(owner);

        using var started = await client.PostAsJsonAsync("/api/v1/exports", new { projectId = book.ProjectId, format = "epub", cover = TinyPng });
        var job = await ExportApiFixture.WaitForJobAsync(client, (await started.ShouldBeJsonAsync(HttpStatusCode.Accepted)).GetProperty("id").GetString()!);
        job.GetProperty("status").GetString().Should().Be("completed", job.ToString());
        var path = Tool.TempFile("epub");
        await File.WriteAllBytesAsync(path, await client.GetByteArrayAsync(new Uri(job.GetProperty("downloadUrl").GetString()!, UriKind.Relative)));

        await Tool.ShouldPassEpubcheckAsync(path);
        using var zip = ZipFile.OpenRead(path);
        using (var image = zip.GetEntry("OEBPS/cover.png")!.Open())
        using (var bytes = new MemoryStream())
        {
            await image.CopyToAsync(bytes);
            bytes.ToArray().Should().Equal(Convert.FromBase64String(TinyPng));
        }

        using var opf = new StreamReader(zip.GetEntry("OEBPS/content.opf")!.Open());
        (await opf.ReadToEndAsync()).Should().Contain("properties=\"cover-image\"");
        zip.GetEntry("OEBPS/cover.xhtml").Should().NotBeNull();
        Directory.EnumerateFiles(fixture.StoragePath, "cover-*").Should().BeEmpty("a finished job's cover is deleted from storage");
    }

    [Fact]
    public async Task A_cover_that_is_no_png_or_jpeg_or_too_big_or_for_a_format_without_covers_is_400_and_another_users_book_is_404()
    {
        var owner = Guid.NewGuid();
        var book = await fixture.CreateBookAsync(owner, SampleBooks.FirstChapters(1).Chapters, SampleBooks.Metadata);
        using var client = fixture.ExportClientFor(owner);
        var gif = Convert.ToBase64String("GIF89a\u0001\u0000\u0001\u0000\u0000\u0000\u0000;"u8.ToArray());
        var huge = Convert.ToBase64String([.. Convert.FromBase64String(TinyPng), .. new byte[5 * 1024 * 1024]]);
        foreach (var (format, cover) in new[] { ("epub", gif), ("docx", "not base64 at all!"), ("pdf", huge), ("txt", TinyPng) })
        {
            using var response = await client.PostAsJsonAsync("/api/v1/exports", new { projectId = book.ProjectId, format, cover });
            await response.ShouldBeValidationProblemAsync("cover");
        }

        using var intruder = fixture.ExportClientFor(Guid.NewGuid());
        using var theirs = await intruder.PostAsJsonAsync("/api/v1/exports", new { projectId = book.ProjectId, format = "epub", cover = TinyPng });
        await theirs.ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }
}
