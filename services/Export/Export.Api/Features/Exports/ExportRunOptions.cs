namespace Folio.Export.Api.Features.Exports;

public sealed class ExportRunOptions
{
    public const string Section = "Export";

    /// <summary>How long a finished file can be downloaded.</summary>
    public TimeSpan FileLifetime { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Attempts at one job (a crash or an unexpected error counts as one) before it is marked failed.</summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>How often expired files are deleted from storage.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromHours(1);
}

/// <summary>A request that cannot be exported as asked (no chapters, a chapter not in the book): the job fails with this reason.</summary>
public sealed class ExportRefusedException(string reason) : Exception(reason);
