using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/MailIngest.Smtp.Benchmarks -- --filter '*' [--job short]
BenchmarkSwitcher.FromAssembly(typeof(MailIngest.Smtp.Benchmarks.SessionBenchmarks).Assembly).Run(args);
