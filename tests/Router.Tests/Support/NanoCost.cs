using System;
using System.Collections.Generic;
using System.Reflection;
using Router.Budgets;

namespace Router.Tests.Support;

/// <summary>nanoCLR heap bytes of a component's own object graph, by <see cref="NanoClrSizes"/>.</summary>
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
                total += NanoClrSizes.Array(a.Length, NanoClrSizes.ElementSize(e));
                if (!e.IsValueType) foreach (object item in a) pending.Push(item);
                continue;
            }
            if (t.Assembly != home) continue;
            FieldInfo[] fields = NanoClrSizes.InstanceFields(t);
            total += NanoClrSizes.Object(fields.Length);
            foreach (FieldInfo f in fields) if (!f.FieldType.IsValueType) pending.Push(f.GetValue(o));
        }
        return total;
    }
}
