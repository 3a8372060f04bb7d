using Folio.ServiceDefaults.Hosting;

namespace Folio.ServiceDefaults.Tests.Hosting;

public sealed class WakeupTests
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(10);

    [Fact]
    public async Task A_wait_ends_at_once_when_woken_before_or_during_it()
    {
        var wakeup = new Wakeup();
        wakeup.Set();
        await wakeup.WaitAsync(Long, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));

        var waiting = wakeup.WaitAsync(Long, CancellationToken.None);
        await Task.Delay(50);
        waiting.IsCompleted.Should().BeFalse();
        wakeup.Set();
        await waiting.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Requests_made_while_one_is_pending_add_nothing()
    {
        var wakeup = new Wakeup();
        wakeup.Set();
        wakeup.Set();
        wakeup.Set();
        await wakeup.WaitAsync(Long, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));

        var second = wakeup.WaitAsync(Long, CancellationToken.None);
        await Task.Delay(100);
        second.IsCompleted.Should().BeFalse();
        wakeup.Set();
        await second.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Without_a_request_the_wait_ends_at_its_timeout_and_a_stop_cancels_it()
    {
        var wakeup = new Wakeup();
        await wakeup.WaitAsync(TimeSpan.FromMilliseconds(20), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));

        using var stopping = new CancellationTokenSource();
        var waiting = wakeup.WaitAsync(Long, stopping.Token);
        await stopping.CancelAsync();
        await FluentActions.Awaiting(() => waiting).Should().ThrowAsync<OperationCanceledException>();
    }
}
