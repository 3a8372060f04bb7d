using System.Diagnostics;
using System.Text.Json;
using Folio.Contracts;
using Npgsql;

namespace Folio.ServiceDefaults.Messaging;

internal sealed class PostgresOutbox : IOutbox
{
    internal const string Channel = "folio_outbox";

    internal static readonly JsonSerializerOptions SerializerOptions = new(JsonSerializerDefaults.Web);

    private const string Insert =
        """
        INSERT INTO outbox_messages (message_id, message_type, aggregate_id, correlation_id, body, trace_parent)
        VALUES (@MessageId, @MessageType, @AggregateId, @CorrelationId, @Body::jsonb, @TraceParent)
        """;

    // pg_notify is delivered at commit only, so the relay wakes exactly when there is something to send; one per
    // transaction is enough (PostgreSQL folds equal notifications anyway).
    private const string Notify = $"SELECT pg_notify('{Channel}', '')";

    public async Task EnqueueAsync<TMessage>(NpgsqlTransaction transaction, TMessage message, string aggregateId, CancellationToken cancellationToken = default)
        where TMessage : class, IIntegrationMessage
    {
        await using var batch = new NpgsqlBatch(transaction.Connection, transaction);
        Enqueue(batch, message, aggregateId);
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    public void Enqueue<TMessage>(NpgsqlBatch batch, TMessage message, string aggregateId)
        where TMessage : class, IIntegrationMessage
    {
        var type = message.GetType();
        batch.BatchCommands.Add(new NpgsqlBatchCommand(Insert)
        {
            Parameters =
            {
                new("MessageId", message.MessageId),
                new("MessageType", $"{type.FullName}, {type.Assembly.GetName().Name}"),
                new("AggregateId", aggregateId),
                new("CorrelationId", message.CorrelationId),
                new("Body", JsonSerializer.Serialize(message, type, SerializerOptions)),
                new("TraceParent", (object?)Activity.Current?.Id ?? DBNull.Value),
            },
        });
        if (!batch.BatchCommands.Any<NpgsqlBatchCommand>(command => command.CommandText == Notify))
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand(Notify));
        }
    }
}
