using System.Net;
using Folio.Contracts;
using Folio.Contracts.Projects;
using Folio.Versioning.Api.Features.History;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace Folio.Versioning.Tests.Api;

[Collection(SharedVersioningApi.Name)]
public sealed class ChapterOrderTests(VersioningApiFactory factory)
{
    [Fact]
    public async Task A_reorder_in_Projects_reorders_main_with_a_system_commit_once()
    {
        using var book = await Book.CreateAsync(factory);
        var (one, two, three) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var head = await book.SaveVersionAsync(one, "# One\n\nFirst.", null);
        head = await book.SaveVersionAsync(two, "# Two\n\nSecond.", head);
        head = await book.SaveVersionAsync(three, "# Three\n\nThird.", head);
        var history = factory.Services.GetRequiredService<HistoryStore>();
        var bus = factory.Services.GetRequiredService<IBus>();
        var reordered = new ChaptersReordered(Guid.NewGuid(), Guid.NewGuid(), DateTimeOffset.UtcNow, Actor.User(Guid.NewGuid()), book.ProjectId,
            [new ChapterPosition(three, 1), new ChapterPosition(one, 2), new ChapterPosition(two, 3)]);

        await bus.Publish(reordered);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (await book.HeadAsync() == head)
        {
            DateTime.UtcNow.Should().BeBefore(deadline, "Versioning should follow the new chapter order");
            await Task.Delay(100);
        }

        var newHead = (await book.HeadAsync())!;
        (await history.GetTreeAsync(book.ProjectId, newHead, CancellationToken.None)).Chapters.Select(entry => entry.ChapterId).Should().Equal(three, one, two);
        var commit = await book.GetJsonAsync($"commits/{newHead}");
        commit.GetProperty("kind").GetString().Should().Be("reorder");
        commit.GetProperty("author").GetProperty("kind").GetString().Should().Be("system");
        (await book.TextAsync(one)).Should().Be("# One\n\nFirst.", "a reorder changes no text");

        await bus.Publish(reordered with { MessageId = Guid.NewGuid() });
        await Task.Delay(1500);
        (await book.HeadAsync()).Should().Be(newHead, "an order already in place commits nothing");
        (await book.GetJsonAsync("log?limit=10")).GetArrayLength().Should().Be(4);
    }
}
