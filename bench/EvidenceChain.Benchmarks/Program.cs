using BenchmarkDotNet.Running;

namespace EvidenceChain.Benchmarks;

/// <summary>Runs the benchmarks: <c>dotnet run -c Release --project bench/EvidenceChain.Benchmarks -- --filter '*'</c>.</summary>
internal static class Program
{
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
