using System.Buffers.Text;
using System.Globalization;
using System.Text;
using System.Text.Json;
using FluentValidation;
using Folio.ServiceDefaults.Http;

namespace Folio.Projects.Api.Features.Projects;

/// <summary>
/// One page of a writer's books: filtered by status, ordered by createdAt, updatedAt or title (prefix '-' for
/// descending; default -updatedAt), keyset-paged so a page stays right while books are added or edited.
/// </summary>
public sealed record ProjectListQuery(string? Status, string? Sort, string? Cursor, int? Limit)
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;
    public const string DefaultSort = "-updatedAt";

    private static readonly Dictionary<string, string> SortColumns = new(StringComparer.Ordinal)
    {
        ["createdAt"] = "created_at",
        ["updatedAt"] = "updated_at",
        ["title"] = "lower(title)",
    };

    public static IEnumerable<string> Sorts => SortColumns.Keys.SelectMany(key => new[] { key, "-" + key });

    public static bool IsKnownSort(string sort) => SortColumns.ContainsKey(sort.TrimStart('-'));

    /// <summary>The WHERE/ORDER BY for this query, from a fixed whitelist, and its parameters.</summary>
    public (string Sql, object Parameters) ToSql(Guid ownerId)
    {
        var sort = Sort ?? DefaultSort;
        var descending = sort.StartsWith('-');
        var column = SortColumns[sort.TrimStart('-')];
        var after = Cursor is null ? null : PageCursor.Decode(Cursor, sort);
        var comparison = descending ? "<" : ">";
        var direction = descending ? "DESC" : "ASC";
        var keyParameter = column == "lower(title)" ? "@AfterKey" : "@AfterKey::timestamptz";
        var sql = $"""
            SELECT {ProjectRow.Columns} FROM projects
            WHERE owner_id = @OwnerId
              AND (@Status::text IS NULL OR status = @Status)
              {(after is null ? "" : $"AND ({column}, id) {comparison} ({keyParameter}, @AfterId)")}
            ORDER BY {column} {direction}, id {direction}
            LIMIT @Take
            """;
        return (sql, new { OwnerId = ownerId, Status, AfterKey = after?.Key, AfterId = after?.Id, Take = (Limit ?? DefaultLimit) + 1 });
    }

    public string NextCursor(ProjectResponse last)
    {
        var sort = Sort ?? DefaultSort;
        var key = SortColumns[sort.TrimStart('-')] switch
        {
            "created_at" => last.CreatedAt.ToString("O", CultureInfo.InvariantCulture),
            "updated_at" => last.UpdatedAt.ToString("O", CultureInfo.InvariantCulture),
            _ => last.Title.ToLowerInvariant(),
        };
        return PageCursor.Encode(new PageCursor(sort, key, last.Id));
    }

    private sealed record PageCursor(string Sort, string Key, Guid Id)
    {
        public static string Encode(PageCursor cursor) => Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(cursor));

        public static PageCursor Decode(string text, string sort)
        {
            PageCursor? cursor = null;
            try
            {
                cursor = JsonSerializer.Deserialize<PageCursor>(Base64Url.DecodeFromChars(text));
            }
            catch (Exception exception) when (exception is FormatException or JsonException)
            {
            }

            return cursor is not null && cursor.Sort == sort
                ? cursor
                : throw ProblemException.BadRequest($"Cursor '{Truncate(text)}' is not one this list returned for sort '{sort}'.");
        }

        private static string Truncate(string text) => text.Length <= 40 ? text : text[..40] + "…";
    }
}

internal sealed class ProjectListQueryValidator : AbstractValidator<ProjectListQuery>
{
    public ProjectListQueryValidator()
    {
        RuleFor(query => query.Status).Must(status => ProjectStatuses.All.Contains(status!)).When(query => query.Status is not null)
            .WithMessage($"Status must be one of: {string.Join(", ", ProjectStatuses.All)}.");
        RuleFor(query => query.Sort).Must(sort => ProjectListQuery.IsKnownSort(sort!)).When(query => query.Sort is not null)
            .WithMessage($"Sort must be one of: {string.Join(", ", ProjectListQuery.Sorts)}.");
        RuleFor(query => query.Limit).InclusiveBetween(1, ProjectListQuery.MaxLimit).When(query => query.Limit is not null);
    }
}
