using Dapper;
using Microsoft.Extensions.Caching.Memory;
using Npgsql;

namespace Folio.Generation.Api.Features.Jobs;

/// <summary>
/// The summary of each chapter text, by the content id of that text: a hand edit is a new content and gets a new
/// summary; an unchanged chapter is summarised once. Kept in the database and, for the chapters a job reads again at
/// every step, in this process.
/// </summary>
public sealed class ChapterSummaries(NpgsqlDataSource db, IMemoryCache cache)
{
    public async Task<Dictionary<string, string>> FindAsync(Guid projectId, IReadOnlyCollection<string> contentIds, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, string>();
        var missing = new List<string>();
        foreach (var contentId in contentIds)
        {
            if (cache.TryGetValue(("summary", projectId, contentId), out string? summary))
            {
                found[contentId] = summary!;
            }
            else
            {
                missing.Add(contentId);
            }
        }

        if (missing.Count > 0)
        {
            await using var connection = await db.OpenConnectionAsync(cancellationToken);
            var rows = await connection.QueryAsync<(string ContentId, string Summary)>(new CommandDefinition(
                "SELECT content_id, summary FROM chapter_summaries WHERE project_id = @projectId AND content_id = ANY(@missing)",
                new { projectId, missing }, cancellationToken: cancellationToken));
            foreach (var (contentId, summary) in rows)
            {
                Remember(projectId, contentId, summary);
                found[contentId] = summary;
            }
        }

        return found;
    }

    public async Task SaveAsync(Guid projectId, string contentId, string summary, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO chapter_summaries (project_id, content_id, summary) VALUES (@projectId, @contentId, @summary) ON CONFLICT DO NOTHING",
            new { projectId, contentId, summary }, cancellationToken: cancellationToken));
        Remember(projectId, contentId, summary);
    }

    private void Remember(Guid projectId, string contentId, string summary) =>
        cache.Set(("summary", projectId, contentId), summary, new MemoryCacheEntryOptions { Size = Math.Max(1, summary.Length) });
}
