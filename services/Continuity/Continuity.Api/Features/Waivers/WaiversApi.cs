using Dapper;
using FluentValidation;
using Folio.Continuity.Api.Features.Checks;
using Folio.ServiceDefaults.Http;
using Folio.ServiceDefaults.Security;
using Folio.ServiceDefaults.Validation;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace Folio.Continuity.Api.Features.Waivers;

public sealed record WaiveRequest(Guid CheckId, string Fingerprint, string? Reason);

public sealed record Waiver(string Fingerprint, string Rule, Guid ChapterId, string Passage, string? Reason, Guid CreatedBy, DateTime CreatedAt);

internal sealed class WaiveRequestValidator : AbstractValidator<WaiveRequest>
{
    public WaiveRequestValidator()
    {
        RuleFor(request => request.CheckId).NotEmpty();
        RuleFor(request => request.Fingerprint).NotEmpty().Length(32).Matches("^[0-9a-f]+$").WithMessage("Fingerprint is the 32 hex digits a violation carries.");
        RuleFor(request => request.Reason).MaximumLength(2_000);
    }
}

/// <summary>
/// A writer marks a violation as intentional. The waiver is keyed by the violation's fingerprint (rule + the flagged passage),
/// so the same passage is not reported again, and a changed passage is checked afresh.
/// </summary>
public static class WaiversApi
{
    public static IEndpointRouteBuilder MapWaiversApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapOwnedProjectGroup("/continuity/waivers", "Continuity");
        group.MapPost("/", WaiveAsync).WithValidation<WaiveRequest>();
        group.MapGet("/", ListAsync);
        group.MapDelete("/{fingerprint}", DeleteAsync);
        return app;
    }

    private static async Task<Results<Created<Waiver>, ProblemHttpResult>> WaiveAsync(
        Guid projectId, WaiveRequest request, NpgsqlDataSource db, ICurrentUser user, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var run = await connection.QuerySingleOrDefaultAsync<CheckRunRow>(new CommandDefinition(
            $"SELECT {CheckRunRow.Columns} FROM check_runs WHERE project_id = @projectId AND id = @CheckId", new { projectId, request.CheckId }, cancellationToken: cancellationToken));
        var violation = run?.ToRun().Violations.FirstOrDefault(candidate => candidate.Fingerprint == request.Fingerprint);
        if (run is null || violation is null)
        {
            return Problems.NotFound($"Check {request.CheckId} has no violation with fingerprint {request.Fingerprint}.");
        }

        var waiver = await connection.QuerySingleAsync<Waiver>(new CommandDefinition(
            """
            INSERT INTO waivers (project_id, fingerprint, rule, chapter_id, passage, reason, created_by)
            VALUES (@projectId, @Fingerprint, @Rule, @ChapterId, @Passage, @Reason, @userId)
            ON CONFLICT (project_id, fingerprint) DO UPDATE SET reason = excluded.reason
            RETURNING fingerprint AS Fingerprint, rule AS Rule, chapter_id AS ChapterId, passage AS Passage, reason AS Reason, created_by AS CreatedBy, created_at AS CreatedAt
            """,
            new { projectId, request.Fingerprint, violation.Rule, run.ChapterId, Passage = violation.Location.Text, request.Reason, userId = user.Id },
            cancellationToken: cancellationToken));
        return TypedResults.Created($"/api/v1/projects/{projectId}/continuity/waivers/{waiver.Fingerprint}", waiver with { CreatedAt = DateTime.SpecifyKind(waiver.CreatedAt, DateTimeKind.Utc) });
    }

    private static async Task<Ok<IReadOnlyList<Waiver>>> ListAsync(Guid projectId, NpgsqlDataSource db, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<Waiver>(new CommandDefinition(
            """
            SELECT fingerprint AS Fingerprint, rule AS Rule, chapter_id AS ChapterId, passage AS Passage, reason AS Reason, created_by AS CreatedBy, created_at AS CreatedAt
            FROM waivers WHERE project_id = @projectId ORDER BY created_at
            """,
            new { projectId }, cancellationToken: cancellationToken));
        return TypedResults.Ok<IReadOnlyList<Waiver>>(rows.Select(row => row with { CreatedAt = DateTime.SpecifyKind(row.CreatedAt, DateTimeKind.Utc) }).ToList());
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(Guid projectId, string fingerprint, NpgsqlDataSource db, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var deleted = await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM waivers WHERE project_id = @projectId AND fingerprint = @fingerprint", new { projectId, fingerprint }, cancellationToken: cancellationToken));
        return deleted == 0 ? Problems.NotFound($"No waiver with fingerprint {fingerprint}.") : TypedResults.NoContent();
    }
}
