using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Folio.Tests.Infrastructure;

namespace Folio.Projects.Tests;

[Collection(SharedProjectsApi.Name)]
public sealed class ProjectLifecycleTests(ProjectsApiFactory api)
{
    private static object Book(string title = "The Salt Road", string? status = null, string? identifier = "978-0-306-40615-7") => new
    {
        title,
        subtitle = "A novel",
        genre = "Historical",
        language = "en-GB",
        targetWordCount = 90_000,
        status,
        authorName = "Ann Writer",
        publisher = "Quill Press",
        rights = "© 2026 Ann Writer. All rights reserved.",
        identifier,
        description = "Salt, a road, and a family's secret.",
        subjects = new[] { "Fiction", "Historical" },
    };

    private static async Task<JsonElement> CreateAsync(HttpClient client, object? body = null)
    {
        using var response = await client.PostAsJsonAsync("/api/v1/projects", body ?? Book());
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(HttpStatusCode.Created, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string path, object? body, string? ifMatch)
    {
        var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        return client.SendAsync(request);
    }

    [Fact]
    public async Task Update_with_the_current_etag_changes_every_field_records_each_change_and_publishes_project_updated()
    {
        using var client = api.ClientFor(Guid.NewGuid());
        var project = await CreateAsync(client);
        var id = project.GetProperty("id").GetGuid();
        project.GetProperty("subjects").EnumerateArray().Select(subject => subject.GetString()).Should().Equal("Fiction", "Historical");

        using var request = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/projects/{id}")
        {
            Content = JsonContent.Create(Book("The Salt Road, Revised", status: "in_progress")),
        };
        request.Headers.TryAddWithoutValidation("If-Match", "\"1\"");
        request.Headers.TryAddWithoutValidation("X-Correlation-Id", "0b7c6b1e-9d52-4d0e-9a55-8f3a2b1c4d5e");
        using var updated = await client.SendAsync(request);

        var body = JsonDocument.Parse(await updated.Content.ReadAsStringAsync()).RootElement;
        updated.StatusCode.Should().Be(HttpStatusCode.OK, body.ToString());
        updated.Headers.ETag!.Tag.Should().Be("\"2\"");
        body.GetProperty("title").GetString().Should().Be("The Salt Road, Revised");
        body.GetProperty("status").GetString().Should().Be("in_progress");

        var audit = await client.GetFromJsonAsync<JsonElement>($"/api/v1/projects/{id}/audit?resourceType=project");
        var changes = audit.GetProperty("items").EnumerateArray().Where(entry => entry.GetProperty("action").GetString() == "updated").ToList();
        changes.Select(entry => entry.GetProperty("field").GetString()).Should().BeEquivalentTo(["title", "status"]);
        var title = changes.Single(entry => entry.GetProperty("field").GetString() == "title");
        title.GetProperty("oldValue").GetString().Should().Be("The Salt Road");
        title.GetProperty("newValue").GetString().Should().Be("The Salt Road, Revised");
        title.GetProperty("actor").GetProperty("kind").GetString().Should().Be("human");
        title.GetProperty("correlationId").GetGuid().Should().Be(Guid.Parse("0b7c6b1e-9d52-4d0e-9a55-8f3a2b1c4d5e"));
        audit.GetProperty("items").EnumerateArray().Count(entry => entry.GetProperty("action").GetString() == "created").Should().BeGreaterThan(5);

        (await api.OutboxRowsForAsync(id)).Select(row => row.MessageType).Should().Contain(type => type.Contains("ProjectUpdated", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Stale_or_missing_if_match_is_refused_and_nothing_is_written()
    {
        using var client = api.ClientFor(Guid.NewGuid());
        var id = (await CreateAsync(client)).GetProperty("id").GetGuid();
        using (var first = await SendAsync(client, HttpMethod.Put, $"/api/v1/projects/{id}", Book("Second"), "\"1\""))
        {
            first.StatusCode.Should().Be(HttpStatusCode.OK);
        }

        using (var stale = await SendAsync(client, HttpMethod.Put, $"/api/v1/projects/{id}", Book("Lost update"), "\"1\""))
        {
            await stale.ShouldBeProblemAsync(HttpStatusCode.PreconditionFailed);
        }

        using (var missing = await SendAsync(client, HttpMethod.Put, $"/api/v1/projects/{id}", Book("Blind write"), null))
        {
            await missing.ShouldBeProblemAsync(HttpStatusCode.PreconditionRequired);
        }

        using (var staleDelete = await SendAsync(client, HttpMethod.Delete, $"/api/v1/projects/{id}", null, "\"1\""))
        {
            await staleDelete.ShouldBeProblemAsync(HttpStatusCode.PreconditionFailed);
        }

        (await client.GetFromJsonAsync<JsonElement>($"/api/v1/projects/{id}")).GetProperty("title").GetString().Should().Be("Second");
    }

    [Fact]
    public async Task Twenty_concurrent_updates_with_the_same_etag_exactly_one_wins()
    {
        using var client = api.ClientFor(Guid.NewGuid());
        var id = (await CreateAsync(client)).GetProperty("id").GetGuid();

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => SendAsync(client, HttpMethod.Put, $"/api/v1/projects/{id}", Book($"Take {i}"), "\"1\"")));

        responses.Count(response => response.StatusCode == HttpStatusCode.OK).Should().Be(1);
        responses.Count(response => response.StatusCode == HttpStatusCode.PreconditionFailed).Should().Be(19);
        (await client.GetFromJsonAsync<JsonElement>($"/api/v1/projects/{id}")).GetProperty("version").GetInt32().Should().Be(2);
    }

    [Theory]
    [InlineData("978-0-306-40615-8", "Identifier")]
    [InlineData("not an isbn", "Identifier")]
    [InlineData(null, "Status")]
    public async Task Bad_metadata_is_400_with_field_errors(string? identifier, string field)
    {
        using var client = api.ClientFor(Guid.NewGuid());
        using var response = await client.PostAsJsonAsync("/api/v1/projects", Book(identifier: identifier, status: field == "Status" ? "finished" : null));
        await response.ShouldBeValidationProblemAsync(field);
    }

    [Theory]
    [InlineData("0-306-40615-2")]
    [InlineData("ISBN 978-0-306-40615-7")]
    [InlineData("urn:uuid:0b7c6b1e-9d52-4d0e-9a55-8f3a2b1c4d5e")]
    public async Task Isbns_and_urns_are_accepted_as_identifiers(string identifier)
    {
        using var client = api.ClientFor(Guid.NewGuid());
        (await CreateAsync(client, Book(identifier: identifier))).GetProperty("identifier").GetString().Should().Be(identifier);
    }

    [Fact]
    public async Task The_list_pages_by_cursor_filters_by_status_and_sorts_without_gaps_or_duplicates()
    {
        using var client = api.ClientFor(Guid.NewGuid());
        var created = new List<Guid>();
        for (var i = 0; i < 12; i++)
        {
            created.Add((await CreateAsync(client, Book($"Book {(char)('a' + (i * 7 % 12))}", status: i % 3 == 0 ? "complete" : null))).GetProperty("id").GetGuid());
        }

        foreach (var sort in new[] { "title", "-title", "createdAt", "-createdAt", "updatedAt", "-updatedAt" })
        {
            var seen = new List<JsonElement>();
            string? cursor = null;
            var pages = 0;
            do
            {
                var page = await client.GetFromJsonAsync<JsonElement>($"/api/v1/projects?sort={sort}&limit=5{(cursor is null ? "" : "&cursor=" + cursor)}");
                seen.AddRange(page.GetProperty("items").EnumerateArray());
                cursor = page.GetProperty("nextCursor").GetString();
                pages++;
                if (pages == 1)
                {
                    // A book added while paging appears at most once and never shifts what is still to come.
                    await CreateAsync(client, Book("Book zz late"));
                }
            }
            while (cursor is not null);

            var ids = seen.Select(item => item.GetProperty("id").GetGuid()).ToList();
            ids.Should().OnlyHaveUniqueItems(sort);
            ids.Should().Contain(created, sort);
            var titles = seen.Select(item => item.GetProperty("title").GetString()!.ToLowerInvariant()).ToList();
            if (sort == "title")
            {
                titles.Should().BeInAscendingOrder(StringComparer.Ordinal);
            }
            else if (sort == "-title")
            {
                titles.Should().BeInDescendingOrder(StringComparer.Ordinal);
            }
        }

        var complete = await client.GetFromJsonAsync<JsonElement>("/api/v1/projects?status=complete&limit=200");
        complete.GetProperty("items").EnumerateArray().Select(item => item.GetProperty("status").GetString()).Should().HaveCount(4).And.OnlyContain(status => status == "complete");
    }

    [Theory]
    [InlineData("status=done", "Status")]
    [InlineData("sort=wordCount", "Sort")]
    [InlineData("limit=0", "Limit")]
    [InlineData("limit=201", "Limit")]
    public async Task Bad_list_parameters_are_400_with_field_errors(string query, string field)
    {
        using var client = api.ClientFor(Guid.NewGuid());
        using var response = await client.GetAsync(new Uri($"/api/v1/projects?{query}", UriKind.Relative));
        await response.ShouldBeValidationProblemAsync(field);
    }

    [Fact]
    public async Task A_forged_cursor_is_400()
    {
        using var client = api.ClientFor(Guid.NewGuid());
        using var response = await client.GetAsync(new Uri("/api/v1/projects?cursor=bm90LWEtY3Vyc29y", UriKind.Relative));
        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Delete_removes_the_book_and_its_audit_trail_and_publishes_project_deleted()
    {
        using var client = api.ClientFor(Guid.NewGuid());
        var id = (await CreateAsync(client)).GetProperty("id").GetGuid();
        // Confirms the ownership, which the service then remembers: the deletion must forget it at once.
        (await client.GetAsync(new Uri($"/api/v1/projects/{id}/chapters", UriKind.Relative))).StatusCode.Should().Be(HttpStatusCode.OK);

        using (var deleted = await SendAsync(client, HttpMethod.Delete, $"/api/v1/projects/{id}", null, "\"1\""))
        {
            deleted.StatusCode.Should().Be(HttpStatusCode.NoContent);
        }

        (await client.GetAsync(new Uri($"/api/v1/projects/{id}", UriKind.Relative))).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await client.GetAsync(new Uri($"/api/v1/projects/{id}/chapters", UriKind.Relative))).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await client.GetAsync(new Uri($"/api/v1/projects/{id}/audit", UriKind.Relative))).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await api.OutboxRowsForAsync(id)).Select(row => row.MessageType).Should().Contain(type => type.Contains("ProjectDeleted", StringComparison.Ordinal));
        using var again = await SendAsync(client, HttpMethod.Delete, $"/api/v1/projects/{id}", null, null);
        await again.ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Another_users_book_cannot_be_updated_or_deleted_and_is_left_as_it_was()
    {
        using var owner = api.ClientFor(Guid.NewGuid());
        var id = (await CreateAsync(owner)).GetProperty("id").GetGuid();
        using var stranger = api.ClientFor(Guid.NewGuid());

        using (var update = await SendAsync(stranger, HttpMethod.Put, $"/api/v1/projects/{id}", Book("Hijacked"), "\"1\""))
        {
            await update.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        }

        using (var delete = await SendAsync(stranger, HttpMethod.Delete, $"/api/v1/projects/{id}", null, null))
        {
            await delete.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        }

        using (var audit = await stranger.GetAsync(new Uri($"/api/v1/projects/{id}/audit", UriKind.Relative)))
        {
            await audit.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        }

        var mine = await owner.GetFromJsonAsync<JsonElement>($"/api/v1/projects/{id}");
        (mine.GetProperty("title").GetString(), mine.GetProperty("version").GetInt32()).Should().Be(("The Salt Road", 1));
    }
}
