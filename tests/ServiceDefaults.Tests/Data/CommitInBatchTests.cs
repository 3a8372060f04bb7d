using Dapper;
using Folio.ServiceDefaults.Data;
using Folio.Tests.Infrastructure;
using Npgsql;

namespace Folio.ServiceDefaults.Tests.Data;

public sealed class CommitInBatchTests : IAsyncLifetime
{
    private readonly string connectionString = TestInfrastructure.NewDatabase("commitinbatch");
    private NpgsqlDataSource db = null!;

    public async Task InitializeAsync()
    {
        await DatabaseCreator.EnsureExistsAsync(connectionString, CancellationToken.None);
        db = NpgsqlDataSource.Create(connectionString);
        await using var connection = await db.OpenConnectionAsync();
        await connection.ExecuteAsync(
            """
            CREATE TABLE items (id int PRIMARY KEY, name text NOT NULL);
            CREATE TABLE numbered (number int, CONSTRAINT unique_number UNIQUE (number) DEFERRABLE INITIALLY DEFERRED);
            """);
    }

    public async Task DisposeAsync() => await db.DisposeAsync();

    [Fact]
    public async Task The_batch_and_the_commit_go_together_and_the_connection_is_clean_afterwards()
    {
        await using (var connection = await db.OpenConnectionAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await connection.ExecuteAsync("INSERT INTO items VALUES (1, 'read under the transaction')", transaction: transaction);
            await using var batch = new NpgsqlBatch(connection, transaction) { BatchCommands = { new("INSERT INTO items VALUES (2, 'in the last batch')") } };
            await batch.ExecuteAndCommitAsync(CancellationToken.None);

            (await OtherConnectionCountsAsync()).Should().Be(2, "the batch committed the transaction before returning");
            var transactionIsOver = () => transaction.CommitAsync();
            await transactionIsOver.Should().ThrowAsync<InvalidOperationException>();
            (await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM items")).Should().Be(2);
        }

        await using var reused = await db.OpenConnectionAsync();
        await reused.ExecuteAsync("INSERT INTO items VALUES (3, 'not in a leftover transaction')");
        await using var rolledBack = await reused.BeginTransactionAsync();
        await reused.ExecuteAsync("DELETE FROM items", transaction: rolledBack);
        await rolledBack.RollbackAsync();
        (await OtherConnectionCountsAsync()).Should().Be(3);
    }

    [Fact]
    public async Task A_failing_command_keeps_nothing_of_the_transaction_and_runs_nothing_after_it()
    {
        await using (var connection = await db.OpenConnectionAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await connection.ExecuteAsync("INSERT INTO items VALUES (10, 'earlier in the transaction')", transaction: transaction);
            await using var batch = new NpgsqlBatch(connection, transaction)
            {
                BatchCommands = { new("INSERT INTO items VALUES (11, 'before the failure')"), new("INSERT INTO items VALUES (10, 'duplicate')"), new("INSERT INTO items VALUES (12, 'after it')") },
            };
            var run = () => batch.ExecuteAndCommitAsync(CancellationToken.None);
            (await run.Should().ThrowAsync<PostgresException>()).Which.SqlState.Should().Be(PostgresErrorCodes.UniqueViolation);
        }

        (await OtherConnectionCountsAsync()).Should().Be(0);
    }

    [Fact]
    public async Task A_failure_at_the_commit_itself_surfaces_from_the_reading_form_and_keeps_nothing()
    {
        await using (var connection = await db.OpenConnectionAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await using var batch = new NpgsqlBatch(connection, transaction)
            {
                BatchCommands = { new("INSERT INTO numbered VALUES (1), (1) RETURNING number"), new("INSERT INTO items VALUES (20, 'beside it')") },
            };
            var run = () => batch.ExecuteAndCommitAsync(async (reader, cancellation) => await reader.ReadAsync(cancellation) ? reader.GetInt32(0) : -1, CancellationToken.None);
            (await run.Should().ThrowAsync<PostgresException>()).Which.ConstraintName.Should().Be("unique_number");
        }

        await using var check = await db.OpenConnectionAsync();
        (await check.ExecuteScalarAsync<int>("SELECT (SELECT count(*) FROM numbered) + (SELECT count(*) FROM items)")).Should().Be(0);
    }

    [Fact]
    public async Task The_reading_form_returns_the_first_commands_row_once_committed()
    {
        await using var connection = await db.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using var batch = new NpgsqlBatch(connection, transaction)
        {
            BatchCommands = { new("INSERT INTO items VALUES (30, 'returned') RETURNING name"), new("INSERT INTO items VALUES (31, 'beside it')") },
        };

        var name = await batch.ExecuteAndCommitAsync(async (reader, cancellation) => await reader.ReadAsync(cancellation) ? reader.GetString(0) : null, CancellationToken.None);

        name.Should().Be("returned");
        (await OtherConnectionCountsAsync()).Should().Be(2);
    }

    private async Task<int> OtherConnectionCountsAsync()
    {
        await using var other = NpgsqlDataSource.Create(connectionString);
        await using var connection = await other.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM items");
    }
}
