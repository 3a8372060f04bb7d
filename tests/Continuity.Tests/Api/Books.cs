using Dapper;
using Folio.Contracts;
using Folio.Contracts.Projects;
using Npgsql;

namespace Folio.Continuity.Tests.Api;

/// <summary>A book as Projects announces it over RabbitMQ, and waits until Continuity's projection holds it.</summary>
public sealed class TestBook(ContinuityApiFactory api)
{
    public Guid ProjectId { get; } = Guid.NewGuid();

    public Guid OwnerId { get; } = Guid.NewGuid();

    public List<Guid> Chapters { get; } = [];

    public static async Task<TestBook> CreateAsync(ContinuityApiFactory api, int chapters = 3)
    {
        var book = new TestBook(api);
        api.Texts.Own(book.ProjectId, book.OwnerId);
        await book.PublishAsync(new ProjectCreated(Guid.NewGuid(), Guid.NewGuid(), DateTimeOffset.UtcNow, Actor.User(book.OwnerId), book.ProjectId, book.OwnerId, "The Lighthouse Keeper", "en"));
        await book.WaitAsync("SELECT count(*) FROM projects WHERE project_id = @ProjectId", 1);
        await book.PublishAsync(new CharacterUpdated(Guid.NewGuid(), Guid.NewGuid(), DateTimeOffset.UtcNow, Actor.User(book.OwnerId), book.ProjectId, Guid.NewGuid(),
            "created", "book", null, "Ellen Marsh", ["Ellen"], "protagonist",
            [new BibleFact("eye_colour", "grey", null, null), new BibleFact("relationship:Tom Marsh", "younger brother", null, null)]));
        await book.PublishAsync(new CharacterUpdated(Guid.NewGuid(), Guid.NewGuid(), DateTimeOffset.UtcNow, Actor.User(book.OwnerId), book.ProjectId, Guid.NewGuid(),
            "created", "book", null, "Tom Marsh", ["Tom"], "supporting", []));
        await book.PublishAsync(new CharacterUpdated(Guid.NewGuid(), Guid.NewGuid(), DateTimeOffset.UtcNow, Actor.User(book.OwnerId), book.ProjectId, Guid.NewGuid(),
            "created", "book", null, "Jonas Pike", ["Pike"], "antagonist", [new BibleFact("status", "dead", 3, null)]));
        await book.PublishAsync(new TimelineEventUpdated(Guid.NewGuid(), Guid.NewGuid(), DateTimeOffset.UtcNow, Actor.User(book.OwnerId), book.ProjectId, Guid.NewGuid(),
            1, "The nameless ship anchors", 1, "3 November 1911", null));
        for (var number = 1; number <= chapters; number++)
        {
            var chapterId = Guid.NewGuid();
            book.Chapters.Add(chapterId);
            await book.PublishAsync(new ChapterAdded(Guid.NewGuid(), Guid.NewGuid(), DateTimeOffset.UtcNow, Actor.User(book.OwnerId), book.ProjectId, chapterId, number, $"Chapter {number}"));
        }

        await book.WaitAsync("SELECT count(*) FROM characters WHERE project_id = @ProjectId", 3);
        await book.WaitAsync("SELECT count(*) FROM chapters WHERE project_id = @ProjectId", chapters);
        await book.WaitAsync("SELECT count(*) FROM timeline_events WHERE project_id = @ProjectId", 1);
        return book;
    }

    public HttpClient Owner => api.ClientFor(OwnerId);

    public string Path(string rest) => $"/api/v1/projects/{ProjectId}/continuity/{rest}";

    public Task PublishAsync<T>(T message) where T : class => api.Bus.Publish(message);

    public async Task WaitAsync(string countSql, long expected, object? parameters = null)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            await using var connection = new NpgsqlConnection(api.ConnectionString);
            var count = await connection.ExecuteScalarAsync<long>(countSql, parameters ?? new { ProjectId });
            if (count == expected)
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"'{countSql}' stayed at {count}, expected {expected}.");
            }

            await Task.Delay(50);
        }
    }
}
