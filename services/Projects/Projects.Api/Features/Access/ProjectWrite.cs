using Dapper;
using Folio.Contracts;
using Folio.Projects.Api.Features.Audit;
using Folio.ServiceDefaults.Data;
using Folio.ServiceDefaults.Http;
using Folio.ServiceDefaults.Messaging;
using Folio.ServiceDefaults.Security;
using Npgsql;

namespace Folio.Projects.Api.Features.Access;

/// <summary>
/// One change to a book's plan: a transaction that holds the book's row lock (so structural changes of one book —
/// renumbering above all — run one at a time), with the audit trail and the outgoing events committed alongside. Those
/// two only add rows nothing in the change reads back, so they are held and written together with the commit.
/// The lock is <c>FOR NO KEY UPDATE</c>: it excludes the book's other writers but not the foreign-key checks of rows
/// written under the book elsewhere (word counts, suggestions), which <c>FOR UPDATE</c> would make wait for this
/// transaction, and this transaction for theirs.
/// </summary>
public sealed class ProjectWrite : IAsyncDisposable
{
    private const string LockOwnedBook = "SELECT EXISTS (SELECT 1 FROM projects WHERE id = @projectId AND owner_id = @ownerId FOR NO KEY UPDATE)";

    private readonly IOutbox outbox;
    private readonly CancellationToken cancellationToken;
    private readonly NpgsqlBatch recorded;

    private ProjectWrite(NpgsqlConnection connection, NpgsqlTransaction transaction, IOutbox outbox, AuditContext audit, Guid projectId, CancellationToken cancellationToken)
    {
        Connection = connection;
        Transaction = transaction;
        this.outbox = outbox;
        Audit = audit;
        ProjectId = projectId;
        this.cancellationToken = cancellationToken;
        recorded = new NpgsqlBatch(connection, transaction);
    }

    public NpgsqlConnection Connection { get; }

    public NpgsqlTransaction Transaction { get; }

    public AuditContext Audit { get; }

    public Guid ProjectId { get; }

    public static async Task<ProjectWrite> BeginAsync(
        NpgsqlDataSource db, IOutbox outbox, HttpContext http, ICurrentUser user, Guid projectId, CancellationToken cancellationToken)
    {
        var connection = await db.OpenConnectionAsync(cancellationToken);
        var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var owned = await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            LockOwnedBook, new { projectId, ownerId = user.Id }, transaction, cancellationToken: cancellationToken));
        return await OwnedOrNotFoundAsync(owned, connection, transaction, outbox, http, user, projectId, cancellationToken);
    }

    /// <summary>
    /// Begins the change and reads one row of the book in the same round trip as its lock: <paramref name="readSql"/>
    /// with <paramref name="readParameters"/> and <c>@projectId</c>; the row is null when there is none.
    /// </summary>
    public static async Task<(ProjectWrite Write, T? Row)> BeginAsync<T>(
        NpgsqlDataSource db, IOutbox outbox, HttpContext http, ICurrentUser user, Guid projectId, string readSql, object readParameters,
        CancellationToken cancellationToken)
    {
        var connection = await db.OpenConnectionAsync(cancellationToken);
        var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var parameters = new DynamicParameters(readParameters);
        parameters.Add("projectId", projectId);
        parameters.Add("ownerId", user.Id);
        bool owned;
        T? row;
        await using (var reads = await connection.QueryMultipleAsync(new CommandDefinition(
            $"{LockOwnedBook};\n{readSql}", parameters, transaction, cancellationToken: cancellationToken)))
        {
            owned = await reads.ReadSingleAsync<bool>();
            row = await reads.ReadSingleOrDefaultAsync<T>();
        }

        return (await OwnedOrNotFoundAsync(owned, connection, transaction, outbox, http, user, projectId, cancellationToken), row);
    }

    private static async Task<ProjectWrite> OwnedOrNotFoundAsync(
        bool owned, NpgsqlConnection connection, NpgsqlTransaction transaction, IOutbox outbox, HttpContext http, ICurrentUser user, Guid projectId,
        CancellationToken cancellationToken)
    {
        if (!owned)
        {
            await transaction.DisposeAsync();
            await connection.DisposeAsync();
            throw ProblemException.NotFound($"Project {projectId} does not exist.");
        }

        return new ProjectWrite(connection, transaction, outbox, AuditContext.FromRequest(http, user), projectId, cancellationToken);
    }

    public CommandDefinition Command(string sql, object? parameters = null) =>
        new(sql, parameters, Transaction, cancellationToken: cancellationToken);

    public void Record<T>(string resourceType, object resourceId, T? before, T? after)
        where T : class =>
        AuditLog.Append(recorded, Audit, AuditTarget.InProject(ProjectId, resourceType, resourceId), before, after);

    /// <summary>Builds an event with this change's id, correlation, time and actor, and queues it in the transaction.</summary>
    public void Publish<TMessage>(Func<Guid, Guid, DateTimeOffset, Actor, TMessage> message)
        where TMessage : class, IIntegrationMessage =>
        outbox.Enqueue(recorded, message(Guid.CreateVersion7(), Audit.CorrelationId, DateTimeOffset.UtcNow, Audit.Actor), ProjectId.ToString());

    /// <summary>Writes the recorded audit rows and events and commits, in one round trip.</summary>
    public Task CommitAsync() => recorded.ExecuteAndCommitAsync(cancellationToken);

    /// <summary>
    /// Runs the change's last statement, which returns one row, in the same round trip as the recorded audit rows and
    /// events and the commit: record and publish from what the statement will write before calling this.
    /// </summary>
    public Task<T> CommitAsync<T>(NpgsqlBatchCommand last)
    {
        recorded.BatchCommands.Insert(0, last);
        return recorded.ExecuteAndCommitAsync(async (reader, cancellation) =>
        {
            var row = reader.GetRowParser<T>();
            return await reader.ReadAsync(cancellation)
                ? row(reader)
                : throw new InvalidOperationException($"The change's last statement returned no row: {last.CommandText}");
        }, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await recorded.DisposeAsync();
        await Transaction.DisposeAsync();
        await Connection.DisposeAsync();
    }
}
