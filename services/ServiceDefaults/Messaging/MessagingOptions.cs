namespace Folio.ServiceDefaults.Messaging;

/// <summary>Section <c>RabbitMq</c>.</summary>
public sealed class MessagingOptions
{
    public const string Section = "RabbitMq";

    public string Host { get; set; } = "127.0.0.1";

    public ushort Port { get; set; } = 5672;

    public string VirtualHost { get; set; } = "/";

    public string Username { get; set; } = "guest";

    public string Password { get; set; } = "guest";

    /// <summary>Off only in tests that must stop a process between commit and relay.</summary>
    public bool RelayOutbox { get; set; } = true;

    public int OutboxBatchSize { get; set; } = 500;

    public TimeSpan OutboxPollInterval { get; set; } = TimeSpan.FromSeconds(2);
}
