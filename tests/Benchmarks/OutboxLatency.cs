using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Dapper;
using Folio.Contracts;
using Folio.ServiceDefaults.Data;
using Folio.ServiceDefaults.Messaging;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Folio.Benchmarks;

public sealed record BenchmarkEvent(Guid MessageId, Guid CorrelationId, DateTimeOffset OccurredAt, Actor Actor, int Producer) : IIntegrationMessage;

public sealed class Arrivals
{
    private ConcurrentDictionary<Guid, long> at = new();
    private TaskCompletionSource allArrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int expected = int.MaxValue;

    public IReadOnlyDictionary<Guid, long> At => at;

    public Task AllArrived => allArrived.Task;

    public void Reset(int expectedCount)
    {
        at = new ConcurrentDictionary<Guid, long>();
        allArrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        expected = expectedCount;
    }

    public void Record(Guid messageId)
    {
        var arrivals = at;
        arrivals.TryAdd(messageId, Stopwatch.GetTimestamp());
        if (arrivals.Count >= expected)
        {
            allArrived.TrySetResult();
        }
    }
}

/// <summary>A consumer doing what every Folio consumer does: the inbox insert in its own transaction.</summary>
public sealed class ArrivalConsumer(NpgsqlDataSource db, Arrivals arrivals) : IdempotentConsumer<BenchmarkEvent>(db)
{
    protected override Task HandleAsync(ConsumeContext<BenchmarkEvent> context, NpgsqlTransaction transaction)
    {
        arrivals.Record(context.Message.MessageId);
        return Task.CompletedTask;
    }
}

/// <summary>
/// Commit-to-consumer latency of the transactional outbox: producers commit a row and its message together, the
/// relay publishes to RabbitMQ with confirms, the consumer handles it through the inbox. Measured from the moment
/// the producer's COMMIT returned to the moment the consumer's handler ran.
/// </summary>
internal static class OutboxLatency
{
    public static async Task<int> RunAsync(string connectionString, Options options)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ApplicationName = "Folio.Benchmarks", EnvironmentName = Environments.Production });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Benchmarks"] = connectionString,
            ["Database:CreateIfMissing"] = "true",
        });
        builder.AddFolioDatabase("Benchmarks", typeof(OutboxLatency).Assembly);
        builder.AddFolioMessaging(bus => bus.AddConsumer<ArrivalConsumer>());
        builder.Services.AddSingleton<Arrivals>();
        using var host = builder.Build();
        await host.StartAsync();

        Console.WriteLine($"machine: {Machine.Describe()}");
        Console.WriteLine($"outbox: {options.Messages} messages from {options.Producers} producers, one message per transaction, PostgreSQL + RabbitMQ on this machine");
        await MeasureAsync(host, Math.Min(500, options.Messages), options.Producers, rate: 0);

        var (paced, pacedThroughput) = await MeasureAsync(host, options.Messages, options.Producers, options.Rate);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"paced at {options.Rate} commits/s: commit-to-consumer latency {paced}; {pacedThroughput:F0} messages/s"));
        var (burst, burstThroughput) = await MeasureAsync(host, options.Messages, options.Producers, rate: 0);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"unpaced burst: throughput {burstThroughput:F0} messages/s (first commit to last arrival); latency under that backlog {burst}"));
        await host.StopAsync();
        return 0;
    }

    /// <param name="rate">Total commits per second across producers; 0 commits as fast as the producers can.</param>
    private static async Task<(LatencyStats Latency, double Throughput)> MeasureAsync(IHost host, int messages, int producers, int rate)
    {
        var db = host.Services.GetRequiredService<NpgsqlDataSource>();
        var outbox = host.Services.GetRequiredService<IOutbox>();
        var arrivals = host.Services.GetRequiredService<Arrivals>();
        arrivals.Reset(messages);
        var committedAt = new ConcurrentDictionary<Guid, long>();
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, producers).Select(producer => Task.Run(async () =>
        {
            var interval = rate > 0 ? TimeSpan.FromSeconds((double)producers / rate) : TimeSpan.Zero;
            var next = Stopwatch.GetTimestamp();
            for (var i = producer; i < messages; i += producers)
            {
                if (rate > 0)
                {
                    next += (long)(interval.TotalSeconds * Stopwatch.Frequency);
                    var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), next);
                    if (wait > TimeSpan.Zero)
                    {
                        await Task.Delay(wait);
                    }
                }

                var message = new BenchmarkEvent(Guid.NewGuid(), Guid.NewGuid(), DateTimeOffset.UtcNow, Actor.System("benchmark"), producer);
                await using var connection = await db.OpenConnectionAsync();
                await using var transaction = await connection.BeginTransactionAsync();
                await connection.ExecuteAsync("INSERT INTO benchmark_rows (id) VALUES (@MessageId)", message, transaction);
                await outbox.EnqueueAsync(transaction, message, $"producer-{producer}");
                await transaction.CommitAsync();
                committedAt[message.MessageId] = Stopwatch.GetTimestamp();
            }
        })));

        await arrivals.AllArrived.WaitAsync(TimeSpan.FromMinutes(5));
        var latencies = committedAt.Select(pair => Stopwatch.GetElapsedTime(pair.Value, arrivals.At[pair.Key]).TotalMilliseconds).ToList();
        var throughput = messages / Stopwatch.GetElapsedTime(started, arrivals.At.Values.Max()).TotalSeconds;
        return (LatencyStats.FromMilliseconds(latencies), throughput);
    }
}
