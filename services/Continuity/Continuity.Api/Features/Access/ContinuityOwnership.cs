using Dapper;
using Folio.ServiceDefaults.Http;
using Folio.ServiceDefaults.Security;
using Npgsql;

namespace Folio.Continuity.Api.Features.Access;

/// <summary>Ownership as Continuity's projection of <c>ProjectCreated</c> records it.</summary>
internal sealed class ContinuityOwnership(NpgsqlDataSource db) : IProjectOwnership
{
    public async Task EnsureOwnerAsync(Guid projectId, Guid userId, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var owns = await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT EXISTS (SELECT 1 FROM projects WHERE project_id = @projectId AND owner_id = @userId)",
            new { projectId, userId }, cancellationToken: cancellationToken));
        if (!owns)
        {
            throw ProblemException.NotFound($"Project {projectId} does not exist.");
        }
    }
}
