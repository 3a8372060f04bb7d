using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Folio.Contracts;
using Folio.Contracts.Projects;
using Folio.Export.Api.Features.Exports;
using Folio.Export.Core;
using Folio.Tests.Infrastructure;
using Folio.Versioning.Api.Features.History;
using MassTransit;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Folio.Export.Tests.Api;

/// <summary>
/// The real Versioning service and the real Export service, each on Kestrel with its own fresh database on the test
/// PostgreSQL and both on the test RabbitMQ; Export reads manuscripts from Versioning over gRPC (HTTP/2 cleartext).
/// </summary>
public sealed class ExportApiFixture : IAsyncLifetime
{
    public VersioningHost Versioning { get; } = new();

    public ProjectsHost Projects { get; } = new();

    public ExportHost Export { get; private set; } = null!;

    public string StoragePath { get; } = Path.Combine(Path.GetTempPath(), $"folio-export-storage-{Guid.NewGuid():N}");

    public Task InitializeAsync()
    {
        _ = Versioning.Services;
        _ = Projects.Services;
        Export = new ExportHost(Versioning.GrpcAddress, StoragePath, overrides: new Dictionary<string, string> { ["Services:Projects:Http"] = Projects.Address });
        _ = Export.Services;
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await Export.DisposeAsync();
        await Projects.DisposeAsync();
        await Versioning.DisposeAsync();
    }

    public HttpClient ExportClientFor(Guid userId) => Authorized(Export.CreateClient(), userId);

    public HttpClient VersioningClientFor(Guid userId) => Authorized(Versioning.CreateClient(), userId);

    public HttpClient ProjectsClientFor(Guid userId) => Authorized(Projects.CreateClient(), userId);

    private static HttpClient Authorized(HttpClient client, Guid userId)
    {
        client.Timeout = TimeSpan.FromMinutes(3);
        return client.SignedInAs(userId);
    }

    /// <summary>
    /// A book as the other services would make it: Projects' events (created, metadata, series, chapter titles) on the bus,
    /// and each chapter's text saved as a version in Versioning. Returns once both services have seen it.
    /// </summary>
    public async Task<TestBook> CreateBookAsync(Guid ownerId, IReadOnlyList<BookChapter> chapters, BookMetadata metadata)
    {
        var projectId = Guid.NewGuid();
        var bus = Export.Services.GetRequiredService<IBus>();
        var actor = Actor.User(ownerId);
        Guid NewId() => Guid.NewGuid();
        await bus.Publish(new ProjectCreated(NewId(), NewId(), DateTimeOffset.UtcNow, actor, projectId, ownerId, metadata.Title, metadata.Language));
        await bus.Publish(new ProjectUpdated(NewId(), NewId(), DateTimeOffset.UtcNow, actor, projectId, ownerId, metadata.Title, metadata.Subtitle,
            metadata.Language, "draft", metadata.AuthorLine, metadata.Publisher, metadata.Rights, null, metadata.Description, metadata.Subjects));
        if (metadata.SeriesName is { } series)
        {
            await bus.Publish(new SeriesUpdated(NewId(), NewId(), DateTimeOffset.UtcNow, actor, projectId, Guid.NewGuid(), series,
                [new SeriesBook(Guid.NewGuid(), 1), new SeriesBook(projectId, metadata.SeriesNumber ?? 1)]));
        }

        var chapterIds = chapters.Select(_ => Guid.NewGuid()).ToList();
        for (var i = 0; i < chapters.Count; i++)
        {
            await bus.Publish(new ChapterAdded(NewId(), NewId(), DateTimeOffset.UtcNow, actor, projectId, chapterIds[i], chapters[i].Number, chapters[i].Title));
        }

        var versioning = VersioningClientFor(ownerId);
        await EventuallyAsync(async () => (await versioning.GetAsync(new Uri($"/api/v1/projects/{projectId}/repository", UriKind.Relative))).StatusCode == HttpStatusCode.OK,
            "Versioning opens the repository from ProjectCreated");
        string? head = null;
        for (var i = 0; i < chapters.Count; i++)
        {
            using var saved = await versioning.PutAsJsonAsync($"/api/v1/projects/{projectId}/chapters/{chapterIds[i]}/content",
                new { text = chapters[i].Markdown, mode = "version", expectedHead = head, branch = "main" });
            head = (await saved.ShouldBeJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetString();
        }

        var db = Export.Services.GetRequiredService<Npgsql.NpgsqlDataSource>();
        await EventuallyAsync(async () =>
        {
            await using var connection = await db.OpenConnectionAsync();
            return await Dapper.SqlMapper.ExecuteScalarAsync<bool>(connection,
                "SELECT (SELECT count(*) FROM export_chapters WHERE project_id = @projectId) = @count AND " +
                "EXISTS (SELECT 1 FROM export_books WHERE project_id = @projectId AND (@author = '' OR author_name = @author)) AND " +
                "(@series IS NULL OR EXISTS (SELECT 1 FROM export_book_series WHERE project_id = @projectId AND series_title = @series))",
                new { projectId, count = chapters.Count, series = metadata.SeriesName, author = metadata.AuthorLine });
        }, "Export keeps the book's metadata and chapter titles from Projects' events");
        return new TestBook(projectId, ownerId, chapterIds, head);
    }

    public static async Task<JsonElement> WaitForJobAsync(HttpClient client, string jobId)
    {
        JsonElement job = default;
        await EventuallyAsync(async () =>
        {
            using var response = await client.GetAsync(new Uri($"/api/v1/exports/{jobId}", UriKind.Relative));
            job = await response.ShouldBeJsonAsync(HttpStatusCode.OK);
            return job.GetProperty("status").GetString() is ExportStatuses.Completed or ExportStatuses.Failed;
        }, $"export {jobId} finishes", TimeSpan.FromMinutes(3));
        return job;
    }

    public static async Task<JsonElement> WaitForImportAsync(HttpClient client, string jobId)
    {
        JsonElement job = default;
        await EventuallyAsync(async () =>
        {
            using var response = await client.GetAsync(new Uri($"/api/v1/imports/{jobId}", UriKind.Relative));
            job = await response.ShouldBeJsonAsync(HttpStatusCode.OK);
            return job.GetProperty("status").GetString() is "completed" or "failed";
        }, $"import {jobId} finishes", TimeSpan.FromMinutes(2));
        return job;
    }

    /// <summary>A git export of the book, downloaded to a temporary file.</summary>
    public static async Task<string> ExportGitAsync(HttpClient client, Guid projectId)
    {
        using var started = await client.PostAsJsonAsync("/api/v1/exports", new { projectId, format = "git" });
        var job = await WaitForJobAsync(client, (await started.ShouldBeJsonAsync(HttpStatusCode.Accepted)).GetProperty("id").GetString()!);
        job.GetProperty("status").GetString().Should().Be("completed", job.ToString());
        var path = Writers.Tool.TempFile("bundle");
        await File.WriteAllBytesAsync(path, await client.GetByteArrayAsync(new Uri(job.GetProperty("downloadUrl").GetString()!, UriKind.Relative)));
        return path;
    }

    /// <summary>An empty book made in Projects itself, known to Versioning and Export from its events: what an import into an existing book needs.</summary>
    public async Task<Guid> CreateEmptyBookInProjectsAsync(Guid ownerId, string title)
    {
        using var projects = ProjectsClientFor(ownerId);
        using var created = await projects.PostAsJsonAsync(new Uri("/api/v1/projects", UriKind.Relative), new { title });
        var projectId = (await created.ShouldBeJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        using var versioning = VersioningClientFor(ownerId);
        await EventuallyAsync(async () => (await versioning.GetAsync(new Uri($"/api/v1/projects/{projectId}/repository", UriKind.Relative))).StatusCode == HttpStatusCode.OK,
            "Versioning opens the repository from ProjectCreated");
        using var export = ExportClientFor(ownerId);
        await EventuallyAsync(async () => (await export.GetAsync(new Uri($"/api/v1/projects/{projectId}/exports", UriKind.Relative))).IsSuccessStatusCode,
            "Export learns of the book from ProjectCreated");
        return projectId;
    }

    public static async Task EventuallyAsync(Func<Task<bool>> condition, string because, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (!await condition())
        {
            DateTime.UtcNow.Should().BeBefore(deadline, because);
            await Task.Delay(100);
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

public sealed record TestBook(Guid ProjectId, Guid OwnerId, IReadOnlyList<Guid> ChapterIds, string? Head);

/// <summary>Versioning with its REST and gRPC endpoints on free ports.</summary>
public sealed class VersioningHost : WebApplicationFactory<HistoryStore>
{
    private readonly int grpcPort = ExportApiFixture.FreePort();

    public VersioningHost() => UseKestrel();

    public string GrpcAddress => $"http://127.0.0.1:{grpcPort}";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        foreach (var (key, value) in TestInfrastructure.ServiceSettings())
        {
            builder.UseSetting(key, value);
        }

        builder.UseSetting("ConnectionStrings:Versioning", TestInfrastructure.NewDatabase("exp_versioning"));
        builder.UseSetting("Kestrel:Endpoints:Http:Url", $"http://127.0.0.1:{ExportApiFixture.FreePort()}");
        builder.UseSetting("Kestrel:Endpoints:Grpc:Url", GrpcAddress);
        builder.UseSetting("Retention:Interval", "00:00:00");
        // A 200,000-word chapter is more than the default 1 MB request body; deployments raise the limit the same way.
        builder.UseSetting("Kestrel:Limits:MaxRequestBodySize", (8 * 1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}

/// <summary>Projects on Kestrel at <see cref="Address"/>: an import that creates a book calls it over REST.</summary>
public sealed class ProjectsHost : WebApplicationFactory<Folio.Projects.Api.Features.Projects.ProjectRequest>
{
    public ProjectsHost() => UseKestrel();

    public string Address { get; } = $"http://127.0.0.1:{ExportApiFixture.FreePort()}";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        foreach (var (key, value) in TestInfrastructure.ServiceSettings())
        {
            builder.UseSetting(key, value);
        }

        builder.UseSetting("ConnectionStrings:Projects", TestInfrastructure.NewDatabase("exp_projects"));
        builder.UseSetting("Kestrel:Endpoints:Http:Url", Address);
        builder.UseSetting("Kestrel:Endpoints:Grpc:Url", $"http://127.0.0.1:{ExportApiFixture.FreePort()}");
    }
}

/// <summary>Export reading from <paramref name="versioningGrpc"/>, keeping files under <paramref name="storagePath"/>.</summary>
public sealed class ExportHost(string versioningGrpc, string storagePath, string? connectionString = null, IReadOnlyDictionary<string, string>? overrides = null)
    : WebApplicationFactory<ExportJobs>
{
    public string ConnectionString { get; } = connectionString ?? TestInfrastructure.NewDatabase("export");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        UseKestrel();
        builder.UseEnvironment("Production");
        foreach (var (key, value) in TestInfrastructure.ServiceSettings())
        {
            builder.UseSetting(key, value);
        }

        builder.UseSetting("ConnectionStrings:Export", ConnectionString);
        builder.UseSetting("Kestrel:Endpoints:Http:Url", $"http://127.0.0.1:{ExportApiFixture.FreePort()}");
        builder.UseSetting("Kestrel:Endpoints:Grpc:Url", $"http://127.0.0.1:{ExportApiFixture.FreePort()}");
        builder.UseSetting("Services:Versioning:Grpc", versioningGrpc);
        builder.UseSetting("Export:Storage:Path", storagePath);
        foreach (var (key, value) in overrides ?? new Dictionary<string, string>())
        {
            builder.UseSetting(key, value);
        }
    }
}

[CollectionDefinition(Name)]
public sealed class SharedExportApi : ICollectionFixture<ExportApiFixture>
{
    public const string Name = "Export API";
}
