using System.Diagnostics;
using System.Globalization;
using System.Text;
using Folio.Tests.Infrastructure;

namespace Folio.Benchmarks;

/// <summary>
/// The reference the storage is measured against: the same history in git (git fast-import, one file per chapter,
/// one commit per seq), packed by <c>git gc</c> and by <c>git gc --aggressive</c>, each in its own fresh repository.
/// User and system git configuration is ignored so the figures depend on git's defaults only.
/// </summary>
internal static class GitAnchor
{
    public static async Task<(long Plain, long Aggressive, string Version)> MeasureAsync(IReadOnlyList<CorpusRevision> revisions)
    {
        var root = Directory.CreateTempSubdirectory("folio-git-anchor-");
        try
        {
            var stream = FastImportStream(revisions);
            var plain = await PackSizeAsync(Path.Combine(root.FullName, "plain"), stream, "gc", "--quiet");
            var aggressive = await PackSizeAsync(Path.Combine(root.FullName, "aggressive"), stream, "gc", "--aggressive", "--quiet");
            var version = (await GitAsync(root.FullName, null, "--version")).Trim();
            return (plain, aggressive, version);
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }

    private static async Task<long> PackSizeAsync(string repository, byte[] stream, params string[] gc)
    {
        Directory.CreateDirectory(repository);
        await GitAsync(repository, null, "init", "--quiet", "--bare");
        await GitAsync(repository, stream, "fast-import", "--quiet");
        await GitAsync(repository, null, gc);
        return new DirectoryInfo(Path.Combine(repository, "objects", "pack")).GetFiles("*.pack").Sum(file => file.Length);
    }

    private static byte[] FastImportStream(IReadOnlyList<CorpusRevision> revisions)
    {
        using var output = new MemoryStream();
        var mark = 0;
        foreach (var commit in revisions.GroupBy(revision => revision.Seq).OrderBy(group => group.Key))
        {
            var first = commit.First();
            var when = first.Date.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
            Write(output, $"commit refs/heads/main\nmark :{++mark}\n");
            Write(output, $"author Corpus <corpus@folio.local> {when} +0000\ncommitter Corpus <corpus@folio.local> {when} +0000\n");
            Data(output, Encoding.UTF8.GetBytes(first.Message));
            if (mark > 1)
            {
                Write(output, $"from :{mark - 1}\n");
            }

            foreach (var revision in commit)
            {
                Write(output, $"M 100644 inline chapter-{revision.Chapter:D2}.md\n");
                Data(output, Encoding.UTF8.GetBytes(revision.Markdown));
            }

            Write(output, "\n");
        }

        return output.ToArray();
    }

    private static void Data(MemoryStream output, byte[] data)
    {
        Write(output, $"data {data.Length}\n");
        output.Write(data);
        Write(output, "\n");
    }

    private static void Write(MemoryStream output, string text) => output.Write(Encoding.UTF8.GetBytes(text));

    private static async Task<string> GitAsync(string directory, byte[]? input, params string[] arguments)
    {
        var start = new ProcessStartInfo("git")
        {
            WorkingDirectory = directory,
            RedirectStandardInput = input is not null,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["GIT_CONFIG_NOSYSTEM"] = "1", ["GIT_CONFIG_GLOBAL"] = "/dev/null" },
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var git = Process.Start(start) ?? throw new InvalidOperationException("git could not be started.");
        var stdout = git.StandardOutput.ReadToEndAsync();
        var stderr = git.StandardError.ReadToEndAsync();
        if (input is not null)
        {
            await git.StandardInput.BaseStream.WriteAsync(input);
            git.StandardInput.Close();
        }

        await git.WaitForExitAsync();
        return git.ExitCode == 0
            ? await stdout
            : throw new InvalidOperationException($"git {string.Join(' ', arguments)} failed ({git.ExitCode}): {await stderr}");
    }
}
