using System.Text.RegularExpressions;
using Folio.Export.Api.Features.Exports;

namespace Folio.Export.Api.Features.Import;

/// <summary>
/// One branch to replay: the commits after <see cref="ForkSha"/> (the newest commit an earlier line already
/// replayed; null for the first line or a branch with a root of its own) along the branch's first-parent line, oldest first.
/// </summary>
public sealed record BranchLine(string Name, string? ForkSha, IReadOnlyList<ImportedCommit> Commits);

/// <summary>
/// How a repository becomes Folio history, worked out before anything is written: the checked-out branch first (onto
/// the job's branch), then every other branch from the point where it left an earlier one, then the version tags,
/// each on a commit some line replays. Tags that are not semantic versions (v1.0, v2.0.1) have no place in Folio and
/// are left out.
/// </summary>
public sealed partial record ImportPlan(IReadOnlyList<BranchLine> Lines, IReadOnlyList<ImportedTag> Versions)
{
    public static ImportPlan From(ImportedRepository repository, string targetBranch)
    {
        var placed = new HashSet<string>(StringComparer.Ordinal);
        var lines = new List<BranchLine>();
        foreach (var (name, head) in repository.Branches)
        {
            var branch = lines.Count == 0 ? targetBranch : name;
            if (lines.Count > 0 && branch == targetBranch)
            {
                throw new ExportRefusedException($"The repository's branch '{name}' has the name its checked-out branch is imported as.");
            }

            var commits = new List<ImportedCommit>();
            string? fork = null;
            for (var sha = head; sha is not null; sha = repository.Commits[sha].Parents is [var parent, ..] ? parent : null)
            {
                if (placed.Contains(sha))
                {
                    fork = sha;
                    break;
                }

                commits.Add(repository.Commits[sha]);
            }

            commits.Reverse();
            placed.UnionWith(commits.Select(commit => commit.Sha));
            lines.Add(new BranchLine(branch, fork, commits));
        }

        var versions = repository.Tags.Where(tag => VersionName().IsMatch(tag.Name)).ToList();
        if (versions.FirstOrDefault(tag => !placed.Contains(tag.Sha)) is { } stray)
        {
            throw new ExportRefusedException($"Tag {stray.Name} is on a commit that is on no branch's first-parent line, so it has no place in Folio's history.");
        }

        return new ImportPlan(lines, versions);
    }

    [GeneratedRegex(@"^v(0|[1-9]\d{0,5})\.(0|[1-9]\d{0,5})(\.(0|[1-9]\d{0,5}))?$")]
    private static partial Regex VersionName();
}
