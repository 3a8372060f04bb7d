using System.Net.Http.Headers;
using Dapper;
using Folio.Contracts;
using Folio.Tests.Infrastructure;
using MassTransit;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Folio.Projects.Tests;

/// <summary>
/// The real Projects API on Kestrel (so body-size limits and the HTTP stack are the production ones), with a fresh
/// database on the test PostgreSQL and the test RabbitMQ. Shared by every test in the <see cref="SharedProjectsApi"/>.
/// </summary>
public sealed class ProjectsApiFactory : WebApplicationFactory<Program>
{
    public ProjectsApiFactory() => UseKestrel(0);

    public string ConnectionString { get; } = TestInfrastructure.NewDatabase("projects");

    /// <summary>A client that calls the API as <paramref name="userId"/> (or anonymously) with a token as the gateway would mint it.</summary>
    public HttpClient ClientFor(Guid? userId) => ClientWithToken(userId is { } id ? TestInfrastructure.TokenFor(id) : null);

    public HttpClient ClientWithToken(string? token)
    {
        var client = CreateClient();
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    public async Task<long> CountProjectsOwnedByAsync(Guid ownerId)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        return await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM projects WHERE owner_id = @ownerId", new { ownerId });
    }

    /// <summary>Outbox rows whose message names <paramref name="ownerId"/> as the project's owner.</summary>
    public async Task<long> CountOutboxMessagesForOwnerAsync(Guid ownerId)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        return await connection.ExecuteScalarAsync<long>(
            "SELECT count(*) FROM outbox_messages WHERE body->>'ownerId' = @owner", new { owner = ownerId.ToString() });
    }

    public async Task<IReadOnlyList<OutboxRow>> OutboxRowsForAsync(Guid projectId)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        var rows = await connection.QueryAsync<OutboxRow>(
            """
            SELECT message_id AS MessageId, message_type AS MessageType, aggregate_id AS AggregateId,
                   body::text AS Body, dispatched_at AS DispatchedAt
            FROM outbox_messages WHERE aggregate_id = @aggregateId ORDER BY sequence
            """,
            new { aggregateId = projectId.ToString() });
        return rows.ToList();
    }

    /// <summary>Publishes on the test RabbitMQ, in this order, and waits until Projects' inbox holds every message (30 s at most).</summary>
    public async Task DeliverAsync<TMessage>(params TMessage[] messages)
        where TMessage : class, IIntegrationMessage
    {
        var bus = Services.GetRequiredService<IBus>();
        foreach (var message in messages)
        {
            await bus.Publish(message);
        }

        var ids = messages.Select(message => message.MessageId).ToArray();
        await using var connection = new NpgsqlConnection(ConnectionString);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM inbox_messages WHERE message_id = ANY(@ids)", new { ids }) < ids.Length)
        {
            DateTime.UtcNow.Should().BeBefore(deadline, $"Projects should consume every {typeof(TMessage).Name} within 30 s");
            await Task.Delay(100);
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        foreach (var (key, value) in TestInfrastructure.ServiceSettings())
        {
            builder.UseSetting(key, value);
        }

        builder.UseSetting("ConnectionStrings:Projects", ConnectionString);
    }
}

public sealed record OutboxRow(Guid MessageId, string MessageType, string AggregateId, string Body, DateTime? DispatchedAt);

[CollectionDefinition(Name)]
public sealed class SharedProjectsApi : ICollectionFixture<ProjectsApiFactory>
{
    public const string Name = "Projects API";
}
