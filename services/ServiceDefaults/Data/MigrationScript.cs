using System.Reflection;
using System.Text.RegularExpressions;

namespace Folio.ServiceDefaults.Data;

/// <summary>One numbered migration: <c>Migrations/0001_initial.sql</c> embedded in an assembly becomes version <c>{scope}:0001_initial</c>.</summary>
public sealed partial record MigrationScript(string Version, string Sql)
{
    public static IReadOnlyList<MigrationScript> FromAssembly(Assembly assembly, string scope) =>
        assembly.GetManifestResourceNames()
            .Select(resource => (resource, match: NumberedSqlFile().Match(resource)))
            .Where(item => item.match.Success)
            .OrderBy(item => item.match.Groups["name"].Value, StringComparer.Ordinal)
            .Select(item => new MigrationScript($"{scope}:{item.match.Groups["name"].Value}", Read(assembly, item.resource)))
            .ToList();

    private static string Read(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    [GeneratedRegex(@"\.Migrations\.(?<name>\d{4}_[A-Za-z0-9_]+)\.sql$")]
    private static partial Regex NumberedSqlFile();
}

/// <param name="ConnectionString">Kept because <see cref="Npgsql.NpgsqlDataSource.ConnectionString"/> drops the password.</param>
public sealed record MigrationSet(IReadOnlyList<IReadOnlyList<MigrationScript>> Groups, bool CreateDatabaseIfMissing, string ConnectionString);
