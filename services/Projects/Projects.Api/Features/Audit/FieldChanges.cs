using System.Text.Json;

namespace Folio.Projects.Api.Features.Audit;

public sealed record FieldChange(string Field, string? OldValue, string? NewValue);

/// <summary>Field-by-field difference of two snapshots of a resource, compared as their JSON form (values kept as JSON text).</summary>
public static class FieldChanges
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static IReadOnlyList<FieldChange> Between<T>(T? before, T? after)
        where T : class
    {
        var old = Fields(before);
        var @new = Fields(after);
        var changes = new List<FieldChange>();
        foreach (var field in old.Keys.Union(@new.Keys))
        {
            var oldValue = old.GetValueOrDefault(field);
            var newValue = @new.GetValueOrDefault(field);
            if (!string.Equals(oldValue, newValue, StringComparison.Ordinal))
            {
                changes.Add(new FieldChange(field, oldValue, newValue));
            }
        }

        return changes;
    }

    private static Dictionary<string, string?> Fields<T>(T? snapshot)
        where T : class
    {
        if (snapshot is null)
        {
            return [];
        }

        using var document = JsonSerializer.SerializeToDocument(snapshot, Json);
        return document.RootElement.EnumerateObject()
            .Where(property => property.Value.ValueKind != JsonValueKind.Null)
            .ToDictionary(property => property.Name, property => (string?)property.Value.GetRawText(), StringComparer.Ordinal);
    }
}
