using System.Net;
using System.Text.Json;
using FluentAssertions;

namespace Folio.Tests.Infrastructure;

public static class JsonAssertions
{
    /// <summary>Asserts the status (showing the body when it differs) and returns the body as JSON (default when empty).</summary>
    public static async Task<JsonElement> ShouldBeJsonAsync(this HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(expected, text);
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }
}
