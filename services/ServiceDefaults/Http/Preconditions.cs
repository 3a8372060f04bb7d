using Microsoft.AspNetCore.Http;

namespace Folio.ServiceDefaults.Http;

/// <summary>Optimistic concurrency over HTTP: a resource's integer version travels as its ETag and comes back in If-Match.</summary>
public static class Preconditions
{
    public static string ETagFor(int version) => $"\"{version}\"";

    public static void SetETag(this HttpResponse response, int version) => response.Headers.ETag = ETagFor(version);

    /// <summary>The version the caller last read, from If-Match; 428 when absent so a blind write can never overwrite a newer one.</summary>
    public static int RequiredIfMatchVersion(this HttpRequest request)
    {
        var header = request.Headers.IfMatch.ToString().Trim();
        if (header.Length == 0)
        {
            throw ProblemException.PreconditionRequired("Send the ETag you last read in If-Match so a newer change is never overwritten.");
        }

        var value = header.StartsWith("W/", StringComparison.Ordinal) ? header[2..] : header;
        return int.TryParse(value.Trim('"'), out var version) && version > 0
            ? version
            : throw ProblemException.BadRequest($"If-Match '{header}' is not an ETag this service issued.");
    }
}
