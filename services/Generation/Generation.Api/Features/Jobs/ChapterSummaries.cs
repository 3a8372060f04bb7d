using Dapper;
using Microsoft.Extensions.Caching.Memory;
using Npgsql;

namespace Folio.Generation.Api.Features.Jobs;

/// <summary>
/// The summary of each chapter text, by the content id of that text: a hand edit is a new content and gets a new
/// summary; an unchanged chapter is summarised once. Kept in the database and, for the chapters a job reads again at
/// every step, in this process. A summary lost with a step that did not settle is simply written again when next needed.
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

    /// <summary>Known at once to this process; saved with the outcome of the job's step that wrote it (<see cref="Append"/>).</summary>
    public void Hold(GenerationJob job, string contentId, string summary)
    {
        Remember(job.ProjectId, contentId, summary);
        job.UnsavedSummaries[contentId] = summary;
    }

    public static void Append(NpgsqlBatch batch, Guid projectId, IReadOnlyDictionary<string, string> summaries)
    {
        foreach (var (contentId, summary) in summaries)
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand(
                "INSERT INTO chapter_summaries (project_id, content_id, summary) VALUES (@ProjectId, @ContentId, @Summary) ON CONFLICT DO NOTHING")
            {
                Parameters = { new("ProjectId", projectId), new("ContentId", contentId), new("Summary", summary) },
            });
        }
    }

    private void Remember(Guid projectId, string contentId, string summary) =>
        cache.Set(("summary", projectId, contentId), summary, new MemoryCacheEntryOptions { Size = Math.Max(1, summary.Length) });
}
