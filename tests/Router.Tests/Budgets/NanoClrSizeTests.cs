using System;
using System.Collections.Generic;
using System.Reflection;
using Router.Budgets;
using Router.Hal.Desktop;
using Xunit;

// The hand-built types exist only to be sized: their fields are never assigned.
#pragma warning disable CS0649

namespace Router.Tests.Budgets;

/// <summary>
/// The nanoCLR sizing rules (/work/shared/reference/nanoclr-facts.md §2) checked on hand-built objects whose size is
/// worked out by hand in each comment: block = 12 B; object = 12 × (1 + fields); array = 12 × ceil((20 + N × s) / 12);
/// string = 12 × ceil((13 + UTF-8 bytes) / 12).
/// </summary>
public class NanoClrSizeTests
{
    private static readonly Assembly Tests = typeof(NanoClrSizeTests).Assembly;

    private static HeapWalk Walk(object root) =>
        HeapWalk.Of(new[] { ("root", root) }, Array.Empty<object>(), new HashSet<Type>(), a => a == Tests, statics: false);

    private sealed class ThreeFields
    {
        public byte B;
        public long L;
        public object Nothing;
    }

    private class Base
    {
        public int A;
        public int B;
    }

    private sealed class Derived : Base
    {
        public bool C;
    }

    private struct Pair
    {
        public int X;
        public int Y;
    }

    private struct Outer
    {
        public Pair Inner;
        public int Z;
    }

    private sealed class HoldsPair
    {
        public Pair P;
    }

    private sealed class HoldsOuter
    {
        public Outer O;
    }

    private sealed class Two
    {
        public object First;
        public object Second;
    }

    private enum Small : byte { A }

    private sealed class HoldsInline
    {
        public DateTime When;
        public TimeSpan Span;
        public Small Kind;
    }

    [Fact]
    public void AnObjectIsOneBlockPerFieldPlusAHeaderWhateverTheFieldTypes()
    {
        Assert.Equal(12 * (1 + 3), Walk(new ThreeFields()).NanoBytes); // byte, long and a null reference: 12 B each
        Assert.Equal(12 * (1 + 3), Walk(new Derived()).NanoBytes);     // inherited fields count
        Assert.Equal(12, Walk(new object()).NanoBytes);                 // no fields: the header block alone
        Assert.Equal(12 * (1 + 3), Walk(new HoldsInline()).NanoBytes); // DateTime, TimeSpan and enums sit in their slot
    }

    [Fact]
    public void AStructFieldIsASeparateObjectRecursively()
    {
        // HoldsPair: header + slot = 24; the Pair object behind the slot: header + 2 fields = 36.
        Assert.Equal(24 + 36, Walk(new HoldsPair()).NanoBytes);
        // HoldsOuter: 24; Outer: header + 2 slots = 36; its Pair: 36.
        Assert.Equal(24 + 36 + 36, Walk(new HoldsOuter()).NanoBytes);
    }

    [Fact]
    public void ArraysArePackedBehindA20ByteHeaderAndRoundedToBlocks()
    {
        // The examples table of nanoclr-facts.md §2.3.
        Assert.Equal(24, Walk(new byte[0]).NanoBytes);
        Assert.Equal(36, Walk(new byte[16]).NanoBytes);
        Assert.Equal(84, Walk(new byte[64]).NanoBytes);
        Assert.Equal(1524, Walk(new byte[1500]).NanoBytes);
        Assert.Equal(420, Walk(new int[100]).NanoBytes);
        Assert.Equal(828, Walk(new long[100]).NanoBytes);
        Assert.Equal(144, Walk(new object[10]).NanoBytes);
        // Element sizes: bool 1, char and ushort 2, float 4, double 8, an enum its underlying type's, DateTime 12.
        Assert.Equal(36, Walk(new bool[13]).NanoBytes);      // 20 + 13 = 33 -> 36
        Assert.Equal(36, Walk(new char[8]).NanoBytes);       // 20 + 16 = 36
        Assert.Equal(48, Walk(new ushort[9]).NanoBytes);     // 20 + 18 = 38 -> 48
        Assert.Equal(36, Walk(new float[4]).NanoBytes);      // 20 + 16 = 36
        Assert.Equal(36, Walk(new double[2]).NanoBytes);     // 20 + 16 = 36
        Assert.Equal(24, Walk(new Small[4]).NanoBytes);      // 20 + 4 = 24
        Assert.Equal(60, Walk(new DateTime[3]).NanoBytes);   // 20 + 36 = 56 -> 60
    }

    [Fact]
    public void AStructArrayHasASlotPerElementAndAnObjectPerElement()
    {
        // 20 + 3 x 12 = 56 -> 60, and three Pair objects of 36.
        Assert.Equal(60 + 3 * 36, Walk(new Pair[3]).NanoBytes);
    }

    [Fact]
    public void StringsAreUtf8WithANulBehindA12ByteHeader()
    {
        Assert.Equal(24, Walk(new string('h', 5)).NanoBytes);                  // 13 + 5 = 18 -> 24
        Assert.Equal(24, Walk(new string(new[] { 'h', 'é', 'l', 'l', 'o' })).NanoBytes); // é is 2 UTF-8 bytes: 13 + 6 = 19 -> 24
        Assert.Equal(36, Walk(new string('x', 20)).NanoBytes);                 // 13 + 20 = 33 -> 36
        Assert.Equal(48, Walk(new string('€', 8)).NanoBytes);                  // 8 x 3 bytes: 13 + 24 = 37 -> 48
    }

    [Fact]
    public void ALiteralCostsItsHeaderPerSlotAndItsTextStaysInFlash()
    {
        // Two slots holding a literal: two 12-byte headers (one per ldstr); the object: 12 x 3.
        Assert.Equal(36 + 12 + 12, Walk(new Two { First = "literal text", Second = "literal text" }).NanoBytes);
    }

    [Fact]
    public void EachObjectIsCountedOnceByIdentity()
    {
        var shared = new byte[16];
        Assert.Equal(36 + 36, Walk(new Two { First = shared, Second = shared }).NanoBytes);
        // Equal but distinct arrays are two objects.
        Assert.Equal(36 + 36 + 36, Walk(new Two { First = new byte[16], Second = new byte[16] }).NanoBytes);
        // A cycle ends.
        var a = new Two();
        var b = new Two { First = a };
        a.First = b;
        Assert.Equal(2 * 36, Walk(a).NanoBytes);
    }

    [Fact]
    public void BoxedValuesAndDelegatesTakeTheirNanoClrSizes()
    {
        // A boxed int is two blocks; a boxed struct is a full struct object.
        Assert.Equal(36 + 24, Walk(new Two { First = 42 }).NanoBytes);
        Assert.Equal(36 + 36, Walk(new Two { First = new Pair() }).NanoBytes);
        // A delegate is 36 bytes, plus its target (here a 3-field object).
        var target = new ThreeFields();
        Func<long> read = () => target.L;
        object closure = read.Target!;
        long closureBytes = Walk(closure).NanoBytes;
        Assert.Equal(36 + 36 + closureBytes, Walk(new Two { First = read }).NanoBytes);
    }

    private static class SomeStatics
    {
        public static readonly byte[] Table = new byte[16];
        public static int Counter;
        public static readonly string Name = "statics";
        public static Pair Origin;
        public const int Constant = 5;
    }

    [Fact]
    public void StaticFieldsTakeASlotEachPlusWhatTheyHold()
    {
        // Four fields (the constant is metadata): 4 x 12 slots, byte[16] 36, the literal's header 12, the Pair object 36.
        HeapWalk walk = HeapWalk.OfStatics(new[] { typeof(SomeStatics) }, a => a == Tests);
        Assert.Equal(4, walk.StaticFields);
        Assert.Equal(4 * 12 + 36 + 12 + 36, walk.NanoBytes);
    }

    [Fact]
    public void DesktopStandInsAreNotWalkedAndAreNamed()
    {
        // The flash belongs to the board (a native driver there); only the holder is counted.
        var holder = new Two { First = new MemoryFlash(4096, 2) };
        HeapWalk walk = Walk(holder);
        Assert.Equal(36, walk.NanoBytes);
        Assert.Contains(typeof(MemoryFlash), walk.ExcludedTypes);
    }

    [Fact]
    public void TheCoreClrFigureIsKeptApart()
    {
        // Same object, two runtimes: CoreCLR x64 packs the fields behind a 16-byte header (1 + 8 + 8 -> 24, so 40).
        HeapWalk walk = Walk(new ThreeFields());
        Assert.Equal(48, walk.NanoBytes);
        Assert.Equal(40, walk.ClrBytes);
    }
}
