using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Dapper;
using Folio.ServiceDefaults.Data;
using Folio.ServiceDefaults.Hosting;
using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Folio.ServiceDefaults.Messaging;

/// <summary>
/// Publishes committed outbox rows to RabbitMQ (at least once) and marks them dispatched. One relay per database
/// holds an advisory lock, so replicas never publish the same aggregate's messages out of order; within a batch,
/// different aggregates are published concurrently and each aggregate strictly in sequence, stopping at its first failure.
/// </summary>
internal sealed partial class OutboxRelay(
    NpgsqlDataSource dataSource,
    IBus bus,
    IOptions<MessagingOptions> options,
    ILogger<OutboxRelay> logger) : BackgroundService
{
    private const long RelayLockKey = 0x466F6C696F4F7574; // "FolioOut"
    private static readonly TimeSpan Retention = TimeSpan.FromDays(7);

    private DateTimeOffset nextCleanup = DateTimeOffset.MinValue;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.RelayOutbox)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RelayWhileLeaderAsync(stoppingToken);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                LogRelayFailed(exception);
                await Task.Delay(options.Value.OutboxPollInterval, stoppingToken);
            }
        }
    }

    private async Task RelayWhileLeaderAsync(CancellationToken stoppingToken)
    {
        await using var leader = await dataSource.OpenConnectionAsync(stoppingToken);
        while (!await leader.ExecuteScalarAsync<bool>("SELECT pg_try_advisory_lock(@RelayLockKey)", new { RelayLockKey }))
        {
            await Task.Delay(options.Value.OutboxPollInterval, stoppingToken);
        }

        try
        {
            await leader.ExecuteAsync($"LISTEN {PostgresOutbox.Channel}");
            while (!stoppingToken.IsCancellationRequested)
            {
                var (found, sent) = await DispatchBatchAsync(stoppingToken);
                if (sent < found)
                {
                    await Task.Delay(options.Value.OutboxPollInterval, stoppingToken);
                }
                else if (found < options.Value.OutboxBatchSize)
                {
                    await DeleteOldDispatchedAsync(stoppingToken);
                    await leader.WaitAsync(options.Value.OutboxPollInterval, stoppingToken);
                }
            }
        }
        finally
        {
            if (leader.State == System.Data.ConnectionState.Open)
            {
                // Pooled connections are not reset (see AddFolioDatabase), so the next user must not inherit either.
                await leader.ExecuteAsync($"UNLISTEN {PostgresOutbox.Channel}; SELECT pg_advisory_unlock(@RelayLockKey)", new { RelayLockKey });
            }
        }
    }

    private async Task<(int Found, int Sent)> DispatchBatchAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var pending = (await connection.QueryAsync<OutboxRow>(new CommandDefinition(
            """
            SELECT sequence AS Sequence, message_id AS MessageId, message_type AS MessageType, aggregate_id AS AggregateId,
                   correlation_id AS CorrelationId, body::text AS Body, trace_parent AS TraceParent
            FROM outbox_messages
            WHERE dispatched_at IS NULL
            ORDER BY sequence
            LIMIT @OutboxBatchSize
            """,
            new { options.Value.OutboxBatchSize },
            cancellationToken: cancellationToken))).ToList();
        if (pending.Count == 0)
        {
            return (0, 0);
        }

        var sent = new ConcurrentBag<long>();
        await Parallel.ForEachAsync(
            pending.GroupBy(row => row.AggregateId),
            new ParallelOptions { MaxDegreeOfParallelism = 32, CancellationToken = cancellationToken },
            async (aggregate, token) =>
            {
                foreach (var row in aggregate)
                {
                    try
                    {
                        await PublishAsync(row, token);
                        sent.Add(row.Sequence);
                    }
                    catch (Exception exception) when (exception is not OperationCanceledException)
                    {
                        LogPublishFailed(exception, row.MessageId, row.AggregateId);
                        break;
                    }
                }
            });

        // A mark lost in a crash of PostgreSQL only sends its messages again, which consumers already expect.
        await using var mark = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                AsynchronousCommit.Command(),
                new NpgsqlBatchCommand("UPDATE outbox_messages SET dispatched_at = now() WHERE sequence = ANY(@Sequences)")
                {
                    Parameters = { new("Sequences", sent.ToArray()) },
                },
            },
        };
        await mark.ExecuteNonQueryAsync(CancellationToken.None);
        return (pending.Count, sent.Count);
    }

    private async Task PublishAsync(OutboxRow row, CancellationToken cancellationToken)
    {
        using var activity = Telemetry.Source.StartActivity("outbox publish", ActivityKind.Producer, row.TraceParent);
        activity?.SetTag("messaging.message.id", row.MessageId);
        var type = Type.GetType(row.MessageType, throwOnError: true)!;
        var message = JsonSerializer.Deserialize(row.Body, type, PostgresOutbox.SerializerOptions)!;
        await bus.Publish(message, type, context =>
        {
            context.MessageId = row.MessageId;
            context.CorrelationId = row.CorrelationId;
        }, cancellationToken);
    }

    private async Task DeleteOldDispatchedAsync(CancellationToken cancellationToken)
    {
        if (DateTimeOffset.UtcNow < nextCleanup)
        {
            return;
        }

        nextCleanup = DateTimeOffset.UtcNow.AddHours(1);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM outbox_messages WHERE dispatched_at < now() - @Retention",
            new { Retention },
            cancellationToken: cancellationToken));
    }

    private sealed record OutboxRow(long Sequence, Guid MessageId, string MessageType, string AggregateId, Guid CorrelationId, string Body, string? TraceParent);

    [LoggerMessage(Level = LogLevel.Error, Message = "The outbox relay failed; it starts again shortly")]
    private partial void LogRelayFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Publishing outbox message {MessageId} of aggregate {AggregateId} failed; it stays pending")]
    private partial void LogPublishFailed(Exception exception, Guid messageId, string aggregateId);
}
