using Dapper;
using Folio.ServiceDefaults.Messaging;
using Folio.Tests.Infrastructure;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace Folio.ServiceDefaults.Tests.Messaging;

public sealed class OutboxAndInboxTests
{
    private static readonly TimeSpan Delivery = TimeSpan.FromSeconds(20);
    private readonly string connectionString = TestInfrastructure.NewDatabase("messaging");
    private readonly string runId = Guid.NewGuid().ToString("N");

    [Fact]
    public async Task A_committed_message_is_delivered_to_the_consumer_and_marked_dispatched()
    {
        using var host = await MessagingHost.StartAsync(connectionString);
        var message = OutboxTestEvent.Create(runId, "book-1", 1);

        await EnqueueAsync(host, commit: true, message);

        var received = await host.NextAsync(runId, Delivery);
        received.MessageId.Should().Be(message.MessageId);
        await WaitUntilAsync(async () => await PendingCountAsync(host) == 0);
    }

    [Fact]
    public async Task A_rolled_back_transaction_publishes_nothing()
    {
        using var host = await MessagingHost.StartAsync(connectionString);
        var rolledBack = OutboxTestEvent.Create(runId, "book-1", 1);
        var committed = OutboxTestEvent.Create(runId, "book-1", 2);

        await EnqueueAsync(host, commit: false, rolledBack);
        await EnqueueAsync(host, commit: true, committed);

        // The committed message was enqueued after the rolled-back one, so once it arrives the other had its chance.
        (await host.NextAsync(runId, Delivery)).MessageId.Should().Be(committed.MessageId);
        await Task.Delay(TimeSpan.FromSeconds(1));
        host.Services.GetRequiredService<HandledMessages>().Channel.Reader.TryRead(out var extra).Should().BeFalse(extra?.ToString());
        (await ReceivedAsync(host)).Should().ContainSingle().Which.Should().Be(committed.MessageId);
    }

    [Fact]
    public async Task A_message_committed_by_a_process_that_stopped_before_relaying_is_delivered_after_restart()
    {
        var message = OutboxTestEvent.Create(runId, "book-1", 1);
        using (var stopped = await MessagingHost.StartAsync(connectionString, relayOutbox: false))
        {
            await EnqueueAsync(stopped, commit: true, message);
            (await PendingCountAsync(stopped)).Should().Be(1);
            await stopped.StopAsync();
        }

        using var restarted = await MessagingHost.StartAsync(connectionString);
        (await restarted.NextAsync(runId, Delivery)).MessageId.Should().Be(message.MessageId);
    }

    [Fact]
    public async Task A_duplicated_delivery_is_handled_once()
    {
        using var host = await MessagingHost.StartAsync(connectionString);
        var message = OutboxTestEvent.Create(runId, "book-1", 1);
        var marker = OutboxTestEvent.Create(runId, "book-1", 2);
        var bus = host.Services.GetRequiredService<IBus>();

        // Two publications with the same message id, as a relay that crashed between publish and marking would produce.
        await bus.Publish(message, context => context.MessageId = message.MessageId);
        await bus.Publish(message, context => context.MessageId = Guid.NewGuid());
        await bus.Publish(marker);

        (await host.NextAsync(runId, Delivery)).MessageId.Should().Be(message.MessageId);
        (await host.NextAsync(runId, Delivery)).MessageId.Should().Be(marker.MessageId);
        host.Services.GetRequiredService<HandledMessages>().HandlerRuns.Should().Be(2);
        // The handler reports a message before its transaction commits: wait for the marker's row, then look at all of them.
        await WaitUntilAsync(async () => (await ReceivedAsync(host)).Contains(marker.MessageId));
        (await ReceivedAsync(host)).Should().BeEquivalentTo([message.MessageId, marker.MessageId]);
    }

    [Fact]
    public async Task Messages_of_one_aggregate_arrive_in_the_order_they_were_committed()
    {
        using var host = await MessagingHost.StartAsync(connectionString);
        var sent = new List<OutboxTestEvent>();
        for (var sequence = 1; sequence <= 40; sequence++)
        {
            foreach (var aggregate in new[] { "book-a", "book-b", "book-c" })
            {
                sent.Add(OutboxTestEvent.Create(runId, aggregate, sequence));
            }
        }

        foreach (var batch in sent.Chunk(7))
        {
            await EnqueueAsync(host, commit: true, batch);
        }

        var received = new List<OutboxTestEvent>();
        while (received.Count < sent.Count)
        {
            received.Add(await host.NextAsync(runId, Delivery));
        }

        foreach (var aggregate in received.GroupBy(message => message.AggregateId))
        {
            aggregate.Select(message => message.Sequence).Should().BeInAscendingOrder().And.HaveCount(40);
        }
    }

    [Fact]
    public async Task Messages_added_to_a_batch_are_published_in_order_with_its_change_and_not_at_all_when_it_rolls_back()
    {
        using var host = await MessagingHost.StartAsync(connectionString);
        var rolledBack = OutboxTestEvent.Create(runId, "book-1", 1);
        var committed = Enumerable.Range(2, 5).Select(sequence => OutboxTestEvent.Create(runId, "book-1", sequence)).ToList();

        await EnqueueInBatchAsync(host, commit: false, rolledBack);
        await EnqueueInBatchAsync(host, commit: true, [.. committed]);

        var received = new List<OutboxTestEvent>();
        while (received.Count < committed.Count)
        {
            received.Add(await host.NextAsync(runId, Delivery));
        }

        received.Select(message => message.MessageId).Should().Equal(committed.Select(message => message.MessageId));
        await Task.Delay(TimeSpan.FromSeconds(1));
        (await ReceivedAsync(host)).Should().NotContain(rolledBack.MessageId);
        (await ChangesAsync(host)).Should().Be(1, "the batch's own change commits and rolls back with its messages");
    }

    [Fact]
    public async Task A_relay_that_stops_hands_its_connection_back_without_its_lock_or_its_listen()
    {
        var stopping = await MessagingHost.StartAsync(connectionString);
        var db = stopping.Services.GetRequiredService<NpgsqlDataSource>();
        await WaitUntilAsync(async () => await RelayLocksAsync(db) == 1);
        await stopping.StopAsync();

        // Pooled connections are not reset, so the one the relay used must have cleaned up after itself, whichever it is.
        var pooled = new List<NpgsqlConnection>();
        for (var i = 0; i < 10; i++)
        {
            pooled.Add(await db.OpenConnectionAsync());
        }

        foreach (var connection in pooled)
        {
            (await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM pg_listening_channels()")).Should().Be(0);
            await connection.DisposeAsync();
        }

        (await RelayLocksAsync(db)).Should().Be(0);
        stopping.Dispose();

        // And the next relay leads at once.
        using var next = await MessagingHost.StartAsync(connectionString);
        var message = OutboxTestEvent.Create(runId, "book-1", 1);
        await EnqueueAsync(next, commit: true, message);
        (await next.NextAsync(runId, Delivery)).MessageId.Should().Be(message.MessageId);
    }

    private static async Task EnqueueInBatchAsync(IHost host, bool commit, params OutboxTestEvent[] messages)
    {
        var db = host.Services.GetRequiredService<NpgsqlDataSource>();
        var outbox = host.Services.GetRequiredService<IOutbox>();
        await using var connection = await db.OpenConnectionAsync();
        await connection.ExecuteAsync("CREATE TABLE IF NOT EXISTS batch_changes (id uuid PRIMARY KEY)");
        await using var transaction = await connection.BeginTransactionAsync();
        await using var batch = new NpgsqlBatch(connection, transaction)
        {
            BatchCommands = { new NpgsqlBatchCommand("INSERT INTO batch_changes (id) VALUES (@Id)") { Parameters = { new("Id", Guid.NewGuid()) } } },
        };
        foreach (var message in messages)
        {
            outbox.Enqueue(batch, message, message.AggregateId);
        }

        await batch.ExecuteNonQueryAsync();
        if (commit)
        {
            await transaction.CommitAsync();
        }
        else
        {
            await transaction.RollbackAsync();
        }
    }

    private static async Task<long> ChangesAsync(IHost host)
    {
        await using var connection = await host.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM batch_changes");
    }

    private static async Task<long> RelayLocksAsync(NpgsqlDataSource db)
    {
        await using var connection = await db.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())");
    }

    private static async Task EnqueueAsync(IHost host, bool commit, params OutboxTestEvent[] messages)
    {
        var db = host.Services.GetRequiredService<NpgsqlDataSource>();
        var outbox = host.Services.GetRequiredService<IOutbox>();
        await using var connection = await db.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        foreach (var message in messages)
        {
            await outbox.EnqueueAsync(transaction, message, message.AggregateId);
        }

        if (commit)
        {
            await transaction.CommitAsync();
        }
        else
        {
            await transaction.RollbackAsync();
        }
    }

    private async Task<List<Guid>> ReceivedAsync(IHost host)
    {
        await using var connection = await host.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync();
        return (await connection.QueryAsync<Guid>("SELECT message_id FROM received WHERE run_id = @runId", new { runId })).ToList();
    }

    private static async Task<long> PendingCountAsync(IHost host)
    {
        await using var connection = await host.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM outbox_messages WHERE dispatched_at IS NULL");
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + Delivery;
        while (!await condition())
        {
            DateTime.UtcNow.Should().BeBefore(deadline, "the condition should have become true by now");
            await Task.Delay(100);
        }
    }
}
