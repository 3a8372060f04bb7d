using Folio.Benchmarks;
using Folio.Benchmarks.Generation;
using Folio.Benchmarks.Export;
using Folio.Benchmarks.Continuity;
using Folio.Benchmarks.Projects;
using Folio.Benchmarks.Versioning;

// Console harness (not a timed unit test): tests/Benchmarks/run.sh starts what each benchmark needs.
return args switch
{
    ["gateway", var direct, var gateway, var token, ..] => await GatewayOverhead.RunAsync(new Uri(direct), new Uri(gateway), token, Options.From(args)),
    ["outbox", var connectionString, ..] => await OutboxLatency.RunAsync(connectionString, Options.From(args)),
    ["versioning", var direct, var gateway, var token, ..] => await VersioningApiBenchmark.RunAsync(new Uri(direct), new Uri(gateway), token, Options.From(args)),
    ["projects", var gateway, var direct, ..] => await ProjectsApiBenchmark.RunAsync(new Uri(gateway), new Uri(direct), Options.From(args), Options.Int(args, "--projects", 1_000), Options.Int(args, "--chapters", 200)),
    ["generation", var gateway, ..] => await SagaOverheadBenchmark.RunAsync(new Uri(gateway), Options.Int(args, "--chapters", 100), Options.Int(args, "--runs", 3), Options.Int(args, "--warmup-jobs", 3)),
    ["storage", var connectionString, ..] => await StorageBenchmark.RunAsync(connectionString, Options.From(args)),
    ["export", ..] => await ExportBenchmark.RunAsync(Options.Int(args, "--runs", 5)),
    ["continuity", ..] => RuleCheckBenchmark.Run(Options.Int(args, "--rounds", 20)),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("""
        usage: Folio.Benchmarks gateway DIRECT_URL GATEWAY_URL TOKEN [--connections 16] [--seconds 15] [--warmup 3]
               Folio.Benchmarks outbox CONNECTION_STRING [--messages 10000] [--producers 8]
               Folio.Benchmarks versioning DIRECT_URL GATEWAY_URL TOKEN [--connections 16] [--messages 10000]
               Folio.Benchmarks generation GATEWAY_URL [--chapters 100] [--runs 3] [--warmup-jobs 3]
               Folio.Benchmarks continuity [--rounds 20]
               Folio.Benchmarks projects GATEWAY_URL DIRECT_URL [--projects 1000] [--chapters 200] [--connections 16] [--messages 10000]
               Folio.Benchmarks export [--runs 5]
        """);
    return 2;
}
