using System.Text.Json;
using Dapper;
using Folio.Contracts.Projects;
using Folio.Projects.Api.Features.Audit;
using Folio.Projects.Api.Features.Series;
using Npgsql;

namespace Folio.Projects.Api.Features.Bible;

/// <summary>
/// Where a bible entry is defined: a book (<see cref="ProjectId"/>) or a series (<see cref="SeriesId"/>), and which books see it.
/// Book entries of a book in a series may override that series' entries.
/// </summary>
public sealed record BibleScope(Guid? ProjectId, Guid? SeriesId, IReadOnlyList<Guid> Books)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string Source => ProjectId is null ? "series" : "book";

    public AuditTarget AuditTarget(string resourceType, Guid id) =>
        ProjectId is { } projectId ? Audit.AuditTarget.InProject(projectId, resourceType, id) : Audit.AuditTarget.InSeries(SeriesId!.Value, resourceType, id);

    /// <summary>
    /// Locks the book's series (when it has one), then the book: bible changes of a book and of its series run one at a time,
    /// so the unique-name rule cannot be raced. The caller owns the book (route filter).
    /// </summary>
    public static async Task<BibleScope> LockBookAsync(NpgsqlTransaction transaction, Guid projectId, CancellationToken cancellationToken)
    {
        var connection = transaction.Connection!;
        var seriesId = await connection.QuerySingleOrDefaultAsync<Guid?>(new CommandDefinition(
            "SELECT series_id FROM series_books WHERE project_id = @ProjectId", new { ProjectId = projectId }, transaction, cancellationToken: cancellationToken));
        if (seriesId is not null)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "SELECT 1 FROM series WHERE id = @SeriesId FOR UPDATE", new { SeriesId = seriesId }, transaction, cancellationToken: cancellationToken));
        }

        await connection.ExecuteAsync(new CommandDefinition(
            "SELECT 1 FROM projects WHERE id = @ProjectId FOR NO KEY UPDATE", new { ProjectId = projectId }, transaction, cancellationToken: cancellationToken));
        return new BibleScope(projectId, seriesId, [projectId]);
    }

    public static async Task<BibleScope> LockSeriesAsync(NpgsqlTransaction transaction, Guid seriesId, Guid ownerId, CancellationToken cancellationToken)
    {
        await OwnedSeries.LockAsync(transaction, seriesId, ownerId, cancellationToken);
        return new BibleScope(null, seriesId, await OwnedSeries.BookIdsAsync(transaction.Connection!, seriesId, transaction, cancellationToken));
    }

    /// <summary>One change to a book's bible: its own transaction under <see cref="LockBookAsync"/>, committed when the change returns.</summary>
    public static Task<T> ChangeBookAsync<T>(NpgsqlDataSource db, Guid projectId, Func<NpgsqlTransaction, BibleScope, Task<T>> change, CancellationToken cancellationToken) =>
        InTransactionAsync(db, transaction => LockBookAsync(transaction, projectId, cancellationToken), change, cancellationToken);

    /// <summary>One change to a series' bible: its own transaction under <see cref="LockSeriesAsync"/> (404 unless the caller owns it).</summary>
    public static Task<T> ChangeSeriesAsync<T>(NpgsqlDataSource db, Guid seriesId, Guid ownerId, Func<NpgsqlTransaction, BibleScope, Task<T>> change, CancellationToken cancellationToken) =>
        InTransactionAsync(db, transaction => LockSeriesAsync(transaction, seriesId, ownerId, cancellationToken), change, cancellationToken);

    private static async Task<T> InTransactionAsync<T>(
        NpgsqlDataSource db, Func<NpgsqlTransaction, Task<BibleScope>> lockScope, Func<NpgsqlTransaction, BibleScope, Task<T>> change, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var result = await change(transaction, await lockScope(transaction));
        await transaction.CommitAsync(cancellationToken);
        return result;
    }

    public static string FactsJson(IReadOnlyList<BibleFact>? facts) => JsonSerializer.Serialize(facts ?? [], Json);

    public static IReadOnlyList<BibleFact> ParseFacts(string json) => JsonSerializer.Deserialize<List<BibleFact>>(json, Json) ?? [];
}
