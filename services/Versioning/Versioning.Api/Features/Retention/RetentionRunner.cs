using System.Text.Json;
using Dapper;
using Folio.Contracts.Versioning;
using Folio.Versioning.Api.Features.Content;
using Folio.Versioning.Api.Features.History;
using Folio.Versioning.Api.Features.Storage;
using Npgsql;

namespace Folio.Versioning.Api.Features.Retention;

public sealed record RetentionResult(int CommitsExamined, int CommitsProtected, int CommitsPruned, IReadOnlyList<string> PrunedCommitIds, GcResult? GarbageCollection);

/// <summary>
/// Applies a book's retention policy. A commit is pruned only when every chapter revision it introduced is thinned
/// and nothing can need its texts: never a branch head, a tagged version, a draft's base, a merge, a root, or a
/// fork point (a commit with other than one child), which is what keeps every merge base readable.
/// </summary>
public sealed class RetentionRunner(NpgsqlDataSource db, HistoryStore history, HistoryGarbageCollector garbage, TimeProvider clock)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<RetentionResult> RunAsync(Guid projectId, bool dryRun, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        // One run per book at a time, on any instance.
        await connection.ExecuteAsync(new CommandDefinition(
            "SELECT pg_advisory_xact_lock(hashtextextended('retention:' || @projectId::text, 0))",
            new { projectId }, transaction, cancellationToken: cancellationToken));

        var policy = await PolicyAsync(connection, transaction, projectId, cancellationToken);
        var commits = (await connection.QueryAsync<CommitRow>(new CommandDefinition(
            """
            SELECT id AS Id, changes::text AS Changes, created_at AS CreatedAt FROM commits
            WHERE project_id = @projectId AND pruned_at IS NULL
            """,
            new { projectId }, transaction, cancellationToken: cancellationToken))).ToList();
        var protectedIds = (await connection.QueryAsync<string>(new CommandDefinition(
            """
            SELECT head_commit_id FROM branches WHERE project_id = @projectId AND head_commit_id IS NOT NULL
            UNION SELECT commit_id FROM versions WHERE project_id = @projectId
            UNION SELECT base_commit_id FROM drafts WHERE project_id = @projectId AND base_commit_id IS NOT NULL
            UNION SELECT c.id FROM commits c WHERE c.project_id = @projectId AND cardinality(c.parents) <> 1
            UNION SELECT parent FROM commits c, unnest(c.parents) AS parent WHERE c.project_id = @projectId
                  GROUP BY parent HAVING count(*) > 1
            UNION SELECT c.id FROM commits c WHERE c.project_id = @projectId
                  AND NOT EXISTS (SELECT 1 FROM commits child WHERE child.project_id = c.project_id AND c.id = ANY (child.parents))
            """,
            new { projectId }, transaction, cancellationToken: cancellationToken))).ToHashSet(StringComparer.Ordinal);

        var prunable = PrunableCommits(policy, commits, protectedIds, now);
        if (!dryRun && prunable.Count > 0)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                UPDATE commits SET pruned_at = @now
                WHERE project_id = @projectId AND id = ANY (@ids) AND pruned_at IS NULL
                  AND NOT EXISTS (SELECT 1 FROM branches WHERE project_id = @projectId AND head_commit_id = commits.id)
                  AND NOT EXISTS (SELECT 1 FROM versions WHERE project_id = @projectId AND commit_id = commits.id)
                """,
                new { projectId, ids = prunable.ToArray(), now }, transaction, cancellationToken: cancellationToken));
        }

        if (!dryRun)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO repository_settings (project_id, last_retention_run_at) VALUES (@projectId, @now)
                ON CONFLICT (project_id) DO UPDATE SET last_retention_run_at = @now
                """,
                new { projectId, now }, transaction, cancellationToken: cancellationToken));
        }

        await transaction.CommitAsync(cancellationToken);
        history.Forget(projectId, prunable);

        var gc = dryRun || prunable.Count == 0 ? null : await garbage.CollectAsync(projectId, cancellationToken);
        return new RetentionResult(commits.Count, commits.Count(commit => protectedIds.Contains(commit.Id)), prunable.Count,
            prunable.Order(StringComparer.Ordinal).ToList(), gc);
    }

    internal static IReadOnlySet<string> PrunableCommits(
        RetentionPolicy policy, IReadOnlyList<CommitRow> commits, IReadOnlySet<string> protectedIds, DateTimeOffset now)
    {
        var changedChapters = commits.ToDictionary(
            commit => commit.Id,
            commit => JsonSerializer.Deserialize<List<ChapterChange>>(commit.Changes, Json)!.Select(change => change.ChapterId).Distinct().ToList(),
            StringComparer.Ordinal);
        var thinnedByChapter = commits
            .SelectMany(commit => changedChapters[commit.Id].Select(chapter => (chapter, commit.Id, commit.CreatedAtUtc)))
            .GroupBy(revision => revision.chapter)
            .ToDictionary(group => group.Key, group => policy.Thin(group.Select(revision => (revision.Id, revision.CreatedAtUtc)), now));

        return commits
            .Where(commit => !protectedIds.Contains(commit.Id)
                && changedChapters[commit.Id].Count > 0
                && changedChapters[commit.Id].All(chapter => thinnedByChapter[chapter].Contains(commit.Id)))
            .Select(commit => commit.Id)
            .ToHashSet(StringComparer.Ordinal);
    }

    private static async Task<RetentionPolicy> PolicyAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid projectId, CancellationToken cancellationToken)
    {
        var row = await connection.QuerySingleOrDefaultAsync<(int KeepLast, int HourlyForHours, int DailyForDays)?>(new CommandDefinition(
            "SELECT retention_keep_last, retention_hourly_for_hours, retention_daily_for_days FROM repository_settings WHERE project_id = @projectId",
            new { projectId }, transaction, cancellationToken: cancellationToken));
        return row is { } settings
            ? new RetentionPolicy(settings.KeepLast, TimeSpan.FromHours(settings.HourlyForHours), TimeSpan.FromDays(settings.DailyForDays))
            : RetentionPolicy.Default;
    }

    internal sealed class CommitRow
    {
        public string Id { get; init; } = "";
        public string Changes { get; init; } = "[]";
        public DateTime CreatedAt { get; init; }

        public DateTimeOffset CreatedAtUtc => new(DateTime.SpecifyKind(CreatedAt, DateTimeKind.Utc));
    }
}
