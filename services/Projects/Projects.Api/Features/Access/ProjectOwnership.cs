using Dapper;
using Folio.ServiceDefaults.Http;
using Folio.ServiceDefaults.Security;
using Npgsql;

namespace Folio.Projects.Api.Features.Access;

internal sealed class ProjectOwnership(NpgsqlDataSource db) : IProjectOwnership
{
    public async Task EnsureOwnerAsync(Guid projectId, Guid userId, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var owns = await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT EXISTS (SELECT 1 FROM projects WHERE id = @projectId AND owner_id = @userId)",
            new { projectId, userId }, cancellationToken: cancellationToken));
        if (!owns)
        {
            throw ProblemException.NotFound($"Project {projectId} does not exist.");
        }
    }
}
