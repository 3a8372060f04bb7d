using Folio.Contracts;
using Folio.Contracts.Projects;
using Folio.Versioning.Api.Features.History;
using MassTransit;

namespace Folio.Versioning.Api.Features.Chapters;

/// <summary>
/// Keeps the manuscript's chapter order in step with Projects: when the writer reorders chapters, main gets a commit
/// that only reorders its tree (attributed to the system). Idempotent by nature — an order already in place commits
/// nothing — and a head that moved meanwhile (409) or a held generation lock (423) fails the delivery so it is retried.
/// </summary>
public sealed class ChaptersReorderedConsumer(HistoryStore history) : IConsumer<ChaptersReordered>
{
    public async Task Consume(ConsumeContext<ChaptersReordered> context)
    {
        var message = context.Message;
        var head = await history.GetBranchHeadAsync(message.ProjectId, RefNames.MainBranch, context.CancellationToken);
        if (head is null)
        {
            return;
        }

        var tree = await history.GetTreeAsync(message.ProjectId, head, context.CancellationToken);
        var order = message.Order.OrderBy(position => position.Number).Select(position => position.ChapterId).ToList();
        if (tree.Reordered(order).Chapters.SequenceEqual(tree.Chapters))
        {
            return;
        }

        await history.CommitAsync(new CommitRequest(
            message.ProjectId, RefNames.MainBranch, head, [],
            new Author(Author.System, "projects", "Folio (chapter order)", null), Actor.System("versioning"),
            "Chapter order changed in the book's plan", CommitKinds.Reorder, message.CorrelationId, ChapterOrder: order), context.CancellationToken);
    }
}
