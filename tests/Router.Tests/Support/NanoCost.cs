using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Reflection.Emit;

namespace Router.Tests.Support;

/// <summary>
/// nanoCLR costs read from compiled IL and live objects, by the rules in nanoclr-facts.md: what allocates on the device
/// (newobj, newarr, box, ldstr each time they run; every struct-typed local on each method entry) and how big an object
/// graph is there (12 × (1 + fields) per object, arrays 12 × ceil((20 + N × elementSize) / 12)).
/// </summary>
public static class NanoCost
{
    /// <summary>One allocating instruction or struct local found in a method.</summary>
    public sealed record Site(string Method, string What);

    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null))
        .ToDictionary(o => o.Value);

    /// <summary>
    /// Every allocation site in <paramref name="roots"/> and the methods of the same assembly they call (transitively).
    /// Calls leaving the assembly (interfaces such as ISpiDevice, Array.Copy) are not followed; returns the methods visited too.
    /// </summary>
    public static (List<Site> Sites, List<MethodBase> Visited) Scan(params MethodBase[] roots)
    {
        var sites = new List<Site>();
        var visited = new List<MethodBase>();
        var seen = new HashSet<MethodBase>();
        var pending = new Stack<MethodBase>(roots);
        Assembly home = roots[0].DeclaringType.Assembly;
        while (pending.Count > 0)
        {
            MethodBase m = pending.Pop();
            if (!seen.Add(m)) continue;
            visited.Add(m);
            MethodBody body = m.GetMethodBody();
            if (body == null) continue;
            string name = m.DeclaringType.Name + "." + m.Name;
            foreach (LocalVariableInfo local in body.LocalVariables)
            {
                Type t = local.LocalType;
                if (t.IsValueType && !t.IsPrimitive && !t.IsEnum) sites.Add(new Site(name, "struct local " + t.Name));
            }
            byte[] il = body.GetILAsByteArray();
            for (int i = 0; i < il.Length;)
            {
                short value = il[i] == 0xFE ? (short)(0xFE00 | il[i + 1]) : il[i];
                OpCode op = OpCodesByValue[value];
                int operandAt = i + op.Size;
                i = operandAt + OperandSize(op, il, operandAt);
                if (op == OpCodes.Newobj || op == OpCodes.Newarr || op == OpCodes.Box || op == OpCodes.Ldstr)
                {
                    sites.Add(new Site(name, op.Name));
                }
                if (op == OpCodes.Call || op == OpCodes.Callvirt || op == OpCodes.Newobj)
                {
                    MethodBase callee = m.Module.ResolveMethod(BitConverter.ToInt32(il, operandAt), m.DeclaringType.GetGenericArguments(), null);
                    if (callee.DeclaringType.Assembly == home && !callee.DeclaringType.IsInterface) pending.Push(callee);
                }
            }
        }
        return (sites, visited);
    }

    private static int OperandSize(OpCode op, byte[] il, int at) => op.OperandType switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        OperandType.InlineSwitch => 4 + 4 * BitConverter.ToInt32(il, at),
        _ => 4,
    };

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
