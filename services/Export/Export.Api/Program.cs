using Folio.Export.Api;
using Folio.Export.Api.Features.Exports;
using Folio.Export.Api.Features.Import;
using Folio.Export.Api.Features.Sources;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddExport();

var app = builder.Build();
app.MapSourcesApi();
app.MapExportsApi();
app.MapImportsApi();
app.MapDefaultEndpoints();
app.Run();
