using System;
using System.Collections.Generic;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace Router.Budgets;

/// <summary>
/// Measures the objects reachable from a root through instance fields, by reflection over the live objects:
/// array lengths times element sizes plus instance field sizes (<see cref="PayloadBytes"/>, what the state needs on any
/// runtime), and the same with 64-bit CoreCLR object headers and alignment (<see cref="ClrBytes"/>, comparable with
/// <see cref="GC.GetAllocatedBytesForCurrentThread"/>). Each object is counted once, under the nearest enclosing
/// component (an object whose type is in the component set; the root's component otherwise).
/// </summary>
public sealed class HeapWalk
{
    private const int ObjectHeader = 16;   // sync block + method table
    private const int ArrayHeader = 24;    // sync block + method table + length (padded)
    private const int MinObject = 24;

    private readonly HashSet<object> _seen = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<object> _excluded;
    private readonly ISet<Type> _components;
    private readonly Dictionary<string, long> _byComponent = new();

    public long PayloadBytes { get; private set; }
    public long ClrBytes { get; private set; }
    public int Objects { get; private set; }
    /// <summary>Payload bytes per component type name.</summary>
    public IReadOnlyDictionary<string, long> ByComponent => _byComponent;

    private HeapWalk(IEnumerable<object> excluded, ISet<Type> components)
    {
        _excluded = new HashSet<object>(excluded, ReferenceEqualityComparer.Instance);
        _components = components;
    }

    /// <summary>Walks everything reachable from <paramref name="root"/>, stopping at <paramref name="excluded"/> objects (owned elsewhere).</summary>
    public static HeapWalk Of(object root, IEnumerable<object> excluded, ISet<Type> components)
    {
        var walk = new HeapWalk(excluded, components);
        var pending = new Stack<(object Value, string Component)>();
        pending.Push((root, root.GetType().Name));
        while (pending.Count > 0)
        {
            var (value, component) = pending.Pop();
            if (value == null || walk._excluded.Contains(value) || IsLiteral(value) || !walk._seen.Add(value)) continue;
            if (components.Contains(value.GetType())) component = value.GetType().Name;
            walk.Measure(value, component, pending);
        }
        return walk;
    }

    /// <summary>String literals live in the assembly (flash on a device): not allocated by construction, not state.</summary>
    private static bool IsLiteral(object value) => value is string s && ReferenceEquals(string.IsInterned(s), s);

    public long Component(string typeName) => _byComponent.TryGetValue(typeName, out long bytes) ? bytes : 0;

    private void Measure(object value, string component, Stack<(object, string)> pending)
    {
        Type type = value.GetType();
        long payload;
        long clr;
        if (value is string s)
        {
            payload = 2L * s.Length;
            clr = Align(22 + payload);
        }
        else if (type.IsArray)
        {
            var array = (Array)value;
            Type element = type.GetElementType();
            payload = (long)array.Length * SizeOf(element);
            clr = ArrayHeader + Align(payload);
            if (!element.IsValueType)
            {
                foreach (object item in array) pending.Push((item, component));
            }
            else if (!element.IsPrimitive && !element.IsEnum)
            {
                throw new NotSupportedException($"arrays of structs ({type}) are not walked");
            }
        }
        else
        {
            payload = 0;
            foreach (FieldInfo field in InstanceFields(type))
            {
                payload += SizeOf(field.FieldType);
                if (!field.FieldType.IsValueType) pending.Push((field.GetValue(value), component));
                else if (!field.FieldType.IsPrimitive && !field.FieldType.IsEnum && ContainsReferences(field.FieldType))
                {
                    throw new NotSupportedException($"struct field {type}.{field.Name} holding references is not walked");
                }
            }
            clr = Math.Max(MinObject, ObjectHeader + Align(payload));
        }
        PayloadBytes += payload;
        ClrBytes += clr;
        Objects++;
        _byComponent[component] = Component(component) + payload;
    }

    private static IEnumerable<FieldInfo> InstanceFields(Type type)
    {
        for (Type t = type; t != null && t != typeof(object); t = t.BaseType)
        {
            foreach (FieldInfo f in t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly)) yield return f;
        }
    }

    private static bool ContainsReferences(Type valueType)
    {
        foreach (FieldInfo f in InstanceFields(valueType))
        {
            if (!f.FieldType.IsValueType || (!f.FieldType.IsPrimitive && ContainsReferences(f.FieldType))) return true;
        }
        return false;
    }

    private static int SizeOf(Type type)
    {
        if (!type.IsValueType) return IntPtr.Size;
        return (int)typeof(Unsafe).GetMethod(nameof(Unsafe.SizeOf))!.MakeGenericMethod(type).Invoke(null, null)!;
    }

    private static long Align(long bytes) => (bytes + 7) & ~7L;
}
