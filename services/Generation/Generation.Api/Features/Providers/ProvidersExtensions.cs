namespace Folio.Generation.Api.Features.Providers;

public static class ProvidersExtensions
{
    public static IHostApplicationBuilder AddModelProviders(this IHostApplicationBuilder builder)
    {
        builder.AddLlmHttp();
        builder.Services.AddSingleton<ITextModel, AnthropicTextModel>();
        builder.Services.AddSingleton<ITextModel, OpenAiCompatibleTextModel>();
        builder.Services.AddSingleton<ModelGateway>();
        return builder;
    }
}
