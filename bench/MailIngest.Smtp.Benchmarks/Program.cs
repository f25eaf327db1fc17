using BenchmarkDotNet.Running;

// dotnet run -c Release -- --filter '*' --job short   (see docs/performance.md)
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
