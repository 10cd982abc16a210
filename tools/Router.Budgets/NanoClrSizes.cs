using System;
using System.Reflection;

namespace Router.Budgets;

/// <summary>
/// nanoCLR's managed-heap sizes (the 1.x interpreter, nf-interpreter main), as read from its sources in
/// /work/shared/reference/nanoclr-facts.md (§2 and the appendix; section numbers below are that file's). Pure functions of
/// a type and a length: <see cref="HeapWalk"/> applies them to live objects.
/// </summary>
public static class NanoClrSizes
{
    /// <summary>Every allocation is a whole number of 12-byte heap blocks (§2.1: CONVERTFROMSIZETOHEAPBLOCKS).</summary>
    public const int Block = 12;
    /// <summary>CLR_RT_HeapBlock_Array: a heap block, the length and four element descriptor bytes (§2.3).</summary>
    public const int ArrayHeader = 20;
    /// <summary>CLR_RT_HeapBlock_String: a heap block; the UTF-8 text follows with a NUL (§2.4).</summary>
    public const int StringHeader = 12;
    /// <summary>A boxed primitive, enum, DateTime or TimeSpan: two blocks (§1.3).</summary>
    public const int BoxedInline = 24;
    /// <summary>CLR_RT_HeapBlock_Delegate: three blocks (§2.2).</summary>
    public const int Delegate = 36;
    /// <summary>CLR_RT_HeapBlock_Finalizer added beside an object whose class has a finalizer (§2.2).</summary>
    public const int Finalizer = 24;
    /// <summary>A literal string's header each time <c>ldstr</c> runs; the text stays in the deployed assembly, in flash (§2.4).</summary>
    public const int LiteralHeader = 12;
    /// <summary>A static field's slot in its assembly's RAM block (§2.5).</summary>
    public const int StaticSlot = 12;

    /// <summary>Bytes rounded up to whole heap blocks.</summary>
    public static long Blocks(long bytes) => (bytes + Block - 1) / Block * Block;

    /// <summary>A class instance or a struct object: one header block plus one block per instance field, inherited ones included (§2.2).</summary>
    public static long Object(int instanceFields) => Block * (1L + instanceFields);

    /// <summary>A one-dimensional array of <paramref name="length"/> elements of <paramref name="elementSize"/> bytes, packed (§2.3).</summary>
    public static long Array(long length, int elementSize) => Blocks(ArrayHeader + length * elementSize);

    /// <summary>A string created at run time, stored as UTF-8 plus a NUL (§2.4).</summary>
    public static long String(int utf8Bytes) => Blocks(StringHeader + utf8Bytes + 1);

    /// <summary>
    /// True for the value types nanoCLR keeps inside a 12-byte slot (primitives, enums, DateTime, TimeSpan: the
    /// c_OptimizedValueType types, §1.1). Every other struct is a separate heap object behind the slot.
    /// </summary>
    public static bool IsInline(Type type) =>
        type.IsPrimitive || type.IsEnum || type == typeof(DateTime) || type == typeof(TimeSpan);

    /// <summary>
    /// An array element's size (§2.3, TypeSystemLookup m_sizeInBytes): 1 for bool, sbyte, byte; 2 for char, short,
    /// ushort; 4 for int, uint, float; 8 for long, ulong, double; 12 (a heap block) for DateTime, TimeSpan and every
    /// reference or struct element. An enum takes its underlying type's size (nanoCLR treats an enum as its underlying
    /// primitive, §1.1).
    /// </summary>
    public static int ElementSize(Type element)
    {
        if (element.IsEnum) element = Enum.GetUnderlyingType(element);
        if (element == typeof(bool) || element == typeof(byte) || element == typeof(sbyte)) return 1;
        if (element == typeof(char) || element == typeof(short) || element == typeof(ushort)) return 2;
        if (element == typeof(int) || element == typeof(uint) || element == typeof(float)) return 4;
        if (element == typeof(long) || element == typeof(ulong) || element == typeof(double)) return 8;
        return Block;
    }

    /// <summary>Instance fields of a type, inherited ones included: each is one slot on nanoCLR.</summary>
    public static FieldInfo[] InstanceFields(Type type)
    {
        var fields = new System.Collections.Generic.List<FieldInfo>();
        for (Type t = type; t != null && t != typeof(object) && t != typeof(ValueType); t = t.BaseType)
        {
            fields.AddRange(t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly));
        }
        return fields.ToArray();
    }

    /// <summary>True when the class declares or inherits a finalizer (other than object's).</summary>
    public static bool HasFinalizer(Type type)
    {
        for (Type t = type; t != null && t != typeof(object); t = t.BaseType)
        {
            if (t.GetMethod("Finalize", BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.DeclaredOnly, null, Type.EmptyTypes, null) != null) return true;
        }
        return false;
    }
}
