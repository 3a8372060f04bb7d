using System.Diagnostics;
using System.Text.Json;
using Dapper;
using Folio.Contracts;
using Npgsql;

namespace Folio.ServiceDefaults.Messaging;

internal sealed class PostgresOutbox : IOutbox
{
    internal const string Channel = "folio_outbox";

    internal static readonly JsonSerializerOptions SerializerOptions = new(JsonSerializerDefaults.Web);

    public Task EnqueueAsync<TMessage>(NpgsqlTransaction transaction, TMessage message, string aggregateId, CancellationToken cancellationToken = default)
        where TMessage : class, IIntegrationMessage
    {
        var type = message.GetType();
        // pg_notify is delivered at commit only, so the relay wakes exactly when there is something to send.
        return transaction.Connection!.ExecuteAsync(new CommandDefinition(
            $"""
            INSERT INTO outbox_messages (message_id, message_type, aggregate_id, correlation_id, body, trace_parent)
            VALUES (@MessageId, @MessageType, @AggregateId, @CorrelationId, @Body::jsonb, @TraceParent);
            SELECT pg_notify('{Channel}', '');
            """,
            new
            {
                message.MessageId,
                MessageType = $"{type.FullName}, {type.Assembly.GetName().Name}",
                AggregateId = aggregateId,
                message.CorrelationId,
                Body = JsonSerializer.Serialize(message, type, SerializerOptions),
                TraceParent = Activity.Current?.Id,
            },
            transaction,
            cancellationToken: cancellationToken));
    }
}
