using Dapper;
using Npgsql;

namespace Folio.Versioning.Api.Features.Repositories;

public sealed record RepositoryView(Guid ProjectId, string DefaultBranch, DateTime CreatedAt, IReadOnlyList<BranchView> Branches);

public sealed record BranchView(string Name, string? HeadCommitId, DateTime UpdatedAt);

/// <summary>Reads repositories for their owner only: another user's repository is indistinguishable from a missing one.</summary>
public sealed class RepositoryStore(NpgsqlDataSource db)
{
    public async Task<RepositoryView?> FindAsync(Guid projectId, Guid ownerId, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var repository = await connection.QuerySingleOrDefaultAsync<(Guid ProjectId, string DefaultBranch, DateTime CreatedAt)>(new CommandDefinition(
            "SELECT project_id, default_branch, created_at FROM repositories WHERE project_id = @projectId AND owner_id = @ownerId",
            new { projectId, ownerId },
            cancellationToken: cancellationToken));
        if (repository.ProjectId == Guid.Empty)
        {
            return null;
        }

        var branches = await connection.QueryAsync<BranchView>(new CommandDefinition(
            "SELECT name AS Name, head_commit_id AS HeadCommitId, updated_at AS UpdatedAt FROM branches WHERE project_id = @projectId ORDER BY name",
            new { projectId },
            cancellationToken: cancellationToken));
        return new RepositoryView(repository.ProjectId, repository.DefaultBranch, repository.CreatedAt, branches.ToList());
    }
}
