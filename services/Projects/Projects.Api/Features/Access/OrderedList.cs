using Dapper;
using Folio.ServiceDefaults.Http;

namespace Folio.Projects.Api.Features.Access;

/// <summary>
/// A book's rows kept in a contiguous order 1..n (chapters by number, timeline events by sequence). Every change
/// runs inside a <see cref="ProjectWrite"/>, so one book's renumberings never interleave; the unique constraint on
/// the position is deferred to commit so the intermediate states of a renumbering are allowed.
/// </summary>
public sealed record OrderedList(string Table, string Column, string UniqueConstraint)
{
    public static readonly OrderedList Chapters = new("chapters", "number", "chapters_number_unique");
    public static readonly OrderedList Timeline = new("timeline_events", "sequence", "timeline_sequence_unique");

    /// <summary>Makes room at <paramref name="position"/> (default: the end) and returns the position to insert at.</summary>
    public async Task<int> OpenSlotAsync(ProjectWrite write, int? position)
    {
        var count = await write.Connection.ExecuteScalarAsync<int>(write.Command($"SELECT count(*) FROM {Table} WHERE project_id = @ProjectId", new { write.ProjectId }));
        var slot = position ?? count + 1;
        if (slot > count + 1)
        {
            throw ProblemException.BadRequest($"There are {count} {Table.Replace('_', ' ')}: a new one can go at 1 to {count + 1}, not {slot}.");
        }

        await write.Connection.ExecuteAsync(write.Command(
            $"""
            SET CONSTRAINTS {UniqueConstraint} DEFERRED;
            UPDATE {Table} SET {Column} = {Column} + 1 WHERE project_id = @ProjectId AND {Column} >= @slot;
            """,
            new { write.ProjectId, slot }));
        return slot;
    }

    public Task DeleteAsync(ProjectWrite write, Guid id, int position) =>
        write.Connection.ExecuteAsync(write.Command(
            $"""
            SET CONSTRAINTS {UniqueConstraint} DEFERRED;
            DELETE FROM {Table} WHERE id = @id;
            UPDATE {Table} SET {Column} = {Column} - 1 WHERE project_id = @ProjectId AND {Column} > @position;
            """,
            new { write.ProjectId, id, position }));

    /// <summary>Applies a whole new order; it must name every row exactly once. Returns the rows that moved (id, from, to).</summary>
    public async Task<IReadOnlyList<(Guid Id, int From, int To)>> ReorderAsync(ProjectWrite write, IReadOnlyList<Guid> ids)
    {
        var current = (await Current(write)).ToList();
        var unknown = ids.Except(current.Select(row => row.Id)).Count();
        var missing = current.Select(row => row.Id).Except(ids).Count();
        if (unknown > 0 || missing > 0)
        {
            throw ProblemException.Conflict($"The new order must name every one of the {current.Count} {Table.Replace('_', ' ')} exactly once (unknown {unknown}, missing {missing}): the book changed?");
        }

        await write.Connection.ExecuteAsync(write.Command(
            $"""
            SET CONSTRAINTS {UniqueConstraint} DEFERRED;
            UPDATE {Table} SET {Column} = new.position, version = version + 1, updated_at = now()
            FROM unnest(@ids, @positions) AS new(id, position)
            WHERE {Table}.id = new.id AND {Table}.{Column} <> new.position;
            """,
            new { ids = ids.ToArray(), positions = Enumerable.Range(1, ids.Count).ToArray() }));
        return current.Select(row => (row.Id, From: row.Position, To: ids.ToList().IndexOf(row.Id) + 1)).Where(move => move.From != move.To).ToList();
    }

    public async Task<IEnumerable<(Guid Id, int Position)>> Current(ProjectWrite write) =>
        await write.Connection.QueryAsync<(Guid, int)>(write.Command(
            $"SELECT id, {Column} FROM {Table} WHERE project_id = @ProjectId ORDER BY {Column}", new { write.ProjectId }));
}
