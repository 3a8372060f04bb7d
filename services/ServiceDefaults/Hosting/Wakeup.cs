using System.Threading.Channels;

namespace Folio.ServiceDefaults.Hosting;

/// <summary>
/// For a background loop that runs at a tick and also at once when asked (<see cref="Set"/>): requests made while one is
/// already pending add nothing, and a request made while the loop is busy is not lost but ends its next wait at once.
/// </summary>
public sealed class Wakeup
{
    private readonly Channel<bool> requests = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public void Set() => requests.Writer.TryWrite(true);

    /// <summary>Returns when woken or after <paramref name="timeout"/>, whichever comes first.</summary>
    public async Task WaitAsync(TimeSpan timeout, CancellationToken stoppingToken)
    {
        using var tick = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        tick.CancelAfter(timeout);
        try
        {
            await requests.Reader.ReadAsync(tick.Token);
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            // The tick came first.
        }
    }
}
