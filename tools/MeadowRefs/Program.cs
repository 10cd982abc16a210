using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using NanoRefs;

namespace MeadowRefs
{
    /// <summary>
    /// Writes reference-assembly sources for the part of the Meadow SDK that boards/meadow uses: for each line of
    /// surface.txt, the listed type's declaration is read from the SDK's sources (git snapshots, as the search tool's
    /// fetch lays them out), reduced to the listed members and bases, bodies removed (class members become extern), and
    /// written to tools/MeadowCompile/Refs/&lt;assembly&gt;/&lt;assembly&gt;.api with the repository and commit it came from.
    /// Usage: dotnet run --project tools/MeadowRefs -- &lt;snapshots folder, e.g. /work/.mirror&gt;
    /// </summary>
    public static class Program
    {
        public static int Main(string[] args)
        {
            if (args.Length != 1)
            {
                Console.Error.WriteLine("usage: MeadowRefs <snapshots folder (owner+name/repo git directories)>");
                return 2;
            }
            string root = FindRepoRoot();
            List<Entry> entries = Entry.Load(Path.Combine(root, "tools", "MeadowRefs", "surface.txt"));
            var snapshots = new Dictionary<string, GitSnapshot>();
            var namespaces = new HashSet<string>(StringComparer.Ordinal);
            var declared = new List<(Entry Entry, string Namespace, string Text, string Commit)>();
            foreach (Entry e in entries)
            {
                if (!snapshots.TryGetValue(e.Repository, out GitSnapshot snapshot))
                {
                    snapshot = new GitSnapshot(Path.Combine(args[0], e.Repository.Replace('/', '+'), "repo"));
                    snapshots[e.Repository] = snapshot;
                }
                CompilationUnitSyntax unit = CSharpSyntaxTree.ParseText(snapshot.ReadFile(e.File)).GetCompilationUnitRoot();
                string[] path = e.Type.Split('.');
                BaseTypeDeclarationSyntax type = FindType(unit.DescendantNodes().OfType<BaseTypeDeclarationSyntax>(), path[0]);
                var outers = new List<BaseTypeDeclarationSyntax>();
                for (int i = 1; i < path.Length; i++)
                {
                    outers.Add(type);
                    type = FindType(type.ChildNodes().OfType<BaseTypeDeclarationSyntax>(), path[i]);
                }
                string ns = type.Ancestors().OfType<BaseNamespaceDeclarationSyntax>().First().Name.ToString();
                namespaces.Add(ns);
                var text = new StringBuilder();
                foreach (BaseTypeDeclarationSyntax outer in outers) text.Append(Header(outer, e, outer: true)).Append("\n{\n");
                text.Append(Reduce(type, e));
                foreach (BaseTypeDeclarationSyntax _ in outers) text.Append("\n}");
                declared.Add((e, ns, text.ToString(), snapshot.Commit));
                foreach (UsingDirectiveSyntax u in unit.DescendantNodes().OfType<UsingDirectiveSyntax>()) e.Usings.Add(u); // file-level or in the namespace
            }

            string refs = Path.Combine(root, "tools", "MeadowCompile", "Refs");
            List<string> assemblies = entries.Select(e => e.Assembly).Distinct().ToList();
            for (int a = 0; a < assemblies.Count; a++)
            {
                string assembly = assemblies[a];
                var mine = declared.Where(d => d.Entry.Assembly == assembly).ToList();
                var s = new StringBuilder();
                s.Append("// The Meadow SDK signatures boards/meadow uses, extracted by tools/MeadowRefs (do not edit; see docs/meadow.md).\n");
                foreach (string source in mine.Select(d => "github:" + d.Entry.Repository + " @ " + d.Commit).Distinct()) s.Append("// source: " + source + "\n");
                foreach (string file in mine.Select(d => d.Entry.File).Distinct()) s.Append("//   " + file + "\n");
                s.Append("#nullable enable\n");
                IEnumerable<string> usings = mine.SelectMany(d => d.Entry.Usings)
                    .Where(u => u.StaticKeyword.IsKind(SyntaxKind.None) && u.Alias == null)
                    .Select(u => u.Name.ToString())
                    .Where(n => n == "System" || n.StartsWith("System.", StringComparison.Ordinal) || namespaces.Contains(n))
                    .Distinct().OrderBy(n => n, StringComparer.Ordinal);
                foreach (string u in usings) s.Append("using " + u + ";\n");
                foreach (var group in mine.GroupBy(d => d.Namespace))
                {
                    s.Append("\nnamespace " + group.Key + "\n{\n");
                    foreach (var d in group) s.Append(d.Text).Append('\n');
                    s.Append("}\n");
                }
                string folder = Path.Combine(refs, assembly);
                Directory.CreateDirectory(folder);
                File.WriteAllText(Path.Combine(folder, assembly + ".api"), s.ToString());
                File.WriteAllText(Path.Combine(folder, assembly + ".csproj"), Project(assembly, assemblies.Take(a)));
                Console.WriteLine(assembly + ": " + mine.Count + " declarations");
            }
            return 0;
        }

        private static BaseTypeDeclarationSyntax FindType(IEnumerable<BaseTypeDeclarationSyntax> types, string name) =>
            types.FirstOrDefault(t => t.Identifier.Text == name) ?? throw new InvalidOperationException("type " + name + " not found");

        /// <summary>The declaration with only the listed members (bodies removed) and bases; enums whole.</summary>
        private static string Reduce(BaseTypeDeclarationSyntax type, Entry e)
        {
            if (type is EnumDeclarationSyntax en)
            {
                return NoComments(en).NormalizeWhitespace().ToFullString();
            }
            var t = (TypeDeclarationSyntax)type;
            bool isInterface = t is InterfaceDeclarationSyntax;
            var members = new List<string>();
            foreach (MemberDeclarationSyntax m in t.Members)
            {
                if (!IsPublicOrProtected(m, isInterface) || !e.Keeps(m)) continue;
                members.Add(Strip(m, isInterface));
            }
            return Header(t, e, outer: false) + "\n{\n" + string.Join("\n", members) + "\n}";
        }

        private static string Header(BaseTypeDeclarationSyntax type, Entry e, bool outer)
        {
            var h = new StringBuilder();
            h.Append(string.Join(" ", type.Modifiers.Select(m => m.Text)));
            h.Append(' ').Append(((TypeDeclarationSyntax)type).Keyword.Text).Append(' ').Append(type.Identifier.Text);
            var t = (TypeDeclarationSyntax)type;
            if (t.TypeParameterList != null) h.Append(t.TypeParameterList.ToString().Trim());
            if (!outer && type.BaseList != null)
            {
                string[] bases = type.BaseList.Types.Select(b => b.Type.ToString()).Where(b => e.Bases.Contains(BaseName(b))).ToArray();
                if (bases.Length > 0) h.Append(" : ").Append(string.Join(", ", bases));
            }
            foreach (TypeParameterConstraintClauseSyntax c in t.ConstraintClauses) h.Append(' ').Append(c.WithoutTrivia().NormalizeWhitespace().ToString());
            return h.ToString();
        }

        private static string BaseName(string b)
        {
            int lt = b.IndexOf('<');
            string n = lt < 0 ? b : b.Substring(0, lt);
            return n.Substring(n.LastIndexOf('.') + 1);
        }

        private static bool IsPublicOrProtected(MemberDeclarationSyntax m, bool isInterface)
        {
            if (m.Modifiers.Any(SyntaxKind.PublicKeyword) || m.Modifiers.Any(SyntaxKind.ProtectedKeyword)) return true;
            return isInterface && !m.Modifiers.Any(SyntaxKind.PrivateKeyword) && !m.Modifiers.Any(SyntaxKind.InternalKeyword);
        }

        /// <summary>A member's signature without body, initializer, attributes or comments; class members become extern.</summary>
        private static string Strip(MemberDeclarationSyntax m, bool isInterface)
        {
            m = m.WithAttributeLists(default);
            bool makeExtern = !isInterface && !m.Modifiers.Any(SyntaxKind.AbstractKeyword);
            switch (m)
            {
                case MethodDeclarationSyntax method:
                    method = method.WithBody(null).WithExpressionBody(null).WithSemicolonToken(SyntaxFactory.Token(SyntaxKind.SemicolonToken));
                    return Line(makeExtern ? AddExtern(method) : method);
                case ConstructorDeclarationSyntax ctor:
                    ctor = ctor.WithBody(null).WithExpressionBody(null).WithInitializer(null).WithSemicolonToken(SyntaxFactory.Token(SyntaxKind.SemicolonToken));
                    return Line(AddExtern(ctor));
                case PropertyDeclarationSyntax property:
                    AccessorListSyntax accessors = property.AccessorList == null
                        ? SyntaxFactory.AccessorList(SyntaxFactory.SingletonList(Accessor(SyntaxKind.GetAccessorDeclaration, default)))
                        : SyntaxFactory.AccessorList(SyntaxFactory.List(property.AccessorList.Accessors
                            .Where(a => !a.Modifiers.Any(SyntaxKind.PrivateKeyword) && !a.Modifiers.Any(SyntaxKind.InternalKeyword))
                            .Select(a => Accessor(a.Kind(), a.Modifiers))));
                    property = property.WithExpressionBody(null).WithInitializer(null).WithSemicolonToken(default).WithAccessorList(accessors);
                    return Line(makeExtern ? AddExtern(property) : property);
                case EventFieldDeclarationSyntax ev:
                    return Line(ev);
                case EnumDeclarationSyntax en:
                    return Line(en);
                default:
                    throw new NotSupportedException("member kind " + m.Kind() + ": " + m.ToString().Split('\n')[0]);
            }
        }

        private static AccessorDeclarationSyntax Accessor(SyntaxKind kind, SyntaxTokenList modifiers) =>
            SyntaxFactory.AccessorDeclaration(kind).WithModifiers(modifiers).WithSemicolonToken(SyntaxFactory.Token(SyntaxKind.SemicolonToken));

        private static T AddExtern<T>(T m) where T : MemberDeclarationSyntax =>
            (T)m.AddModifiers(SyntaxFactory.Token(SyntaxKind.ExternKeyword));

        private static string Line(SyntaxNode n) => "    " + NoComments(n).NormalizeWhitespace(eol: " ").ToFullString().Replace("\r", "");

        /// <summary>The node with every comment and directive inside it gone (only declarations are data).</summary>
        private static SyntaxNode NoComments(SyntaxNode n) =>
            n.ReplaceTrivia(n.DescendantTrivia(descendIntoTrivia: false), (_, _) => SyntaxFactory.Space).WithoutTrivia();

        private static string Project(string assembly, IEnumerable<string> dependencies)
        {
            var p = new StringBuilder();
            p.Append("<Project Sdk=\"Microsoft.NET.Sdk\">\n");
            p.Append("  <!-- Generated by tools/MeadowRefs: reference assembly " + assembly + " from the signatures in " + assembly + ".api. -->\n");
            p.Append("  <Import Project=\"../MeadowRef.props\" />\n");
            List<string> deps = dependencies.ToList();
            if (deps.Count > 0)
            {
                p.Append("  <ItemGroup>\n");
                foreach (string d in deps) p.Append("    <ProjectReference Include=\"../" + d + "/" + d + ".csproj\" />\n");
                p.Append("  </ItemGroup>\n");
            }
            p.Append("</Project>\n");
            return p.ToString();
        }

        private static string FindRepoRoot()
        {
            string dir = AppContext.BaseDirectory;
            while (dir != null && !File.Exists(Path.Combine(dir, "Router.sln"))) dir = Path.GetDirectoryName(dir);
            return dir ?? throw new InvalidOperationException("Router.sln not found above " + AppContext.BaseDirectory);
        }
    }

    /// <summary>One line of surface.txt.</summary>
    public sealed class Entry
    {
        public string Assembly, Repository, File, Type;
        public readonly HashSet<string> Members = new HashSet<string>(StringComparer.Ordinal);
        public readonly HashSet<string> Bases = new HashSet<string>(StringComparer.Ordinal);
        public readonly List<UsingDirectiveSyntax> Usings = new List<UsingDirectiveSyntax>();

        public static List<Entry> Load(string path)
        {
            var list = new List<Entry>();
            foreach (string raw in System.IO.File.ReadAllLines(path))
            {
                string line = raw.Trim();
                if (line.Length == 0 || line[0] == '#') continue;
                string[] f = line.Split((char[])null, StringSplitOptions.RemoveEmptyEntries);
                var e = new Entry { Assembly = f[0], Repository = f[1], File = Uri.UnescapeDataString(f[2]), Type = f[3] };
                foreach (string m in f.Skip(4))
                {
                    if (m[0] == ':') e.Bases.Add(m.Substring(1));
                    else e.Members.Add(m);
                }
                list.Add(e);
            }
            return list;
        }

        /// <summary>True when the member is listed by name (every overload) or by name and parameter types.</summary>
        public bool Keeps(MemberDeclarationSyntax m)
        {
            string name;
            BaseParameterListSyntax parameters = null;
            switch (m)
            {
                case MethodDeclarationSyntax x: name = x.Identifier.Text; parameters = x.ParameterList; break;
                case ConstructorDeclarationSyntax x: name = x.Identifier.Text; parameters = x.ParameterList; break;
                case PropertyDeclarationSyntax x: name = x.Identifier.Text; break;
                case EventFieldDeclarationSyntax x: name = x.Declaration.Variables[0].Identifier.Text; break;
                case BaseTypeDeclarationSyntax x: name = x.Identifier.Text; break;
                default: return false;
            }
            if (Members.Contains(name)) return true;
            if (parameters == null) return false;
            return Members.Contains(name + "(" + string.Join(",", parameters.Parameters.Select(p => p.Type.ToString())) + ")");
        }
    }
}
