using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Xml.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace NanoRefs
{
    /// <summary>Compiles a library's sources (its .nfproj's Compile items) and the extracted signatures.</summary>
    public static class SourceCompiler
    {
        public static Compilation Compile(Library library, GitSnapshot snapshot, IEnumerable<MetadataReference> references, out int errors)
        {
            XDocument project = XDocument.Parse(snapshot.ReadFile(library.ProjectFile));
            string projectDir = Path.GetDirectoryName(library.ProjectFile).Replace('\\', '/');
            var trees = new List<SyntaxTree>();
            foreach (XElement compile in project.Descendants().Where(e => e.Name.LocalName == "Compile"))
            {
                string include = (string)compile.Attribute("Include");
                if (include == null) continue;
                string path = (projectDir.Length > 0 ? projectDir + "/" : "") + include.Replace('\\', '/');
                trees.Add(CSharpSyntaxTree.ParseText(snapshot.ReadFile(path), new CSharpParseOptions(LanguageVersion.Latest), path));
            }
            if (trees.Count == 0) throw new InvalidOperationException(library.ProjectFile + " lists no source files");

            Compilation compilation = CSharpCompilation.Create(library.Assembly, trees, references,
                new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true));
            // A library's own compile may miss what only its build adds (e.g. native stubs); its public surface must still
            // bind: errors are reported, and a signature naming a type that did not bind makes the surface compile fail.
            // CS0281: the libraries are strong-named friends of mscorlib and use its internals in method bodies; this compile
            // has no key, and bodies do not matter here.
            Diagnostic[] found = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error && d.Id != "CS0281").ToArray();
            foreach (Diagnostic d in found.Take(20)) Console.Error.WriteLine(library.Assembly + ": " + d);
            errors = found.Length;
            return compilation;
        }

        public static byte[] CompileSurface(string assembly, string surface, IEnumerable<MetadataReference> references, out IReadOnlyList<string> errors)
        {
            SyntaxTree tree = CSharpSyntaxTree.ParseText(surface, new CSharpParseOptions(LanguageVersion.CSharp7_3), assembly + ".api");
            Compilation compilation = CSharpCompilation.Create(assembly, new[] { tree }, references,
                new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true));
            using (var stream = new MemoryStream())
            {
                var result = compilation.Emit(stream);
                errors = result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.ToString()).ToArray();
                return stream.ToArray();
            }
        }
    }
}
