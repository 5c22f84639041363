using BenchmarkDotNet.Running;
using Ogaki.Migration.Benchmarks.E2e;

// `e2e --scale <s>` runs the end-to-end harness; anything else goes to BenchmarkDotNet.
if (args.Length > 0 && args[0] == "e2e") return await E2eHarness.RunAsync(args[1..]);
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
