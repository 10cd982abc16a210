using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace Router.Tests.Compatibility
{
    /// <summary>
    /// The real nanoFramework compile (tools/NanoCompile, built by `dotnet test Router.sln`) checks types and overloads,
    /// which the desktop netstandard2.0 build cannot: shown on snippets compiled the same way, against the real mscorlib.dll
    /// of nanoFramework.CoreLibrary 1.17.11 and the signatures tools/NanoRefs extracted from the other libraries' sources.
    /// </summary>
    public class NanoCompileTests
    {
        private const string ObjectExchange = @"
using System.Threading;
public sealed class Mailbox
{
    private object _pending;
    public object Take() { return Interlocked.Exchange(ref _pending, null); }
}";

        [Fact]
        public void InterlockedExchangeOfObjectDoesNotCompileForNano()
        {
            IReadOnlyList<Diagnostic> errors = NanoCompiler.Errors(ObjectExchange);
            Assert.Contains(errors, e => e.Id == "CS1503" && e.GetMessage().Contains("'ref object' to 'ref int'"));
        }

        [Fact]
        public void TheDesktopBuildAcceptsTheSameExchange()
        {
            // Why the real compile exists: netstandard2.0 has Exchange(ref object, object), so the desktop build and a
            // name-and-parameter-count check both let this through. (SnippetCompiler asserts that it compiles.)
            Assert.NotEmpty(SnippetCompiler.Compile(ObjectExchange, "Snippet"));
        }

        [Fact]
        public void InterlockedOnIntCompilesForNano()
        {
            AssertCompiles(@"
using System.Threading;
public sealed class Counter
{
    private int _value;
    public int Next() { return Interlocked.Increment(ref _value); }
    public int Read() { return Interlocked.CompareExchange(ref _value, 0, 0); }
    public int Swap(int v) { return Interlocked.Exchange(ref _value, v); }
}");
        }

        [Fact]
        public void SpiGpioAndEsp32SignaturesCompileAsDeclared()
        {
            AssertCompiles(@"
using System;
using System.Device.Gpio;
using System.Device.Spi;
using nanoFramework.Hardware.Esp32;
public sealed class ChipBus
{
    private readonly SpiDevice _spi;
    private readonly GpioPin _interrupt;
    private readonly byte[] _tx = new byte[8];
    private readonly byte[] _rx = new byte[8];
    public int Interrupts;

    public ChipBus(GpioController gpio)
    {
        Configuration.SetPinFunction(23, DeviceFunction.SPI1_MOSI);
        var settings = new SpiConnectionSettings(1, 5) { ClockFrequency = 20000000, Mode = SpiMode.Mode0, DataFlow = DataFlow.MsbFirst };
        _spi = SpiDevice.Create(settings);
        _interrupt = gpio.OpenPin(4, PinMode.InputPullUp);
        gpio.RegisterCallbackForPinValueChangedEvent(4, PinEventTypes.Falling, OnInterrupt);
    }

    private void OnInterrupt(object sender, PinValueChangedEventArgs e) { Interrupts++; }

    public byte Exchange(int length)
    {
        _spi.TransferFullDuplex(new SpanByte(_tx, 0, length), new SpanByte(_rx, 0, length));
        _spi.Write(_tx);
        _spi.Read(new ushort[2]);
        return _interrupt.Read() == PinValue.Low ? _rx[0] : (byte)0;
    }
}");
        }

        [Theory]
        // Same names and parameter counts as real overloads, wrong types: a name-and-count check passes each of these.
        [InlineData("_spi.Read(new int[2]);", "CS1503")]
        [InlineData("_spi.TransferFullDuplex(new ushort[2], new SpanByte(new byte[2]));", "CS1503")]
        [InlineData("_spi.Write(new byte[4], 0, 4);", "CS1501")]
        [InlineData("new SpiConnectionSettings(1, 5).Mode = 0x3;", "CS0266")]
        public void WrongOverloadsAreRejected(string statement, string expectedError)
        {
            IReadOnlyList<Diagnostic> errors = NanoCompiler.Errors(@"
using System;
using System.Device.Spi;
public sealed class Misuse
{
    private SpiDevice _spi;
    public void Run() { " + statement + @" }
}");
            Assert.True(errors.Any(e => e.Id == expectedError),
                "expected " + expectedError + ", got:" + Environment.NewLine + string.Join(Environment.NewLine, errors));
        }

        [Fact]
        public void ApisOnlyTheDesktopHasAreRejected()
        {
            IReadOnlyList<Diagnostic> errors = NanoCompiler.Errors(@"
public static class Desktop
{
    public static string Join(string[] parts) { return string.Join("","", parts); }
    public static object List() { return new System.Collections.Generic.List<int>(); }
    public static int Thread() { return System.Environment.CurrentManagedThreadId; }
    [System.Runtime.InteropServices.DllImport(""libc"")]
    public static extern int getpid();
}");
            Assert.Contains(errors, e => e.Id == "CS0117" && e.GetMessage().Contains("'Join'"));
            Assert.Contains(errors, e => e.Id == "CS0234" && e.GetMessage().Contains("'Generic'"));
            Assert.Contains(errors, e => e.Id == "CS0117" && e.GetMessage().Contains("'CurrentManagedThreadId'"));
            Assert.Contains(errors, e => e.Id == "CS0234" && e.GetMessage().Contains("'DllImport"));
        }

        [Fact]
        public void VolatileFieldsDoNotCompileForNano()
        {
            // nanoFramework's mscorlib has no IsVolatile, the modifier a volatile field's signature needs: use Interlocked
            // (int) or a lock instead. The desktop build compiles this.
            const string source = @"
public sealed class Flag
{
    private volatile bool _set;
    public void Set() { _set = true; }
    public bool IsSet { get { return _set; } }
}";
            Assert.NotEmpty(SnippetCompiler.Compile(source, "Snippet"));
            Assert.Contains(NanoCompiler.Errors(source), e => e.Id == "CS0518" && e.GetMessage().Contains("IsVolatile"));
        }

        [Fact]
        public void TheSolutionBuildsTheNanoCompile()
        {
            // `dotnet test Router.sln` builds every project in the solution: these are the real compile of firmware/,
            // hal/Router.Hal and boards/Router.Boards, and the reference assemblies of every extracted library.
            string solution = File.ReadAllText(Path.Combine(RepositoryRoot(), "Router.sln"));
            foreach (string project in new[]
            {
                @"tools\NanoCompile\Hal\Router.Hal.Nano.csproj",
                @"tools\NanoCompile\Drivers\Router.Drivers.Nano.csproj",
                @"tools\NanoCompile\Firmware\Router.Firmware.Nano.csproj",
                @"tools\NanoCompile\Boards\Router.Boards.Nano.csproj",
            })
            {
                Assert.Contains(project, solution);
            }
            foreach (string api in Directory.GetFiles(Path.Combine(RepositoryRoot(), "tools", "NanoCompile", "Refs"), "*.api", SearchOption.AllDirectories))
            {
                string name = Path.GetFileNameWithoutExtension(api);
                Assert.Contains(@"tools\NanoCompile\Refs\" + name + @"\" + name + ".csproj", solution);
            }
        }

        private static void AssertCompiles(string source)
        {
            IReadOnlyList<Diagnostic> errors = NanoCompiler.Errors(source);
            Assert.True(errors.Count == 0, "does not compile for nanoFramework:" + Environment.NewLine + string.Join(Environment.NewLine, errors));
        }

        private static string RepositoryRoot()
        {
            string dir = AppContext.BaseDirectory;
            while (dir != null && !File.Exists(Path.Combine(dir, "Router.sln"))) dir = Path.GetDirectoryName(dir);
            Assert.True(dir != null, "Router.sln not found above " + AppContext.BaseDirectory);
            return dir;
        }
    }

    /// <summary>
    /// Compiles C# 7.3 snippets as tools/NanoCompile compiles the firmware: no standard library, nanoFramework's mscorlib.dll,
    /// and the extracted signatures (the test project copies both into Compatibility/nano). For snippets the signatures of
    /// all libraries are compiled into one in-memory assembly; the build keeps one reference assembly per library.
    /// </summary>
    internal static class NanoCompiler
    {
        private static readonly Lazy<MetadataReference[]> References = new Lazy<MetadataReference[]>(Load);

        private static string Folder => Path.Combine(AppContext.BaseDirectory, "Compatibility", "nano");

        public static IReadOnlyList<Diagnostic> Errors(string source)
        {
            return Compile("Snippet", new[] { CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.CSharp7_3)) }, References.Value, out _);
        }

        private static MetadataReference[] Load()
        {
            string mscorlib = Path.Combine(Folder, "mscorlib.dll");
            Assert.True(File.Exists(mscorlib), mscorlib + " is missing: the test project copies it from nanoFramework.CoreLibrary");
            MetadataReference corlib = MetadataReference.CreateFromFile(mscorlib);
            SyntaxTree[] surfaces = Directory.GetFiles(Path.Combine(Folder, "refs"), "*.api")
                .Select(f => CSharpSyntaxTree.ParseText(File.ReadAllText(f), new CSharpParseOptions(LanguageVersion.CSharp7_3), f))
                .ToArray();
            Assert.True(surfaces.Length > 0, "no extracted signatures in " + Path.Combine(Folder, "refs"));
            IReadOnlyList<Diagnostic> errors = Compile("nanoFramework.References", surfaces, new[] { corlib }, out byte[] image);
            Assert.True(errors.Count == 0, "the extracted signatures do not compile:" + Environment.NewLine + string.Join(Environment.NewLine, errors));
            return new[] { corlib, MetadataReference.CreateFromImage(image) };
        }

        private static IReadOnlyList<Diagnostic> Compile(string name, SyntaxTree[] trees, IEnumerable<MetadataReference> references, out byte[] image)
        {
            var compilation = CSharpCompilation.Create(name, trees, references, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
            using (var stream = new MemoryStream())
            {
                var result = compilation.Emit(stream);
                image = stream.ToArray();
                return result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToArray();
            }
        }
    }
}
