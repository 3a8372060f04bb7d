using Dapper;
using Folio.ServiceDefaults.Http;
using Npgsql;

namespace Folio.Projects.Api.Features.Bible;

/// <summary>
/// The rules every kind of bible entry (characters, world entries) keeps, by the table that holds it: an override names
/// an entry of the book's own series, once per book; names are unique, ignoring case, in every affected book's effective bible.
/// </summary>
public sealed record BibleTable(string Table, string Noun)
{
    public static readonly BibleTable Characters = new("characters", "character");
    public static readonly BibleTable World = new("world_entries", "world entry");

    public async Task EnsureAllowedAsync(NpgsqlTransaction transaction, BibleScope scope, Guid entryId, string name, Guid? overrides, CancellationToken cancellationToken)
    {
        var connection = transaction.Connection!;
        if (overrides is { } overridden)
        {
            if (scope.ProjectId is null)
            {
                throw ProblemException.BadRequest($"A series {Noun} cannot override anything; only a book's {Noun} overrides a series one.");
            }

            var inherited = await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
                $"SELECT EXISTS (SELECT 1 FROM {Table} WHERE id = @Overrides AND series_id = @SeriesId)",
                new { Overrides = overridden, scope.SeriesId }, transaction, cancellationToken: cancellationToken));
            if (!inherited)
            {
                throw ProblemException.Unprocessable($"{Capitalised} {overridden} is not a {Noun} of this book's series, so it cannot be overridden.");
            }

            var overriddenBy = await connection.QuerySingleOrDefaultAsync<Guid?>(new CommandDefinition(
                $"SELECT id FROM {Table} WHERE project_id = @ProjectId AND overrides_id = @Overrides AND id <> @Id",
                new { scope.ProjectId, Overrides = overridden, Id = entryId }, transaction, cancellationToken: cancellationToken));
            if (overriddenBy is not null)
            {
                throw ProblemException.Conflict($"{Capitalised} {overriddenBy} already overrides {overridden} in this book; change that one instead.");
            }
        }

        var sql = scope.ProjectId is not null
            ? $"""
              SELECT EXISTS (
                  SELECT 1 FROM {Table} e WHERE e.project_id = @ProjectId AND e.id <> @Id AND lower(e.name) = lower(@Name)
                  UNION ALL
                  SELECT 1 FROM {Table} s JOIN series_books b ON b.series_id = s.series_id
                  WHERE b.project_id = @ProjectId AND lower(s.name) = lower(@Name) AND s.id IS DISTINCT FROM @Overrides
                    AND NOT EXISTS (SELECT 1 FROM {Table} o WHERE o.project_id = @ProjectId AND o.overrides_id = s.id AND o.id <> @Id))
              """
            : $"""
              SELECT EXISTS (
                  SELECT 1 FROM {Table} e WHERE e.series_id = @SeriesId AND e.id <> @Id AND lower(e.name) = lower(@Name)
                  UNION ALL
                  SELECT 1 FROM {Table} e JOIN series_books b ON b.project_id = e.project_id
                  WHERE b.series_id = @SeriesId AND lower(e.name) = lower(@Name) AND e.overrides_id IS DISTINCT FROM @Id)
              """;
        var taken = await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            sql, new { scope.ProjectId, scope.SeriesId, Id = entryId, Name = name.Trim(), Overrides = overrides }, transaction, cancellationToken: cancellationToken));
        if (taken)
        {
            throw ProblemException.Conflict($"A {Noun} named '{name.Trim()}' already exists in this bible (names are unique, ignoring case).");
        }
    }

    private string Capitalised => char.ToUpperInvariant(Noun[0]) + Noun[1..];
}
