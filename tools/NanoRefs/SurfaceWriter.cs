using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace NanoRefs
{
    /// <summary>
    /// Writes an assembly's public and protected API as C# declarations without bodies: every method, constructor, operator,
    /// property and indexer is <c>extern</c> (no body to copy, as nanoFramework's own native methods), abstract and interface
    /// members stay as they are, constants and enum members keep their values, and every type is named in full
    /// (<c>global::</c>), so the file compiles into a reference assembly with the same signatures and nothing else.
    /// No comment, attribute or statement of the source is carried over, except the few attributes that change what a
    /// caller can compile: [Flags], [IndexerName] and the ParamArray and extension markers (written as params and this).
    /// </summary>
    public static class SurfaceWriter
    {
        private static readonly SymbolDisplayFormat TypeName = new SymbolDisplayFormat(
            globalNamespaceStyle: SymbolDisplayGlobalNamespaceStyle.Included,
            typeQualificationStyle: SymbolDisplayTypeQualificationStyle.NameAndContainingTypesAndNamespaces,
            genericsOptions: SymbolDisplayGenericsOptions.IncludeTypeParameters,
            miscellaneousOptions: SymbolDisplayMiscellaneousOptions.UseSpecialTypes | SymbolDisplayMiscellaneousOptions.EscapeKeywordIdentifiers);

        public static string Write(IAssemblySymbol assembly, Library library, string commit)
        {
            var text = new StringBuilder();
            text.Append("// Public signatures of nanoFramework's ").Append(library.Assembly).Append(", extracted by tools/NanoRefs (do not edit; see docs/nanoframework-compile.md).\n");
            text.Append("// source: github:").Append(library.Repository).Append(" @ ").Append(commit).Append(", files listed in ").Append(library.ProjectFile).Append('\n');
            text.Append("// references: mscorlib (nanoFramework.CoreLibrary 1.17.11)");
            foreach (string d in library.Dependencies) text.Append(", ").Append(d);
            text.Append('\n');

            var byNamespace = new SortedDictionary<string, List<INamedTypeSymbol>>(StringComparer.Ordinal);
            foreach (INamedTypeSymbol type in AllTypes(assembly.GlobalNamespace).Where(t => t.DeclaredAccessibility == Accessibility.Public))
            {
                string ns = type.ContainingNamespace.IsGlobalNamespace ? "" : type.ContainingNamespace.ToDisplayString();
                if (!byNamespace.TryGetValue(ns, out List<INamedTypeSymbol> list)) byNamespace[ns] = list = new List<INamedTypeSymbol>();
                list.Add(type);
            }
            foreach (KeyValuePair<string, List<INamedTypeSymbol>> ns in byNamespace)
            {
                string indent = ns.Key.Length == 0 ? "" : "    ";
                text.Append('\n');
                if (ns.Key.Length > 0) text.Append("namespace ").Append(ns.Key).Append("\n{\n");
                foreach (INamedTypeSymbol type in ns.Value.OrderBy(t => t.MetadataName, StringComparer.Ordinal)) WriteType(text, type, indent);
                if (ns.Key.Length > 0) text.Append("}\n");
            }
            return text.ToString();
        }

        private static IEnumerable<INamedTypeSymbol> AllTypes(INamespaceSymbol ns)
        {
            foreach (INamedTypeSymbol t in ns.GetTypeMembers()) yield return t;
            foreach (INamespaceSymbol child in ns.GetNamespaceMembers())
                foreach (INamedTypeSymbol t in AllTypes(child)) yield return t;
        }

        /// <summary>What code outside the assembly can see or must match: public, protected and protected internal.</summary>
        private static bool Visible(ISymbol s)
        {
            switch (s.DeclaredAccessibility)
            {
                case Accessibility.Public: return true;
                case Accessibility.Protected:
                case Accessibility.ProtectedOrInternal: return true;
                default: return false;
            }
        }

        private static string Access(ISymbol s) => s.DeclaredAccessibility == Accessibility.Public ? "public" : "protected";

        private static string Name(ITypeSymbol t) => t.ToDisplayString(TypeName);

        private static void WriteType(StringBuilder text, INamedTypeSymbol type, string indent)
        {
            if (type.TypeKind == TypeKind.Delegate)
            {
                IMethodSymbol invoke = type.DelegateInvokeMethod;
                text.Append(indent).Append(Access(type)).Append(" delegate ").Append(Name(invoke.ReturnType)).Append(' ')
                    .Append(type.Name).Append('(').Append(Parameters(invoke)).Append(");\n");
                return;
            }

            var header = new StringBuilder(indent);
            if (type.TypeKind == TypeKind.Enum && type.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == "System.FlagsAttribute"))
            {
                text.Append(indent).Append("[global::System.Flags]\n");
            }
            text.Append(Obsolete(type, indent));
            header.Append(Access(type));
            switch (type.TypeKind)
            {
                case TypeKind.Class:
                    if (type.IsStatic) header.Append(" static");
                    else if (type.IsAbstract) header.Append(" abstract");
                    else if (type.IsSealed) header.Append(" sealed");
                    header.Append(" class ");
                    break;
                case TypeKind.Struct:
                    if (type.IsReadOnly) header.Append(" readonly");
                    if (type.IsRefLikeType) header.Append(" ref");
                    header.Append(" struct ");
                    break;
                case TypeKind.Interface: header.Append(" interface "); break;
                case TypeKind.Enum: header.Append(" enum "); break;
                default: throw new NotSupportedException(type + ": " + type.TypeKind);
            }
            header.Append(type.Name);

            var bases = new List<string>();
            if (type.TypeKind == TypeKind.Enum)
            {
                if (type.EnumUnderlyingType.SpecialType != SpecialType.System_Int32) bases.Add(Name(type.EnumUnderlyingType));
            }
            else
            {
                if (type.TypeKind == TypeKind.Class && type.BaseType != null && type.BaseType.SpecialType != SpecialType.System_Object
                    && type.BaseType.DeclaredAccessibility == Accessibility.Public)
                {
                    bases.Add(Name(type.BaseType));
                }
                bases.AddRange(type.Interfaces.Where(i => i.DeclaredAccessibility == Accessibility.Public).Select(Name));
            }
            if (bases.Count > 0) header.Append(" : ").Append(string.Join(", ", bases));
            text.Append(header).Append('\n').Append(indent).Append("{\n");

            string inner = indent + "    ";
            if (type.TypeKind == TypeKind.Enum)
            {
                foreach (IFieldSymbol f in type.GetMembers().OfType<IFieldSymbol>().Where(f => f.HasConstantValue))
                {
                    text.Append(inner).Append(Escape(f.Name)).Append(" = ").Append(Integer(f.ConstantValue)).Append(",\n");
                }
            }
            else
            {
                WriteMembers(text, type, inner);
                foreach (INamedTypeSymbol nested in type.GetTypeMembers().Where(Visible).OrderBy(t => t.MetadataName, StringComparer.Ordinal))
                {
                    WriteType(text, nested, inner);
                }
            }
            text.Append(indent).Append("}\n");
        }

        private static void WriteMembers(StringBuilder text, INamedTypeSymbol type, string indent)
        {
            bool isInterface = type.TypeKind == TypeKind.Interface;
            bool hasVisibleConstructor = false;

            // A struct's private fields decide whether callers may use it unassigned and whether it is unmanaged: keep
            // one placeholder of each kind the real struct has.
            if (type.TypeKind == TypeKind.Struct)
            {
                IFieldSymbol[] hidden = type.GetMembers().OfType<IFieldSymbol>().Where(f => !f.IsStatic && !f.IsConst && !Visible(f)).ToArray();
                if (hidden.Any(f => f.Type.IsValueType)) text.Append(indent).Append("private readonly int _value;\n");
                if (hidden.Any(f => !f.Type.IsValueType)) text.Append(indent).Append("private readonly object _reference;\n");
            }

            foreach (ISymbol member in type.GetMembers())
            {
                bool explicitImplementation = IsExplicitImplementation(member);
                if (!explicitImplementation && (!Visible(member) || (member.IsImplicitlyDeclared && !(member is IMethodSymbol { MethodKind: MethodKind.Constructor }))))
                {
                    continue;
                }
                text.Append(Obsolete(member, indent));
                switch (member)
                {
                    case IFieldSymbol field:
                        text.Append(indent).Append(Access(field));
                        if (field.IsConst) text.Append(" const ");
                        else
                        {
                            if (field.IsStatic) text.Append(" static");
                            if (field.IsReadOnly) text.Append(" readonly");
                            text.Append(' ');
                        }
                        text.Append(Name(field.Type)).Append(' ').Append(Escape(field.Name));
                        if (field.IsConst) text.Append(" = ").Append(Literal(field.ConstantValue, field.Type));
                        text.Append(";\n");
                        break;

                    case IPropertySymbol property:
                        text.Append(indent);
                        if (property.IsIndexer && property.MetadataName != "Item")
                        {
                            text.Append("[global::System.Runtime.CompilerServices.IndexerName(\"").Append(property.MetadataName).Append("\")] ");
                        }
                        text.Append(Modifiers(property, isInterface, explicitImplementation)).Append(Name(property.Type)).Append(' ');
                        if (explicitImplementation) text.Append(Name(property.ExplicitInterfaceImplementations[0].ContainingType)).Append('.');
                        if (property.IsIndexer) text.Append("this[").Append(Parameters(property.Parameters, false)).Append(']');
                        else text.Append(Escape(explicitImplementation ? property.ExplicitInterfaceImplementations[0].Name : property.Name));
                        text.Append(" {");
                        AppendAccessor(text, property, property.GetMethod, "get", explicitImplementation);
                        AppendAccessor(text, property, property.SetMethod, "set", explicitImplementation);
                        text.Append(" }\n");
                        break;

                    case IEventSymbol evt:
                        if (explicitImplementation) break; // an explicit event needs accessor bodies; none of the libraries has one
                        text.Append(indent).Append(Modifiers(evt, isInterface, false).Replace("extern ", "")).Append("event ")
                            .Append(Name(evt.Type)).Append(' ').Append(Escape(evt.Name)).Append(";\n");
                        break;

                    case IMethodSymbol method:
                        switch (method.MethodKind)
                        {
                            case MethodKind.Constructor:
                                if (method.IsImplicitlyDeclared)
                                {
                                    // The compiler's default constructor of a public class is public: write it, since the
                                    // surface's own default would not exist once another constructor is written.
                                    if (type.TypeKind == TypeKind.Class && Visible(method)) { text.Append(indent).Append(Access(method)).Append(" extern ").Append(type.Name).Append("();\n"); hasVisibleConstructor = true; }
                                    break;
                                }
                                if (type.TypeKind == TypeKind.Struct && method.Parameters.Length == 0) break;
                                text.Append(indent).Append(Access(method)).Append(" extern ").Append(type.Name)
                                    .Append('(').Append(Parameters(method)).Append(");\n");
                                hasVisibleConstructor = true;
                                break;
                            case MethodKind.Ordinary:
                            case MethodKind.ExplicitInterfaceImplementation:
                                text.Append(indent).Append(Modifiers(method, isInterface, explicitImplementation)).Append(Name(method.ReturnType)).Append(' ');
                                if (explicitImplementation) text.Append(Name(method.ExplicitInterfaceImplementations[0].ContainingType)).Append('.')
                                    .Append(Escape(method.ExplicitInterfaceImplementations[0].Name));
                                else text.Append(Escape(method.Name));
                                text.Append('(').Append(Parameters(method)).Append(");\n");
                                break;
                            case MethodKind.UserDefinedOperator:
                                text.Append(indent).Append("public static extern ").Append(Name(method.ReturnType)).Append(" operator ")
                                    .Append(OperatorToken(method.MetadataName)).Append('(').Append(Parameters(method)).Append(");\n");
                                break;
                            case MethodKind.Conversion:
                                text.Append(indent).Append("public static extern ").Append(method.MetadataName == "op_Implicit" ? "implicit" : "explicit")
                                    .Append(" operator ").Append(Name(method.ReturnType)).Append('(').Append(Parameters(method)).Append(");\n");
                                break;
                        }
                        break;
                }
            }

            // A class whose constructors are all hidden cannot be created or derived from outside; without this line the
            // surface would get a public default constructor.
            if (type.TypeKind == TypeKind.Class && !type.IsStatic && !hasVisibleConstructor)
            {
                text.Append(indent).Append("private extern ").Append(type.Name).Append("();\n");
            }
        }

        /// <summary>[Obsolete] as declared: callers get the same warning (an error here) or error as from the library.</summary>
        private static string Obsolete(ISymbol symbol, string indent)
        {
            AttributeData obsolete = symbol.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == "System.ObsoleteAttribute");
            if (obsolete == null) return "";
            var args = obsolete.ConstructorArguments.Select(a => a.Value is string s ? SymbolDisplay.FormatLiteral(s, true) : a.Value is bool b ? (b ? "true" : "false") : "null");
            return indent + "[global::System.Obsolete(" + string.Join(", ", args) + ")]\n";
        }

        private static bool IsExplicitImplementation(ISymbol member)
        {
            ISymbol implemented = member switch
            {
                IMethodSymbol m when m.MethodKind == MethodKind.ExplicitInterfaceImplementation => m.ExplicitInterfaceImplementations.FirstOrDefault(),
                IPropertySymbol p => p.ExplicitInterfaceImplementations.FirstOrDefault(),
                IEventSymbol e => e.ExplicitInterfaceImplementations.FirstOrDefault(),
                _ => null,
            };
            return implemented != null && implemented.ContainingType.DeclaredAccessibility == Accessibility.Public;
        }

        private static string Modifiers(ISymbol member, bool inInterface, bool explicitImplementation)
        {
            if (inInterface) return "";
            if (explicitImplementation) return "extern ";
            var m = new StringBuilder(Access(member)).Append(' ');
            if (member.IsStatic) m.Append("static ");
            if (member.IsAbstract) return m.Append(member.IsOverride ? "abstract override " : "abstract ").ToString();
            if (member.IsOverride) m.Append(member.IsSealed ? "sealed override " : "override ");
            else if (member.IsVirtual) m.Append("virtual ");
            return m.Append("extern ").ToString();
        }

        private static void AppendAccessor(StringBuilder text, IPropertySymbol property, IMethodSymbol accessor, string keyword, bool explicitImplementation)
        {
            if (accessor == null) return;
            if (!explicitImplementation && !Visible(accessor)) return;
            text.Append(' ');
            if (!explicitImplementation && accessor.DeclaredAccessibility != property.DeclaredAccessibility) text.Append(Access(accessor)).Append(' ');
            text.Append(keyword).Append(';');
        }

        private static string Parameters(IMethodSymbol method) => Parameters(method.Parameters, method.IsExtensionMethod);

        private static string Parameters(IEnumerable<IParameterSymbol> parameters, bool extension)
        {
            var list = new List<string>();
            foreach (IParameterSymbol p in parameters)
            {
                var s = new StringBuilder();
                if (extension && p.Ordinal == 0) s.Append("this ");
                switch (p.RefKind)
                {
                    case RefKind.Ref: s.Append("ref "); break;
                    case RefKind.Out: s.Append("out "); break;
                    case RefKind.In: s.Append("in "); break;
                }
                if (p.IsParams) s.Append("params ");
                s.Append(Name(p.Type)).Append(' ').Append(Escape(p.Name));
                if (p.HasExplicitDefaultValue) s.Append(" = ").Append(Literal(p.ExplicitDefaultValue, p.Type));
                list.Add(s.ToString());
            }
            return string.Join(", ", list);
        }

        private static string Escape(string identifier) =>
            SyntaxFacts.GetKeywordKind(identifier) != SyntaxKind.None ? "@" + identifier : identifier;

        private static string Literal(object value, ITypeSymbol type)
        {
            if (value == null) return type.IsValueType ? "default(" + Name(type) + ")" : "null";
            if (type.TypeKind == TypeKind.Enum) return "(" + Name(type) + ")(" + Literal(value, ((INamedTypeSymbol)type).EnumUnderlyingType) + ")";
            switch (value)
            {
                case string s: return SymbolDisplay.FormatLiteral(s, true);
                case char c: return SymbolDisplay.FormatLiteral(c, true);
                case bool b: return b ? "true" : "false";
                case double d: return Floating(d, "double");
                case float f: return Floating(f, "float");
                case decimal m: return m.ToString(CultureInfo.InvariantCulture) + "m";
                case long l when l == long.MinValue: return "long.MinValue";
                case int i: return Integer(i);
                default: return "(" + Name(type) + ")(" + Integer(value) + ")";
            }
        }

        private static string Integer(object value) => Convert.ToString(value, CultureInfo.InvariantCulture);

        private static string Floating(double value, string keyword)
        {
            if (double.IsNaN(value)) return keyword + ".NaN";
            if (double.IsPositiveInfinity(value)) return keyword + ".PositiveInfinity";
            if (double.IsNegativeInfinity(value)) return keyword + ".NegativeInfinity";
            string digits = value.ToString("R", CultureInfo.InvariantCulture);
            if (digits.IndexOfAny(new[] { '.', 'E' }) < 0) digits += ".0";
            return "(" + keyword + ")(" + digits + ")";
        }

        private static string OperatorToken(string metadataName)
        {
            switch (metadataName)
            {
                case "op_Addition": case "op_UnaryPlus": return "+";
                case "op_Subtraction": case "op_UnaryNegation": return "-";
                case "op_Multiply": return "*";
                case "op_Division": return "/";
                case "op_Modulus": return "%";
                case "op_Equality": return "==";
                case "op_Inequality": return "!=";
                case "op_LessThan": return "<";
                case "op_GreaterThan": return ">";
                case "op_LessThanOrEqual": return "<=";
                case "op_GreaterThanOrEqual": return ">=";
                case "op_BitwiseAnd": return "&";
                case "op_BitwiseOr": return "|";
                case "op_ExclusiveOr": return "^";
                case "op_LeftShift": return "<<";
                case "op_RightShift": return ">>";
                case "op_LogicalNot": return "!";
                case "op_OnesComplement": return "~";
                case "op_Increment": return "++";
                case "op_Decrement": return "--";
                case "op_True": return "true";
                case "op_False": return "false";
                default: throw new NotSupportedException(metadataName);
            }
        }
    }
}
