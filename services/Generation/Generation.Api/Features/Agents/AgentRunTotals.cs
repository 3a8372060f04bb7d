using Dapper;
using Npgsql;

namespace Folio.Generation.Api.Features.Agents;

/// <summary>What the agent runs of a job, or of one chapter of it, cost: the figures a writer watches.</summary>
public sealed record AgentRunTotals(int Runs, long TokensIn, long TokensOut, decimal CostEstimate, long DurationMs)
{
    public static readonly AgentRunTotals None = new(0, 0, 0, 0, 0);

    public static AgentRunTotals Sum(IEnumerable<AgentRunTotals> parts) => parts.Aggregate(None, (total, part) => new(
        total.Runs + part.Runs, total.TokensIn + part.TokensIn, total.TokensOut + part.TokensOut,
        total.CostEstimate + part.CostEstimate, total.DurationMs + part.DurationMs));

    /// <summary>The totals per job and chapter (chapter 0: runs outside any chapter) of the given jobs.</summary>
    public static async Task<IReadOnlyDictionary<(Guid JobId, int Chapter), AgentRunTotals>> OfJobsAsync(
        NpgsqlConnection connection, IReadOnlyCollection<Guid> jobIds, CancellationToken cancellationToken)
    {
        var rows = await connection.QueryAsync<(Guid JobId, int Chapter, int Runs, long TokensIn, long TokensOut, decimal CostEstimate, long DurationMs)>(
            new CommandDefinition(
                """
                SELECT job_id, coalesce(chapter_number, 0), count(*)::int, sum(tokens_in)::bigint, sum(tokens_out)::bigint,
                       sum(cost_estimate), sum(duration_ms)::bigint
                FROM agent_runs WHERE job_id = ANY(@jobIds)
                GROUP BY job_id, coalesce(chapter_number, 0)
                """,
                new { jobIds = jobIds.ToArray() }, cancellationToken: cancellationToken));
        return rows.ToDictionary(
            row => (row.JobId, row.Chapter),
            row => new AgentRunTotals(row.Runs, row.TokensIn, row.TokensOut, row.CostEstimate, row.DurationMs));
    }
}
