using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text;

namespace Router.Budgets;

/// <summary>
/// Sizes every object reachable from some roots through instance fields (and, when asked, from the static fields of
/// the firmware's assemblies), by reflection over the live objects. Each object is counted once (reference identity) and
/// three ways:
/// <list type="bullet">
/// <item><see cref="NanoBytes"/>: the nanoCLR model (<see cref="NanoClrSizes"/>): what the graph takes of a board's managed heap;</item>
/// <item><see cref="ClrBytes"/>: 64-bit CoreCLR object sizes, comparable with <see cref="GC.GetAllocatedBytesForCurrentThread"/>;</item>
/// <item><see cref="PayloadBytes"/>: array elements and fields only, no runtime headers (the same on any runtime).</item>
/// </list>
/// The walk is generic: whatever hangs off the roots is counted, except objects of desktop-only types (a type neither
/// from a firmware assembly nor from the .NET runtime), which stand in for a board's native devices and are listed in
/// <see cref="ExcludedTypes"/>. Each object is also booked under the nearest enclosing component (an object whose type
/// is in the component set; the root's own name otherwise).
/// </summary>
public sealed class HeapWalk
{
    private const int ObjectHeader = 16;   // CoreCLR: sync block + method table
    private const int ArrayHeader = 24;    // CoreCLR: sync block + method table + length (padded)
    private const int MinObject = 24;
    /// <summary>Components of static-field slots and the objects only statics reach start with this, then the declaring type.</summary>
    public const string Statics = "static fields";

    /// <summary>The component a type's static fields are booked under.</summary>
    public static string StaticsOf(Type type) => Statics + " of " + type.Name;

    private readonly HashSet<object> _seen = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<object> _excluded;
    private readonly ISet<Type> _components;
    private readonly Func<Assembly, bool> _isFirmware;
    private readonly Dictionary<string, Figures> _byComponent = new();
    private readonly Dictionary<Type, Figures> _byType = new();
    private readonly HashSet<Type> _excludedTypes = new();
    private readonly Stack<(object Value, string Component)> _pending = new();

    /// <summary>Bytes of one component (or one type): nanoCLR model, CoreCLR x64, payload; objects as CoreCLR counts them.</summary>
    public sealed class Figures
    {
        public long Nano, Clr, Payload;
        public int Objects;
    }

    public long NanoBytes { get; private set; }
    public long ClrBytes { get; private set; }
    public long PayloadBytes { get; private set; }
    /// <summary>Objects as CoreCLR counts them (nanoCLR adds one per struct value held anywhere).</summary>
    public int Objects { get; private set; }
    /// <summary>Static fields counted (a 12-byte slot each on nanoCLR).</summary>
    public int StaticFields { get; private set; }
    public IReadOnlyDictionary<string, Figures> ByComponent => _byComponent;
    public IReadOnlyDictionary<Type, Figures> ByType => _byType;
    /// <summary>Desktop-only types met in the graph and not walked (device stand-ins).</summary>
    public IReadOnlyCollection<Type> ExcludedTypes => _excludedTypes;

    private HeapWalk(IEnumerable<object> excluded, ISet<Type> components, Func<Assembly, bool> isFirmware)
    {
        _excluded = new HashSet<object>(excluded, ReferenceEqualityComparer.Instance);
        _components = components;
        _isFirmware = isFirmware;
    }

    /// <summary>
    /// Walks everything reachable from the <paramref name="roots"/> (each booked under its name until a component type
    /// is met), stopping at <paramref name="excluded"/> objects (owned elsewhere) and at desktop-only types (those whose
    /// assembly <paramref name="isFirmware"/> rejects, the runtime's own aside). With <paramref name="statics"/>, then
    /// every static field of the firmware assemblies met (and the firmware assemblies they reference) and what it holds.
    /// </summary>
    public static HeapWalk Of(IEnumerable<(string Name, object Root)> roots, IEnumerable<object> excluded, ISet<Type> components,
        Func<Assembly, bool> isFirmware, bool statics)
    {
        var walk = new HeapWalk(excluded, components, isFirmware);
        foreach (var (name, root) in roots)
        {
            walk._pending.Push((root, name));
            walk.Drain();
        }
        if (statics) walk.AddStatics(walk.FirmwareAssemblies().SelectMany(a => a.GetTypes()));
        return walk;
    }

    /// <summary>Walks only the static fields of <paramref name="types"/> and what they hold.</summary>
    public static HeapWalk OfStatics(IEnumerable<Type> types, Func<Assembly, bool> isFirmware)
    {
        var walk = new HeapWalk(Array.Empty<object>(), new HashSet<Type>(), isFirmware);
        walk.AddStatics(types);
        return walk;
    }

    /// <summary>The firmware assemblies whose types the walk met, and the firmware assemblies those reference, by name.</summary>
    public IReadOnlyList<Assembly> FirmwareAssemblies()
    {
        var found = new SortedDictionary<string, Assembly>(StringComparer.Ordinal);
        var pending = new Stack<Assembly>(_byType.Keys.Select(t => ElementType(t).Assembly).Where(_isFirmware).Distinct());
        while (pending.Count > 0)
        {
            Assembly a = pending.Pop();
            if (!found.TryAdd(a.GetName().Name, a)) continue;
            foreach (AssemblyName reference in a.GetReferencedAssemblies())
            {
                Assembly loaded = Assembly.Load(reference);
                if (_isFirmware(loaded)) pending.Push(loaded);
            }
        }
        return found.Values.ToList();
    }

    /// <summary>A component's figures (zero if nothing was booked under it).</summary>
    public Figures Component(string name) => _byComponent.TryGetValue(name, out Figures f) ? f : new Figures();

    /// <summary>All static-field slots and what only they reach.</summary>
    public Figures AllStatics()
    {
        var total = new Figures();
        foreach (var (name, f) in _byComponent)
        {
            if (!name.StartsWith(Statics, StringComparison.Ordinal)) continue;
            total.Nano += f.Nano;
            total.Clr += f.Clr;
            total.Payload += f.Payload;
            total.Objects += f.Objects;
        }
        return total;
    }

    /// <summary>True for types of the .NET runtime's own assemblies (arrays, strings, boxed values, collections).</summary>
    public static bool IsRuntimeType(Type type)
    {
        string name = type.Assembly.GetName().Name;
        return type.Assembly == typeof(object).Assembly || name == "netstandard" || name == "mscorlib" || name.StartsWith("System.", StringComparison.Ordinal);
    }

    private void Drain()
    {
        while (_pending.Count > 0)
        {
            var (value, component) = _pending.Pop();
            if (value == null || _excluded.Contains(value)) continue;
            Type type = value.GetType();
            Type elementOrSelf = type.IsArray ? ElementType(type) : type;
            if (!IsRuntimeType(elementOrSelf) && !_isFirmware(elementOrSelf.Assembly))
            {
                _excludedTypes.Add(type);
                continue;
            }
            if (value is string literal && ReferenceEquals(string.IsInterned(literal), literal))
            {
                // A literal: its text is in the deployed assembly (flash); each ldstr that stored it made a 12-byte header.
                // Counted per slot that holds it, an upper bound (one ldstr may fill several slots).
                Book(component, type, NanoClrSizes.LiteralHeader, 0, 0, 0);
                continue;
            }
            if (!_seen.Add(value)) continue;
            if (_components.Contains(type)) component = type.Name;
            Measure(value, type, component);
        }
    }

    private static Type ElementType(Type arrayType)
    {
        Type e = arrayType;
        while (e.IsArray) e = e.GetElementType();
        return e;
    }

    private void Measure(object value, Type type, string component)
    {
        long nano, clr, payload;
        if (value is string s)
        {
            nano = NanoClrSizes.String(Encoding.UTF8.GetByteCount(s));
            payload = 2L * s.Length;
            clr = Align(22 + payload);
        }
        else if (type.IsArray)
        {
            var array = (Array)value;
            if (array.Rank != 1) throw new NotSupportedException($"multi-dimensional array {type}: nanoCLR has none");
            Type element = type.GetElementType();
            nano = NanoClrSizes.Array(array.Length, NanoClrSizes.ElementSize(element));
            payload = (long)array.Length * SizeOf(element);
            clr = ArrayHeader + Align(payload);
            if (!element.IsValueType)
            {
                foreach (object item in array) _pending.Push((item, component));
            }
            else if (!NanoClrSizes.IsInline(element))
            {
                foreach (object item in array) nano += StructObject(element, item, component);
            }
        }
        else if (type.IsValueType)
        {
            // Boxed: a primitive, enum, DateTime or TimeSpan takes two blocks; a struct is a full copy (facts §1.3).
            nano = NanoClrSizes.IsInline(type) ? NanoClrSizes.BoxedInline : StructObject(type, value, component);
            payload = SizeOf(type);
            clr = Math.Max(MinObject, ObjectHeader + Align(payload));
        }
        else
        {
            FieldInfo[] fields = NanoClrSizes.InstanceFields(type);
            nano = value is Delegate d ? NanoClrSizes.Delegate * d.GetInvocationList().Length : NanoClrSizes.Object(fields.Length);
            if (NanoClrSizes.HasFinalizer(type)) nano += NanoClrSizes.Finalizer;
            payload = 0;
            foreach (FieldInfo field in fields)
            {
                payload += SizeOf(field.FieldType);
                nano += Slot(field.FieldType, field.GetValue(value), component);
            }
            clr = Math.Max(MinObject, ObjectHeader + Align(payload));
        }
        Book(component, type, nano, clr, payload, 1);
    }

    /// <summary>
    /// What a 12-byte slot of <paramref name="slotType"/> holding <paramref name="value"/> adds beyond itself: a struct
    /// object for a non-inline struct (walked at once), nothing for inline values; a reference is queued.
    /// </summary>
    private long Slot(Type slotType, object value, string component)
    {
        if (!slotType.IsValueType)
        {
            _pending.Push((value, component));
            return 0;
        }
        return NanoClrSizes.IsInline(slotType) ? 0 : StructObject(slotType, value, component);
    }

    /// <summary>A struct value on nanoCLR: its own heap object of 12 × (1 + fields), plus its struct fields' objects.</summary>
    private long StructObject(Type structType, object boxed, string component)
    {
        FieldInfo[] fields = NanoClrSizes.InstanceFields(structType);
        long nano = NanoClrSizes.Object(fields.Length);
        foreach (FieldInfo field in fields) nano += Slot(field.FieldType, field.GetValue(boxed), component);
        return nano;
    }

    /// <summary>
    /// nanoCLR runs every static constructor of every deployed assembly at boot (Execution.cpp: Execute →
    /// SpawnStaticConstructor), so each static field holds its value whether or not the firmware ever touches the type:
    /// a 12-byte slot each in the assembly's RAM block (facts §2.5) plus what it references. Constants (metadata only)
    /// and array-initializer data (field RVA, read from the image) take no slot.
    /// </summary>
    private void AddStatics(IEnumerable<Type> types)
    {
        foreach (Type type in types)
        {
            if (type.ContainsGenericParameters) continue;
            FieldInfo[] fields = type.GetFields(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly)
                .Where(f => !f.IsLiteral && (f.Attributes & FieldAttributes.HasFieldRVA) == 0).ToArray();
            if (fields.Length == 0) continue;
            RuntimeHelpers.RunClassConstructor(type.TypeHandle);
            string component = StaticsOf(type);
            foreach (FieldInfo field in fields)
            {
                StaticFields++;
                long nano = NanoClrSizes.StaticSlot + Slot(field.FieldType, field.GetValue(null), component);
                Book(component, field.FieldType, nano, 0, 0, 0);
                Drain();
            }
        }
    }

    private void Book(string component, Type type, long nano, long clr, long payload, int objects)
    {
        NanoBytes += nano;
        ClrBytes += clr;
        PayloadBytes += payload;
        Objects += objects;
        Add(_byComponent, component, nano, clr, payload, objects);
        Add(_byType, type, nano, clr, payload, objects);
    }

    private static void Add<TKey>(Dictionary<TKey, Figures> map, TKey key, long nano, long clr, long payload, int objects)
    {
        if (!map.TryGetValue(key, out Figures f)) map[key] = f = new Figures();
        f.Nano += nano;
        f.Clr += clr;
        f.Payload += payload;
        f.Objects += objects;
    }

    private static int SizeOf(Type type)
    {
        if (!type.IsValueType) return IntPtr.Size;
        return (int)typeof(Unsafe).GetMethod(nameof(Unsafe.SizeOf))!.MakeGenericMethod(type).Invoke(null, null)!;
    }

    private static long Align(long bytes) => (bytes + 7) & ~7L;
}
