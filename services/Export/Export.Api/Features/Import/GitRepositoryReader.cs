using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Folio.Export.Api.Features.Exports;
using Folio.Export.Api.Features.Git;

namespace Folio.Export.Api.Features.Import;

/// <summary>One commit of an imported repository: its message (Folio trailers taken out), agent, and chapters in order.</summary>
public sealed record ImportedCommit(string Sha, string Message, string? Agent, string? Model, IReadOnlyList<(Guid ChapterId, string Text)> Chapters);

/// <summary>
/// Reads a repository in the DraftForge layout (from a git bundle or a gzipped tarball of a working copy) along the
/// first-parent line of its HEAD (the default branch), oldest first. <c>.draftforge/stats.json</c> names each chapter file's chapter id at
/// every commit; blobs are read once each through one <c>git cat-file --batch</c>.
/// </summary>
public sealed class GitRepositoryReader
{
    public static string KindOf(ReadOnlySpan<byte> start) =>
        start.StartsWith("# v2 git bundle"u8) || start.StartsWith("# v3 git bundle"u8) ? "bundle"
        : start.Length >= 2 && start[0] == 0x1f && start[1] == 0x8b ? "tarball"
        : "";

    public async Task<IReadOnlyList<ImportedCommit>> ReadAsync(string upload, string kind, string scratch, CancellationToken cancellationToken)
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

        var reference = await ResolveHeadAsync(repository, cancellationToken)
            ?? throw new ExportRefusedException("The repository has no commits.");
        var shas = (await GitBundleWriter.RunAsync(["--git-dir", repository, "rev-list", "--first-parent", "--reverse", reference], scratch, null, cancellationToken))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries);
        using var blobs = new CatFileBatch(repository);
        var commits = new List<ImportedCommit>();
        foreach (var sha in shas)
        {
            var message = await GitBundleWriter.RunAsync(["--git-dir", repository, "show", "-s", "--format=%B", sha], scratch, null, cancellationToken);
            var files = (await GitBundleWriter.RunAsync(["--git-dir", repository, "ls-tree", "-r", sha], scratch, null, cancellationToken))
                .Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(line => line.Split('\t', 2))
                .ToDictionary(parts => parts[1], parts => parts[0].Split(' ')[2]);
            if (!files.TryGetValue(".draftforge/stats.json", out var statsBlob))
            {
                throw new ExportRefusedException($"Commit {sha[..12]} has no .draftforge/stats.json: this is not a DraftForge repository.");
            }

            using var stats = JsonDocument.Parse(blobs.Read(statsBlob));
            var chapters = new List<(Guid, string)>();
            foreach (var chapter in stats.RootElement.GetProperty("chapters").EnumerateArray())
            {
                var file = chapter.GetProperty("file").GetString()!;
                var id = chapter.GetProperty("id").GetGuid();
                chapters.Add((id, files.TryGetValue(file, out var blob)
                    ? blobs.Read(blob)
                    : throw new ExportRefusedException($"Commit {sha[..12]} lists {file}, which is not in it.")));
            }

            var (text, agent, model) = SplitTrailers(message);
            commits.Add(new ImportedCommit(sha, text, agent, model, chapters));
        }

        return commits;
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
