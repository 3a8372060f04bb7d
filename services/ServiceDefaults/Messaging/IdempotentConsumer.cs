using Dapper;
using Folio.Contracts;
using MassTransit;
using Npgsql;

namespace Folio.ServiceDefaults.Messaging;

/// <summary>
/// Base for every consumer: the message id is recorded in <c>inbox_messages</c> in the same transaction as the
/// handler's own writes, so a redelivered or duplicated message is handled exactly once. Concurrent duplicates wait
/// on the first one's row lock and then find it handled; a failed handler rolls back and the message is retried.
/// </summary>
public abstract class IdempotentConsumer<TMessage>(NpgsqlDataSource dataSource) : IConsumer<TMessage>
    where TMessage : class, IIntegrationMessage
{
    public async Task Consume(ConsumeContext<TMessage> context)
    {
        var cancellationToken = context.CancellationToken;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var firstDelivery = await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO inbox_messages (message_id, consumer) VALUES (@MessageId, @Consumer) ON CONFLICT DO NOTHING",
            new { context.Message.MessageId, Consumer = GetType().FullName },
            transaction,
            cancellationToken: cancellationToken)) == 1;
        if (!firstDelivery)
        {
            return;
        }

        await HandleAsync(context, transaction);
        await transaction.CommitAsync(cancellationToken);
        Committed(context);
    }

    /// <summary>Does the work in <paramref name="transaction"/>; anything it enqueues in the outbox commits with it.</summary>
    protected abstract Task HandleAsync(ConsumeContext<TMessage> context, NpgsqlTransaction transaction);

    /// <summary>
    /// After the handler's transaction has committed (not for a duplicate): for what in-memory state must follow only
    /// once the database has, such as forgetting a deleted book, which a request must not find and remember again.
    /// </summary>
    protected virtual void Committed(ConsumeContext<TMessage> context)
    {
    }
}
