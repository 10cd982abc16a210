using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace Router.Tests.Compatibility
{
    /// <summary>Formats <see cref="AllocationGateResult"/> for people: counts by owning area, rule and file, then every violation by file and method.</summary>
    public static class NanoAllocationReport
    {
        public static string Summary(AllocationGateResult result)
        {
            var s = new StringBuilder();
            s.AppendLine("nanoCLR allocation gate: " + result.Violations.Count + " violation(s) in "
                + result.Violations.Select(v => v.Method).Distinct().Count() + " method(s); " + result.Reached.Count + " method(s) reached, "
                + result.ExemptReached.Count + " cold path(s) stopped at, " + result.AllowedThrowPaths.Count + " allowed throw-path allocation(s)");
            s.AppendLine("nanoCLR heap if every reported instruction ran once (nanoCLR model, facts §2): " + Bytes(result.Violations));
            s.AppendLine("by area (violations, bytes, rules):");
            foreach (var g in result.Violations.GroupBy(NanoAllocationKnownViolations.AreaOf).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                s.AppendLine("  " + g.Key.PadRight(10) + g.Count().ToString().PadLeft(5) + "   " + Bytes(g) + "   (" + string.Join(", ", g.GroupBy(v => v.Rule).OrderByDescending(r => r.Count()).Select(r => r.Key + " " + r.Count())) + ")");
            }
            s.AppendLine("by rule:");
            foreach (var g in result.Violations.GroupBy(v => v.Rule).OrderByDescending(g => g.Count()))
            {
                s.AppendLine("  " + g.Key.PadRight(22) + g.Count().ToString().PadLeft(5));
            }
            return s.ToString();
        }

        public static string Write(AllocationGateResult result)
        {
            var s = new StringBuilder();
            s.AppendLine(Summary(result));
            s.AppendLine("by file (count, owning areas):");
            var byFile = result.Violations.GroupBy(v => v.File ?? Namespace(v.Method)).OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
            foreach (var g in byFile)
            {
                s.AppendLine("  " + g.Key.PadRight(48) + g.Count().ToString().PadLeft(5) + "   "
                    + string.Join(", ", g.GroupBy(NanoAllocationKnownViolations.AreaOf).OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => a.Key + " " + a.Count())));
            }
            s.AppendLine();
            s.AppendLine("violations (file → method, reached via → instruction):");
            foreach (var file in byFile)
            {
                s.AppendLine();
                s.AppendLine("## " + file.Key + " (" + file.Count() + ")");
                foreach (var method in file.GroupBy(v => v.Method).OrderBy(m => m.Key, StringComparer.Ordinal))
                {
                    s.AppendLine("  " + method.Key + "  (" + method.Count() + ", " + Bytes(method) + ": "
                        + string.Join(", ", method.GroupBy(NanoAllocationKnownViolations.AreaOf).OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => a.Key + " " + a.Count())) + ")");
                    s.AppendLine("    via " + result.PathTo(method.Key));
                    foreach (AllocationViolation v in method.OrderBy(v => v.Offset))
                    {
                        s.AppendLine("    " + v.Where.PadRight(52) + " " + (v.Bytes == null ? "?" : v.Bytes.ToString()).PadLeft(5) + " B  " + v.Rule.PadRight(21) + " " + v.Instruction + " " + v.Detail);
                    }
                }
            }
            s.AppendLine();
            s.AppendLine("cold paths the walk stopped at (NanoAllocationPolicy.ColdPaths):");
            foreach (string m in result.ExemptReached) s.AppendLine("  " + m + "   via " + result.PathTo(m));
            s.AppendLine();
            s.AppendLine("allowed throw paths (NanoAllocationPolicy.AllowedThrows):");
            foreach (AllocationViolation v in result.AllowedThrowPaths) s.AppendLine("  " + v);
            s.AppendLine();
            s.AppendLine("calls with no implementation in the analysed assemblies (devices implemented outside them; not walked):");
            foreach (string u in result.Unresolved) s.AppendLine("  " + u);
            s.AppendLine();
            s.AppendLine("the violations as NanoAllocationKnownViolations.Entries lines (area | method | rule detail):");
            foreach (string line in result.Violations.Select(NanoAllocationKnownViolations.Line).OrderBy(l => l, StringComparer.Ordinal))
            {
                s.AppendLine("            \"" + line.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\",");
            }
            s.AppendLine();
            s.AppendLine("methods reached (" + result.Reached.Count + "):");
            foreach (string m in result.Reached.Keys) s.AppendLine("  " + m);
            return s.ToString();
        }

        /// <summary>Known bytes, plus how many violations have no static size (framework objects, computed array lengths).</summary>
        public static string Bytes(IEnumerable<AllocationViolation> violations)
        {
            int known = 0, unknown = 0;
            foreach (AllocationViolation v in violations)
            {
                if (v.Bytes == null) unknown++;
                else known += v.Bytes.Value;
            }
            return known + " B" + (unknown > 0 ? " + " + unknown + " of unknown size" : "");
        }

        internal static string Namespace(string method)
        {
            string type = method.Substring(0, method.IndexOf("::", StringComparison.Ordinal));
            int dot = type.LastIndexOf('.');
            return dot < 0 ? "(global)" : type.Substring(0, dot);
        }
    }
}
