namespace Folio.Versioning.Api.Features.Content;

/// <summary>
/// Per-project advisory locks, held until the end of the transaction that takes them. Writers share the write lock;
/// garbage collection takes it exclusively, so it never runs while a writer relies on an object it could remove.
/// Repacks and garbage collection also take the maintenance lock, so only one rewrites a project's packs at a time.
/// Repacks never remove an object, so they need not wait for writers.
/// </summary>
internal static class ContentLocks
{
    public const string SharedWrite = "SELECT pg_advisory_xact_lock_shared(hashtextextended('folio-content-write:' || @projectId::text, 0))";

    public const string ExclusiveWrite = "SELECT pg_advisory_xact_lock(hashtextextended('folio-content-write:' || @projectId::text, 0))";

    public const string Maintenance = "SELECT pg_advisory_xact_lock(hashtextextended('folio-content-maintenance:' || @projectId::text, 0))";
}
