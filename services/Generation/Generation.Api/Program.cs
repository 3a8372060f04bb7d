using Folio.Generation.Api;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddGeneration();

var app = builder.Build();
app.MapGenerationApi();
app.MapDefaultEndpoints();
app.Run();
