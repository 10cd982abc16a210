using System;
using System.Collections.Generic;
using System.IO;

namespace Router.Tests.Compatibility
{
    /// <summary>
    /// The public API surface of nanoFramework 1.x, loaded from nanoframework-api.tsv:
    /// one key per line (<c>T:</c> type, <c>M:Type.Name(paramCount)</c> method, <c>P:</c> property,
    /// <c>F:</c> field, <c>E:</c> event), a tab, then the package. Lines starting with '#' are comments.
    /// Overloads collapse to one name and count; operators use symbols (<c>op_==(2)</c>); conversion
    /// operators are listed once as <c>op_Conversion</c> with no parameter count.
    /// </summary>
    public sealed class NanoApiSurface
    {
        public const string DefaultFileName = "nanoframework-api.tsv";

        private readonly Dictionary<string, string> _packages = new Dictionary<string, string>(StringComparer.Ordinal);

        public int Count => _packages.Count;

        public static NanoApiSurface LoadDefault()
        {
            string path = Path.Combine(AppContext.BaseDirectory, "Compatibility", DefaultFileName);
            return Parse(File.ReadAllLines(path));
        }

        public static NanoApiSurface Parse(IEnumerable<string> lines)
        {
            var surface = new NanoApiSurface();
            int lineNumber = 0;
            foreach (string raw in lines)
            {
                lineNumber++;
                string line = raw.TrimEnd('\r');
                if (line.Length == 0 || line[0] == '#')
                {
                    continue;
                }
                int tab = line.IndexOf('\t');
                string key = tab < 0 ? line : line.Substring(0, tab);
                string package = tab < 0 ? "" : line.Substring(tab + 1);
                if (key.Length < 3 || key[1] != ':' || "TMPFE".IndexOf(key[0]) < 0)
                {
                    throw new FormatException("nanoframework-api.tsv line " + lineNumber + ": unrecognised entry '" + line + "'");
                }
                surface._packages[key] = package;
            }
            return surface;
        }

        public bool Contains(string key) => _packages.ContainsKey(key);

        public string PackageOf(string key) => _packages.TryGetValue(key, out string p) ? p : null;

        public bool HasType(string fullName) => Contains("T:" + fullName);

        /// <summary>A method by CLR metadata name (operators as op_Equality etc.) and parameter count.</summary>
        public bool HasMethod(string typeFullName, string metadataName, int parameterCount)
        {
            if (metadataName == "op_Implicit" || metadataName == "op_Explicit")
            {
                return Contains("M:" + typeFullName + ".op_Conversion");
            }
            return Contains(MethodKey(typeFullName, metadataName, parameterCount));
        }

        /// <summary>The TSV key for a method: <c>M:Type.Name(n)</c>, constructors as <c>#ctor</c>, operators as symbols.</summary>
        public static string MethodKey(string typeFullName, string metadataName, int parameterCount)
        {
            if (metadataName == "op_Implicit" || metadataName == "op_Explicit")
            {
                return "M:" + typeFullName + ".op_Conversion";
            }
            return "M:" + typeFullName + "." + TsvMethodName(metadataName) + "(" + parameterCount + ")";
        }

        /// <summary>Maps a CLR method name to the TSV's spelling: .ctor/.cctor to #ctor/#cctor, operator names to their symbols.</summary>
        public static string TsvMethodName(string metadataName)
        {
            switch (metadataName)
            {
                case ".ctor": return "#ctor";
                case ".cctor": return "#cctor";
                case "op_Equality": return "op_==";
                case "op_Inequality": return "op_!=";
                case "op_LessThan": return "op_<";
                case "op_LessThanOrEqual": return "op_<=";
                case "op_GreaterThan": return "op_>";
                case "op_GreaterThanOrEqual": return "op_>=";
                case "op_Addition": return "op_+";
                case "op_UnaryPlus": return "op_+";
                case "op_Subtraction": return "op_-";
                case "op_UnaryNegation": return "op_-";
                case "op_Multiply": return "op_*";
                case "op_Division": return "op_/";
                case "op_Modulus": return "op_%";
                case "op_BitwiseAnd": return "op_&";
                case "op_BitwiseOr": return "op_|";
                case "op_ExclusiveOr": return "op_^";
                case "op_LeftShift": return "op_<<";
                case "op_RightShift": return "op_>>";
                case "op_LogicalNot": return "op_!";
                case "op_OnesComplement": return "op_~";
                case "op_Increment": return "op_++";
                case "op_Decrement": return "op_--";
                case "op_True": return "op_true";
                case "op_False": return "op_false";
                case "op_Implicit":
                case "op_Explicit": return "op_Conversion";
                default: return metadataName;
            }
        }
    }
}
