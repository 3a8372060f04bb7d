using System.Data.Common;
using Npgsql;

namespace Folio.ServiceDefaults.Data;

/// <summary>
/// Ends a transaction with its last batch: <c>COMMIT</c> goes as the batch's final command, so the last writes and the
/// commit take one round trip instead of two. If a command fails, PostgreSQL runs nothing after it, the commit
/// included, and disposing the <see cref="NpgsqlTransaction"/> rolls the transaction back. Once the batch has run, the
/// transaction is over: dispose it, do not commit it.
/// </summary>
public static class CommitInBatch
{
    public static async Task ExecuteAndCommitAsync(this NpgsqlBatch batch, CancellationToken cancellationToken)
    {
        batch.BatchCommands.Add(Commit());
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// As <see cref="ExecuteAndCommitAsync(NpgsqlBatch, CancellationToken)"/>, returning what <paramref name="read"/>
    /// makes of the first command's rows. It returns only once the commit has succeeded: a failure at the commit
    /// (a deferred constraint) surfaces here, not when the reader is disposed.
    /// </summary>
    public static async Task<T> ExecuteAndCommitAsync<T>(this NpgsqlBatch batch, Func<DbDataReader, CancellationToken, Task<T>> read, CancellationToken cancellationToken)
    {
        batch.BatchCommands.Add(Commit());
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        var result = await read(reader, cancellationToken);
        while (await reader.NextResultAsync(cancellationToken))
        {
        }

        return result;
    }

    private static NpgsqlBatchCommand Commit() => new("COMMIT");
}
