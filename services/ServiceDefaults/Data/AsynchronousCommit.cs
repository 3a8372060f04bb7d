using Npgsql;

namespace Folio.ServiceDefaults.Data;

/// <summary>
/// A commit that returns before its WAL reaches the disk (<c>synchronous_commit = off</c> for one transaction only). It
/// neither waits for a flush nor adds one for other commits to queue behind. Only for writes whose loss in a crash of
/// PostgreSQL costs a redo and nothing else; the caller says why next to where it uses it.
/// </summary>
public static class AsynchronousCommit
{
    /// <summary>
    /// The first command of a batch that runs as its own transaction (no <see cref="NpgsqlTransaction"/>): the setting is
    /// local to that transaction, which lasts until its commit at the end of the batch's round trip.
    /// </summary>
    public static NpgsqlBatchCommand Command() => new("SELECT set_config('synchronous_commit', 'off', true)");
}
