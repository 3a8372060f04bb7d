using Dapper;
using Folio.ServiceDefaults.Http;
using Folio.ServiceDefaults.Security;
using Npgsql;

namespace Folio.Projects.Api.Features.Series;

/// <summary>Routes under a series answer 404 unless the caller owns it, exactly like a series that does not exist.</summary>
public static class OwnedSeries
{
    public static RouteGroupBuilder MapOwnedSeriesGroup(this IEndpointRouteBuilder app, string path, string tag) =>
        app.MapGroup("/api/v1/series/{seriesId:guid}" + path).RequireAuthorization().WithTags(tag).AddEndpointFilter(Filter);

    public static ProblemException NotFound(Guid seriesId) => ProblemException.NotFound($"Series {seriesId} does not exist.");

    /// <summary>Locks the series row for the rest of the transaction, so changes to its books and bible run one at a time.</summary>
    public static async Task<SeriesRow> LockAsync(NpgsqlTransaction transaction, Guid seriesId, Guid ownerId, CancellationToken cancellationToken) =>
        await transaction.Connection!.QuerySingleOrDefaultAsync<SeriesRow>(new CommandDefinition(
            """
            SELECT id AS Id, title AS Title, description AS Description, version AS Version
            FROM series WHERE id = @SeriesId AND owner_id = @OwnerId FOR UPDATE
            """,
            new { SeriesId = seriesId, OwnerId = ownerId }, transaction, cancellationToken: cancellationToken))
        ?? throw NotFound(seriesId);

    /// <summary>The books of a series in order.</summary>
    public static async Task<List<Guid>> BookIdsAsync(NpgsqlConnection connection, Guid seriesId, NpgsqlTransaction? transaction, CancellationToken cancellationToken) =>
        (await connection.QueryAsync<Guid>(new CommandDefinition(
            "SELECT project_id FROM series_books WHERE series_id = @SeriesId ORDER BY sequence",
            new { SeriesId = seriesId }, transaction, cancellationToken: cancellationToken))).ToList();

    private static async ValueTask<object?> Filter(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var seriesId = Guid.Parse(http.Request.RouteValues["seriesId"]!.ToString()!);
        var user = http.RequestServices.GetRequiredService<ICurrentUser>();
        await using var connection = await http.RequestServices.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync(http.RequestAborted);
        var owns = await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT EXISTS (SELECT 1 FROM series WHERE id = @SeriesId AND owner_id = @OwnerId)",
            new { SeriesId = seriesId, OwnerId = user.Id }, cancellationToken: http.RequestAborted));
        return owns ? await next(context) : throw NotFound(seriesId);
    }
}

public sealed record SeriesRow(Guid Id, string Title, string? Description, int Version);
