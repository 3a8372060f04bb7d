using System.Runtime.InteropServices;

namespace Folio.ServiceDefaults.Hosting;

/// <summary>
/// Runs CPU-heavy background work (a repack's compression) on a thread of its own at a low scheduling priority, so that
/// it takes the cores mostly when requests leave them idle instead of sharing them with requests equally. Nice 10 gets
/// about a tenth of a core against a busy request thread, where nice 19 would get about 1.5%: the work yields, but a
/// node that stays busy still gets its repacks done. On Linux the nice value belongs to the thread, which is why the
/// work gets a new thread rather than a pool thread; elsewhere it runs at normal priority.
/// </summary>
public static partial class LowPriorityWork
{
    public const int Nice = 10;
    private const int PriorityOfProcess = 0;

    public static Task<T> RunAsync<T>(Func<T> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        var completion = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var finished = new ManualResetEvent(false);
        var result = default(T);
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                if (OperatingSystem.IsLinux())
                {
                    // Best effort: if the kernel refuses, the work still runs, only at normal priority.
                    _ = SetPriority(PriorityOfProcess, CurrentThreadId(), Nice);
                }

                result = work();
            }
            catch (Exception exception)
            {
                failure = exception;
            }
            finally
            {
                // Only an event: completing the task here could make this thread start a pool thread, which would
                // inherit its priority for good. The caller's registered wait completes it instead.
                finished.Set();
            }
        })
        {
            IsBackground = true,
            Name = "Folio low-priority work",
        };
        RegisteredWaitHandle? registration = null;
        registration = ThreadPool.RegisterWaitForSingleObject(finished, (_, _) =>
        {
            registration!.Unregister(null);
            finished.Dispose();
            if (failure is null)
            {
                completion.SetResult(result!);
            }
            else
            {
                completion.SetException(failure);
            }
        }, null, Timeout.Infinite, executeOnlyOnce: true);
        thread.Start();
        return completion.Task;
    }

    [LibraryImport("libc", EntryPoint = "setpriority", SetLastError = true)]
    private static partial int SetPriority(int which, int who, int priority);

    [LibraryImport("libc", EntryPoint = "gettid")]
    private static partial int CurrentThreadId();
}
