using Dapper;
using FluentAssertions;
using Folio.Contracts;
using Folio.Generation.Api.Features.Jobs;
using Folio.Generation.Api.Features.Jobs.Saga;
using Folio.Generation.Tests.Settings;
using Folio.ServiceDefaults.Messaging;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Xunit;

namespace Folio.Generation.Tests.Jobs;

/// <summary>A step's settlement is one batch without BEGIN/COMMIT: the job's version check must undo the whole batch.</summary>
[Collection(SharedGenerationApi.Name)]
public sealed class JobRowsTests(GenerationApiFactory factory)
{
    [Fact]
    public async Task A_settlement_on_a_stale_version_fails_whole_and_keeps_none_of_its_writes()
    {
        var jobId = await InsertEndedJobAsync();
        await using var connection = await DataSource.OpenConnectionAsync();
        var stale = (await JobRows.LoadAsync(connection, jobId, CancellationToken.None))!;
        var winner = (await JobRows.LoadAsync(connection, jobId, CancellationToken.None))!;
        winner.Ticket++;
        await JobRows.UpdateAsync(connection, null, Outbox, winner, CancellationToken.None);

        var lostMessage = Nudge(jobId);
        stale.Outgoing.Add(lostMessage);
        stale.Chapters[0].Note = "lost";
        var settle = () => JobRows.UpdateAsync(connection, null, Outbox, stale, CancellationToken.None,
            batch => JobRows.AppendDraft(batch, jobId, 1, new ChapterDraft(Text: "a lost draft")));

        await settle.Should().ThrowAsync<SagaException>();
        stale.Version.Should().Be(1, "the caller reloads and settles again from the version it read");
        (await connection.QuerySingleAsync<int>("SELECT version FROM generation_jobs WHERE id = @jobId", new { jobId })).Should().Be(2);
        (await connection.QuerySingleAsync<string?>("SELECT text FROM job_chapters WHERE job_id = @jobId AND chapter_number = 1", new { jobId }))
            .Should().BeNull("the draft came with the stale settlement");
        (await connection.QuerySingleAsync<string?>("SELECT state->>'note' FROM job_chapters WHERE job_id = @jobId AND chapter_number = 1", new { jobId }))
            .Should().BeNull("the chapter change came with the stale settlement");
        (await connection.ExecuteScalarAsync<bool>("SELECT EXISTS (SELECT FROM outbox_messages WHERE message_id = @MessageId)", new { lostMessage.MessageId }))
            .Should().BeFalse("the message came with the stale settlement");
    }

    [Fact]
    public async Task A_settlement_on_the_current_version_keeps_the_job_its_draft_and_its_messages_together()
    {
        var jobId = await InsertEndedJobAsync();
        await using var connection = await DataSource.OpenConnectionAsync();
        var job = (await JobRows.LoadAsync(connection, jobId, CancellationToken.None))!;
        var message = Nudge(jobId);
        job.Outgoing.Add(message);

        await JobRows.UpdateAsync(connection, null, Outbox, job, CancellationToken.None,
            batch => JobRows.AppendDraft(batch, jobId, 1, new ChapterDraft(Text: "the kept draft")));

        job.Version.Should().Be(2);
        (await connection.QuerySingleAsync<int>("SELECT version FROM generation_jobs WHERE id = @jobId", new { jobId })).Should().Be(2);
        (await connection.QuerySingleAsync<string>("SELECT text FROM job_chapters WHERE job_id = @jobId AND chapter_number = 1", new { jobId }))
            .Should().Be("the kept draft");
        (await connection.ExecuteScalarAsync<bool>("SELECT EXISTS (SELECT FROM outbox_messages WHERE message_id = @MessageId)", new { message.MessageId }))
            .Should().BeTrue();
    }

    [Fact]
    public async Task A_settlement_rewrites_the_chapters_it_changed_and_only_those()
    {
        var jobId = await StoredJobs.InsertAsync(factory, JobStates.Completed, chapters: 3);
        await using var connection = await DataSource.OpenConnectionAsync();
        var job = (await JobRows.LoadAsync(connection, jobId, CancellationToken.None))!;
        var before = await RowVersionsAsync(connection, jobId);
        job.Chapters[0].Status = "rolled_back";
        job.Chapters[2].Findings = ["names (line 3): Mira is called Myra"];

        await JobRows.UpdateAsync(connection, null, Outbox, job, CancellationToken.None);

        var after = await RowVersionsAsync(connection, jobId);
        after[1].Should().NotBe(before[1]);
        after[2].Should().Be(before[2], "nothing in chapter 2 changed");
        after[3].Should().NotBe(before[3]);
        var reloaded = (await JobRows.LoadAsync(connection, jobId, CancellationToken.None))!;
        reloaded.Chapters.Select(chapter => chapter.Status).Should().Equal("rolled_back", "pending", "pending");
        reloaded.Chapters[2].Findings.Should().Equal("names (line 3): Mira is called Myra");

        await JobRows.UpdateAsync(connection, null, Outbox, reloaded, CancellationToken.None);
        (await RowVersionsAsync(connection, jobId)).Should().Equal(after, "a job saved as it was read has no chapter to rewrite");
    }

    [Fact]
    public async Task A_settlement_that_flushes_later_saves_the_same_and_leaves_the_connection_committing_synchronously()
    {
        var jobId = await InsertEndedJobAsync();
        await using var connection = await DataSource.OpenConnectionAsync();
        // The test database commits asynchronously throughout; the session asks for the production default.
        await connection.ExecuteAsync("SET synchronous_commit = on");
        var job = (await JobRows.LoadAsync(connection, jobId, CancellationToken.None))!;
        var message = Nudge(jobId);
        job.Outgoing.Add(message);

        await JobRows.UpdateAsync(connection, null, Outbox, job, CancellationToken.None,
            batch => JobRows.AppendDraft(batch, jobId, 1, new ChapterDraft(Text: "a checkpoint in a running delivery")), flushLater: true);

        (await connection.QuerySingleAsync<string>("SHOW synchronous_commit")).Should().Be("on", "the setting belongs to the settlement's own transaction");
        (await connection.QuerySingleAsync<int>("SELECT version FROM generation_jobs WHERE id = @jobId", new { jobId })).Should().Be(2);
        (await connection.QuerySingleAsync<string>("SELECT text FROM job_chapters WHERE job_id = @jobId AND chapter_number = 1", new { jobId }))
            .Should().Be("a checkpoint in a running delivery");
        (await connection.ExecuteScalarAsync<bool>("SELECT EXISTS (SELECT FROM outbox_messages WHERE message_id = @MessageId)", new { message.MessageId }))
            .Should().BeTrue();
    }

    private static async Task<Dictionary<int, string>> RowVersionsAsync(NpgsqlConnection connection, Guid jobId) =>
        (await connection.QueryAsync<(int Number, string Xmin)>("SELECT chapter_number, xmin::text FROM job_chapters WHERE job_id = @jobId", new { jobId }))
            .ToDictionary(row => row.Number, row => row.Xmin);

    private NpgsqlDataSource DataSource => factory.Services.GetRequiredService<NpgsqlDataSource>();

    private IOutbox Outbox => factory.Services.GetRequiredService<IOutbox>();

    /// <summary>A nudge for a ticket the job never had: the saga ignores it when the relay publishes it.</summary>
    private static JobStepTimedOut Nudge(Guid jobId) => new(Guid.CreateVersion7(), jobId, DateTimeOffset.UtcNow, Actor.System("test"), jobId, -1);

    /// <summary>Ended, so the service's dispatcher neither starts it nor counts it against its workers.</summary>
    private Task<Guid> InsertEndedJobAsync() => StoredJobs.InsertAsync(factory, JobStates.Completed);
}
