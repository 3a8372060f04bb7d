using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Folio.Projects.Tests;

[Collection(SharedProjectsApi.Name)]
public sealed class CreateAndReadProjectsTests(ProjectsApiFactory api)
{
    [Fact]
    public async Task Create_returns_201_with_location_and_etag_and_get_returns_the_same_project()
    {
        var owner = Guid.NewGuid();
        using var client = api.ClientFor(owner);

        using var created = await client.PostAsJsonAsync("/api/v1/projects", new
        {
            title = "  The Long Winter  ",
            subtitle = "A novel",
            genre = "Literary",
            language = "en-GB",
            targetWordCount = 90_000,
        });

        var body = await created.Content.ReadAsStringAsync();
        created.StatusCode.Should().Be(HttpStatusCode.Created, body);
        created.Content.Headers.ContentType?.MediaType.Should().Be("application/json");
        var project = JsonDocument.Parse(body).RootElement;
        var id = project.GetProperty("id").GetGuid();
        project.GetProperty("title").GetString().Should().Be("The Long Winter", "titles are trimmed");
        project.GetProperty("subtitle").GetString().Should().Be("A novel");
        project.GetProperty("genre").GetString().Should().Be("Literary");
        project.GetProperty("language").GetString().Should().Be("en-GB");
        project.GetProperty("targetWordCount").GetInt32().Should().Be(90_000);
        project.GetProperty("status").GetString().Should().Be("draft");
        project.GetProperty("version").GetInt32().Should().Be(1);

        created.Headers.Location.Should().NotBeNull();
        created.Headers.Location!.ToString().Should().EndWith($"/api/v1/projects/{id}");
        created.Headers.ETag.Should().NotBeNull();
        created.Headers.ETag!.Tag.Should().Be("\"1\"");

        using var fetched = await client.GetAsync(created.Headers.Location);
        var fetchedBody = await fetched.Content.ReadAsStringAsync();
        fetched.StatusCode.Should().Be(HttpStatusCode.OK, fetchedBody);
        fetched.Headers.ETag!.Tag.Should().Be(created.Headers.ETag.Tag);
        var again = JsonDocument.Parse(fetchedBody).RootElement;
        again.GetProperty("id").GetGuid().Should().Be(id);
        again.GetProperty("title").GetString().Should().Be("The Long Winter");
        again.GetProperty("language").GetString().Should().Be("en-GB");
        again.GetProperty("createdAt").GetDateTime().Should().Be(project.GetProperty("createdAt").GetDateTime());

        (await api.CountProjectsOwnedByAsync(owner)).Should().Be(1);
    }

    [Fact]
    public async Task Create_with_an_idempotency_key_makes_one_book_per_key_and_writer_and_a_repeat_returns_it()
    {
        var owner = Guid.NewGuid();
        using var client = api.ClientFor(owner);
        async Task<HttpResponseMessage> CreateAsync(HttpClient with, string title, string key)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/projects") { Content = JsonContent.Create(new { title }) };
            request.Headers.Add("Idempotency-Key", key);
            return await with.SendAsync(request);
        }

        using var first = await CreateAsync(client, "The Long Winter", "import:42");
        first.StatusCode.Should().Be(HttpStatusCode.Created, await first.Content.ReadAsStringAsync());
        var id = (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        using var repeat = await CreateAsync(client, "A different title", "import:42");
        repeat.StatusCode.Should().Be(HttpStatusCode.OK, "a repeated key answers with the book it made");
        var again = await repeat.Content.ReadFromJsonAsync<JsonElement>();
        (again.GetProperty("id").GetGuid(), again.GetProperty("title").GetString()).Should().Be((id, "The Long Winter"));
        repeat.Headers.ETag!.Tag.Should().Be("\"1\"");

        using var another = await CreateAsync(client, "The Long Winter", "import:43");
        another.StatusCode.Should().Be(HttpStatusCode.Created);
        using var stranger = api.ClientFor(Guid.NewGuid());
        using var theirs = await CreateAsync(stranger, "Their book", "import:42");
        theirs.StatusCode.Should().Be(HttpStatusCode.Created, "keys belong to the writer who sent them");
        (await theirs.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid().Should().NotBe(id);
        (await api.CountProjectsOwnedByAsync(owner)).Should().Be(2);

        using var blank = await CreateAsync(client, "No key", new string('k', 201));
        blank.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        blank.Content.Headers.ContentType?.MediaType.Should().Be("application/problem+json");
        (await api.CountProjectsOwnedByAsync(owner)).Should().Be(2, "a refused request makes nothing");
    }

    [Fact]
    public async Task Create_with_only_a_title_defaults_the_language_to_english()
    {
        using var client = api.ClientFor(Guid.NewGuid());

        using var created = await client.PostAsJsonAsync("/api/v1/projects", new { title = "Untitled draft" });

        created.StatusCode.Should().Be(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var project = await created.Content.ReadFromJsonAsync<JsonElement>();
        project.GetProperty("language").GetString().Should().Be("en");
        project.GetProperty("targetWordCount").ValueKind.Should().Be(JsonValueKind.Null);
    }

    [Fact]
    public async Task List_returns_only_the_callers_projects_newest_first()
    {
        var alice = Guid.NewGuid();
        var bob = Guid.NewGuid();
        using var aliceClient = api.ClientFor(alice);
        using var bobClient = api.ClientFor(bob);

        var aliceFirst = await CreateAsync(aliceClient, "Alice one");
        var aliceSecond = await CreateAsync(aliceClient, "Alice two");
        var bobs = await CreateAsync(bobClient, "Bob's book");

        var aliceList = await aliceClient.GetFromJsonAsync<JsonElement>("/api/v1/projects");
        aliceList.GetProperty("items").EnumerateArray().Select(item => item.GetProperty("id").GetGuid())
            .Should().Equal(aliceSecond, aliceFirst);

        var bobList = await bobClient.GetFromJsonAsync<JsonElement>("/api/v1/projects");
        bobList.GetProperty("items").EnumerateArray().Select(item => item.GetProperty("id").GetGuid())
            .Should().Equal(bobs);

        var strangerList = await api.ClientFor(Guid.NewGuid()).GetFromJsonAsync<JsonElement>("/api/v1/projects");
        strangerList.GetProperty("items").GetArrayLength().Should().Be(0);
    }

    [Fact]
    public async Task Create_writes_ProjectCreated_to_the_outbox_in_the_same_database_and_the_relay_dispatches_it()
    {
        var owner = Guid.NewGuid();
        using var client = api.ClientFor(owner);

        var projectId = await CreateAsync(client, "Outbox novel", language: "fr");

        var rows = await api.OutboxRowsForAsync(projectId);
        rows.Should().ContainSingle("creating a project enqueues exactly one message, in the same transaction");
        var row = rows[0];
        row.AggregateId.Should().Be(projectId.ToString());
        row.MessageType.Should().StartWith("Folio.Contracts.Projects.ProjectCreated,");
        using var message = JsonDocument.Parse(row.Body);
        message.RootElement.GetProperty("messageId").GetGuid().Should().Be(row.MessageId);
        message.RootElement.GetProperty("projectId").GetGuid().Should().Be(projectId);
        message.RootElement.GetProperty("ownerId").GetGuid().Should().Be(owner);
        message.RootElement.GetProperty("title").GetString().Should().Be("Outbox novel");
        message.RootElement.GetProperty("language").GetString().Should().Be("fr");
        message.RootElement.GetProperty("correlationId").GetGuid().Should().NotBeEmpty();

        // The relay publishes to the real RabbitMQ with publisher confirms and only then marks the row dispatched.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await api.OutboxRowsForAsync(projectId))[0].DispatchedAt is null)
        {
            DateTime.UtcNow.Should().BeBefore(deadline, "the outbox relay should dispatch the message to RabbitMQ");
            await Task.Delay(100);
        }
    }

    private static async Task<Guid> CreateAsync(HttpClient client, string title, string? language = null)
    {
        using var response = await client.PostAsJsonAsync("/api/v1/projects", new { title, language });
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(HttpStatusCode.Created, body);
        return JsonDocument.Parse(body).RootElement.GetProperty("id").GetGuid();
    }
}
