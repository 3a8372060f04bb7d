using Dapper;
using Folio.Versioning.Api.Features.Content;
using Folio.Versioning.Api.Features.History;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Folio.Versioning.Api.Features.Storage;

/// <summary>
/// Garbage collection of a book's texts: every text reachable from a kept commit (its tree and each chapter in it)
/// or a draft survives. Commits pruned by retention within the grace period still count as roots, because another
/// instance may have read one of them (and cached it) a moment before it was pruned.
/// </summary>
public sealed class HistoryGarbageCollector(NpgsqlDataSource db, ContentStore content, HistoryStore history, IOptions<ContentStoreOptions> options)
{
    public async Task<GcResult> CollectAsync(Guid projectId, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var commits = await connection.QueryAsync<(string Id, string TreeId)>(new CommandDefinition(
            """
            SELECT id, tree_id FROM commits
            WHERE project_id = @projectId AND (pruned_at IS NULL OR pruned_at > now() - @grace)
            """,
            new { projectId, grace = options.Value.GcGracePeriod }, cancellationToken: cancellationToken));
        var drafts = await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT content_id FROM drafts WHERE project_id = @projectId", new { projectId }, cancellationToken: cancellationToken));

        var reachable = new HashSet<string>(drafts, StringComparer.Ordinal);
        foreach (var (_, treeId) in commits)
        {
            if (reachable.Add(treeId))
            {
                reachable.UnionWith((await history.ReadTreeAsync(projectId, treeId, cancellationToken)).Chapters.Select(entry => entry.ContentId));
            }
        }

        return await content.CollectGarbageAsync(projectId, reachable, cancellationToken);
    }
}
