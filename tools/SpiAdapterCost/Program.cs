using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Router.Tests.Compatibility;

namespace Router.Tools.SpiAdapterCost;

/// <summary>
/// nanoCLR garbage of one call of the board's SPI adapter (NanoSpiDevice.Write / TransferFullDuplex), down through
/// nanoFramework's own SpiDevice and SpanByte: compiles the three from source against the real mscorlib 1.17.11 and the
/// extracted signatures of the other nanoFramework libraries, then runs the allocation gate (same rules, same sizes) and
/// sums what one call runs, instruction by instruction.
/// <code>dotnet run --project tools/SpiAdapterCost -- SPI_SOURCE_DIR/SpiDevice.cs CORELIB/System/SpanByte.cs [--debug]</code>
/// The nanoFramework sources are read from wherever the caller put them; nothing of them is kept (docs/w5500.md).
/// </summary>
public static class Program
{
    private const string Adapter = "Router.Device.Hal.NanoSpiDevice";

    public static int Main(string[] args)
    {
        string[] paths = args.Where(a => !a.StartsWith("--", StringComparison.Ordinal)).ToArray();
        if (paths.Length != 2 || !File.Exists(paths[0]) || !File.Exists(paths[1]))
        {
            Console.Error.WriteLine("usage: SpiAdapterCost <System.Device.Spi/SpiDevice.cs> <nanoFramework.CoreLibrary/System/SpanByte.cs> [--debug]");
            Console.Error.WriteLine("  the other .cs files beside SpiDevice.cs (the rest of the library) are compiled with it.");
            return 2;
        }
        bool debug = args.Contains("--debug");
        string spiDevice = Path.GetFullPath(paths[0]);
        string spanByte = Path.GetFullPath(paths[1]);
        string root = RepositoryRoot();

        byte[] references = CompileReferences(root);
        var sources = new List<string> { spanByte };
        sources.AddRange(Directory.GetFiles(Path.GetDirectoryName(spiDevice), "*.cs").OrderBy(f => f, StringComparer.Ordinal));
        sources.Add(Path.Combine(root, "hal", "Router.Hal", "ISpiDevice.cs"));
        sources.Add(Path.Combine(root, "boards", "device", "Router.Device", "Hal", "NanoSpiDevice.cs"));
        (byte[] image, byte[] pdb) = Compile("SpiAdapterCost", sources, new[] { Mscorlib(), MetadataReference.CreateFromImage(references) },
            debug ? OptimizationLevel.Debug : OptimizationLevel.Release);

        var gate = new NanoAllocationGate(new[] { (image, pdb) }, root);
        var empty = new Dictionary<string, string>();
        Console.WriteLine("nanoCLR allocations of one call of the board SPI adapter (nanoCLR model, IL analysis; rules and sizes of the");
        Console.WriteLine("allocation gate, tests/Router.Tests/Compatibility/NanoAllocationGate.cs; C# 7.3, " + (debug ? "Debug" : "Release") + " IL, mscorlib 1.17.11)");
        Console.WriteLine("sources: " + spiDevice + " (and the .cs files beside it), " + spanByte);
        Console.WriteLine();
        bool unknown = false;
        foreach (string entry in new[] { Adapter + "::Write", Adapter + "::TransferFullDuplex" })
        {
            AllocationGateResult result = gate.Analyse(new[] { entry }, empty, empty);
            string key = gate.Resolve(entry).Single();
            var lines = new List<string>();
            int? total = Cost(key, result, 0, lines, new HashSet<string>());
            unknown |= total == null;
            Console.WriteLine(key + ": " + (total == null ? "unknown (an allocation of unknown size)" : total + " B per call"));
            foreach (string line in lines) Console.WriteLine(line);
            foreach (string u in result.Unresolved) Console.WriteLine("  unresolved: " + u);
            Console.WriteLine();
        }
        Console.WriteLine("Each line: where, instruction, gate rule, bytes each time it runs. Throw paths are listed, not summed (they run only");
        Console.WriteLine("on an argument error). struct-arg / struct-return charge the by-value load (ldarg/ldloc/ldfld) or return copy that");
        Console.WriteLine("feeds a struct parameter or result (nanoclr-facts §1.2).");
        return unknown ? 1 : 0;
    }

    /// <summary>Bytes one run of <paramref name="method"/> allocates, its callees included (once per call site), listing each allocating instruction.</summary>
    private static int? Cost(string method, AllocationGateResult result, int depth, List<string> lines, HashSet<string> stack)
    {
        string indent = new string(' ', 2 + 4 * depth);
        if (!stack.Add(method))
        {
            lines.Add(indent + "(recursive call to " + method + ": not followed)");
            return null;
        }
        int? total = 0;
        var own = result.Violations.Where(v => v.Method == method).Select(v => (v.Offset, Text: Describe(v), Bytes: v.Rule == "throw-path" ? 0 : v.Bytes, Call: (string)null));
        var calls = result.Calls.Where(c => c.Caller == method).Select(c => (c.Offset, Text: (c.InThrowBlock ? "(throw path) " : "") + "IL_" + c.Offset.ToString("x4") + " calls " + c.Callee, Bytes: (int?)0, Call: c.InThrowBlock ? null : c.Callee));
        foreach (var item in own.Concat(calls).OrderBy(i => i.Offset))
        {
            lines.Add(indent + item.Text);
            if (item.Call == null)
            {
                total = total == null || item.Bytes == null ? null : total + item.Bytes;
                continue;
            }
            int? callee = Cost(item.Call, result, depth + 1, lines, stack);
            lines.Add(indent + "    = " + (callee == null ? "unknown" : callee + " B") + " per call of " + item.Call);
            total = total == null || callee == null ? null : total + callee;
        }
        stack.Remove(method);
        return total;
    }

    private static string Describe(AllocationViolation v)
        => v.Where + "  " + v.Instruction + "  " + v.Rule + "  " + v.Detail + "  " + (v.Bytes == null ? "? B" : v.Bytes + " B") + (v.Rule == "throw-path" ? " (not summed)" : "");

    private static MetadataReference Mscorlib()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "nano", "mscorlib.dll");
        if (!File.Exists(path)) throw new FileNotFoundException("mscorlib.dll of nanoFramework.CoreLibrary 1.17.11 is copied here by the build", path);
        return MetadataReference.CreateFromFile(path);
    }

    /// <summary>
    /// One reference assembly from the extracted signatures of every nanoFramework library (tools/NanoCompile/Refs) except
    /// System.Device.Spi, whose real source is compiled instead.
    /// </summary>
    private static byte[] CompileReferences(string root)
    {
        string[] surfaces = Directory.GetFiles(Path.Combine(root, "tools", "NanoCompile", "Refs"), "*.api", SearchOption.AllDirectories)
            .Where(f => Path.GetFileNameWithoutExtension(f) != "System.Device.Spi").OrderBy(f => f, StringComparer.Ordinal).ToArray();
        return Compile("nanoFramework.References", surfaces, new[] { Mscorlib() }, OptimizationLevel.Release).Image;
    }

    private static (byte[] Image, byte[] Pdb) Compile(string name, IEnumerable<string> files, IEnumerable<MetadataReference> references, OptimizationLevel optimization)
    {
        var parse = new CSharpParseOptions(LanguageVersion.CSharp7_3);
        SyntaxTree[] trees = files.Select(f => CSharpSyntaxTree.ParseText(Microsoft.CodeAnalysis.Text.SourceText.From(File.ReadAllText(f), System.Text.Encoding.UTF8), parse, f)).ToArray();
        var options = new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, optimizationLevel: optimization, allowUnsafe: false)
            // SpanByte is compiled from source beside mscorlib's own copy: the source one is the one analysed.
            .WithSpecificDiagnosticOptions(new Dictionary<string, ReportDiagnostic> { { "CS0436", ReportDiagnostic.Suppress } });
        CSharpCompilation compilation = CSharpCompilation.Create(name, trees, references, options);
        using var image = new MemoryStream();
        using var pdb = new MemoryStream();
        var emitted = compilation.Emit(image, pdb, options: new Microsoft.CodeAnalysis.Emit.EmitOptions(debugInformationFormat: Microsoft.CodeAnalysis.Emit.DebugInformationFormat.PortablePdb));
        Diagnostic[] errors = emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToArray();
        if (errors.Length > 0) throw new InvalidOperationException(name + " does not compile:" + Environment.NewLine + string.Join(Environment.NewLine, errors.Select(e => e.ToString())));
        return (image.ToArray(), pdb.ToArray());
    }

    private static string RepositoryRoot()
    {
        for (string dir = AppContext.BaseDirectory; dir != null; dir = Path.GetDirectoryName(dir))
        {
            if (File.Exists(Path.Combine(dir, "Router.sln"))) return dir;
        }
        throw new DirectoryNotFoundException("Router.sln not found above " + AppContext.BaseDirectory);
    }
}
