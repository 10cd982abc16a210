using System;
using System.Collections.Generic;
using System.IO;
using Xunit;

namespace Router.Tests.Compatibility
{
    /// <summary>
    /// The firmware, HAL-contract and board assemblies, as compiled, contain nothing nanoFramework 1.x cannot load
    /// (generics, multi-dimensional arrays). Which APIs they call is checked by the real nanoFramework compile
    /// (tools/NanoCompile, see NanoCompileTests).
    /// </summary>
    public class NanoCompatibilityTests
    {
        private static void AssertNanoLoadable(string assemblyName)
        {
            string path = Path.Combine(AppContext.BaseDirectory, assemblyName + ".dll");
            Assert.True(File.Exists(path), path + " is missing: the test project must reference " + assemblyName);
            IReadOnlyList<string> violations = NanoMetadataGate.Check(path);
            Assert.True(violations.Count == 0,
                assemblyName + " has " + violations.Count + " construct(s) nanoFramework 1.x cannot load:" + Environment.NewLine
                + string.Join(Environment.NewLine, violations));
        }

        [Fact]
        public void FirmwareIsLoadableByNanoFramework() => AssertNanoLoadable("Router.Firmware");

        [Fact]
        public void HalContractsAreLoadableByNanoFramework() => AssertNanoLoadable("Router.Hal");

        [Fact]
        public void ChipDriversAreLoadableByNanoFramework() => AssertNanoLoadable("Router.Drivers");

        [Fact]
        public void BoardProfilesAreLoadableByNanoFramework() => AssertNanoLoadable("Router.Boards");

        /// <summary>
        /// The gate reads compiled IL, so it is only meaningful if the nano-compatible projects really build as
        /// netstandard2.0 (Directory.Build.props) rather than falling back to the desktop target framework.
        /// </summary>
        [Theory]
        [InlineData("Router.Firmware")]
        [InlineData("Router.Hal")]
        [InlineData("Router.Drivers")]
        [InlineData("Router.Boards")]
        public void NanoAssembliesAreBuiltForNetStandard20(string assemblyName)
        {
            string path = Path.Combine(AppContext.BaseDirectory, assemblyName + ".dll");
            var foreign = new List<string>(NanoMetadataGate.ReferencedAssemblies(path));
            foreign.RemoveAll(name => name == "netstandard" || Array.IndexOf(NanoMetadataGate.ProjectAssemblies, name) >= 0);
            Assert.True(foreign.Count == 0, assemblyName + " references " + string.Join(", ", foreign) + ": it was not built for netstandard2.0");
            // The SDK writes no TargetFrameworkAttribute into a project without source files (Router.Boards today).
            string framework = NanoMetadataGate.TargetFramework(path);
            Assert.True(framework == null || framework == ".NETStandard,Version=v2.0", assemblyName + " targets " + framework);
        }
    }
}
