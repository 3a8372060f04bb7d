using Folio.Generation.Api;
using Folio.Generation.Api.Features.Providers;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddGeneration();

var app = builder.Build();
app.MapProvidersApi();
app.MapDefaultEndpoints();
app.Run();
