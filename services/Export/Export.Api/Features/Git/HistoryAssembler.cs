using Folio.Export.Api.Features.Books;
using Folio.Export.Api.Features.Exports;
using Folio.Export.Api.Features.Sources;
using Folio.Export.Core.Git;

namespace Folio.Export.Api.Features.Git;

/// <summary>A book's whole history from Versioning, with chapter titles and metadata from Export's copy of the project.</summary>
public sealed class HistoryAssembler(BookStore books, BookAssembler bookAssembler, VersioningClient versioning)
{
    public async Task<(BookHistory History, IReadOnlyDictionary<string, string> Contents)> LoadAsync(ExportJob job, string bearerToken, CancellationToken cancellationToken)
    {
        var metadata = await bookAssembler.MetadataAsync(job, cancellationToken);
        var titles = await books.ChapterTitlesAsync(job.ProjectId, cancellationToken);
        var repository = await versioning.GetRepositoryAsync(job.ProjectId, bearerToken, cancellationToken)
            ?? throw new ExportRefusedException($"Project {job.ProjectId} has no repository.");
        var commits = new List<HistoryCommit>();
        await foreach (var commit in versioning.StreamHistoryAsync(job.ProjectId, bearerToken, cancellationToken))
        {
            commits.Add(new HistoryCommit(
                commit.CommitId, commit.Parents, Identity(commit), commit.CreatedAt.ToDateTimeOffset(), commit.Message, commit.Kind,
                commit.Chapters.Select((chapter, index) =>
                {
                    var chapterId = Guid.Parse(chapter.ChapterId);
                    return new HistoryChapter(chapterId, chapter.ContentId, titles.TryGetValue(chapterId, out var known) ? known.Title : $"Chapter {index + 1}");
                }).ToList(),
                commit.Agent is { } agent ? new AgentRun(agent.Name, agent.Model, agent.ParametersJson, agent.Confidence) : null));
        }

        if (commits.Count == 0)
        {
            throw new ExportRefusedException("The book has no saved versions: there is no history to export.");
        }

        var tags = new List<HistoryTag>();
        await foreach (var version in versioning.ListVersionsAsync(job.ProjectId, bearerToken, cancellationToken))
        {
            tags.Add(new HistoryTag(version.Name, version.CommitId,
                string.IsNullOrWhiteSpace(version.Message) ? $"Version {version.Name} ({version.Status})" : $"{version.Message}\n\nStatus: {version.Status}",
                version.CreatedAt.ToDateTimeOffset()));
        }

        var contents = new Dictionary<string, string>();
        var wanted = commits.SelectMany(commit => commit.Chapters).Select(chapter => chapter.ContentId).Distinct().ToList();
        await foreach (var content in versioning.StreamContentsAsync(job.ProjectId, wanted, bearerToken, cancellationToken))
        {
            contents[content.ContentId] = content.Text;
        }

        var branches = repository.Branches.Where(branch => branch.HeadCommitId.Length > 0).ToDictionary(branch => branch.Name, branch => branch.HeadCommitId);
        return (new BookHistory(metadata, job.ProjectId, commits, branches, repository.DefaultBranch, tags), contents);
    }

    /// <summary>Humans, agents and the system are told apart by name and by e-mail domain.</summary>
    private static GitIdentity Identity(Contracts.Grpc.Versioning.HistoryCommit commit) => commit.AuthorKind switch
    {
        "agent" when commit.Agent is { } agent => new GitIdentity($"{agent.Name} ({agent.Model})", $"{agent.Name}@agents.folio.invalid"),
        "system" => new GitIdentity("Folio", "system@folio.invalid"),
        _ => new GitIdentity(string.IsNullOrWhiteSpace(commit.AuthorName) ? "Folio writer" : commit.AuthorName, $"{commit.AuthorId}@users.folio.invalid"),
    };
}
