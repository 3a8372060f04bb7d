using System.Net;
using System.Net.Http.Json;
using Folio.Tests.Infrastructure;

namespace Folio.Projects.Tests;

[Collection(SharedProjectsApi.Name)]
public sealed class SeriesTests(ProjectsApiFactory api)
{
    [Fact]
    public async Task Series_lists_its_books_in_order_with_title_status_and_target_and_sums_targets()
    {
        using var writer = new BibleApi(api, Guid.NewGuid());
        var seriesId = await writer.CreateSeriesAsync("The Northern Trilogy");
        var first = await writer.CreateProjectAsync("Frost", 80_000);
        var second = await writer.CreateProjectAsync("Thaw", 90_000);
        var prequel = await writer.CreateProjectAsync("Before the Frost");

        await writer.AddBookAsync(seriesId, first);
        await writer.AddBookAsync(seriesId, second);
        var series = await writer.AddBookAsync(seriesId, prequel, sequence: 1);

        var books = series.GetProperty("books").EnumerateArray().ToList();
        books.Select(book => book.GetProperty("projectId").GetGuid()).Should().Equal(prequel, first, second);
        books.Select(book => book.GetProperty("sequence").GetInt32()).Should().Equal(1, 2, 3);
        books[1].GetProperty("title").GetString().Should().Be("Frost");
        books[1].GetProperty("status").GetString().Should().Be("draft");
        books[1].GetProperty("targetWordCount").GetInt32().Should().Be(80_000);

        var stats = await writer.GetAsync($"/api/v1/series/{seriesId}/stats");
        stats.GetProperty("bookCount").GetInt32().Should().Be(3);
        stats.GetProperty("targetWordCount").GetInt64().Should().Be(170_000);
        stats.GetProperty("books").EnumerateArray().Select(book => book.GetProperty("projectId").GetGuid()).Should().Equal(prequel, first, second);

        var listed = await writer.GetAsync("/api/v1/series");
        listed.GetProperty("items").EnumerateArray().Single().GetProperty("bookCount").GetInt32().Should().Be(3);
    }

    [Fact]
    public async Task Update_needs_the_current_etag_and_stale_one_is_412_and_missing_one_428()
    {
        using var writer = new BibleApi(api, Guid.NewGuid());
        var seriesId = await writer.CreateSeriesAsync("Working title");

        using var renamed = await writer.PutAsync($"/api/v1/series/{seriesId}", new { title = "Final title", description = "Three books" }, ifMatch: 1);
        var body = await renamed.ShouldBeJsonAsync(HttpStatusCode.OK);
        body.GetProperty("title").GetString().Should().Be("Final title");
        renamed.Headers.ETag!.Tag.Should().Be("\"2\"");

        using var stale = await writer.PutAsync($"/api/v1/series/{seriesId}", new { title = "Lost update" }, ifMatch: 1);
        await stale.ShouldBeProblemAsync(HttpStatusCode.PreconditionFailed);
        using var blind = await writer.PutAsync($"/api/v1/series/{seriesId}", new { title = "Blind write" }, ifMatch: null);
        await blind.ShouldBeProblemAsync(HttpStatusCode.PreconditionRequired);

        (await writer.GetAsync($"/api/v1/series/{seriesId}")).GetProperty("title").GetString().Should().Be("Final title");
    }

    [Fact]
    public async Task Bad_input_is_400_with_field_errors()
    {
        using var writer = new BibleApi(api, Guid.NewGuid());
        using var noTitle = await writer.Client.PostAsJsonAsync("/api/v1/series", new { title = "" });
        await noTitle.ShouldBeValidationProblemAsync("Title");

        var seriesId = await writer.CreateSeriesAsync("Saga");
        using var badSequence = await writer.Client.PostAsJsonAsync($"/api/v1/series/{seriesId}/books", new { projectId = Guid.NewGuid(), sequence = 0 });
        await badSequence.ShouldBeValidationProblemAsync("Sequence");

        var book = await writer.CreateProjectAsync("One");
        using var duplicate = await writer.PutAsync($"/api/v1/series/{seriesId}/books/order", new { projectIds = new[] { book, book } }, ifMatch: null);
        await duplicate.ShouldBeValidationProblemAsync("ProjectIds");
    }

    [Fact]
    public async Task Another_users_series_and_projects_are_404_everywhere()
    {
        using var owner = new BibleApi(api, Guid.NewGuid());
        var seriesId = await owner.CreateSeriesAsync("Secret saga");
        var ownersBook = await owner.CreateProjectAsync("Owner's book");
        await owner.AddBookAsync(seriesId, ownersBook);

        using var intruder = new BibleApi(api, Guid.NewGuid());
        var intrudersBook = await intruder.CreateProjectAsync("Intruder's book");
        foreach (var path in new[] { "", "/stats", "/audit", "/characters", "/world" })
        {
            using var read = await intruder.Client.GetAsync($"/api/v1/series/{seriesId}{path}");
            await read.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        }

        using var rename = await intruder.PutAsync($"/api/v1/series/{seriesId}", new { title = "Mine now" }, ifMatch: 1);
        await rename.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        using var addToForeign = await intruder.Client.PostAsJsonAsync($"/api/v1/series/{seriesId}/books", new { projectId = intrudersBook });
        await addToForeign.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        using var delete = await intruder.Client.DeleteAsync($"/api/v1/series/{seriesId}");
        await delete.ShouldBeProblemAsync(HttpStatusCode.NotFound);

        var ownSeries = await intruder.CreateSeriesAsync("Intruder's saga");
        using var stealBook = await intruder.Client.PostAsJsonAsync($"/api/v1/series/{ownSeries}/books", new { projectId = ownersBook });
        await stealBook.ShouldBeProblemAsync(HttpStatusCode.NotFound);

        (await owner.GetAsync($"/api/v1/series/{seriesId}")).GetProperty("books").GetArrayLength().Should().Be(1);
    }

    [Fact]
    public async Task A_book_belongs_to_at_most_one_series()
    {
        using var writer = new BibleApi(api, Guid.NewGuid());
        var book = await writer.CreateProjectAsync("Shared?");
        var first = await writer.CreateSeriesAsync("First");
        var second = await writer.CreateSeriesAsync("Second");
        await writer.AddBookAsync(first, book);

        using var again = await writer.Client.PostAsJsonAsync($"/api/v1/series/{second}/books", new { projectId = book });
        await again.ShouldBeProblemAsync(HttpStatusCode.Conflict);

        using var removed = await writer.Client.DeleteAsync($"/api/v1/series/{first}/books/{book}");
        (await removed.ShouldBeJsonAsync(HttpStatusCode.OK)).GetProperty("books").GetArrayLength().Should().Be(0);
        (await writer.AddBookAsync(second, book)).GetProperty("books").GetArrayLength().Should().Be(1);
    }

    [Fact]
    public async Task Deleting_a_series_keeps_its_books_and_their_own_entries_and_tells_each_book()
    {
        using var writer = new BibleApi(api, Guid.NewGuid());
        var seriesId = await writer.CreateSeriesAsync("Short-lived");
        var book = await writer.CreateProjectAsync("Survivor");
        await writer.AddBookAsync(seriesId, book);
        var inherited = (await writer.CreateAsync($"/api/v1/series/{seriesId}/characters", new { name = "Mara" })).GetProperty("id").GetGuid();
        var bookMara = (await writer.CreateAsync($"/api/v1/projects/{book}/characters", new { name = "Mara", overrides = inherited })).GetProperty("id").GetGuid();

        using var deleted = await writer.Client.DeleteAsync($"/api/v1/series/{seriesId}");
        deleted.StatusCode.Should().Be(HttpStatusCode.NoContent);

        using var gone = await writer.Client.GetAsync($"/api/v1/series/{seriesId}");
        await gone.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        var bible = (await writer.GetAsync($"/api/v1/projects/{book}/characters")).GetProperty("items").EnumerateArray().Single();
        bible.GetProperty("source").GetString().Should().Be("book", "the override stays as the book's own character");
        (await api.OutboxAsync(book, ".SeriesUpdated"))[^1].Body.GetProperty("books").GetArrayLength().Should().Be(0);
        (await api.AuditRowsAsync(seriesId.ToString())).Should().Contain(row => row.Action == "deleted" && row.Field == "title");
        (await api.AuditRowsAsync(inherited.ToString())).Should().Contain(row => row.Action == "deleted" && row.Field == "name");
        (await api.AuditRowsAsync(bookMara.ToString())).Should().Contain(row => row.Action == "updated" && row.Field == "overrides" && row.NewValue == null);
    }

    [Fact]
    public async Task Concurrent_reorders_never_leave_duplicate_or_missing_sequence_numbers()
    {
        using var writer = new BibleApi(api, Guid.NewGuid());
        var seriesId = await writer.CreateSeriesAsync("Shuffled");
        var books = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            books.Add(await writer.CreateProjectAsync($"Book {i + 1}"));
            await writer.AddBookAsync(seriesId, books[^1]);
        }

        var orders = Enumerable.Range(0, 12).Select(seed => books.OrderBy(_ => Random.Shared.Next()).ToArray()).ToList();
        var responses = await Task.WhenAll(orders.Select(order => writer.PutAsync($"/api/v1/series/{seriesId}/books/order", new { projectIds = order }, ifMatch: null)));
        foreach (var response in responses)
        {
            response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
            response.Dispose();
        }

        var final = (await writer.GetAsync($"/api/v1/series/{seriesId}")).GetProperty("books").EnumerateArray().ToList();
        final.Select(book => book.GetProperty("sequence").GetInt32()).Should().Equal(1, 2, 3, 4, 5);
        var finalOrder = final.Select(book => book.GetProperty("projectId").GetGuid()).ToArray();
        finalOrder.Should().BeEquivalentTo(books);
        orders.Should().Contain(order => order.SequenceEqual(finalOrder), "the result is exactly one of the requested orders, never a mix");
    }

    [Fact]
    public async Task Book_changes_are_audited_on_the_series_and_announced_to_every_book()
    {
        using var writer = new BibleApi(api, Guid.NewGuid());
        var seriesId = await writer.CreateSeriesAsync("Announced");
        var first = await writer.CreateProjectAsync("One");
        var second = await writer.CreateProjectAsync("Two");
        await writer.AddBookAsync(seriesId, first);
        await writer.AddBookAsync(seriesId, second);
        using var reordered = await writer.PutAsync($"/api/v1/series/{seriesId}/books/order", new { projectIds = new[] { second, first } }, ifMatch: null);
        reordered.StatusCode.Should().Be(HttpStatusCode.OK);

        var audit = await writer.GetAsync($"/api/v1/series/{seriesId}/audit");
        var entries = audit.GetProperty("items").EnumerateArray().ToList();
        entries.Should().Contain(entry => entry.GetProperty("field").GetString() == "books" && entry.GetProperty("action").GetString() == "updated");
        entries.First(entry => entry.GetProperty("field").GetString() == "books")
            .GetProperty("newValue").EnumerateArray().Select(id => id.GetGuid()).Should().Equal(second, first);
        entries.Should().Contain(entry => entry.GetProperty("field").GetString() == "title" && entry.GetProperty("action").GetString() == "created");

        var toFirst = await api.OutboxAsync(first, ".SeriesUpdated");
        toFirst[^1].Body.GetProperty("books").EnumerateArray().Select(book => book.GetProperty("projectId").GetGuid()).Should().Equal(second, first);
        (await api.OutboxAsync(second, ".SeriesUpdated")).Should().HaveCount(2, "the second book was told when it joined and when the order changed");
    }
}
