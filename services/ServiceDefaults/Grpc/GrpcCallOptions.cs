namespace Folio.ServiceDefaults.Grpc;

public sealed record GrpcCallOptions
{
    public TimeSpan? Deadline { get; init; }

    public string? BearerToken { get; init; }

    public IReadOnlyDictionary<string, string>? Metadata { get; init; }

    public int MaxReceiveMessageSize { get; init; } = GrpcProtocol.DefaultMaxMessageSize;
}
