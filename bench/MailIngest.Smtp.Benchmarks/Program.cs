using BenchmarkDotNet.Running;

// dotnet run -c Release -- --filter '*' --job short   (see README "Benchmarks")
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
