using System.Text;

namespace Folio.Tests.Infrastructure;

public static class OversizedBodies
{
    /// <summary>
    /// Posts JSON with <c>Expect: 100-continue</c>, as large uploads should: the server answers 413 before the body is
    /// sent, instead of closing the connection while the client is still writing (a broken pipe, not a status).
    /// </summary>
    public static Task<HttpResponseMessage> PostJsonExpectingContinueAsync(this HttpClient client, string path, string json)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative))
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        };
        request.Headers.ExpectContinue = true;
        return client.SendAsync(request);
    }
}
