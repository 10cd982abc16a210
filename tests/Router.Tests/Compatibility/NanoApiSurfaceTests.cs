using Xunit;

namespace Router.Tests.Compatibility
{
    public class NanoApiSurfaceTests
    {
        private static readonly string[] Sample =
        {
            "# header line",
            "# another header",
            "T:System.DateTime\tnanoFramework.CoreLibrary",
            "T:System.IO.IOException.IOExceptionErrorCode\tnanoFramework.CoreLibrary",
            "M:System.DateTime.op_==(2)\tnanoFramework.CoreLibrary",
            "M:System.DateTime.op_<=(2)\tnanoFramework.CoreLibrary",
            "M:System.TimeSpan.op_-(1)\tnanoFramework.CoreLibrary",
            "M:System.TimeSpan.op_-(2)\tnanoFramework.CoreLibrary",
            "M:System.SpanByte.op_Conversion\tnanoFramework.CoreLibrary",
            "M:System.Object.#ctor(0)\tnanoFramework.CoreLibrary",
            "P:System.Array.Length\tnanoFramework.CoreLibrary",
            "F:System.String.Empty\tnanoFramework.CoreLibrary",
            "E:System.Net.NetworkInformation.NetworkChange.NetworkAddressChanged\tnanoFramework.System.Net",
        };

        [Fact]
        public void ParsesEntriesAndSkipsHeaders()
        {
            NanoApiSurface surface = NanoApiSurface.Parse(Sample);
            Assert.Equal(11, surface.Count);
            Assert.True(surface.HasType("System.IO.IOException.IOExceptionErrorCode"));
            Assert.Equal("nanoFramework.System.Net", surface.PackageOf("E:System.Net.NetworkInformation.NetworkChange.NetworkAddressChanged"));
            Assert.False(surface.Contains("# header line"));
        }

        [Theory]
        [InlineData("System.DateTime", "op_Equality", 2, true)]
        [InlineData("System.DateTime", "op_LessThanOrEqual", 2, true)]
        [InlineData("System.DateTime", "op_Inequality", 2, false)]
        [InlineData("System.TimeSpan", "op_UnaryNegation", 1, true)]
        [InlineData("System.TimeSpan", "op_Subtraction", 2, true)]
        [InlineData("System.SpanByte", "op_Implicit", 1, true)]
        [InlineData("System.SpanByte", "op_Explicit", 1, true)]
        [InlineData("System.Object", ".ctor", 0, true)]
        [InlineData("System.Object", ".ctor", 1, false)]
        public void MatchesOperatorsAndConstructorsByTsvSpelling(string type, string metadataName, int parameters, bool expected)
        {
            Assert.Equal(expected, NanoApiSurface.Parse(Sample).HasMethod(type, metadataName, parameters));
        }

        [Theory]
        [InlineData("op_Equality", "op_==")]
        [InlineData("op_Inequality", "op_!=")]
        [InlineData("op_Addition", "op_+")]
        [InlineData("op_UnaryPlus", "op_+")]
        [InlineData("op_Subtraction", "op_-")]
        [InlineData("op_LessThan", "op_<")]
        [InlineData("op_GreaterThanOrEqual", "op_>=")]
        [InlineData("op_Implicit", "op_Conversion")]
        [InlineData(".ctor", "#ctor")]
        [InlineData("ToString", "ToString")]
        public void MapsMetadataNamesToTsvNames(string metadataName, string tsvName)
        {
            Assert.Equal(tsvName, NanoApiSurface.TsvMethodName(metadataName));
        }

        [Theory]
        [InlineData("System.Array", "get_Length", false, 0, "P:System.Array.Length")]
        [InlineData("System.Array", "set_Length", false, 1, "P:System.Array.Length")]
        [InlineData("System.Net.NetworkInformation.NetworkChange", "add_NetworkAddressChanged", false, 1, "E:System.Net.NetworkInformation.NetworkChange.NetworkAddressChanged")]
        [InlineData("System.Net.NetworkInformation.NetworkChange", "remove_NetworkAddressChanged", false, 1, "E:System.Net.NetworkInformation.NetworkChange.NetworkAddressChanged")]
        [InlineData("System.String", "Empty", true, 0, "F:System.String.Empty")]
        [InlineData("System.Object", ".ctor", false, 0, "M:System.Object.#ctor(0)")]
        [InlineData("System.DateTime", "op_Equality", false, 2, "M:System.DateTime.op_==(2)")]
        [InlineData("System.SpanByte", "op_Implicit", false, 1, "M:System.SpanByte.op_Conversion")]
        [InlineData("System.String", "Join", false, 2, "M:System.String.Join(2)")]
        public void GateMapsMemberReferencesToTsvKeys(string type, string name, bool isField, int parameters, string key)
        {
            var gate = new NanoApiGate(NanoApiSurface.Parse(Sample));
            Assert.Equal(key, gate.MemberKey(type, name, isField, parameters));
        }

        [Fact]
        public void ShippedTsvLoadsFromTheOutputDirectory()
        {
            NanoApiSurface surface = NanoApiSurface.LoadDefault();
            Assert.True(surface.Count > 2000);
            Assert.True(surface.HasType("System.IO.IOException.IOExceptionErrorCode"));
            Assert.True(surface.HasMethod("System.String", "op_Equality", 2));
            Assert.True(surface.HasMethod("System.SpanByte", "op_Implicit", 1));
            Assert.True(surface.Contains("P:System.Array.Length"));
            Assert.True(surface.Contains("E:System.Net.NetworkInformation.NetworkChange.NetworkAddressChanged"));
            Assert.False(surface.HasType("System.Collections.Generic.List`1"));
        }
    }
}
