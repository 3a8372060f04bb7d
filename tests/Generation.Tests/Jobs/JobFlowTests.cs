using FluentAssertions;
using Folio.Generation.Api.Features.Jobs;
using Xunit;

namespace Folio.Generation.Tests.Jobs;

public sealed class JobFlowTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_step_kept_in_the_delivery_is_not_sent_and_a_step_sent_later_clears_the_mark()
    {
        var job = Job();
        JobFlow.Start(job, Now);
        var lockTicket = job.Ticket;
        job.Outgoing.Clear();

        JobFlow.Succeeded(job, new StepOutcome(LockToken: "lease", Head: "base"), Now).Should().Be(JobStates.Running);
        JobFlow.RunInDelivery(job, lockTicket).Should().BeTrue();

        job.Step.Should().Be(JobStep.Brief);
        job.RunsInDeliveryOf.Should().Be(lockTicket);
        job.Outgoing.OfType<RunJobStep>().Should().BeEmpty("the delivery that ran the lock runs the brief itself");
        job.Outgoing.Should().Contain(message => message is Folio.Contracts.Generation.GenerationJobStarted, "the job's events still go out");

        JobFlow.Succeeded(job, new StepOutcome(), Now);
        job.RunsInDeliveryOf.Should().BeNull("a step sent as a command belongs to that command's delivery");
        job.Outgoing.OfType<RunJobStep>().Single().Ticket.Should().Be(job.Ticket);
    }

    [Fact]
    public void Nothing_is_kept_in_the_delivery_when_the_job_issued_no_step()
    {
        var job = Job();
        JobFlow.Start(job, Now);
        job.Outgoing.Clear();

        JobFlow.CancelQueued(job, Now);

        JobFlow.RunInDelivery(job, job.Ticket).Should().BeFalse("a finished job has no next step");
        job.RunsInDeliveryOf.Should().BeNull();
    }

    [Theory]
    [InlineData(ContinuityPolicies.Off, false, true)]
    [InlineData(ContinuityPolicies.Check, false, false)]
    [InlineData(ContinuityPolicies.Revise, false, false)]
    [InlineData(ContinuityPolicies.Off, true, false)]
    public void Only_a_commit_with_the_finish_straight_after_it_settles_with_the_next_step(string policy, bool cancelRequested, bool settlesWithNext)
    {
        var job = Job();
        job.ContinuityPolicy = policy;
        JobFlow.Start(job, Now);
        foreach (var (step, outcome) in new[] { (JobStep.Lock, new StepOutcome(LockToken: "lease", Head: "base")), (JobStep.Brief, new StepOutcome()), (JobStep.Write, new StepOutcome()) })
        {
            job.Step.Should().Be(step);
            JobFlow.SettlesWithNext(job).Should().BeFalse($"{step} keeps its checkpoint");
            JobFlow.Succeeded(job, outcome, Now);
        }

        job.Step.Should().Be(JobStep.Commit);
        job.CancelRequested = cancelRequested;
        JobFlow.SettlesWithNext(job).Should().Be(settlesWithNext);

        JobFlow.Succeeded(job, new StepOutcome(Head: "c1", CommitId: "c1", Words: 300), Now);
        job.Step.Should().Be(settlesWithNext ? JobStep.Finish : policy == ContinuityPolicies.Off ? JobStep.Rollback : JobStep.Check,
            "what the checkpoint is skipped for is the finish, which redoes nothing it should not");
        JobFlow.SettlesWithNext(job).Should().BeFalse("the finish ends the chapter: its checkpoint is the chapter's");
    }

    private static GenerationJob Job() => new()
    {
        CorrelationId = Guid.CreateVersion7(),
        ProjectId = Guid.CreateVersion7(),
        OwnerId = Guid.CreateVersion7(),
        Chapters = [new JobChapter { Number = 1, ChapterId = Guid.CreateVersion7(), Title = "One" }, new JobChapter { Number = 2, ChapterId = Guid.CreateVersion7(), Title = "Two" }],
    };
}
