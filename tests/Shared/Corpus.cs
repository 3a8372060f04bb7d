using System.IO.Compression;
using System.Text.Json;

namespace Folio.Tests.Infrastructure;

/// <summary>One revision of the shared corpus: Pride and Prejudice as edited over years (../shared/corpus/README.md).</summary>
public sealed record CorpusRevision(int Seq, string Commit, DateTimeOffset Date, string Message, int Chapter, string Title, string Markdown);

public static class Corpus
{
    /// <summary>All 566 revisions, oldest first; replaying them in order reproduces the book's history.</summary>
    public static IReadOnlyList<CorpusRevision> Load()
    {
        using var file = File.OpenRead(Locate());
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var reader = new StreamReader(gzip);
        var revisions = new List<CorpusRevision>();
        while (reader.ReadLine() is { } line)
        {
            var json = JsonDocument.Parse(line).RootElement;
            revisions.Add(new CorpusRevision(
                json.GetProperty("seq").GetInt32(),
                json.GetProperty("commit").GetString()!,
                DateTimeOffset.Parse(json.GetProperty("date").GetString()!, System.Globalization.CultureInfo.InvariantCulture),
                json.GetProperty("message").GetString()!,
                json.GetProperty("chapter").GetInt32(),
                json.GetProperty("title").GetString()!,
                json.GetProperty("markdown").GetString()!));
        }

        return revisions;
    }

    /// <summary>shared/corpus beside the repository (CI checks out main with shared/ next to it).</summary>
    public static string Locate()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null)
        {
            foreach (var candidate in new[] { Path.Combine(directory.FullName, "shared", "corpus"), Path.Combine(directory.FullName, "..", "shared", "corpus") })
            {
                var path = Path.Combine(candidate, "pride-and-prejudice.history.jsonl.gz");
                if (File.Exists(path))
                {
                    return Path.GetFullPath(path);
                }
            }

            directory = directory.Parent;
        }

        throw new FileNotFoundException("shared/corpus/pride-and-prejudice.history.jsonl.gz was not found beside the repository.");
    }
}
