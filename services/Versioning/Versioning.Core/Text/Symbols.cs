namespace Folio.Versioning.Core.Text;

/// <summary>Gives equal strings equal small integers so sequences can be diffed as int arrays.</summary>
internal sealed class Symbols
{
    private readonly Dictionary<string, int> ids = new(StringComparer.Ordinal);

    public int Id(string value)
    {
        if (!ids.TryGetValue(value, out var id))
        {
            id = ids.Count;
            ids.Add(value, id);
        }

        return id;
    }

    public int[] Ids(IReadOnlyList<string> values)
    {
        var result = new int[values.Count];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = Id(values[i]);
        }

        return result;
    }
}
