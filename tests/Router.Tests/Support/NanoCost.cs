using System;
using System.Collections.Generic;
using System.Reflection;

namespace Router.Tests.Support;

/// <summary>
/// nanoCLR heap sizing of live objects, by the rules in nanoclr-facts.md: 12 × (1 + fields) per object, arrays
/// 12 × ceil((20 + N × elementSize) / 12). (What allocates per frame is the allocation gate's job: Compatibility/NanoAllocation*.)
/// </summary>
public static class NanoCost
{
    /// <summary>
    /// nanoCLR heap bytes of the objects reachable from <paramref name="root"/> whose types belong to the root's assembly,
    /// plus the arrays they hold; objects of other assemblies (injected devices, clocks) are not counted.
    /// </summary>
    public static long HeapBytes(object root)
    {
        var seen = new HashSet<object>(ReferenceEqualityComparer.Instance);
        var pending = new Stack<object>();
        pending.Push(root);
        Assembly home = root.GetType().Assembly;
        long total = 0;
        while (pending.Count > 0)
        {
            object o = pending.Pop();
            if (o == null || !seen.Add(o)) continue;
            Type t = o.GetType();
            if (t.IsArray)
            {
                var a = (Array)o;
                Type e = t.GetElementType();
                int size = e.IsPrimitive ? System.Runtime.InteropServices.Marshal.SizeOf(e) : 12;
                if (e == typeof(bool) || e == typeof(char)) size = e == typeof(bool) ? 1 : 2;
                total += 12 * ((20 + a.Length * size + 11) / 12);
                if (!e.IsPrimitive) foreach (object item in a) pending.Push(item);
                continue;
            }
            if (t.Assembly != home) continue;
            var fields = new List<FieldInfo>();
            for (Type x = t; x != null && x != typeof(object); x = x.BaseType)
                fields.AddRange(x.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly));
            total += 12 * (1 + fields.Count);
            foreach (FieldInfo f in fields) if (!f.FieldType.IsValueType) pending.Push(f.GetValue(o));
        }
        return total;
    }
}
