namespace Folio.Versioning.Api.Features.Content;

/// <summary>Configuration section <c>Content</c>.</summary>
public sealed class ContentStoreOptions
{
    public const string Section = "Content";

    /// <summary>Decompressed packs kept in memory (least recently used go first).</summary>
    public long PackCacheBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>Texts read from loose rows (recently written ones) kept in memory until they are packed.</summary>
    public long TextCacheBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>A pack whose decompressed stream reached this size is sealed: later repacks leave it alone.</summary>
    public long SealedPackBytes { get; set; } = 8L * 1024 * 1024;

    /// <summary>
    /// Texts written (or written again) this recently survive garbage collection even when not reachable: the caller
    /// computed reachability a moment before, and a commit may have landed since.
    /// </summary>
    public TimeSpan GcGracePeriod { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>The background repacker looks for work this often.</summary>
    public TimeSpan RepackInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A project is repacked once it has this many loose objects…</summary>
    public int RepackLooseObjects { get; set; } = 256;

    /// <summary>…or this many loose bytes…</summary>
    public long RepackLooseBytes { get; set; } = 1024 * 1024;

    /// <summary>…or a loose object older than this (a quiet project still ends up packed, and so does one on a store that never rests).</summary>
    public TimeSpan RepackLooseAge { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// A project past the count or the size waits until nothing has been written to the store for this long: a repack takes
    /// most of a core for a second, which the commits of a generation job or a saving writer would otherwise wait behind.
    /// One past <see cref="RepackLooseAge"/> does not wait.
    /// </summary>
    public TimeSpan RepackQuietPeriod { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// The share of its time the repacker spends repacking: after each book it pauses in proportion (<see cref="Folio.ServiceDefaults.Hosting.DutyCycle"/>),
    /// so the books due on a busy store (past <see cref="RepackLooseAge"/>) are packed one at a time between its commits, not in one burst.
    /// </summary>
    public double RepackShare { get; set; } = 0.5;
}
