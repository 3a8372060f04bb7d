using System.Net;
using System.Net.Http.Json;
using Folio.Tests.Infrastructure;

namespace Folio.Versioning.Tests.Api;

[Collection(SharedVersioningApi.Name)]
public sealed class StorageApiTests(VersioningApiFactory factory)
{
    private static readonly Guid Chapter = Guid.NewGuid();

    [Fact]
    public async Task Garbage_collection_removes_overwritten_drafts_and_keeps_every_version_and_the_current_draft()
    {
        using var book = await Book.CreateAsync(factory);
        var first = await book.SaveVersionAsync(Chapter, "Version one.\n\nSecond paragraph.", null);
        var second = await book.SaveVersionAsync(Chapter, "Version two.\n\nSecond paragraph.", first);
        (await book.HeadAsync()).Should().Be(second);
        // Typo-sized drafts (far below the 30% major-edit threshold), so neither becomes a version.
        using (var draft = await book.SaveAsync(Chapter, "Version two.\n\nSecond paragraf.", null, mode: "draft"))
        {
            draft.StatusCode.Should().Be(HttpStatusCode.OK);
        }

        using var overwrite = new HttpRequestMessage(HttpMethod.Put, book.Path($"chapters/{Chapter}/content"))
        {
            Content = JsonContent.Create(new { text = "Version two.\n\nSecond paragraph!", mode = "draft" }),
        };
        overwrite.Headers.TryAddWithoutValidation("If-Match", "\"1\"");
        (await book.Client.SendAsync(overwrite)).StatusCode.Should().Be(HttpStatusCode.OK);

        (await book.HeadAsync()).Should().Be(second, "typo-sized drafts are not versions");
        var gc = await book.PostJsonAsync("storage/gc", new { }, HttpStatusCode.OK);

        gc.GetProperty("textsRemoved").GetInt32().Should().BeGreaterThanOrEqualTo(1, gc.ToString());
        (await book.TextAsync(Chapter, first)).Should().Be("Version one.\n\nSecond paragraph.");
        (await book.TextAsync(Chapter, second)).Should().Be("Version two.\n\nSecond paragraph.");
        (await book.GetJsonAsync($"chapters/{Chapter}/content")).GetProperty("draft").GetProperty("text").GetString().Should().Be("Version two.\n\nSecond paragraph!");
        (await book.GetJsonAsync("storage")).GetProperty("looseTexts").GetInt32().Should().BeGreaterThan(0);

        await book.PostJsonAsync("storage/repack", new { }, HttpStatusCode.OK);
        (await book.GetJsonAsync("storage")).GetProperty("packs").GetInt32().Should().BeGreaterThan(0);
        (await book.TextAsync(Chapter, first)).Should().Be("Version one.\n\nSecond paragraph.");
    }

    [Fact]
    public async Task Another_users_storage_is_404()
    {
        using var book = await Book.CreateAsync(factory);
        using var stranger = factory.ClientFor(Guid.NewGuid());
        using var stats = await stranger.GetAsync(new Uri(book.Path("storage"), UriKind.Relative));
        await stats.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        using var gc = await stranger.PostAsJsonAsync(book.Path("storage/gc"), new { });
        await gc.ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }
}
