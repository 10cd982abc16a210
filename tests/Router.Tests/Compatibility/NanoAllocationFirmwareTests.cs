using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Xunit;
using Xunit.Abstractions;

namespace Router.Tests.Compatibility
{
    /// <summary>
    /// The firmware's per-frame and per-tick paths, as compiled, against the nanoCLR allocation gate. Writes the grouped
    /// report to <c>nanoclr-allocation-report.txt</c> in the test output directory.
    /// </summary>
    public class NanoAllocationFirmwareTests
    {
        public static readonly string ReportPath = Path.Combine(AppContext.BaseDirectory, "nanoclr-allocation-report.txt");

        private static readonly Lazy<(NanoAllocationGate Gate, AllocationGateResult Result)> Analysis = new Lazy<(NanoAllocationGate, AllocationGateResult)>(() =>
        {
            NanoAllocationGate gate = NanoAllocationGate.FromDirectory(AppContext.BaseDirectory, NanoAllocationPolicy.Assemblies, RepositoryRoot());
            AllocationGateResult result = gate.Analyse(NanoAllocationPolicy.EntryPoints, NanoAllocationPolicy.ColdPaths, NanoAllocationPolicy.AllowedThrows);
            File.WriteAllText(ReportPath, NanoAllocationReport.Write(result));
            return (gate, result);
        });

        private readonly ITestOutputHelper _output;

        public NanoAllocationFirmwareTests(ITestOutputHelper output) { _output = output; }

        [Fact]
        public void ReportIsWritten()
        {
            AllocationGateResult result = Analysis.Value.Result;
            Assert.True(File.Exists(ReportPath));
            _output.WriteLine(NanoAllocationReport.Summary(result));
            _output.WriteLine("full report: " + ReportPath);
            Assert.NotEmpty(result.Reached);
        }

        /// <summary>
        /// The gate proper: every allocation found on the per-frame and per-tick paths is on the temporary known list,
        /// and every listed one still occurs (the list only shrinks). Empty list = the firmware passes outright.
        /// </summary>
        [Fact]
        public void PerFrameAndPerTickPathsAllocateOnlyTheKnownViolations()
        {
            AllocationGateResult result = Analysis.Value.Result;
            _output.WriteLine(NanoAllocationReport.Summary(result));
            (List<string> unlisted, List<string> gone) = NanoAllocationKnownViolations.Diff(NanoAllocationKnownViolations.Entries, result.Violations);
            var message = new StringBuilder();
            if (unlisted.Count > 0)
            {
                message.AppendLine(unlisted.Count + " allocation(s) on a per-frame or per-tick path that nanoCLR would make (fix them; a cold path goes in NanoAllocationPolicy.ColdPaths with its reason):");
                foreach (string line in unlisted)
                {
                    AllocationViolation v = result.Violations.First(x => NanoAllocationKnownViolations.Line(x) == line);
                    message.AppendLine("  " + v + Environment.NewLine + "      via " + result.PathTo(v.Method));
                }
            }
            if (gone.Count > 0)
            {
                message.AppendLine(gone.Count + " known violation(s) no longer occur: delete these lines from NanoAllocationKnownViolations.Entries:");
                foreach (string line in gone) message.AppendLine("  " + line);
            }
            message.AppendLine("report: " + ReportPath);
            Assert.True(unlisted.Count == 0 && gone.Count == 0, message.ToString());
        }

        /// <summary>Entry points, cold paths and allowed throws name real methods, and the walk reaches each exemption: no stale entries.</summary>
        [Fact]
        public void PolicyEntriesNameMethodsTheWalkReaches()
        {
            (NanoAllocationGate gate, AllocationGateResult result) = Analysis.Value;
            var problems = new List<string>();
            foreach (string entry in NanoAllocationPolicy.EntryPoints)
            {
                if (gate.Resolve(entry).Count != 1) problems.Add("entry point " + entry + " names " + gate.Resolve(entry).Count + " methods (give the exact signature)");
            }
            foreach (KeyValuePair<string, string> cold in NanoAllocationPolicy.ColdPaths)
            {
                if (string.IsNullOrWhiteSpace(cold.Value)) problems.Add("cold path " + cold.Key + " has no reason");
                IReadOnlyList<string> methods = gate.Resolve(cold.Key);
                if (methods.Count == 0) problems.Add("cold path " + cold.Key + " names no method");
                else if (!methods.Any(result.ExemptReached.Contains)) problems.Add("cold path " + cold.Key + " is never reached: delete it");
            }
            foreach (KeyValuePair<string, string> allowed in NanoAllocationPolicy.AllowedThrows)
            {
                if (string.IsNullOrWhiteSpace(allowed.Value)) problems.Add("allowed throw " + allowed.Key + " has no reason");
                IReadOnlyList<string> methods = gate.Resolve(allowed.Key);
                if (methods.Count == 0) problems.Add("allowed throw " + allowed.Key + " names no method");
                else if (!result.AllowedThrowPaths.Any(v => methods.Contains(v.Method))) problems.Add("allowed throw " + allowed.Key + " has no throw path the walk reaches: delete it");
            }
            Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
        }

        /// <summary>The directory holding Router.sln above the test output (PDB source paths are shown relative to it), or null.</summary>
        private static string RepositoryRoot()
        {
            for (DirectoryInfo dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Router.sln"))) return dir.FullName;
            }
            return null;
        }
    }
}
