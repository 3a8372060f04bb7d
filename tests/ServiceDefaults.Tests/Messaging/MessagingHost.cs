using System.Threading.Channels;
using Dapper;
using Folio.Contracts;
using Folio.ServiceDefaults.Data;
using Folio.ServiceDefaults.Messaging;
using Folio.Tests.Infrastructure;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace Folio.ServiceDefaults.Tests.Messaging;

public sealed record OutboxTestEvent(
    Guid MessageId, Guid CorrelationId, DateTimeOffset OccurredAt, Actor Actor, string RunId, string AggregateId, int Sequence) : IIntegrationMessage
{
    public static OutboxTestEvent Create(string runId, string aggregateId, int sequence) =>
        new(Guid.NewGuid(), Guid.NewGuid(), DateTimeOffset.UtcNow, Actor.System("tests"), runId, aggregateId, sequence);
}

/// <summary>Every handled message of the current process, in handling order.</summary>
public sealed class HandledMessages
{
    public Channel<OutboxTestEvent> Channel { get; } = System.Threading.Channels.Channel.CreateUnbounded<OutboxTestEvent>();

    private int handlerRuns;

    public int HandlerRuns => Volatile.Read(ref handlerRuns);

    public void CountRun() => Interlocked.Increment(ref handlerRuns);
}

public sealed class RecordingConsumer(NpgsqlDataSource db, HandledMessages handled) : IdempotentConsumer<OutboxTestEvent>(db)
{
    protected override async Task HandleAsync(ConsumeContext<OutboxTestEvent> context, NpgsqlTransaction transaction)
    {
        handled.CountRun();
        var message = context.Message;
        await transaction.Connection!.ExecuteAsync(
            "INSERT INTO received (message_id, run_id, aggregate_id, sequence) VALUES (@MessageId, @RunId, @AggregateId, @Sequence)",
            message, transaction);
        await handled.Channel.Writer.WriteAsync(message);
    }
}

/// <summary>A real host with the shared database, migrations, MassTransit on the test RabbitMQ, outbox relay and inbox.</summary>
public static class MessagingHost
{
    public static async Task<IHost> StartAsync(string connectionString, bool relayOutbox = true)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            ApplicationName = "Folio.MessagingTests",
            EnvironmentName = Environments.Production,
        });
        builder.Configuration.AddInMemoryCollection(TestInfrastructure.ServiceSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:MessagingTests"] = connectionString,
            ["RabbitMq:RelayOutbox"] = relayOutbox.ToString(),
            ["RabbitMq:OutboxPollInterval"] = "00:00:00.250",
        });
        builder.AddFolioDatabase("MessagingTests", typeof(MessagingHost).Assembly);
        // One message at a time on the endpoint itself: a consumer-level limit lets prefetched messages race for the slot.
        builder.AddFolioMessaging(bus => bus.AddConsumer<RecordingConsumer>().Endpoint(endpoint => endpoint.ConcurrentMessageLimit = 1));
        builder.Services.AddSingleton<HandledMessages>();

        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    public static async Task<OutboxTestEvent> NextAsync(this IHost host, string runId, TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        var reader = host.Services.GetRequiredService<HandledMessages>().Channel.Reader;
        while (true)
        {
            var message = await reader.ReadAsync(cancellation.Token);
            if (message.RunId == runId)
            {
                return message;
            }
        }
    }
}
