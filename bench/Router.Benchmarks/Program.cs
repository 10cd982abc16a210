using System;
using System.Globalization;
using System.Linq;
using BenchmarkDotNet.Running;
using Router.Boards;
using Router.Budgets;

namespace Router.Benchmarks;

/// <summary>
/// `dotnet run -c Release --project bench/Router.Benchmarks -- --filter '*'` runs the benchmarks (add --wall-clock to time
/// by the wall clock instead of thread CPU time);
/// `dotnet run --project bench/Router.Benchmarks -- memory` prints the memory budget of every board profile (nanoCLR
/// model, CoreCLR beside); `-- memory --types BOARD` lists the types that take the most of one board's heap.
/// `dotnet run --project bench/Router.Benchmarks -- spi` prints the W5500 SPI figures (from the chip model).
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        if (args.Length > 0 && args[0] == "memory")
        {
            if (args.Length > 2 && args[1] == "--types")
            {
                BoardProfile board = BoardProfiles.ByName(args[2]) ?? throw new ArgumentException($"unknown board profile '{args[2]}'");
                Console.Write(BudgetReport.Types(MemoryBudget.Measure(board), 40));
                return 0;
            }
            var boards = BoardProfiles.Names.Select(name => MemoryBudget.Measure(BoardProfiles.ByName(name))).ToList();
            Console.Write(BudgetReport.Render(boards));
            return 0;
        }
        if (args.Length > 0 && args[0] == "spi")
        {
            Console.Write(Router.Tests.Support.SpiFigures.Render());
            return 0;
        }
        bool wallClock = args.Contains("--wall-clock");
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args.Where(a => a != "--wall-clock").ToArray(), BenchConfig.Create(wallClock));
        return 0;
    }
}
