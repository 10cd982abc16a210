using System;
using System.Collections.Generic;
using System.Linq;
using Xunit;

namespace Router.Tests.Compatibility
{
    /// <summary>
    /// Proof that every rule of the nanoCLR allocation gate can fail, and that clean code passes: C# 7.3 snippets
    /// compiled in memory with Roslyn against netstandard2.0 (as the firmware is), then walked from <c>Hot::Run</c>.
    /// </summary>
    public class NanoAllocationGateSelfTests
    {
        private static readonly Dictionary<string, string> None = new Dictionary<string, string>();

        private static AllocationGateResult Analyse(string source, Dictionary<string, string> cold = null, Dictionary<string, string> throws = null, params string[] entries)
        {
            byte[] image = SnippetCompiler.Compile(source, "Snippet");
            var gate = new NanoAllocationGate(new[] { (image, (byte[])null) });
            return gate.Analyse(entries.Length > 0 ? entries : new[] { "Hot::Run" }, cold ?? None, throws ?? None);
        }

        private static void AssertOnly(AllocationGateResult result, string rule, string method, string detailPart)
        {
            string all = string.Join(Environment.NewLine, result.Violations);
            Assert.True(result.Violations.Any(v => v.Rule == rule && v.Method.StartsWith(method, StringComparison.Ordinal) && v.Detail.Contains(detailPart)),
                "expected " + rule + " in " + method + " with '" + detailPart + "' among:" + Environment.NewLine + all);
        }

        private static void AssertClean(AllocationGateResult result)
        {
            Assert.True(result.Violations.Count == 0, "expected no violations, got:" + Environment.NewLine + string.Join(Environment.NewLine, result.Violations));
        }

        private const string Views = @"
public struct Header
{
    public byte[] Buffer; public int Offset;
    public Header(byte[] b, int o) { Buffer = b; Offset = o; }
    public int Type { get { return Buffer[Offset]; } }
}
public sealed class Holder
{
    public Header Field;
    public static Header Static;
    public Header[] Array = new Header[2];
    public Header View { get { return Field; } }
}
public enum Kind { A, B }
";

        /// <summary>Per-call totals (tools/SpiAdapterCost) need every call site: a callee reached twice is listed twice, a throw path's call marked.</summary>
        [Fact]
        public void CallSitesAreRecordedOncePerSite()
        {
            AllocationGateResult result = Analyse(@"
public struct Span { public byte[] A; public int S, L; public Span(byte[] a, int s, int l) { A = a; S = s; L = l; } }
public static class Native { public static void Transfer(Span w, Span r) { } }
public sealed class Hot
{
    public void Run(byte[] a, byte[] b, int n)
    {
        if (n < 0) throw new System.ArgumentException(Describe(n));
        Native.Transfer(new Span(a, 0, n), new Span(b, 0, n));
    }
    private static string Describe(int n) { return ""negative""; }
}");
            Assert.Equal(2, result.Calls.Count(c => c.Caller == "Hot::Run(byte[],byte[],int)" && c.Callee == "Span::.ctor(byte[],int,int)" && !c.InThrowBlock));
            Assert.Single(result.Calls, c => c.Callee == "Native::Transfer(Span,Span)" && !c.InThrowBlock);
            Assert.Single(result.Calls, c => c.Callee == "Hot::Describe(int)" && c.InThrowBlock);
        }

        [Fact]
        public void CleanCodePasses()
        {
            AllocationGateResult result = Analyse(@"
public enum Kind { A, B }
public interface IStep { int Apply(byte[] frame, int offset); }
public sealed class Ttl : IStep { public int Apply(byte[] frame, int offset) { frame[offset + 8]--; return frame[offset + 8]; } }
public static class Ipv4
{
    public static int Version(byte[] b, int o) { return b[o] >> 4; }
    public static void Swap(ref int a, ref int b) { int t = a; a = b; b = t; }
}
public sealed class Hot
{
    private readonly byte[] _scratch = new byte[64];
    private readonly IStep _step = new Ttl();
    private Kind _kind;
    private System.DateTime _seen;
    public int Run(byte[] frame, int length)
    {
        Kind k = _kind;
        System.DateTime seen = _seen;
        int a = Ipv4.Version(frame, 14), b = length;
        Ipv4.Swap(ref a, ref b);
        System.Array.Copy(frame, 0, _scratch, 0, System.Math.Min(length, _scratch.Length));
        if (k == Kind.B || seen.Ticks > 0) return 0;
        return _step.Apply(frame, 14) + a + b;
    }
}");
            AssertClean(result);
            Assert.Contains("Ttl::Apply(byte[],int)", result.Reached.Keys);
        }

        [Fact]
        public void NewObjectOfAClassFails() => AssertOnly(Analyse("public sealed class Hot { public static object Run() { return new object(); } }"), "newobj", "Hot::Run", "System.Object");

        [Fact]
        public void NewObjectOfAStructFails()
            => AssertOnly(Analyse(Views + "public static class Hot { public static int Run(byte[] b) { object o = new Header(b, 0); return o == null ? 0 : 1; } }"), "newobj", "Hot::Run", "Header (struct)");

        [Fact]
        public void NewArrayFails() => AssertOnly(Analyse("public static class Hot { public static int Run() { return new byte[4].Length; } }"), "newarr", "Hot::Run", "byte[]");

        [Fact]
        public void BoxFails() => AssertOnly(Analyse("public static class Hot { public static object Run(int x) { return x; } }"), "box", "Hot::Run", "int");

        [Fact]
        public void BoxingAStructThroughAnInterfaceFails()
        {
            AllocationGateResult result = Analyse(@"
public interface IKeyed { int Key(); }
public struct Entry : IKeyed { public int K; public int Key() { return K; } }
public sealed class Hot
{
    private Entry _entry;
    public int Run() { IKeyed keyed = _entry; return keyed.Key(); }
}");
            AssertOnly(result, "box", "Hot::Run", "Entry");
        }

        [Fact]
        public void ConstrainedCallOnAStructFails()
        {
            AllocationGateResult result = Analyse(@"
public struct Id { public int V; }
public sealed class Hot { private Id _id; public int Run() { return _id.GetHashCode(); } }");
            AssertOnly(result, "constrained", "Hot::Run", "Id");
        }

        [Fact]
        public void StringLiteralFails() => AssertOnly(Analyse("public static class Hot { public static int Run() { return \"abc\".Length; } }"), "ldstr", "Hot::Run", "\"abc\"");

        [Fact]
        public void StructLocalFails()
            => AssertOnly(Analyse(Views + "public static class Hot { public static int Run(byte[] b) { Header h = new Header(b, 0); return h.Type; } }"), "struct-local", "Hot::Run", "Header");

        [Fact]
        public void StructFieldReadFails()
            => AssertOnly(Analyse(Views + "public static class Hot { public static Holder H = new Holder(); public static void Run() { Holder.Static = H.Field; } }"), "struct-load", "Hot::Run", "Holder::Field");

        [Fact]
        public void StaticStructFieldReadFails()
            => AssertOnly(Analyse(Views + "public static class Hot { public static Holder H = new Holder(); public static void Run() { H.Field = Holder.Static; } }"), "struct-load", "Hot::Run", "Holder::Static");

        [Fact]
        public void StructArrayElementReadFails()
            => AssertOnly(Analyse(Views + "public static class Hot { public static Holder H = new Holder(); public static void Run() { H.Field = H.Array[1]; } }"), "struct-load", "Hot::Run", "Header");

        [Fact]
        public void StructReturnedFromAPropertyFails()
        {
            // C# 7.3 reads the property into a temporary: the return (a copy) and the local are both reported.
            AllocationGateResult result = Analyse(Views + "public static class Hot { public static Holder H = new Holder(); public static int Run() { return H.View.Type; } }");
            AssertOnly(result, "struct-return", "Hot::Run", "Holder::get_View() returns Header");
            AssertOnly(result, "struct-local", "Hot::Run", "Header");
        }

        [Fact]
        public void StructPassedByValueFails()
        {
            AllocationGateResult result = Analyse(Views + @"
public static class Hot
{
    public static Holder H = new Holder();
    private static int Type(Header h) { return h.Buffer[h.Offset]; }
    public static int Run() { return Type(H.Field); }
}");
            AssertOnly(result, "struct-arg", "Hot::Run", "takes Header by value");
        }

        [Fact]
        public void StructByReferenceIsClean()
        {
            AllocationGateResult result = Analyse(Views + @"
public static class Hot
{
    public static Holder H = new Holder();
    private static int Type(ref Header h) { return h.Buffer[h.Offset]; }
    public static int Run() { return Type(ref H.Field) + H.Field.Type; }
}");
            AssertClean(result);
        }

        [Fact]
        public void DelegateCreationFails()
        {
            AllocationGateResult result = Analyse(@"
public static class Hot
{
    private static int Twice(int x) { return 2 * x; }
    public static System.Func<int, int> Run() { return Twice; }
}");
            AssertOnly(result, "delegate", "Hot::Run", "Twice");
            AssertOnly(result, "newobj", "Hot::Run", "System.Func");
        }

        [Fact]
        public void LambdaWithClosureFails()
        {
            AllocationGateResult result = Analyse(@"
public static class Hot
{
    public static int Run(int y)
    {
        System.Func<int, int> add = x => x + y;
        return add(1);
    }
}");
            AssertOnly(result, "newobj", "Hot::Run", "<>c__DisplayClass");
            AssertOnly(result, "delegate", "Hot::Run", "<Run>b__");
        }

        [Fact]
        public void StringConcatFails()
            => AssertOnly(Analyse("public static class Hot { public static string Run(string a, string b) { return a + b; } }"), "framework-alloc", "Hot::Run", "System.String::Concat");

        [Fact]
        public void ToStringFails() => AssertOnly(Analyse("public static class Hot { public static string Run(int x) { return x.ToString(); } }"), "framework-alloc", "Hot::Run", "ToString");

        [Fact]
        public void EncodingGetBytesFails()
            => AssertOnly(Analyse("public static class Hot { public static int Run(string s) { return System.Text.Encoding.UTF8.GetBytes(s).Length; } }"), "framework-alloc", "Hot::Run", "GetBytes");

        [Fact]
        public void ForeachOverAFrameworkCollectionFails()
            => AssertOnly(Analyse("public static class Hot { public static int Run(System.Collections.ArrayList list) { int n = 0; foreach (object o in list) n++; return n; } }"), "framework-alloc", "Hot::Run", "GetEnumerator");

        [Fact]
        public void UnknownFrameworkMethodReturningAStringIsSuspicious()
            => AssertOnly(Analyse("public static class Hot { public static string Run() { return System.Environment.NewLine; } }"), "framework-suspicious", "Hot::Run", "get_NewLine");

        [Fact]
        public void InterfaceDispatchReachesEveryImplementation()
        {
            AllocationGateResult result = Analyse(@"
public interface IService { int Service(); }
public sealed class Quiet : IService { public int Service() { return 0; } }
public sealed class Chatty : IService { public int Service() { return new int[3].Length; } }
public sealed class Hot { public IService S = new Quiet(); public int Run() { return S.Service(); } }");
            AssertOnly(result, "newarr", "Chatty::Service", "int[]");
            Assert.Contains("Quiet::Service()", result.Reached.Keys);
        }

        [Fact]
        public void VirtualDispatchReachesOverridesAndExplicitImplementations()
        {
            AllocationGateResult result = Analyse(@"
public interface IService { void Service(); }
public abstract class Base { public abstract void Tick(); }
public sealed class Derived : Base, IService
{
    public override void Tick() { System.GC.KeepAlive(new object()); }
    void IService.Service() { System.GC.KeepAlive(""explicit""); }
}
public sealed class Hot { public Base B; public IService S; public void Run() { B.Tick(); S.Service(); } }");
            AssertOnly(result, "newobj", "Derived::Tick", "System.Object");
            AssertOnly(result, "ldstr", "Derived::IService.Service", "explicit");
        }

        [Fact]
        public void CallsAcrossTheAnalysedAssembliesAreFollowed()
        {
            byte[] hal = SnippetCompiler.Compile("namespace Router.Hal { public interface IDevice { int Read(); } }", "Router.Hal");
            byte[] board = SnippetCompiler.Compile(@"
public sealed class Chip : Router.Hal.IDevice { public int Read() { return ""chip"".Length; } }
public sealed class Hot { public Router.Hal.IDevice D; public int Run() { return D.Read(); } }", "Snippet", SnippetCompiler.References.NetStandard20, hal);
            var gate = new NanoAllocationGate(new[] { (hal, (byte[])null), (board, (byte[])null) });
            AllocationGateResult result = gate.Analyse(new[] { "Hot::Run" }, None, None);
            AssertOnly(result, "ldstr", "Chip::Read", "chip");

            // Without the implementing assembly the call is listed as unresolved, not silently clean.
            var halOnly = new NanoAllocationGate(new[] { (hal, (byte[])null), (SnippetCompiler.Compile("public sealed class Hot { public Router.Hal.IDevice D; public int Run() { return D.Read(); } }", "Snippet", SnippetCompiler.References.NetStandard20, hal), (byte[])null) });
            AllocationGateResult unresolved = halOnly.Analyse(new[] { "Hot::Run" }, None, None);
            AssertClean(unresolved);
            Assert.Contains(unresolved.Unresolved, u => u.StartsWith("Router.Hal.IDevice::Read()", StringComparison.Ordinal));
        }

        [Fact]
        public void UnreachedAllocationsAreNotReported()
        {
            AllocationGateResult result = Analyse(@"
public static class Hot
{
    public static int Run(int x) { return x + 1; }
    public static string Boot() { return ""banner"" + new object(); }
}");
            AssertClean(result);
        }

        [Fact]
        public void ColdPathExemptionIsHonouredAndStopsTheWalk()
        {
            const string source = @"
public static class Hot
{
    public static int Run(bool save) { return save ? Save() : 0; }
    public static int Save() { return Format().Length; }
    private static string Format() { return ""saved "" + 1.ToString(); }
}";
            AllocationGateResult strict = Analyse(source);
            AssertOnly(strict, "ldstr", "Hot::Format", "saved");

            AllocationGateResult exempt = Analyse(source, new Dictionary<string, string> { { "Hot::Save", "user-triggered" } });
            AssertClean(exempt);
            Assert.Contains("Hot::Save()", exempt.ExemptReached);
            Assert.DoesNotContain("Hot::Format()", exempt.Reached.Keys);
        }

        [Fact]
        public void ThrowPathsFailUnlessAllowedAndTheRestOfTheMethodIsStillChecked()
        {
            const string source = @"
public static class Hot
{
    public static int Run(int x)
    {
        if (x < 0) throw new System.ArgumentOutOfRangeException(""x"", ""negative"");
        return x + ""tail"".Length;
    }
}";
            AllocationGateResult strict = Analyse(source);
            AssertOnly(strict, "throw-path", "Hot::Run", "newobj System.ArgumentOutOfRangeException");
            AssertOnly(strict, "throw-path", "Hot::Run", "ldstr \"negative\"");
            AssertOnly(strict, "ldstr", "Hot::Run", "\"tail\"");

            AllocationGateResult allowed = Analyse(source, throws: new Dictionary<string, string> { { "Hot::Run", "callers never pass a negative" } });
            Assert.DoesNotContain(allowed.Violations, v => v.Rule == "throw-path");
            AssertOnly(allowed, "ldstr", "Hot::Run", "\"tail\"");
            Assert.Equal(3, allowed.AllowedThrowPaths.Count); // two ldstr and the newobj
        }

        [Fact]
        public void ViolationsCarryNanoClrSizes()
        {
            // Header: 2 fields → 12 × 3 = 36 B; Pair: 1 field + a Header field → 12 × 3 + 36 = 72 B (facts §2).
            AllocationGateResult result = Analyse(Views + @"
public struct Pair { public int A; public Header H; }
public sealed class Node { public int X; public Node Next; }
public static class Hot
{
    public static object Run(byte[] b)
    {
        Pair p = new Pair();
        object[] all = { new Node(), new byte[64], new int[100], ""s"", 5, Kind.B, p.A };
        return all;
    }
}");
            int? Size(string rule, string detail) => result.Violations.First(v => v.Rule == rule && v.Detail.Contains(detail)).Bytes;
            Assert.Equal(72, Size("struct-local", "Pair"));
            Assert.Equal(36, Size("newobj", "Node"));
            Assert.Equal(84, Size("newarr", "byte[]"));   // 12 × ceil((20 + 64) / 12)
            Assert.Equal(420, Size("newarr", "int[]"));   // 12 × ceil((20 + 400) / 12)
            Assert.Equal(108, Size("newarr", "object[]")); // 12 × ceil((20 + 7 × 12) / 12)
            Assert.Equal(12, Size("ldstr", "\"s\""));
            Assert.Equal(24, Size("box", "Kind"));
        }

        [Fact]
        public void UnknownEntryPointIsAnError()
        {
            Assert.Throws<ArgumentException>(() => Analyse("public static class Hot { public static void Run() { } }", entries: "Hot::Missing"));
        }

        [Fact]
        public void KnownViolationListIsCheckedExactly()
        {
            AllocationGateResult result = Analyse("public static class Hot { public static int Run() { return \"a\".Length + \"a\".Length + new byte[1].Length; } }");
            string a = "ilgate | Hot::Run() | ldstr \"a\"", arr = "ilgate | Hot::Run() | newarr byte[]";

            var exact = NanoAllocationKnownViolations.Diff(new[] { a, a, arr }, result.Violations);
            Assert.Empty(exact.Unlisted);
            Assert.Empty(exact.Gone);

            var missing = NanoAllocationKnownViolations.Diff(new[] { a, arr }, result.Violations);
            Assert.Equal(new[] { a }, missing.Unlisted);
            Assert.Empty(missing.Gone);

            var stale = NanoAllocationKnownViolations.Diff(new[] { a, a, arr, arr, "views | Hot::Gone() | box Int32" }, result.Violations);
            Assert.Empty(stale.Unlisted);
            Assert.Equal(new[] { arr, "views | Hot::Gone() | box Int32" }, stale.Gone);
        }
    }
}
