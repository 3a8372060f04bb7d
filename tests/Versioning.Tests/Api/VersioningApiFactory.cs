using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Folio.Contracts;
using Folio.Contracts.Projects;
using Folio.Tests.Infrastructure;
using MassTransit;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Folio.Versioning.Tests.Api;

/// <summary>The real Versioning API on Kestrel with a fresh database on the test PostgreSQL and the test RabbitMQ.</summary>
public sealed class VersioningApiFactory : WebApplicationFactory<Program>
{
    public VersioningApiFactory() => UseKestrel(0);

    public string ConnectionString { get; } = TestInfrastructure.NewDatabase("versioning");

    public HttpClient ClientFor(Guid? userId)
    {
        var client = CreateClient().SignedInAs(userId);
        client.Timeout = TimeSpan.FromMinutes(2);
        return client;
    }

    /// <summary>A book of <paramref name="ownerId"/> whose repository Versioning opened from the real ProjectCreated event.</summary>
    public async Task<Guid> CreateBookAsync(Guid ownerId)
    {
        var projectId = Guid.NewGuid();
        await Services.GetRequiredService<IBus>().Publish(new ProjectCreated(
            Guid.NewGuid(), Guid.NewGuid(), DateTimeOffset.UtcNow, Actor.User(ownerId), projectId, ownerId, "Test book", "en"));
        using var client = ClientFor(ownerId);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while ((await client.GetAsync(new Uri($"/api/v1/projects/{projectId}/repository", UriKind.Relative))).StatusCode != HttpStatusCode.OK)
        {
            DateTime.UtcNow.Should().BeBefore(deadline, "Versioning should open the repository from ProjectCreated");
            await Task.Delay(100);
        }

        return projectId;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        foreach (var (key, value) in TestInfrastructure.ServiceSettings())
        {
            builder.UseSetting(key, value);
        }

        builder.UseSetting("ConnectionStrings:Versioning", ConnectionString);
        // Garbage collection in tests must not wait for the production grace period.
        builder.UseSetting("Content:GcGracePeriod", "00:00:00");
        // Retention runs only when a test asks for it.
        builder.UseSetting("Retention:Interval", "00:00:00");
    }
}

[CollectionDefinition(Name)]
public sealed class SharedVersioningApi : ICollectionFixture<VersioningApiFactory>
{
    public const string Name = "Versioning API";
}

/// <summary>One writer's view of one book through the Versioning API.</summary>
public sealed class Book(HttpClient client, Guid projectId) : IDisposable
{
    public Guid ProjectId { get; } = projectId;

    public HttpClient Client { get; } = client;

    public string Path(string relative) => $"/api/v1/projects/{ProjectId}/{relative}";

    public static async Task<Book> CreateAsync(VersioningApiFactory factory, Guid? owner = null)
    {
        var ownerId = owner ?? Guid.NewGuid();
        return new Book(factory.ClientFor(ownerId), await factory.CreateBookAsync(ownerId));
    }

    public Task<HttpResponseMessage> SaveAsync(Guid chapterId, string text, string? expectedHead, string mode = "version", string branch = "main", object? author = null, string? lockToken = null) =>
        Client.PutAsJsonAsync(Path($"chapters/{chapterId}/content"), new { text, mode, expectedHead, branch, author, lockToken });

    public async Task<string> SaveVersionAsync(Guid chapterId, string text, string? expectedHead, string branch = "main")
    {
        using var response = await SaveAsync(chapterId, text, expectedHead, branch: branch);
        return (await response.ShouldBeJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetString()!;
    }

    public async Task<JsonElement> GetJsonAsync(string relative, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await Client.GetAsync(new Uri(Path(relative), UriKind.Relative));
        return await response.ShouldBeJsonAsync(expected);
    }

    public async Task<JsonElement> PostJsonAsync(string relative, object body, HttpStatusCode expected)
    {
        using var response = await Client.PostAsJsonAsync(Path(relative), body);
        return await response.ShouldBeJsonAsync(expected);
    }

    public async Task<string> TextAsync(Guid chapterId, string reference = "main") =>
        (await GetJsonAsync($"chapters/{chapterId}/content?ref={Uri.EscapeDataString(reference)}&includeDraft=false")).GetProperty("text").GetString()!;

    public async Task<string?> HeadAsync(string branch = "main") =>
        (await GetJsonAsync("branches")).EnumerateArray().Single(b => b.GetProperty("name").GetString() == branch).GetProperty("headCommitId").GetString();

    public void Dispose() => Client.Dispose();
}
