using Folio.Versioning.Api;
using Folio.Versioning.Api.Features.Repositories;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddVersioning();

var app = builder.Build();
app.MapRepositoriesApi();
app.MapRepositoriesGrpc();
app.MapDefaultEndpoints();
app.Run();
