using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace Router.Tests.Compatibility
{
    /// <summary>One allocation nanoCLR would make, found in the IL of a method reached from an entry point.</summary>
    public sealed class AllocationViolation
    {
        public string Method;
        /// <summary>IL offset of the instruction, or -1 for what happens at method entry (struct locals).</summary>
        public int Offset;
        /// <summary>The instruction as written (<c>newobj</c>, <c>ldfld</c>, ...), or <c>.locals</c>.</summary>
        public string Instruction;
        /// <summary>Short rule name, see <see cref="NanoAllocationGate"/>.</summary>
        public string Rule;
        public string Detail;
        /// <summary>Source file relative to the repository (from the portable PDB), or null.</summary>
        public string File;
        public int Line;

        /// <summary>The identity the known-violations list uses: method, rule and detail, but no IL offset (offsets move on every edit).</summary>
        public string Key => Method + " | " + Rule + " " + Detail;

        /// <summary>nanoCLR heap bytes this instruction allocates each time it runs (nanoclr-facts §2), or null when the size is unknown (framework types, arrays of computed length).</summary>
        public int? Bytes;

        public string Where => (File ?? "?") + (Line > 0 ? ":" + Line : "") + " " + (Offset < 0 ? "entry" : "IL_" + Offset.ToString("x4"));

        public override string ToString() => Method + " @ " + Where + ": " + Rule + " — " + Instruction + " " + Detail;
    }

    /// <summary>What <see cref="NanoAllocationGate.Analyse"/> found.</summary>
    public sealed class AllocationGateResult
    {
        public readonly List<AllocationViolation> Violations = new List<AllocationViolation>();
        /// <summary>Every method walked (key → the caller it was first reached from, empty for entry points).</summary>
        public readonly SortedDictionary<string, string> Reached = new SortedDictionary<string, string>(StringComparer.Ordinal);
        /// <summary>Cold-path methods the walk reached and stopped at.</summary>
        public readonly SortedSet<string> ExemptReached = new SortedSet<string>(StringComparer.Ordinal);
        /// <summary>Methods with throw sites that the policy allows (the throw-path violations they would have had are here, not in <see cref="Violations"/>).</summary>
        public readonly List<AllocationViolation> AllowedThrowPaths = new List<AllocationViolation>();
        /// <summary>Virtual or interface calls with no implementation in the analysed assemblies (HAL devices implemented elsewhere, for example).</summary>
        public readonly SortedSet<string> Unresolved = new SortedSet<string>(StringComparer.Ordinal);
        /// <summary>Every call into the analysed assemblies the walk scanned: caller, IL offset, a method it may run, and whether the call is on a throw path (for per-call totals: a callee reached twice counts twice).</summary>
        public readonly List<(string Caller, int Offset, string Callee, bool InThrowBlock)> Calls = new List<(string, int, string, bool)>();

        /// <summary>The chain of callers from an entry point down to <paramref name="method"/>.</summary>
        public string PathTo(string method)
        {
            var chain = new List<string>();
            string current = method;
            while (current != null && chain.Count < 40)
            {
                chain.Add(current);
                current = Reached.TryGetValue(current, out string caller) && caller.Length > 0 ? caller : null;
            }
            chain.Reverse();
            return string.Join(" → ", chain);
        }
    }

    /// <summary>
    /// The nanoCLR allocation gate: from entry points, walks the call graph through the compiled IL of the project's
    /// nano-compatible assemblies and reports every instruction that allocates on nanoCLR's heap
    /// (facts and citations: /work/shared/reference/nanoclr-facts.md; rules: docs/nanoclr-allocation-gate.md).
    /// <list type="bullet">
    /// <item><c>newobj</c> (class or struct), <c>newarr</c>, <c>box</c>, <c>ldstr</c>: rules of the same names;</item>
    /// <item><c>struct-local</c>: a local of a struct type (not primitive, enum, DateTime or TimeSpan), allocated at every method entry;</item>
    /// <item><c>struct-load</c>: <c>ldfld</c>, <c>ldsfld</c>, <c>ldelem</c>, <c>ldobj</c>, <c>unbox.any</c> of a struct (a copy);</item>
    /// <item><c>struct-return</c> / <c>struct-arg</c>: a call returning a struct, or taking one by value (property getters included);</item>
    /// <item><c>delegate</c>: <c>ldftn</c> / <c>ldvirtftn</c> (delegates, lambdas, closures);</item>
    /// <item><c>constrained</c>: a <c>constrained.</c> call on a struct receiver (boxes unless the struct overrides the method);</item>
    /// <item><c>framework-alloc</c>: a framework method on the reviewed deny list (string building, ToString, Encoding, StringBuilder...);</item>
    /// <item><c>framework-suspicious</c>: any other framework method returning a string or an array;</item>
    /// <item><c>throw-path</c>: any of the above inside a basic block that ends in <c>throw</c>.</item>
    /// </list>
    /// Calls are followed into every method of the analysed assemblies; <c>callvirt</c> of a virtual or interface
    /// method goes to every implementation in them. The walk stops at the policy's cold paths.
    /// </summary>
    public sealed class NanoAllocationGate
    {
        /// <summary>Framework methods that allocate, by declaring type ("*" = every method of the type). Reviewed list: extend, never guess away.</summary>
        public static readonly Dictionary<string, string[]> FrameworkDenyList = new Dictionary<string, string[]>(StringComparer.Ordinal)
        {
            { "System.String", new[] { "Concat", "Format", "Join", "Substring", "Replace", "ToUpper", "ToLower", "ToUpperInvariant", "ToLowerInvariant",
                "Trim", "TrimStart", "TrimEnd", "Split", "PadLeft", "PadRight", "Insert", "Remove", "ToCharArray", "Copy", "Intern", ".ctor" } },
            { "System.Text.Encoding", new[] { "GetBytes", "GetString", "GetChars" } },
            { "System.Text.UTF8Encoding", new[] { "GetBytes", "GetString", "GetChars" } },
            { "System.Text.StringBuilder", new[] { "*" } },
            { "System.Array", new[] { "Resize", "Clone", "CreateInstance" } },
            { "System.Object", new[] { "MemberwiseClone" } },
            { "System.BitConverter", new[] { "GetBytes", "ToString" } },
            { "System.Convert", new[] { "ToString", "ToBase64String", "FromBase64String", "FromBase64CharArray" } },
            { "System.Enum", new[] { "GetName", "GetNames", "GetValues" } },
            { "System.Delegate", new[] { "Combine", "Remove", "CreateDelegate" } },
            { "System.Guid", new[] { "NewGuid" } },
            { "System.Threading.Thread", new[] { "Start" } },
            { "System.Collections.ArrayList", new[] { "Add", "Insert", "ToArray", "Clone", "get_Item" } },
            { "System.Collections.Hashtable", new[] { "Add", "set_Item", "get_Item", "Clone" } },
            { "System.Collections.Queue", new[] { "Enqueue", "Dequeue", "ToArray", "Clone" } },
            { "System.Collections.Stack", new[] { "Push", "Pop", "ToArray", "Clone" } },
        };

        /// <summary>Framework methods that allocate whatever type declares them: text, an enumerator object, a copy.</summary>
        public static readonly string[] DeniedEverywhere = { "ToString", "GetEnumerator", "Clone" };

        /// <summary>Value types nanoCLR stores inline in a 12-byte slot besides primitives and enums (facts §1.1).</summary>
        private static readonly HashSet<string> InlineValueTypes = new HashSet<string>(StringComparer.Ordinal) { "System.DateTime", "System.TimeSpan" };

        private static readonly OpCode[] OneByteOpCodes = new OpCode[256];
        private static readonly OpCode[] TwoByteOpCodes = new OpCode[256];

        static NanoAllocationGate()
        {
            foreach (FieldInfo field in typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static))
            {
                var op = (OpCode)field.GetValue(null);
                ushort value = (ushort)op.Value;
                if (op.Size == 1) OneByteOpCodes[value] = op;
                else TwoByteOpCodes[value & 0xff] = op;
            }
        }

        private readonly List<LoadedModule> _modules = new List<LoadedModule>();
        private readonly Dictionary<string, TypeEntry> _types = new Dictionary<string, TypeEntry>(StringComparer.Ordinal);
        private readonly Dictionary<string, MethodEntry> _methods = new Dictionary<string, MethodEntry>(StringComparer.Ordinal);
        private readonly string _sourceRoot;

        /// <param name="images">The analysed assemblies: (PE image, portable PDB image or null).</param>
        /// <param name="sourceRoot">Source paths in PDBs are reported relative to this directory (null: as recorded).</param>
        public NanoAllocationGate(IEnumerable<(byte[] Image, byte[] Pdb)> images, string sourceRoot = null)
        {
            _sourceRoot = sourceRoot;
            foreach ((byte[] image, byte[] pdb) in images)
            {
                var module = new LoadedModule(image, pdb);
                _modules.Add(module);
            }
            foreach (LoadedModule module in _modules) IndexTypes(module);
            foreach (TypeEntry type in _types.Values) IndexMethods(type);
        }

        /// <summary>Loads <paramref name="assemblyNames"/> (and their PDBs when present) from <paramref name="directory"/>.</summary>
        public static NanoAllocationGate FromDirectory(string directory, IEnumerable<string> assemblyNames, string sourceRoot)
        {
            var images = new List<(byte[], byte[])>();
            foreach (string name in assemblyNames)
            {
                string dll = Path.Combine(directory, name + ".dll");
                if (!System.IO.File.Exists(dll)) throw new FileNotFoundException("analysed assembly missing", dll);
                string pdb = Path.ChangeExtension(dll, ".pdb");
                images.Add((System.IO.File.ReadAllBytes(dll), System.IO.File.Exists(pdb) ? System.IO.File.ReadAllBytes(pdb) : null));
            }
            return new NanoAllocationGate(images, sourceRoot);
        }

        /// <summary>Every method key of the analysed assemblies (for checking that policy entries name real methods).</summary>
        public IEnumerable<string> MethodKeys => _methods.Keys;

        /// <summary>Method keys matching a policy name: an exact key <c>Ns.Type::Name(int,byte[])</c>, or <c>Ns.Type::Name</c> for every overload.</summary>
        public IReadOnlyList<string> Resolve(string name)
        {
            if (_methods.ContainsKey(name)) return new[] { name };
            if (name.IndexOf('(') >= 0) return Array.Empty<string>();
            return _methods.Keys.Where(k => k.StartsWith(name + "(", StringComparison.Ordinal)).OrderBy(k => k, StringComparer.Ordinal).ToList();
        }

        public AllocationGateResult Analyse(IEnumerable<string> entryPoints, IReadOnlyDictionary<string, string> coldPaths, IReadOnlyDictionary<string, string> allowedThrows)
        {
            var cold = new HashSet<string>(coldPaths.Keys.SelectMany(Resolve), StringComparer.Ordinal);
            var throwsAllowed = new HashSet<string>(allowedThrows.Keys.SelectMany(Resolve), StringComparer.Ordinal);
            var result = new AllocationGateResult();
            var queue = new Queue<MethodEntry>();
            foreach (string entry in entryPoints)
            {
                IReadOnlyList<string> keys = Resolve(entry);
                if (keys.Count == 0) throw new ArgumentException("entry point " + entry + " is not a method of the analysed assemblies");
                foreach (string key in keys)
                {
                    if (result.Reached.ContainsKey(key)) continue;
                    result.Reached.Add(key, "");
                    queue.Enqueue(_methods[key]);
                }
            }
            while (queue.Count > 0)
            {
                MethodEntry method = queue.Dequeue();
                if (cold.Contains(method.Key))
                {
                    result.ExemptReached.Add(method.Key);
                    continue;
                }
                foreach (MethodEntry callee in Scan(method, result, throwsAllowed.Contains(method.Key)))
                {
                    if (result.Reached.ContainsKey(callee.Key)) continue;
                    result.Reached.Add(callee.Key, method.Key);
                    queue.Enqueue(callee);
                }
            }
            return result;
        }

        // ---- IL scan -------------------------------------------------------------------------------------------

        private struct Instruction
        {
            public int Offset;
            public OpCode Op;
            public int Token;
            public int Int;
            public int[] Targets;
        }

        private IEnumerable<MethodEntry> Scan(MethodEntry method, AllocationGateResult result, bool throwsAllowed)
        {
            var callees = new List<MethodEntry>();
            MethodDefinition def = method.Module.Reader.GetMethodDefinition(method.Handle);
            if (def.RelativeVirtualAddress == 0) return callees; // abstract, interface or extern: nothing to scan
            MethodBodyBlock body = method.Module.Pe.GetMethodBody(def.RelativeVirtualAddress);
            MetadataReader reader = method.Module.Reader;
            var provider = new SigProvider(this);

            void Report(int offset, string instruction, string rule, string detail, bool inThrowBlock, int? bytes)
            {
                var v = new AllocationViolation { Method = method.Key, Offset = offset, Instruction = instruction, Rule = rule, Detail = detail, Bytes = bytes };
                method.Module.Locate(method.Handle, offset, _sourceRoot, out v.File, out v.Line);
                if (inThrowBlock)
                {
                    v.Rule = "throw-path";
                    v.Detail = rule + " " + detail;
                    if (throwsAllowed)
                    {
                        result.AllowedThrowPaths.Add(v);
                        return;
                    }
                }
                result.Violations.Add(v);
            }

            if (!body.LocalSignature.IsNil)
            {
                ImmutableArray<Sig> locals = reader.GetStandaloneSignature(body.LocalSignature).DecodeLocalSignature(provider, null);
                for (int i = 0; i < locals.Length; i++)
                {
                    if (IsStruct(locals[i])) Report(-1, ".locals V_" + i, "struct-local", locals[i].Name, false, ObjectBytes(locals[i].FullName));
                }
            }

            List<Instruction> code = Decode(body.GetILReader());
            HashSet<int> throwBlockOffsets = ThrowBlocks(code, body);
            EntityHandle constrainedType = default;
            for (int index = 0; index < code.Count; index++)
            {
                Instruction ins = code[index];
                bool inThrow = throwBlockOffsets.Contains(ins.Offset);
                string name = ins.Op.Name;
                if (ins.Op == OpCodes.Constrained)
                {
                    constrainedType = MetadataTokens.EntityHandle(ins.Token);
                    continue;
                }
                if (ins.Op == OpCodes.Newobj || ins.Op == OpCodes.Call || ins.Op == OpCodes.Callvirt)
                {
                    EntityHandle target = MetadataTokens.EntityHandle(ins.Token);
                    CallSite site = DescribeCall(method.Module, target, provider);
                    if (ins.Op == OpCodes.Newobj)
                    {
                        bool valueType = _types.TryGetValue(site.DeclaringType, out TypeEntry created) ? created.IsValueType : Type.GetType(site.DeclaringType, false)?.IsValueType == true;
                        Report(ins.Offset, name, "newobj", site.DeclaringType + (valueType ? " (struct)" : ""), inThrow, ObjectBytes(site.DeclaringType));
                    }
                    if (!constrainedType.IsNil)
                    {
                        Sig receiver = DecodeTypeHandle(method.Module, constrainedType, provider);
                        if (IsStruct(receiver) || receiver.Kind == SigKind.Primitive || receiver.Kind == SigKind.Enum)
                        {
                            Report(ins.Offset, "constrained. " + name, "constrained", receiver.Name + " → " + site.Display + " (boxes the receiver unless the type overrides it)", inThrow, BoxBytes(receiver));
                        }
                        constrainedType = default;
                    }
                    if (IsStruct(site.Return)) Report(ins.Offset, name, "struct-return", site.Display + " returns " + site.Return.Name, inThrow, ObjectBytes(site.Return.FullName));
                    foreach (Sig p in site.Parameters)
                    {
                        if (IsStruct(p)) Report(ins.Offset, name, "struct-arg", site.Display + " takes " + p.Name + " by value", inThrow, ObjectBytes(p.FullName));
                    }
                    if (site.Own == null)
                    {
                        string deny = FrameworkDenial(site);
                        if (deny != null) Report(ins.Offset, name, deny, site.Display, inThrow, null);
                        // object.Equals / GetHashCode called through System.Object may run any of our overrides.
                        if (ins.Op == OpCodes.Callvirt && site.DeclaringType == "System.Object") callees.AddRange(ObjectOverrides(site));
                        continue;
                    }
                    bool dispatch = ins.Op == OpCodes.Callvirt;
                    List<MethodEntry> targets = Targets(site.Own, dispatch);
                    if (targets.Count == 0) result.Unresolved.Add(site.Own.Key + " (no implementation in the analysed assemblies; called from " + method.Key + ")");
                    foreach (MethodEntry t in targets) result.Calls.Add((method.Key, ins.Offset, t.Key, inThrow));
                    callees.AddRange(targets);
                    continue;
                }
                if (ins.Op == OpCodes.Newarr)
                {
                    Sig element = DecodeTypeHandle(method.Module, MetadataTokens.EntityHandle(ins.Token), provider);
                    Report(ins.Offset, name, "newarr", element.Name + "[]", inThrow, ArrayBytes(element, ConstantBefore(code, index)));
                }
                else if (ins.Op == OpCodes.Box)
                {
                    Sig boxed = DecodeTypeHandle(method.Module, MetadataTokens.EntityHandle(ins.Token), provider);
                    Report(ins.Offset, name, "box", boxed.Name, inThrow, BoxBytes(boxed));
                }
                else if (ins.Op == OpCodes.Ldstr)
                {
                    string text = reader.GetUserString(MetadataTokens.UserStringHandle(ins.Token));
                    if (text.Length > 40) text = text.Substring(0, 37) + "...";
                    Report(ins.Offset, name, "ldstr", "\"" + text.Replace("\r", "\\r").Replace("\n", "\\n") + "\"", inThrow, LiteralBytes);
                }
                else if (ins.Op == OpCodes.Ldftn || ins.Op == OpCodes.Ldvirtftn)
                {
                    CallSite site = DescribeCall(method.Module, MetadataTokens.EntityHandle(ins.Token), provider);
                    Report(ins.Offset, name, "delegate", site.Display, inThrow, 0); // its bytes are counted at the delegate's newobj
                }
                else if (ins.Op == OpCodes.Ldfld || ins.Op == OpCodes.Ldsfld)
                {
                    (string field, Sig type) = DescribeField(method.Module, MetadataTokens.EntityHandle(ins.Token), provider);
                    if (IsStruct(type)) Report(ins.Offset, name, "struct-load", field + " (" + type.Name + ")", inThrow, ObjectBytes(type.FullName));
                }
                else if (ins.Op == OpCodes.Ldelem || ins.Op == OpCodes.Ldobj || ins.Op == OpCodes.Unbox_Any)
                {
                    Sig type = DecodeTypeHandle(method.Module, MetadataTokens.EntityHandle(ins.Token), provider);
                    if (IsStruct(type)) Report(ins.Offset, name, "struct-load", type.Name, inThrow, ObjectBytes(type.FullName));
                }
                else if (ins.Op == OpCodes.Calli)
                {
                    Report(ins.Offset, name, "unresolved-call", "calli cannot be followed", inThrow, null);
                }
            }
            return callees;
        }

        private static List<Instruction> Decode(BlobReader il)
        {
            var code = new List<Instruction>();
            while (il.RemainingBytes > 0)
            {
                var ins = new Instruction { Offset = il.Offset };
                byte first = il.ReadByte();
                ins.Op = first == 0xFE ? TwoByteOpCodes[il.ReadByte()] : OneByteOpCodes[first];
                switch (ins.Op.OperandType)
                {
                    case OperandType.InlineNone:
                        break;
                    case OperandType.ShortInlineBrTarget:
                        ins.Int = il.ReadSByte();
                        ins.Targets = new[] { il.Offset + ins.Int };
                        break;
                    case OperandType.ShortInlineI:
                    case OperandType.ShortInlineVar:
                        ins.Int = il.ReadByte();
                        break;
                    case OperandType.InlineVar:
                        ins.Int = il.ReadUInt16();
                        break;
                    case OperandType.InlineBrTarget:
                        ins.Int = il.ReadInt32();
                        ins.Targets = new[] { il.Offset + ins.Int };
                        break;
                    case OperandType.InlineI:
                    case OperandType.ShortInlineR:
                        ins.Int = il.ReadInt32();
                        break;
                    case OperandType.InlineI8:
                    case OperandType.InlineR:
                        il.ReadInt64();
                        break;
                    case OperandType.InlineSwitch:
                        int count = il.ReadInt32();
                        var relative = new int[count];
                        for (int i = 0; i < count; i++) relative[i] = il.ReadInt32();
                        ins.Targets = relative.Select(r => il.Offset + r).ToArray();
                        break;
                    default: // tokens: field, method, type, string, signature
                        ins.Token = il.ReadInt32();
                        break;
                }
                code.Add(ins);
            }
            return code;
        }

        /// <summary>Offsets of the instructions in basic blocks that end in <c>throw</c>: the construction of the exception and its message.</summary>
        private static HashSet<int> ThrowBlocks(List<Instruction> code, MethodBodyBlock body)
        {
            var leaders = new HashSet<int> { 0 };
            foreach (ExceptionRegion region in body.ExceptionRegions)
            {
                leaders.Add(region.TryOffset);
                leaders.Add(region.HandlerOffset);
                if (region.Kind == ExceptionRegionKind.Filter) leaders.Add(region.FilterOffset);
            }
            for (int i = 0; i < code.Count; i++)
            {
                if (code[i].Targets != null) foreach (int t in code[i].Targets) leaders.Add(t);
                FlowControl flow = code[i].Op.FlowControl;
                if ((flow == FlowControl.Branch || flow == FlowControl.Cond_Branch || flow == FlowControl.Return || flow == FlowControl.Throw) && i + 1 < code.Count)
                {
                    leaders.Add(code[i + 1].Offset);
                }
            }
            var inThrow = new HashSet<int>();
            int start = 0;
            for (int i = 0; i < code.Count; i++)
            {
                bool last = i + 1 == code.Count || leaders.Contains(code[i + 1].Offset);
                if (!last) continue;
                if (code[i].Op == OpCodes.Throw)
                {
                    for (int j = start; j <= i; j++) inThrow.Add(code[j].Offset);
                }
                start = i + 1;
            }
            return inThrow;
        }

        // ---- nanoCLR sizes (nanoclr-facts §2) -------------------------------------------------------------------

        private const int Block = 12;
        private const int LiteralBytes = 12;
        private const int DelegateBytes = 36;
        private const int BoxedPrimitiveBytes = 24;

        /// <summary>
        /// Bytes of one instance of a type of the analysed assemblies: 12 × (1 + instance fields, inherited included),
        /// each struct-typed field adding its own object; 36 for a delegate. Null for types outside them.
        /// </summary>
        private int? ObjectBytes(string fullName)
        {
            if (fullName.StartsWith("System.Func`", StringComparison.Ordinal) || fullName.StartsWith("System.Action", StringComparison.Ordinal)) return DelegateBytes;
            if (!_types.TryGetValue(fullName, out TypeEntry type)) return null;
            if (type.BaseType == "System.MulticastDelegate") return DelegateBytes;
            int blocks = 1, nested = 0;
            var provider = new SigProvider(this);
            for (TypeEntry t = type; t != null; t = t.BaseType == null ? null : _types.GetValueOrDefault(t.BaseType))
            {
                if (t.BaseType != null && !_types.ContainsKey(t.BaseType) && t.BaseType != "System.Object" && t.BaseType != "System.ValueType") return null;
                MetadataReader reader = t.Module.Reader;
                foreach (FieldDefinitionHandle h in reader.GetTypeDefinition(t.Handle).GetFields())
                {
                    FieldDefinition field = reader.GetFieldDefinition(h);
                    if ((field.Attributes & FieldAttributes.Static) != 0) continue;
                    blocks++;
                    Sig fieldType = field.DecodeSignature(provider, null);
                    if (IsStruct(fieldType))
                    {
                        int? inner = ObjectBytes(fieldType.FullName);
                        if (inner == null) return null;
                        nested += inner.Value;
                    }
                }
            }
            return Block * blocks + nested;
        }

        private int? BoxBytes(Sig type) => type.Kind == SigKind.Primitive || type.Kind == SigKind.Enum ? BoxedPrimitiveBytes : ObjectBytes(type.FullName);

        /// <summary>12 × ceil((20 + N × element size) / 12), plus one object per element for struct arrays; null without a constant length.</summary>
        private int? ArrayBytes(Sig element, int? length)
        {
            if (length == null) return null;
            int size;
            switch (element.FullName)
            {
                case "System.Boolean": case "System.Byte": case "System.SByte": size = 1; break;
                case "System.Char": case "System.Int16": case "System.UInt16": size = 2; break;
                case "System.Int32": case "System.UInt32": case "System.Single": size = 4; break;
                case "System.Int64": case "System.UInt64": case "System.Double": size = 8; break;
                default: size = element.Kind == SigKind.Enum ? 4 : Block; break;
            }
            int bytes = Block * ((20 + length.Value * size + Block - 1) / Block);
            if (!IsStruct(element)) return bytes;
            int? each = ObjectBytes(element.FullName);
            return each == null ? (int?)null : bytes + length.Value * each.Value;
        }

        /// <summary>The constant an <c>ldc.i4</c> right before instruction <paramref name="index"/> pushes, or null.</summary>
        private static int? ConstantBefore(List<Instruction> code, int index)
        {
            if (index == 0) return null;
            Instruction prev = code[index - 1];
            OpCode op = prev.Op;
            if (op == OpCodes.Ldc_I4 || op == OpCodes.Ldc_I4_S) return op == OpCodes.Ldc_I4_S ? (sbyte)prev.Int : prev.Int;
            if (op == OpCodes.Ldc_I4_M1) return -1;
            if (op.Value >= OpCodes.Ldc_I4_0.Value && op.Value <= OpCodes.Ldc_I4_8.Value) return op.Value - OpCodes.Ldc_I4_0.Value;
            return null;
        }

        private static string FrameworkDenial(CallSite site)
        {
            if (Array.IndexOf(DeniedEverywhere, site.Name) >= 0) return "framework-alloc";
            if (FrameworkDenyList.TryGetValue(site.DeclaringType, out string[] names) && (names.Contains("*") || names.Contains(site.Name))) return "framework-alloc";
            if (site.Name != ".ctor" && (site.Return.Kind == SigKind.String || site.Return.Kind == SigKind.Array)) return "framework-suspicious";
            return null;
        }

        // ---- call graph ----------------------------------------------------------------------------------------

        /// <summary>What a call instruction calls: a method of the analysed assemblies, or a framework method.</summary>
        private sealed class CallSite
        {
            public string DeclaringType;
            public string Name;
            public Sig Return;
            public ImmutableArray<Sig> Parameters;
            public MethodEntry Own;
            public string Display => DeclaringType + "::" + Name + "(" + string.Join(",", Parameters.Select(p => p.Name)) + ")";
        }

        private CallSite DescribeCall(LoadedModule module, EntityHandle handle, SigProvider provider)
        {
            MetadataReader reader = module.Reader;
            switch (handle.Kind)
            {
                case HandleKind.MethodDefinition:
                {
                    MethodEntry own = module.Methods[(MethodDefinitionHandle)handle];
                    return new CallSite { DeclaringType = own.Type.FullName, Name = own.Name, Return = own.Signature.ReturnType, Parameters = own.Signature.ParameterTypes, Own = own };
                }
                case HandleKind.MemberReference:
                {
                    MemberReference member = reader.GetMemberReference((MemberReferenceHandle)handle);
                    MethodSignature<Sig> sig = member.DecodeMethodSignature(provider, null);
                    string name = reader.GetString(member.Name);
                    string parent = ParentName(module, member.Parent, provider);
                    var site = new CallSite { DeclaringType = parent, Name = name, Return = sig.ReturnType, Parameters = sig.ParameterTypes };
                    if (_types.TryGetValue(parent, out TypeEntry type) && (member.Parent.Kind == HandleKind.TypeReference || member.Parent.Kind == HandleKind.TypeDefinition))
                    {
                        site.Own = FindMethod(type, name, SignatureKey(sig));
                    }
                    return site;
                }
                case HandleKind.MethodSpecification:
                {
                    MethodSpecification spec = reader.GetMethodSpecification((MethodSpecificationHandle)handle);
                    CallSite site = DescribeCall(module, spec.Method, provider);
                    site.Own = null; // generic methods do not exist on nanoFramework 1.x; the metadata gate reports them
                    return site;
                }
                default:
                    return new CallSite { DeclaringType = "?", Name = handle.Kind.ToString(), Return = Sig.Void, Parameters = ImmutableArray<Sig>.Empty };
            }
        }

        private string ParentName(LoadedModule module, EntityHandle parent, SigProvider provider)
        {
            switch (parent.Kind)
            {
                case HandleKind.TypeReference: return NanoMetadataGate.TypeRefName(module.Reader, (TypeReferenceHandle)parent);
                case HandleKind.TypeDefinition: return NanoMetadataGate.TypeDefName(module.Reader, (TypeDefinitionHandle)parent);
                case HandleKind.TypeSpecification: return module.Reader.GetTypeSpecification((TypeSpecificationHandle)parent).DecodeSignature(provider, null).FullName;
                case HandleKind.MethodDefinition: return module.Methods[(MethodDefinitionHandle)parent].Type.FullName;
                default: return "?";
            }
        }

        private (string Name, Sig Type) DescribeField(LoadedModule module, EntityHandle handle, SigProvider provider)
        {
            MetadataReader reader = module.Reader;
            if (handle.Kind == HandleKind.FieldDefinition)
            {
                FieldDefinition field = reader.GetFieldDefinition((FieldDefinitionHandle)handle);
                return (NanoMetadataGate.TypeDefName(reader, field.GetDeclaringType()) + "::" + reader.GetString(field.Name), field.DecodeSignature(provider, null));
            }
            MemberReference member = reader.GetMemberReference((MemberReferenceHandle)handle);
            return (ParentName(module, member.Parent, provider) + "::" + reader.GetString(member.Name), member.DecodeFieldSignature(provider, null));
        }

        private Sig DecodeTypeHandle(LoadedModule module, EntityHandle handle, SigProvider provider)
        {
            MetadataReader reader = module.Reader;
            switch (handle.Kind)
            {
                case HandleKind.TypeDefinition: return provider.GetTypeFromDefinition(reader, (TypeDefinitionHandle)handle, 0);
                case HandleKind.TypeReference: return provider.GetTypeFromReference(reader, (TypeReferenceHandle)handle, 0);
                case HandleKind.TypeSpecification: return reader.GetTypeSpecification((TypeSpecificationHandle)handle).DecodeSignature(provider, null);
                default: return new Sig("?", SigKind.Class);
            }
        }

        /// <summary>
        /// The methods a call may run: the method itself for <c>call</c> and non-virtual methods; for <c>callvirt</c> of a
        /// virtual or interface method, every implementation in the analysed assemblies of a type assignable to the declaring type.
        /// </summary>
        private List<MethodEntry> Targets(MethodEntry method, bool dispatch)
        {
            var targets = new List<MethodEntry>();
            if (!dispatch || !method.IsVirtual)
            {
                targets.Add(method);
                return targets;
            }
            if (method.HasBody) targets.Add(method);
            foreach (TypeEntry type in _types.Values)
            {
                if (type == method.Type || type.IsInterface || !IsAssignableTo(type, method.Type.FullName)) continue;
                MethodEntry impl = FindImplementation(type, method);
                if (impl != null && impl.HasBody && !targets.Contains(impl)) targets.Add(impl);
            }
            return targets;
        }

        private IEnumerable<MethodEntry> ObjectOverrides(CallSite site)
        {
            foreach (TypeEntry type in _types.Values)
            {
                foreach (MethodEntry m in type.Methods)
                {
                    if (m.IsVirtual && m.HasBody && m.Name == site.Name && m.Signature.ParameterTypes.Length == site.Parameters.Length) yield return m;
                }
            }
        }

        private MethodEntry FindImplementation(TypeEntry type, MethodEntry declaration)
        {
            for (TypeEntry t = type; t != null; t = t.BaseType == null ? null : _types.GetValueOrDefault(t.BaseType))
            {
                foreach (MethodImplementationHandle h in t.Module.Reader.GetTypeDefinition(t.Handle).GetMethodImplementations())
                {
                    MethodImplementation impl = t.Module.Reader.GetMethodImplementation(h);
                    CallSite declared = DescribeCall(t.Module, impl.MethodDeclaration, new SigProvider(this));
                    if (declared.Own == declaration) return DescribeCall(t.Module, impl.MethodBody, new SigProvider(this)).Own;
                }
                MethodEntry byName = FindMethod(t, declaration.Name, declaration.SignatureKey);
                if (byName != null && byName.IsVirtual) return byName;
            }
            return null;
        }

        private bool IsAssignableTo(TypeEntry type, string target)
        {
            for (TypeEntry t = type; t != null; t = t.BaseType == null ? null : _types.GetValueOrDefault(t.BaseType))
            {
                if (t.FullName == target) return true;
                foreach (string i in t.Interfaces)
                {
                    if (i == target) return true;
                    if (_types.TryGetValue(i, out TypeEntry iface) && IsAssignableTo(iface, target)) return true;
                }
            }
            return false;
        }

        private static MethodEntry FindMethod(TypeEntry type, string name, string signatureKey)
        {
            foreach (MethodEntry m in type.Methods)
            {
                if (m.Name == name && m.SignatureKey == signatureKey) return m;
            }
            return null;
        }

        private static string SignatureKey(MethodSignature<Sig> sig)
            => (sig.Header.IsInstance ? "instance " : "") + sig.ReturnType.FullName + "(" + string.Join(",", sig.ParameterTypes.Select(p => p.FullName)) + ")";

        // ---- types ---------------------------------------------------------------------------------------------

        private void IndexTypes(LoadedModule module)
        {
            MetadataReader reader = module.Reader;
            foreach (TypeDefinitionHandle h in reader.TypeDefinitions)
            {
                TypeDefinition def = reader.GetTypeDefinition(h);
                string name = NanoMetadataGate.TypeDefName(reader, h);
                if (name == "<Module>") continue;
                var type = new TypeEntry { Module = module, Handle = h, FullName = name, IsInterface = (def.Attributes & TypeAttributes.Interface) != 0 };
                type.BaseType = def.BaseType.IsNil ? null : TypeHandleName(reader, def.BaseType);
                type.IsEnum = type.BaseType == "System.Enum";
                type.IsValueType = type.BaseType == "System.ValueType" || type.IsEnum;
                foreach (InterfaceImplementationHandle ih in def.GetInterfaceImplementations())
                {
                    type.Interfaces.Add(TypeHandleName(reader, reader.GetInterfaceImplementation(ih).Interface));
                }
                _types[name] = type;
            }
        }

        private void IndexMethods(TypeEntry type)
        {
            MetadataReader reader = type.Module.Reader;
            var provider = new SigProvider(this);
            foreach (MethodDefinitionHandle h in reader.GetTypeDefinition(type.Handle).GetMethods())
            {
                MethodDefinition def = reader.GetMethodDefinition(h);
                MethodSignature<Sig> sig = def.DecodeSignature(provider, null);
                var method = new MethodEntry
                {
                    Module = type.Module, Handle = h, Type = type, Name = reader.GetString(def.Name), Signature = sig,
                    SignatureKey = SignatureKey(sig),
                    IsVirtual = (def.Attributes & MethodAttributes.Virtual) != 0,
                    HasBody = def.RelativeVirtualAddress != 0,
                };
                method.Key = type.FullName + "::" + method.Name + "(" + string.Join(",", sig.ParameterTypes.Select(p => p.Name)) + ")";
                type.Methods.Add(method);
                type.Module.Methods[h] = method;
                _methods[method.Key] = method;
            }
        }

        private static string TypeHandleName(MetadataReader reader, EntityHandle handle)
        {
            switch (handle.Kind)
            {
                case HandleKind.TypeDefinition: return NanoMetadataGate.TypeDefName(reader, (TypeDefinitionHandle)handle);
                case HandleKind.TypeReference: return NanoMetadataGate.TypeRefName(reader, (TypeReferenceHandle)handle);
                default: return "?";
            }
        }

        /// <summary>True for a value type nanoCLR keeps as a separate heap object: not a primitive, enum, DateTime or TimeSpan.</summary>
        private bool IsStruct(Sig sig) => sig.Kind == SigKind.Struct;

        private SigKind ValueTypeKind(string fullName)
        {
            if (InlineValueTypes.Contains(fullName)) return SigKind.Primitive;
            if (_types.TryGetValue(fullName, out TypeEntry own)) return own.IsEnum ? SigKind.Enum : SigKind.Struct;
            if (fullName == "System.IntPtr" || fullName == "System.UIntPtr") return SigKind.Primitive;
            // A framework value type: an enum (inline) or a struct. The running runtime's corelib answers which.
            Type runtime = Type.GetType(fullName, false);
            if (runtime != null && runtime.IsPrimitive) return SigKind.Primitive;
            return runtime != null && runtime.IsEnum ? SigKind.Enum : SigKind.Struct;
        }

        private enum SigKind { Void, Primitive, Enum, Struct, String, Object, Class, Array, ByRef, Pointer, Generic }

        private sealed class Sig
        {
            public static readonly Sig Void = new Sig("void", SigKind.Void);
            public readonly string Name;
            public readonly string FullName;
            public readonly SigKind Kind;

            public Sig(string name, SigKind kind, string fullName = null)
            {
                Name = name;
                Kind = kind;
                FullName = fullName ?? name;
            }
        }

        private sealed class SigProvider : ISignatureTypeProvider<Sig, object>
        {
            private readonly NanoAllocationGate _gate;

            public SigProvider(NanoAllocationGate gate) { _gate = gate; }

            public Sig GetPrimitiveType(PrimitiveTypeCode code)
            {
                switch (code)
                {
                    case PrimitiveTypeCode.Void: return Sig.Void;
                    case PrimitiveTypeCode.String: return new Sig("string", SigKind.String, "System.String");
                    case PrimitiveTypeCode.Object: return new Sig("object", SigKind.Object, "System.Object");
                    case PrimitiveTypeCode.TypedReference: return new Sig("TypedReference", SigKind.Struct, "System.TypedReference");
                    default: return new Sig(Keyword(code), SigKind.Primitive, "System." + code);
                }
            }

            private static string Keyword(PrimitiveTypeCode code)
            {
                switch (code)
                {
                    case PrimitiveTypeCode.Boolean: return "bool";
                    case PrimitiveTypeCode.Byte: return "byte";
                    case PrimitiveTypeCode.SByte: return "sbyte";
                    case PrimitiveTypeCode.Char: return "char";
                    case PrimitiveTypeCode.Int16: return "short";
                    case PrimitiveTypeCode.UInt16: return "ushort";
                    case PrimitiveTypeCode.Int32: return "int";
                    case PrimitiveTypeCode.UInt32: return "uint";
                    case PrimitiveTypeCode.Int64: return "long";
                    case PrimitiveTypeCode.UInt64: return "ulong";
                    case PrimitiveTypeCode.Single: return "float";
                    case PrimitiveTypeCode.Double: return "double";
                    default: return code.ToString();
                }
            }

            public Sig GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind)
                => Named(NanoMetadataGate.TypeDefName(reader, handle), reader.GetString(reader.GetTypeDefinition(handle).Namespace), rawTypeKind);

            public Sig GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind)
            {
                TypeReferenceHandle outer = handle;
                while (reader.GetTypeReference(outer).ResolutionScope.Kind == HandleKind.TypeReference)
                {
                    outer = (TypeReferenceHandle)reader.GetTypeReference(outer).ResolutionScope;
                }
                return Named(NanoMetadataGate.TypeRefName(reader, handle), reader.GetString(reader.GetTypeReference(outer).Namespace), rawTypeKind);
            }

            private static readonly Dictionary<string, string> Keywords = Enum.GetValues(typeof(PrimitiveTypeCode)).Cast<PrimitiveTypeCode>()
                .Where(c => c != PrimitiveTypeCode.Void && c != PrimitiveTypeCode.TypedReference && c != PrimitiveTypeCode.IntPtr && c != PrimitiveTypeCode.UIntPtr)
                .ToDictionary(c => "System." + c, c => c == PrimitiveTypeCode.String ? "string" : c == PrimitiveTypeCode.Object ? "object" : Keyword(c), StringComparer.Ordinal);

            private Sig Named(string fullName, string ns, byte rawTypeKind)
            {
                string shortName = Keywords.TryGetValue(fullName, out string keyword) ? keyword
                    : ns.Length > 0 && fullName.StartsWith(ns + ".", StringComparison.Ordinal) ? fullName.Substring(ns.Length + 1) : fullName;
                bool valueType = rawTypeKind == (byte)SignatureTypeKind.ValueType
                    || (_gate._types.TryGetValue(fullName, out TypeEntry own) && own.IsValueType)
                    || InlineValueTypes.Contains(fullName)
                    || (rawTypeKind == 0 && !_gate._types.ContainsKey(fullName) && Type.GetType(fullName, false)?.IsValueType == true);
                if (!valueType) return new Sig(shortName, fullName == "System.String" ? SigKind.String : fullName == "System.Object" ? SigKind.Object : SigKind.Class, fullName);
                return new Sig(shortName, _gate.ValueTypeKind(fullName), fullName);
            }

            public Sig GetSZArrayType(Sig element) => new Sig(element.Name + "[]", SigKind.Array, element.FullName + "[]");
            public Sig GetArrayType(Sig element, ArrayShape shape) => new Sig(element.Name + "[" + new string(',', shape.Rank - 1) + "]", SigKind.Array, element.FullName + "[" + new string(',', shape.Rank - 1) + "]");
            public Sig GetByReferenceType(Sig element) => new Sig("ref " + element.Name, SigKind.ByRef, "ref " + element.FullName);
            public Sig GetPointerType(Sig element) => new Sig(element.Name + "*", SigKind.Pointer, element.FullName + "*");
            public Sig GetPinnedType(Sig element) => element;
            public Sig GetModifiedType(Sig modifier, Sig unmodified, bool isRequired) => unmodified;
            public Sig GetFunctionPointerType(MethodSignature<Sig> signature) => new Sig("method*", SigKind.Pointer);
            public Sig GetGenericInstantiation(Sig generic, ImmutableArray<Sig> args)
                => new Sig(generic.Name + "<" + string.Join(",", args.Select(a => a.Name)) + ">", generic.Kind, generic.FullName + "<" + string.Join(",", args.Select(a => a.FullName)) + ">");
            public Sig GetGenericMethodParameter(object context, int index) => new Sig("!!" + index, SigKind.Generic);
            public Sig GetGenericTypeParameter(object context, int index) => new Sig("!" + index, SigKind.Generic);
            public Sig GetTypeFromSpecification(MetadataReader reader, object context, TypeSpecificationHandle handle, byte rawTypeKind)
                => reader.GetTypeSpecification(handle).DecodeSignature(this, context);
        }

        private sealed class TypeEntry
        {
            public LoadedModule Module;
            public TypeDefinitionHandle Handle;
            public string FullName;
            public string BaseType;
            public bool IsInterface, IsValueType, IsEnum;
            public readonly List<string> Interfaces = new List<string>();
            public readonly List<MethodEntry> Methods = new List<MethodEntry>();
        }

        private sealed class MethodEntry
        {
            public LoadedModule Module;
            public MethodDefinitionHandle Handle;
            public TypeEntry Type;
            public string Name;
            public string Key;
            public MethodSignature<Sig> Signature;
            public string SignatureKey;
            public bool IsVirtual, HasBody;
        }

        private sealed class LoadedModule
        {
            public readonly PEReader Pe;
            public readonly MetadataReader Reader;
            public readonly MetadataReader Pdb;
            public readonly Dictionary<MethodDefinitionHandle, MethodEntry> Methods = new Dictionary<MethodDefinitionHandle, MethodEntry>();

            public LoadedModule(byte[] image, byte[] pdb)
            {
                Pe = new PEReader(ImmutableArray.Create(image));
                Reader = Pe.GetMetadataReader();
                if (pdb != null) Pdb = MetadataReaderProvider.FromPortablePdbImage(ImmutableArray.Create(pdb)).GetMetadataReader();
            }

            /// <summary>Source file and line of an IL offset (the method's first line for -1), from the portable PDB.</summary>
            public void Locate(MethodDefinitionHandle method, int offset, string sourceRoot, out string file, out int line)
            {
                file = null;
                line = 0;
                if (Pdb == null) return;
                MethodDebugInformation info = Pdb.GetMethodDebugInformation(method.ToDebugInformationHandle());
                foreach (SequencePoint point in info.GetSequencePoints())
                {
                    if (point.IsHidden) continue;
                    if (file != null && offset >= 0 && point.Offset > offset) break;
                    file = Pdb.GetString(Pdb.GetDocument(point.Document).Name);
                    line = point.StartLine;
                    if (offset < 0) break;
                }
                if (file == null) return;
                file = file.Replace('\\', '/');
                if (sourceRoot != null && file.StartsWith(sourceRoot.Replace('\\', '/'), StringComparison.Ordinal))
                {
                    file = file.Substring(sourceRoot.Length).TrimStart('/');
                    return;
                }
                // Built elsewhere (another checkout, a mapped path such as /_/): cut at the repository's first top-level folder.
                string path = file;
                int cut = TopFolders.Select(f => path.IndexOf("/" + f + "/", StringComparison.Ordinal)).Where(i => i >= 0).DefaultIfEmpty(-1).Min();
                if (cut >= 0) file = path.Substring(cut + 1);
            }

            private static readonly string[] TopFolders = { "firmware", "hal", "boards" };
        }
    }
}
