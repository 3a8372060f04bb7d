using Folio.Contracts;
using Npgsql;

namespace Folio.ServiceDefaults.Messaging;

/// <summary>
/// Messages caused by a database change are written with that change, in the caller's transaction, and published
/// only after it commits. A rolled-back transaction publishes nothing.
/// </summary>
public interface IOutbox
{
    /// <param name="aggregateId">Messages with the same aggregate id are delivered in the order they were enqueued.</param>
    Task EnqueueAsync<TMessage>(NpgsqlTransaction transaction, TMessage message, string aggregateId, CancellationToken cancellationToken = default)
        where TMessage : class, IIntegrationMessage;

    /// <summary>
    /// The same as commands of the caller's batch, so a change and its messages reach PostgreSQL in one round trip.
    /// The batch must run in a transaction.
    /// </summary>
    void Enqueue<TMessage>(NpgsqlBatch batch, TMessage message, string aggregateId)
        where TMessage : class, IIntegrationMessage;
}
