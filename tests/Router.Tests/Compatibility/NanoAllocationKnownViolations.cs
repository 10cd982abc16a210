using System;
using System.Collections.Generic;
using System.Linq;

namespace Router.Tests.Compatibility
{
    /// <summary>
    /// TEMPORARY: allocations on the per-frame and per-tick paths that are real, known, and owned by work in progress.
    /// <see cref="NanoAllocationFirmwareTests"/> checks this list EXACTLY: a violation not listed fails, and a listed one
    /// that no longer occurs fails too, so the list only shrinks. When your change removes violations, delete their
    /// lines (the failure message names them; the report in the test output has the current list ready to paste).
    /// This is not an exemption list: cold paths go in <see cref="NanoAllocationPolicy.ColdPaths"/>, with a reason.
    /// </summary>
    public static class NanoAllocationKnownViolations
    {
        /// <summary>Rules that come from struct values: the views branch turns every struct view and its users into static accessors.</summary>
        private static readonly string[] StructRules = { "struct-local", "struct-load", "struct-arg", "struct-return" };

        /// <summary>Owning area of other violations by source path prefix (first match wins); anything else is "ilgate".</summary>
        public static readonly (string Prefix, string Area)[] Areas =
        {
            ("firmware/Wire/", "views"),
            ("firmware/Ip/ParsedPacket.cs", "views"),
            ("firmware/DataPlane.cs", "views"),
            ("firmware/Web/", "tcp"),
            ("firmware/Nat/", "harden"),
            ("firmware/Conntrack/", "harden"),
            ("firmware/Helpers/", "harden"),
        };

        public static string AreaOf(AllocationViolation v)
        {
            if (Array.IndexOf(StructRules, v.Rule) >= 0 || (v.Rule == "newobj" && v.Detail.EndsWith("(struct)", StringComparison.Ordinal))) return "views";
            string file = v.File ?? "";
            foreach ((string prefix, string area) in Areas)
            {
                if (file.StartsWith(prefix, StringComparison.Ordinal)) return area;
            }
            return "ilgate";
        }

        /// <summary>The list line for a violation: "area | method | rule detail".</summary>
        public static string Line(AllocationViolation v) => AreaOf(v) + " | " + v.Key;

        /// <summary>
        /// Compares the list with what the gate found, as multisets: <c>Unlisted</c> occur but are not listed (new
        /// violations: fix them), <c>Gone</c> are listed but no longer occur (progress: delete those lines).
        /// </summary>
        public static (List<string> Unlisted, List<string> Gone) Diff(IEnumerable<string> listed, IEnumerable<AllocationViolation> found)
        {
            var remaining = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (string line in listed) remaining[line] = remaining.TryGetValue(line, out int n) ? n + 1 : 1;
            var unlisted = new List<string>();
            foreach (string line in found.Select(Line))
            {
                if (remaining.TryGetValue(line, out int n) && n > 0) remaining[line] = n - 1;
                else unlisted.Add(line);
            }
            var gone = remaining.Where(kv => kv.Value > 0).SelectMany(kv => Enumerable.Repeat(kv.Key, kv.Value)).ToList();
            unlisted.Sort(StringComparer.Ordinal);
            gone.Sort(StringComparer.Ordinal);
            return (unlisted, gone);
        }

        /// <summary>One line per occurrence, sorted by area then method.</summary>
        public static readonly string[] Entries =
        {
            "tcp | Router.Web.ControlChannel::Service() | framework-alloc System.Object::ToString()",
            "tcp | Router.Web.ControlChannel::Service() | framework-alloc System.String::Concat(string,string)",
            "tcp | Router.Web.ControlChannel::Service() | ldstr \"configuration not applied: \"",
        };
    }
}
