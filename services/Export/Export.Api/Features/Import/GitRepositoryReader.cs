using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Folio.Export.Api.Features.Exports;
using Folio.Export.Api.Features.Git;
using Folio.Export.Core.Text;

namespace Folio.Export.Api.Features.Import;

/// <summary>A chapter file at a commit: the chapter id and title <c>.draftforge/stats.json</c> gives it, and its text.</summary>
public sealed record ImportedChapter(Guid ChapterId, string Title, string Text);

/// <summary>One commit of an imported repository: its parents, message (Folio trailers taken out), agent, and chapters in order.</summary>
public sealed record ImportedCommit(
    string Sha, IReadOnlyList<string> Parents, string Message, string? Agent, string? Model, IReadOnlyList<ImportedChapter> Chapters);

/// <summary>A tag, with the message and version status a Folio export wrote into it (<c>draft</c> for any other tag).</summary>
public sealed record ImportedTag(string Name, string Sha, string Message, string Status);

/// <summary>
/// A whole repository: every commit reachable from a branch or tag (parents before children), the branches with the
/// checked-out one (HEAD) first, the tags, and <c>manuscript/metadata.yml</c> at HEAD as key → values.
/// </summary>
public sealed record ImportedRepository(
    IReadOnlyDictionary<string, ImportedCommit> Commits, IReadOnlyList<(string Name, string Head)> Branches, IReadOnlyList<ImportedTag> Tags,
    IReadOnlyDictionary<string, IReadOnlyList<string>> Metadata, Guid? SourceProjectId);

/// <summary>
/// Reads a repository in the DraftForge layout (from a git bundle or a gzipped tarball of a working copy): every
/// commit of every branch and tag. <c>.draftforge/stats.json</c> names each chapter file's chapter id at every
/// commit; blobs are read once each through one <c>git cat-file --batch</c>.
/// </summary>
public sealed class GitRepositoryReader
{
    public static string KindOf(ReadOnlySpan<byte> start) =>
        start.StartsWith("# v2 git bundle"u8) || start.StartsWith("# v3 git bundle"u8) ? "bundle"
        : start.Length >= 2 && start[0] == 0x1f && start[1] == 0x8b ? "tarball"
        : "";

    public async Task<ImportedRepository> ReadAsync(string upload, string kind, string scratch, CancellationToken cancellationToken)
    {
        string repository;
        if (kind == "bundle")
        {
            repository = Path.Combine(scratch, "repository.git");
            await GitBundleWriter.RunAsync(["clone", "--quiet", "--bare", upload, repository], scratch, null, cancellationToken);
        }
        else
        {
            var tree = Path.Combine(scratch, "tree");
            Directory.CreateDirectory(tree);
            await RunAsync("tar", ["--extract", "--gzip", "--no-same-owner", "--file", upload, "--directory", tree], cancellationToken);
            repository = Directory.EnumerateDirectories(tree, ".git", SearchOption.AllDirectories).FirstOrDefault()
                ?? throw new ExportRefusedException("The tarball holds no git repository (no .git folder).");
        }

        Task<string> Git(params string[] arguments) => GitBundleWriter.RunAsync(["--git-dir", repository, .. arguments], scratch, null, cancellationToken);

        var head = await ResolveHeadAsync(repository, cancellationToken) ?? throw new ExportRefusedException("The repository has no commits.");
        var (branches, tags) = await RefsAsync(Git, head);
        var tips = branches.Select(branch => branch.Head).Concat(tags.Select(tag => tag.Sha)).Distinct().ToArray();
        var lines = (await Git(["rev-list", "--topo-order", "--reverse", "--parents", .. tips])).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        using var blobs = new CatFileBatch(repository);
        var commits = new Dictionary<string, ImportedCommit>();
        foreach (var line in lines)
        {
            var shas = line.Split(' ');
            var sha = shas[0];
            var message = await Git("show", "-s", "--format=%B", sha);
            var files = await FilesAsync(Git, sha);
            if (!files.TryGetValue(".draftforge/stats.json", out var statsBlob))
            {
                throw new ExportRefusedException($"Commit {sha[..12]} has no .draftforge/stats.json: this is not a DraftForge repository.");
            }

            using var stats = JsonDocument.Parse(blobs.Read(statsBlob));
            var chapters = new List<ImportedChapter>();
            foreach (var chapter in stats.RootElement.GetProperty("chapters").EnumerateArray())
            {
                var file = chapter.GetProperty("file").GetString()!;
                var title = chapter.TryGetProperty("title", out var named) ? named.GetString() ?? "" : "";
                chapters.Add(new ImportedChapter(chapter.GetProperty("id").GetGuid(), title, files.TryGetValue(file, out var blob)
                    ? blobs.Read(blob)
                    : throw new ExportRefusedException($"Commit {sha[..12]} lists {file}, which is not in it.")));
            }

            var (text, agent, model) = SplitTrailers(message);
            commits[sha] = new ImportedCommit(sha, shas[1..], text, agent, model, chapters);
        }

        var atHead = await FilesAsync(Git, head);
        var metadata = atHead.TryGetValue("manuscript/metadata.yml", out var metadataBlob)
            ? Yaml.ReadFields(blobs.Read(metadataBlob))
            : new Dictionary<string, IReadOnlyList<string>>();
        var config = atHead.TryGetValue(".draftforge/config.yml", out var configBlob) ? Yaml.ReadFields(blobs.Read(configBlob)) : metadata;
        var sourceProject = config.TryGetValue("project-id", out var projectId) && Guid.TryParse(projectId[0], out var parsed) ? parsed : (Guid?)null;
        return new ImportedRepository(commits, branches, tags, metadata, sourceProject);
    }

    private static async Task<Dictionary<string, string>> FilesAsync(Func<string[], Task<string>> git, string sha) =>
        (await git(["ls-tree", "-r", sha]))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('\t', 2))
            .ToDictionary(parts => parts[1], parts => parts[0].Split(' ')[2]);

    /// <summary>
    /// Branches (local ones, and a working copy's remote-tracking ones it has no local branch for), the checked-out
    /// branch first; tags with their messages.
    /// </summary>
    private static async Task<(List<(string Name, string Head)> Branches, List<ImportedTag> Tags)> RefsAsync(Func<string[], Task<string>> git, string head)
    {
        string headName;
        try
        {
            headName = (await git(["symbolic-ref", "--quiet", "--short", "HEAD"])).Trim();
        }
        catch (InvalidOperationException)
        {
            headName = "main";
        }

        var branches = new List<(string Name, string Head)> { (headName, head) };
        var tags = new List<ImportedTag>();
        var refs = (await git(["for-each-ref", "--format=%(refname)%09%(objectname)%09%(*objectname)", "refs/heads", "refs/remotes", "refs/tags"]))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries);
        foreach (var line in refs)
        {
            var (name, target, peeled) = (line.Split('\t')[0], line.Split('\t')[1], line.Split('\t')[2]);
            var branch = name.StartsWith("refs/heads/", StringComparison.Ordinal) ? name["refs/heads/".Length..]
                : name.StartsWith("refs/remotes/", StringComparison.Ordinal) && !name.EndsWith("/HEAD", StringComparison.Ordinal) ? name.Split('/', 4)[3]
                : null;
            if (branch is not null && branches.TrueForAll(known => known.Name != branch))
            {
                branches.Add((branch, target));
            }
            else if (name.StartsWith("refs/tags/", StringComparison.Ordinal))
            {
                var tag = name["refs/tags/".Length..];
                var (message, status) = VersionNote(tag, await git(["for-each-ref", "--format=%(contents)", name]));
                tags.Add(new ImportedTag(tag, peeled.Length > 0 ? peeled : target, message, status));
            }
        }

        return (branches, tags);
    }

    /// <summary>What Folio's export wrote into a version tag: <c>message\n\nStatus: s</c>, or <c>Version v1.0 (s)</c> without a message.</summary>
    private static (string Message, string Status) VersionNote(string tag, string contents)
    {
        var text = contents.Trim();
        var lastBreak = text.LastIndexOf('\n');
        var lastLine = lastBreak < 0 ? text : text[(lastBreak + 1)..];
        if (lastLine.StartsWith("Status: ", StringComparison.Ordinal))
        {
            return (lastBreak < 0 ? "" : text[..lastBreak].Trim(), lastLine["Status: ".Length..].Trim());
        }

        var generated = $"Version {tag} (";
        return text.StartsWith(generated, StringComparison.Ordinal) && text.EndsWith(')')
            ? ("", text[generated.Length..^1])
            : (text, "draft");
    }

    private static async Task<string?> ResolveHeadAsync(string repository, CancellationToken cancellationToken)
    {
        try
        {
            return (await GitBundleWriter.RunAsync(["--git-dir", repository, "rev-parse", "--verify", "--quiet", "HEAD^{commit}"], null, null, cancellationToken)).Trim();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>The message without the Folio trailers an export added (they are restored from the commit itself).</summary>
    private static (string Message, string? Agent, string? Model) SplitTrailers(string message)
    {
        string? agent = null, model = null;
        var kept = new List<string>();
        foreach (var line in message.TrimEnd().Split('\n'))
        {
            if (line.StartsWith("Folio-Agent: ", StringComparison.Ordinal))
            {
                agent = line["Folio-Agent: ".Length..].Trim();
            }
            else if (line.StartsWith("Folio-Model: ", StringComparison.Ordinal))
            {
                model = line["Folio-Model: ".Length..].Trim();
            }
            else if (!line.StartsWith("Folio-Commit: ", StringComparison.Ordinal))
            {
                kept.Add(line);
            }
        }

        return (string.Join('\n', kept).Trim(), agent, model);
    }

    private static async Task RunAsync(string executable, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        using var process = Process.Start(new ProcessStartInfo(executable, arguments) { RedirectStandardError = true, UseShellExecute = false })!;
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new ExportRefusedException($"The upload could not be unpacked: {(await errors).Trim()}");
        }
    }

    /// <summary><c>git cat-file --batch</c>: one process answers every blob read, each by its object id.</summary>
    private sealed class CatFileBatch : IDisposable
    {
        private readonly Process process;

        public CatFileBatch(string repository)
        {
            var start = new ProcessStartInfo("git", ["--git-dir", repository, "cat-file", "--batch"])
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                UseShellExecute = false,
            };
            start.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
            start.Environment["GIT_CONFIG_GLOBAL"] = "/dev/null";
            process = Process.Start(start) ?? throw new InvalidOperationException("git cat-file did not start.");
        }

        public string Read(string objectId)
        {
            process.StandardInput.Write(objectId + "\n");
            process.StandardInput.Flush();
            var output = process.StandardOutput.BaseStream;
            var header = ReadLine(output).Split(' ');
            if (header.Length < 3)
            {
                throw new InvalidOperationException($"git cat-file: {string.Join(' ', header)}");
            }

            var size = int.Parse(header[2], CultureInfo.InvariantCulture);
            var bytes = new byte[size];
            output.ReadExactly(bytes);
            output.ReadByte();
            return Encoding.UTF8.GetString(bytes);
        }

        public void Dispose()
        {
            process.StandardInput.Close();
            process.WaitForExit(5_000);
            process.Dispose();
        }

        private static string ReadLine(Stream stream)
        {
            var line = new List<byte>(64);
            int next;
            while ((next = stream.ReadByte()) is not ('\n' or -1))
            {
                line.Add((byte)next);
            }

            return Encoding.ASCII.GetString(line.ToArray());
        }
    }
}
