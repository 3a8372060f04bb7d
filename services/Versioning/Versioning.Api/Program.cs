using Folio.Versioning.Api;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddVersioning();

var app = builder.Build();
app.MapVersioningApi();
app.MapDefaultEndpoints();
app.Run();
