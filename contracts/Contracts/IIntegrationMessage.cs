using MassTransit;

namespace Folio.Contracts;

/// <summary>
/// What every message between Folio services carries. <see cref="MessageId"/> makes consumers idempotent,
/// <see cref="CorrelationId"/> ties the message to the request or job that caused it, <see cref="ActorId"/> names who acted.
/// </summary>
[ExcludeFromTopology]
public interface IIntegrationMessage
{
    Guid MessageId { get; }

    Guid CorrelationId { get; }

    DateTimeOffset OccurredAt { get; }

    Actor Actor { get; }
}
