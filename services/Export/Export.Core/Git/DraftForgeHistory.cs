using System.Globalization;
using System.Text;
using System.Text.Json;
using Folio.Export.Core.Text;

namespace Folio.Export.Core.Git;

/// <summary>Who made a commit, as git shows it; agents and humans get different names and e-mail domains.</summary>
public sealed record GitIdentity(string Name, string Email);

/// <summary>One chapter of the book at a commit, in reading order.</summary>
public sealed record HistoryChapter(Guid ChapterId, string ContentId, string Title);

/// <summary>An AI agent's part in a commit: which agent and model, with which parameters.</summary>
public sealed record AgentRun(string Agent, string Model, string? ParametersJson, double? Confidence);

public sealed record HistoryCommit(
    string Id, IReadOnlyList<string> Parents, GitIdentity Author, DateTimeOffset Date, string Message, string Kind,
    IReadOnlyList<HistoryChapter> Chapters, AgentRun? Agent);

public sealed record HistoryTag(string Name, string CommitId, string Message, DateTimeOffset Date);

/// <summary>A book's whole history: commits with parents before children, branch heads, version tags.</summary>
public sealed record BookHistory(
    BookMetadata Metadata, Guid ProjectId, IReadOnlyList<HistoryCommit> Commits, IReadOnlyDictionary<string, string> Branches,
    string DefaultBranch, IReadOnlyList<HistoryTag> Tags);

/// <summary>
/// Writes a book's history as a <c>git fast-import</c> stream in the DraftForge layout: <c>chapters/NN-slug.md</c>
/// (the chapter's text exactly as stored), <c>manuscript/metadata.yml</c>, <c>.draftforge/config.yml</c>,
/// <c>.draftforge/stats.json</c> (chapter ids, files, titles and words at each commit) and
/// <c>.draftforge/agent-runs/*.json</c> (one per agent commit). Each chapter text becomes one blob however many
/// commits carry it. Commits are made on a scratch ref; branches and annotated version tags point at them at the end.
/// </summary>
public static class DraftForgeHistory
{
    public const string ScratchRef = "refs/folio/import";

    public static void WriteFastImport(BookHistory history, Func<string, string> contentText, Stream output)
    {
        if (history.Commits.Count == 0)
        {
            throw new ArgumentException("The book has no history to export.", nameof(history));
        }

        using var stream = new FastImportStream(output);
        var nextMark = 1;
        var blobs = new Dictionary<string, int>();
        int Blob(string key, Func<string> text)
        {
            if (!blobs.TryGetValue(key, out var mark))
            {
                mark = nextMark++;
                blobs[key] = mark;
                stream.Line("blob").Line($"mark :{mark}").Data(text());
            }

            return mark;
        }

        var metadataMark = Blob("metadata.yml", () => Yaml.Metadata(history.Metadata));
        var configMark = Blob("config.yml", () => Config(history));
        var commitMarks = new Dictionary<string, int>();
        var agentRuns = new Dictionary<string, IReadOnlyList<(string Path, int Mark)>>();
        foreach (var commit in history.Commits)
        {
            var files = new List<(string Path, int Mark)>();
            var stats = new List<object>();
            var width = Math.Max(2, commit.Chapters.Count.ToString(CultureInfo.InvariantCulture).Length);
            for (var i = 0; i < commit.Chapters.Count; i++)
            {
                var chapter = commit.Chapters[i];
                var path = $"chapters/{(i + 1).ToString(CultureInfo.InvariantCulture).PadLeft(width, '0')}-{Slug.From(chapter.Title, "chapter")}.md";
                var mark = Blob("content:" + chapter.ContentId, () => contentText(chapter.ContentId));
                files.Add((path, mark));
                stats.Add(new { id = chapter.ChapterId, file = path, title = chapter.Title, contentId = chapter.ContentId });
            }

            var runs = commit.Parents.Where(agentRuns.ContainsKey).SelectMany(parent => agentRuns[parent]).Distinct().ToList();
            if (commit.Agent is { } agent)
            {
                var runPath = $".draftforge/agent-runs/{commit.Date.UtcDateTime:yyyyMMdd'T'HHmmss'Z'}-{Slug.From(commit.Id, "run")[..Math.Min(12, commit.Id.Length)]}.json";
                runs.Add((runPath, Blob("run:" + commit.Id, () => AgentRunJson(commit, agent))));
            }

            agentRuns[commit.Id] = runs;
            var commitMark = nextMark++;
            commitMarks[commit.Id] = commitMark;
            var parents = commit.Parents.Where(commitMarks.ContainsKey).ToList();
            if (parents.Count == 0)
            {
                stream.Line($"reset {ScratchRef}");
            }

            stream.Line($"commit {ScratchRef}").Line($"mark :{commitMark}")
                .Line($"author {Identity(commit.Author)} {Timestamp(commit.Date)}")
                .Line($"committer {Identity(commit.Author)} {Timestamp(commit.Date)}")
                .Data(Message(commit));
            for (var i = 0; i < parents.Count; i++)
            {
                stream.Line($"{(i == 0 ? "from" : "merge")} :{commitMarks[parents[i]]}");
            }

            stream.Line("deleteall")
                .Line($"M 100644 :{metadataMark} manuscript/metadata.yml")
                .Line($"M 100644 :{configMark} .draftforge/config.yml");
            foreach (var (path, mark) in files.Concat(runs))
            {
                stream.Line($"M 100644 :{mark} {path}");
            }

            stream.Line("M 100644 inline .draftforge/stats.json")
                .Data(JsonSerializer.Serialize(new { commit = commit.Id, kind = commit.Kind, chapters = stats }, Json) + "\n")
                .Line("");
        }

        foreach (var (branch, head) in history.Branches.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            if (commitMarks.TryGetValue(head, out var mark))
            {
                stream.Line($"reset refs/heads/{branch}").Line($"from :{mark}").Line("");
            }
        }

        foreach (var tag in history.Tags.Where(tag => commitMarks.ContainsKey(tag.CommitId)))
        {
            stream.Line($"tag {tag.Name}").Line($"from :{commitMarks[tag.CommitId]}")
                .Line($"tagger Folio <export@folio.invalid> {Timestamp(tag.Date)}")
                .Data(string.IsNullOrWhiteSpace(tag.Message) ? $"Version {tag.Name}\n" : tag.Message.TrimEnd() + "\n");
        }

        stream.Line("done");
    }

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static string Config(BookHistory history) =>
        $"""
        # DraftForge project settings, written by Folio's export.
        format: 1
        project-id: "{history.ProjectId}"
        default-branch: {Yaml.Quote(history.DefaultBranch)}
        chapters-dir: "chapters"
        metadata: "manuscript/metadata.yml"
        language: {Yaml.Quote(history.Metadata.Language)}

        """;

    private static string AgentRunJson(HistoryCommit commit, AgentRun agent)
    {
        using var parameters = string.IsNullOrWhiteSpace(agent.ParametersJson) ? null : JsonDocument.Parse(agent.ParametersJson);
        return JsonSerializer.Serialize(new
        {
            commit = commit.Id,
            agent = agent.Agent,
            model = agent.Model,
            parameters = parameters?.RootElement,
            confidence = agent.Confidence,
            date = commit.Date,
            message = commit.Message,
            chapters = commit.Chapters.Select(chapter => chapter.ChapterId),
        }, Json) + "\n";
    }

    private static string Message(HistoryCommit commit)
    {
        var message = new StringBuilder(XmlText.Clean(commit.Message).Trim());
        if (message.Length == 0)
        {
            message.Append(commit.Kind);
        }

        message.Append("\n\nFolio-Commit: ").Append(commit.Id);
        if (commit.Agent is { } agent)
        {
            message.Append("\nFolio-Agent: ").Append(OneLine(agent.Agent)).Append("\nFolio-Model: ").Append(OneLine(agent.Model));
        }

        return message.Append('\n').ToString();
    }

    private static string Identity(GitIdentity identity) => $"{OneLine(identity.Name).Replace("<", "", StringComparison.Ordinal).Replace(">", "", StringComparison.Ordinal).Trim()} <{OneLine(identity.Email).Replace("<", "", StringComparison.Ordinal).Replace(">", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal)}>";

    private static string OneLine(string text) => XmlText.Clean(text).ReplaceLineEndings(" ");

    private static string Timestamp(DateTimeOffset date) => $"{date.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)} +0000";

    /// <summary>fast-import's framing: lines, and <c>data</c> blocks whose length is counted in bytes.</summary>
    private sealed class FastImportStream(Stream output) : IDisposable
    {
        private readonly BufferedStream buffer = new(output, 1 << 16);

        /// <summary>Flushes; the output stream stays open (it belongs to the caller).</summary>
        public void Dispose() => buffer.Flush();

        public FastImportStream Line(string line)
        {
            Write(line);
            buffer.WriteByte((byte)'\n');
            return this;
        }

        public FastImportStream Data(string text)
        {
            var bytes = Encoding.UTF8.GetBytes(text);
            Line($"data {bytes.Length.ToString(CultureInfo.InvariantCulture)}");
            buffer.Write(bytes);
            buffer.WriteByte((byte)'\n');
            return this;
        }

        private void Write(string text) => buffer.Write(Encoding.UTF8.GetBytes(text));
    }
}
