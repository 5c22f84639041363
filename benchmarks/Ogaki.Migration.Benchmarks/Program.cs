using BenchmarkDotNet.Running;
using Ogaki.Migration.Benchmarks.E2e;

// `e2e --scale <s>` runs the end-to-end harness; anything else goes to BenchmarkDotNet.
if (args.Length > 0 && args[0] == "e2e") return await E2eHarness.RunAsync(args[1..]);
var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args).ToList();
// A benchmark that throws or fails validation fails the run (CI runs each once in dry mode so none can rot).
return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
