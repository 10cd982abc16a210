using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Perfolizer.Horology;

namespace Router.Benchmarks;

/// <summary>
/// BenchmarkDotNet's defaults with one short job for the whole suite, so a full run fits in about ten minutes on a small,
/// shared machine: in process, 8 warm-up and 10 measured iterations of about 50 ms of CPU each, timed by
/// <see cref="ThreadCpuClock"/> (pass --wall-clock for the ordinary stopwatch). Each benchmark class carries
/// [MemoryDiagnoser] itself.
/// </summary>
public static class BenchConfig
{
    public static IConfig Create(bool wallClock)
    {
        Job job = Job.Default.WithLaunchCount(1).WithWarmupCount(8).WithIterationCount(10)
            .WithIterationTime(TimeInterval.FromMilliseconds(50)).WithToolchain(InProcessEmitToolchain.Instance);
        job = wallClock ? job.WithId("WallClock") : job.WithClock(new ThreadCpuClock()).WithId("ThreadCpu");
        // Min and median beside the mean: on a shared VM other tenants only ever add time, so the fastest iteration is the
        // closest estimate of the code's own cost, and the mean shows how much the machine added.
        return ManualConfig.Create(DefaultConfig.Instance).AddJob(job).AddColumn(StatisticColumn.Min, StatisticColumn.Median);
    }
}
