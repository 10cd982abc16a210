using System;
using System.Collections.Generic;
using System.IO;
using Xunit;

namespace Router.Tests.Compatibility
{
    /// <summary>The firmware and HAL-contract assemblies, as compiled, may only use what nanoFramework 1.x ships.</summary>
    public class NanoCompatibilityTests
    {
        private static readonly Lazy<NanoApiSurface> Surface = new Lazy<NanoApiSurface>(NanoApiSurface.LoadDefault);

        private static void AssertNanoCompatible(string assemblyName)
        {
            string path = Path.Combine(AppContext.BaseDirectory, assemblyName + ".dll");
            Assert.True(File.Exists(path), path + " is missing: the test project must reference " + assemblyName);
            IReadOnlyList<string> violations = new NanoApiGate(Surface.Value).Check(path);
            Assert.True(violations.Count == 0,
                assemblyName + " uses " + violations.Count + " API(s) nanoFramework 1.x does not ship:" + Environment.NewLine
                + string.Join(Environment.NewLine, violations));
        }

        [Fact]
        public void FirmwareUsesOnlyNanoFrameworkApis() => AssertNanoCompatible("Router.Firmware");

        [Fact]
        public void HalContractsUseOnlyNanoFrameworkApis() => AssertNanoCompatible("Router.Hal");

        [Fact]
        public void ChipDriversUseOnlyNanoFrameworkApis() => AssertNanoCompatible("Router.Drivers");

        [Fact]
        public void BoardProfilesUseOnlyNanoFrameworkApis() => AssertNanoCompatible("Router.Boards");

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
            var foreign = new List<string>(NanoApiGate.ReferencedAssemblies(path));
            foreign.RemoveAll(name => name == "netstandard" || Array.IndexOf(NanoApiGate.ProjectAssemblies, name) >= 0);
            Assert.True(foreign.Count == 0, assemblyName + " references " + string.Join(", ", foreign) + ": it was not built for netstandard2.0");
            // The SDK writes no TargetFrameworkAttribute into a project without source files (Router.Boards today).
            string framework = NanoApiGate.TargetFramework(path);
            Assert.True(framework == null || framework == ".NETStandard,Version=v2.0", assemblyName + " targets " + framework);
        }
    }
}
