using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace Router.Tests.Compatibility
{
    /// <summary>Proof that the gate can fail: small snippets compiled in memory, then checked like the firmware.</summary>
    public class NanoMetadataGateSelfTests
    {
        [Fact]
        public void CleanSnippetPasses()
        {
            IReadOnlyList<string> violations = Check(@"
public static class Clean
{
    public static string Copy(byte[] source, byte[] destination)
    {
        System.Array.Copy(source, 0, destination, 0, source.Length);
        System.Array a = destination;
        return string.Concat(""copied "", a.Length.ToString());
    }
}");
            Assert.Empty(violations);
        }

        [Fact]
        public void GenericCollectionIsReported()
        {
            IReadOnlyList<string> violations = Check(@"
public static class UsesList
{
    public static object Make() { return new System.Collections.Generic.List<int>(); }
}");
            AssertReported(violations, "Snippet: generic instantiation System.Collections.Generic.List`1<System.Int32>");
        }

        [Fact]
        public void GenericMethodDefinitionIsReported()
        {
            IReadOnlyList<string> violations = Check(@"
public static class Generic
{
    public static T Identity<T>(T value) { return value; }
}");
            AssertReported(violations, "Snippet: generic method definition Generic.Identity");
        }

        [Fact]
        public void GenericTypeDefinitionIsReported()
        {
            IReadOnlyList<string> violations = Check(@"
public sealed class Box<T>
{
    public T Value;
}");
            AssertReported(violations, "Snippet: generic type definition Box`1");
        }

        [Fact]
        public void LinqToArrayIsReported()
        {
            IReadOnlyList<string> violations = Check(@"
public static class Linq
{
    public static int[] Copy(int[] values) { return System.Linq.Enumerable.ToArray(values); }
}");
            AssertReported(violations, "Snippet: generic method instantiation System.Linq.Enumerable.ToArray<System.Int32>");
        }

        [Fact]
        public void SpanIsReported()
        {
            // netstandard2.0 has no Span<T> without the System.Memory package, so this one compiles against the running runtime.
            IReadOnlyList<string> violations = Check(@"
public static class Spans
{
    public static int Length(byte[] data)
    {
        System.Span<byte> span = new System.Span<byte>(data);
        return span.Length;
    }
}", SnippetCompiler.References.CurrentRuntime);
            AssertReported(violations, "Snippet: generic instantiation System.Span`1<System.Byte>");
        }

        [Fact]
        public void GenericFieldThatIsNeverConstructedIsReported()
        {
            IReadOnlyList<string> violations = Check(@"
public sealed class Holder
{
    public System.Collections.Generic.IList<string> Names;
}");
            AssertReported(violations, "Snippet: generic instantiation System.Collections.Generic.IList`1<System.String> (in field Holder.Names)");
        }

        [Fact]
        public void MultiDimensionalArrayIsReported()
        {
            IReadOnlyList<string> violations = Check(@"
public sealed class Grid
{
    public int[,] Cells = new int[2, 2];
}");
            AssertReported(violations, "Snippet: multi-dimensional array System.Int32[,] — nanoFramework has single-dimension arrays only");
        }

        private static IReadOnlyList<string> Check(string source, SnippetCompiler.References references = SnippetCompiler.References.NetStandard20)
        {
            return NanoMetadataGate.Check(SnippetCompiler.Compile(source, "Snippet", references));
        }

        private static void AssertReported(IReadOnlyList<string> violations, string expected)
        {
            Assert.True(violations.Contains(expected),
                "expected '" + expected + "' among:" + Environment.NewLine + string.Join(Environment.NewLine, violations));
        }
    }

    /// <summary>Compiles C# 7.3 snippets in memory, like the nano-compatible projects are compiled.</summary>
    internal static class SnippetCompiler
    {
        public enum References
        {
            /// <summary>The netstandard2.0 reference assembly the nano projects build against (falls back to the running runtime if absent).</summary>
            NetStandard20,

            /// <summary>The running runtime's assemblies, for APIs netstandard2.0 lacks.</summary>
            CurrentRuntime,
        }

        private static readonly Lazy<MetadataReference[]> NetStandard = new Lazy<MetadataReference[]>(LoadNetStandard);
        private static readonly Lazy<MetadataReference[]> Runtime = new Lazy<MetadataReference[]>(LoadRuntime);

        /// <summary>Where the test project copies NETStandard.Library's netstandard.dll (see Router.Tests.csproj).</summary>
        public static string NetStandardPath => Path.Combine(AppContext.BaseDirectory, "Compatibility", "netstandard2.0", "netstandard.dll");

        public static byte[] Compile(string source, string assemblyName, References references = References.NetStandard20, params byte[][] libraries)
        {
            var tree = CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.CSharp7_3));
            IEnumerable<MetadataReference> refs = (references == References.NetStandard20 ? NetStandard.Value : Runtime.Value)
                .Concat(libraries.Select(l => (MetadataReference)MetadataReference.CreateFromImage(l)));
            var compilation = CSharpCompilation.Create(assemblyName, new[] { tree }, refs,
                new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
            using (var stream = new MemoryStream())
            {
                var result = compilation.Emit(stream);
                Assert.True(result.Success, "snippet does not compile:" + Environment.NewLine
                    + string.Join(Environment.NewLine, result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
                return stream.ToArray();
            }
        }

        private static MetadataReference[] LoadNetStandard()
        {
            return File.Exists(NetStandardPath)
                ? new MetadataReference[] { MetadataReference.CreateFromFile(NetStandardPath) }
                : LoadRuntime();
        }

        private static MetadataReference[] LoadRuntime()
        {
            string tpa = (string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES");
            return tpa.Split(Path.PathSeparator)
                .Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(p) == "netstandard.dll" || Path.GetFileName(p) == "mscorlib.dll")
                .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
                .ToArray();
        }
    }
}
