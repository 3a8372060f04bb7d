using System.Globalization;

namespace Folio.Benchmarks;

internal sealed record Options(int Connections, int Seconds, int WarmupSeconds, int Messages, int Producers, int Rate)
{
    public static Options From(string[] args) => new(
        Int(args, "--connections", 16), Int(args, "--seconds", 15), Int(args, "--warmup", 3), Int(args, "--messages", 10_000), Int(args, "--producers", 8), Int(args, "--rate", 500));

    public static int Int(string[] args, string name, int fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
