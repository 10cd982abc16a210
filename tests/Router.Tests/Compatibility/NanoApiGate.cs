using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace Router.Tests.Compatibility
{
    /// <summary>
    /// Checks a compiled assembly's metadata against the nanoFramework 1.x API surface: every type, method, field,
    /// property and event reference leaving the project's own assemblies must be in <see cref="NanoApiSurface"/>,
    /// and nothing may use generics (nanoFramework 1.x has none). Returns human-readable violations.
    /// </summary>
    public sealed class NanoApiGate
    {
        /// <summary>The project's nano-compatible assemblies: references between them are allowed.</summary>
        public static readonly string[] ProjectAssemblies = { "Router.Hal", "Router.Drivers", "Router.Firmware", "Router.Boards" };

        /// <summary>
        /// Assembly-level attributes the C# compiler emits on its own that are absent from the TSV yet harmless on nanoFramework.
        /// They are tolerated ONLY on the assembly itself (never on a type, method or field) and only their constructor.
        /// nanoFramework's MetadataProcessor writes attributes of types, fields and methods only, and its Minimize pass keeps
        /// just the references reachable from type definitions, so assembly-level attributes never reach the device.
        /// </summary>
        private static readonly Dictionary<string, string> AssemblyAttributeAllowlist = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            // Roslyn emits [assembly: RuntimeCompatibility(WrapNonExceptionThrows = true)] whenever the reference set has the type (netstandard does); nanoFramework's own build omits it because its mscorlib lacks the type.
            { "System.Runtime.CompilerServices.RuntimeCompatibilityAttribute", "compiler-emitted; assembly attributes are dropped by the MetadataProcessor" },
        };

        /// <summary>
        /// Corrections to the TSV where its generator lost the metadata name. Key: what the IL references; value: the TSV entry.
        /// </summary>
        private static readonly Dictionary<string, string> SurfaceAliases = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            // nanoFramework CoreLibrary declares String's indexer with [IndexerName("Chars")] (metadata get_Chars, as on desktop); the TSV lists it as "Item".
            { "P:System.String.Chars", "P:System.String.Item" },
            // netstandard declares HMACSHA256's hashing methods on its base class HashAlgorithm, so the IL names the base;
            // nanoFramework's HMACSHA256 declares them itself and has no HashAlgorithm. The surface's only types derived
            // from HashAlgorithm are HMACSHA256 and HMACSHA512, so such a reference can only be made through one of them.
            { "T:System.Security.Cryptography.HashAlgorithm", "T:System.Security.Cryptography.HMACSHA256" },
            { "M:System.Security.Cryptography.HashAlgorithm.ComputeHash(1)", "M:System.Security.Cryptography.HMACSHA256.ComputeHash(1)" },
        };

        private readonly NanoApiSurface _surface;
        private readonly HashSet<string> _ownAssemblies;

        public NanoApiGate(NanoApiSurface surface)
            : this(surface, ProjectAssemblies)
        {
        }

        public NanoApiGate(NanoApiSurface surface, IEnumerable<string> ownAssemblies)
        {
            _surface = surface ?? throw new ArgumentNullException(nameof(surface));
            _ownAssemblies = new HashSet<string>(ownAssemblies, StringComparer.Ordinal);
        }

        public IReadOnlyList<string> Check(string assemblyPath)
        {
            using (var stream = File.OpenRead(assemblyPath))
            using (var pe = new PEReader(stream))
            {
                return Check(pe.GetMetadataReader());
            }
        }

        public IReadOnlyList<string> Check(byte[] image)
        {
            using (var pe = new PEReader(ImmutableArray.Create(image)))
            {
                return Check(pe.GetMetadataReader());
            }
        }

        /// <summary>The FrameworkName of the assembly's TargetFrameworkAttribute, or null.</summary>
        public static string TargetFramework(string assemblyPath)
        {
            using (var stream = File.OpenRead(assemblyPath))
            using (var pe = new PEReader(stream))
            {
                MetadataReader reader = pe.GetMetadataReader();
                foreach (CustomAttributeHandle h in reader.GetAssemblyDefinition().GetCustomAttributes())
                {
                    CustomAttribute attribute = reader.GetCustomAttribute(h);
                    if (AttributeTypeName(reader, attribute) == "System.Runtime.Versioning.TargetFrameworkAttribute")
                    {
                        BlobReader blob = reader.GetBlobReader(attribute.Value);
                        blob.ReadUInt16(); // prolog 0x0001
                        return blob.ReadSerializedString();
                    }
                }
                return null;
            }
        }

        /// <summary>Names of the assemblies an assembly references.</summary>
        public static IReadOnlyList<string> ReferencedAssemblies(string assemblyPath)
        {
            using (var stream = File.OpenRead(assemblyPath))
            using (var pe = new PEReader(stream))
            {
                MetadataReader reader = pe.GetMetadataReader();
                var names = new List<string>();
                foreach (AssemblyReferenceHandle h in reader.AssemblyReferences)
                {
                    names.Add(reader.GetString(reader.GetAssemblyReference(h).Name));
                }
                return names;
            }
        }

        public IReadOnlyList<string> Check(MetadataReader reader)
        {
            string assembly = reader.IsAssembly ? reader.GetString(reader.GetAssemblyDefinition().Name) : "(module)";
            var found = new SortedSet<string>(StringComparer.Ordinal);
            void Report(string what) => found.Add(assembly + ": " + what);
            var provider = new SignatureNames(Report);

            // Allowlisted assembly-level attributes: their type and constructor references are tolerated only if nothing else uses them.
            var allowedTypeRefs = new HashSet<TypeReferenceHandle>();
            var allowedMemberRefs = new HashSet<MemberReferenceHandle>();
            if (reader.IsAssembly)
            {
                foreach (CustomAttributeHandle h in reader.GetAssemblyDefinition().GetCustomAttributes())
                {
                    CustomAttribute attribute = reader.GetCustomAttribute(h);
                    if (attribute.Constructor.Kind == HandleKind.MemberReference)
                    {
                        MemberReference ctor = reader.GetMemberReference((MemberReferenceHandle)attribute.Constructor);
                        if (ctor.Parent.Kind == HandleKind.TypeReference
                            && AssemblyAttributeAllowlist.ContainsKey(TypeRefName(reader, (TypeReferenceHandle)ctor.Parent)))
                        {
                            allowedTypeRefs.Add((TypeReferenceHandle)ctor.Parent);
                            allowedMemberRefs.Add((MemberReferenceHandle)attribute.Constructor);
                        }
                    }
                }
                foreach (CustomAttributeHandle h in reader.CustomAttributes)
                {
                    CustomAttribute attribute = reader.GetCustomAttribute(h);
                    if (attribute.Parent.Kind != HandleKind.AssemblyDefinition && attribute.Constructor.Kind == HandleKind.MemberReference)
                    {
                        MemberReference ctor = reader.GetMemberReference((MemberReferenceHandle)attribute.Constructor);
                        if (ctor.Parent.Kind == HandleKind.TypeReference && allowedTypeRefs.Remove((TypeReferenceHandle)ctor.Parent))
                        {
                            allowedMemberRefs.Remove((MemberReferenceHandle)attribute.Constructor);
                        }
                    }
                }
            }

            // Type references: base types, interfaces, attribute types, and every type named in signatures or IL.
            foreach (TypeReferenceHandle h in reader.TypeReferences)
            {
                if (allowedTypeRefs.Contains(h) || IsOwn(reader, h))
                {
                    continue;
                }
                string name = TypeRefName(reader, h);
                if (!Known("T:" + name))
                {
                    Report("T:" + name + " — not in nanoFramework 1.x");
                }
            }

            // Member references: methods (including attribute constructors), fields, property and event accessors.
            foreach (MemberReferenceHandle h in reader.MemberReferences)
            {
                if (allowedMemberRefs.Contains(h))
                {
                    continue;
                }
                MemberReference member = reader.GetMemberReference(h);
                string name = reader.GetString(member.Name);
                switch (member.Parent.Kind)
                {
                    case HandleKind.TypeReference:
                        var parent = (TypeReferenceHandle)member.Parent;
                        if (!IsOwn(reader, parent))
                        {
                            string key = MemberKey(reader, TypeRefName(reader, parent), name, member);
                            if (!Known(key))
                            {
                                Report(key + " — not in nanoFramework 1.x");
                            }
                        }
                        break;
                    case HandleKind.TypeSpecification:
                        // The instantiation itself is reported from the TypeSpec table below; name the member too.
                        string spec = reader.GetTypeSpecification((TypeSpecificationHandle)member.Parent).DecodeSignature(SignatureNames.Quiet(), null);
                        if (spec.IndexOf('<') >= 0)
                        {
                            Report("member of generic instantiation " + spec + "::" + name);
                        }
                        break;
                    case HandleKind.ModuleReference:
                        Report("global member " + name + " of another module (P/Invoke) — not in nanoFramework 1.x");
                        break;
                }
            }

            // Type specifications: generic instantiations and multi-dimensional arrays.
            for (int row = 1; row <= reader.GetTableRowCount(TableIndex.TypeSpec); row++)
            {
                reader.GetTypeSpecification(MetadataTokens.TypeSpecificationHandle(row)).DecodeSignature(provider, null);
            }

            // Method specifications: any instantiated generic method.
            for (int row = 1; row <= reader.GetTableRowCount(TableIndex.MethodSpec); row++)
            {
                MethodSpecification spec = reader.GetMethodSpecification(MetadataTokens.MethodSpecificationHandle(row));
                ImmutableArray<string> args = spec.DecodeSignature(SignatureNames.Quiet(), null);
                Report("generic method instantiation " + MethodName(reader, spec.Method) + "<" + string.Join(",", args) + ">");
            }

            // The project's own definitions: no generic types or methods, and no generic instantiations in their signatures.
            foreach (TypeDefinitionHandle th in reader.TypeDefinitions)
            {
                TypeDefinition type = reader.GetTypeDefinition(th);
                string typeName = TypeDefName(reader, th);
                if (type.GetGenericParameters().Count > 0)
                {
                    Report("generic type definition " + typeName);
                }
                foreach (FieldDefinitionHandle fh in type.GetFields())
                {
                    FieldDefinition field = reader.GetFieldDefinition(fh);
                    provider.Context = "field " + typeName + "." + reader.GetString(field.Name);
                    field.DecodeSignature(provider, null);
                }
                foreach (MethodDefinitionHandle mh in type.GetMethods())
                {
                    MethodDefinition method = reader.GetMethodDefinition(mh);
                    string methodName = typeName + "." + reader.GetString(method.Name);
                    if (method.GetGenericParameters().Count > 0)
                    {
                        Report("generic method definition " + methodName);
                    }
                    provider.Context = "method " + methodName;
                    method.DecodeSignature(provider, null);
                }
                provider.Context = null;
            }
            for (int row = 1; row <= reader.GetTableRowCount(TableIndex.StandAloneSig); row++)
            {
                StandaloneSignature sig = reader.GetStandaloneSignature(MetadataTokens.StandaloneSignatureHandle(row));
                provider.Context = "local variables";
                if (sig.GetKind() == StandaloneSignatureKind.LocalVariables)
                {
                    sig.DecodeLocalSignature(provider, null);
                }
                else
                {
                    sig.DecodeMethodSignature(provider, null);
                }
                provider.Context = null;
            }

            return new List<string>(found);
        }

        private bool Known(string key)
        {
            if (_surface.Contains(key))
            {
                return true;
            }
            return SurfaceAliases.TryGetValue(key, out string alias) && _surface.Contains(alias);
        }

        private string MemberKey(MetadataReader reader, string typeName, string name, MemberReference member)
        {
            BlobReader blob = reader.GetBlobReader(member.Signature);
            SignatureHeader header = blob.ReadSignatureHeader();
            if (header.Kind == SignatureKind.Field)
            {
                return MemberKey(typeName, name, true, 0);
            }
            if (header.IsGeneric)
            {
                blob.ReadCompressedInteger();
            }
            return MemberKey(typeName, name, false, blob.ReadCompressedInteger());
        }

        /// <summary>
        /// The TSV key for a referenced member: fields as F:, get_/set_ accessors as P:, add_/remove_ as E:
        /// (unless the TSV lists a plain method of that name), everything else as M:Type.Name(paramCount).
        /// </summary>
        public string MemberKey(string typeName, string name, bool isField, int parameterCount)
        {
            if (isField)
            {
                return "F:" + typeName + "." + name;
            }
            string methodKey = NanoApiSurface.MethodKey(typeName, name, parameterCount);
            if (_surface.Contains(methodKey))
            {
                return methodKey;
            }
            if (name.StartsWith("get_", StringComparison.Ordinal) || name.StartsWith("set_", StringComparison.Ordinal))
            {
                return "P:" + typeName + "." + name.Substring(4);
            }
            if (name.StartsWith("add_", StringComparison.Ordinal))
            {
                return "E:" + typeName + "." + name.Substring(4);
            }
            if (name.StartsWith("remove_", StringComparison.Ordinal))
            {
                return "E:" + typeName + "." + name.Substring(7);
            }
            return methodKey;
        }

        private bool IsOwn(MetadataReader reader, TypeReferenceHandle h)
        {
            EntityHandle scope = reader.GetTypeReference(h).ResolutionScope;
            while (scope.Kind == HandleKind.TypeReference)
            {
                scope = reader.GetTypeReference((TypeReferenceHandle)scope).ResolutionScope;
            }
            switch (scope.Kind)
            {
                case HandleKind.AssemblyReference:
                    return _ownAssemblies.Contains(reader.GetString(reader.GetAssemblyReference((AssemblyReferenceHandle)scope).Name));
                case HandleKind.ModuleDefinition:
                    return true;
                default:
                    return false;
            }
        }

        internal static string TypeRefName(MetadataReader reader, TypeReferenceHandle h)
        {
            TypeReference type = reader.GetTypeReference(h);
            string name = reader.GetString(type.Name);
            if (type.ResolutionScope.Kind == HandleKind.TypeReference)
            {
                return TypeRefName(reader, (TypeReferenceHandle)type.ResolutionScope) + "." + name;
            }
            string ns = reader.GetString(type.Namespace);
            return ns.Length == 0 ? name : ns + "." + name;
        }

        internal static string TypeDefName(MetadataReader reader, TypeDefinitionHandle h)
        {
            TypeDefinition type = reader.GetTypeDefinition(h);
            string name = reader.GetString(type.Name);
            TypeDefinitionHandle declaring = type.GetDeclaringType();
            if (!declaring.IsNil)
            {
                return TypeDefName(reader, declaring) + "." + name;
            }
            string ns = reader.GetString(type.Namespace);
            return ns.Length == 0 ? name : ns + "." + name;
        }

        private static string AttributeTypeName(MetadataReader reader, CustomAttribute attribute)
        {
            if (attribute.Constructor.Kind == HandleKind.MemberReference)
            {
                EntityHandle parent = reader.GetMemberReference((MemberReferenceHandle)attribute.Constructor).Parent;
                return parent.Kind == HandleKind.TypeReference ? TypeRefName(reader, (TypeReferenceHandle)parent) : null;
            }
            if (attribute.Constructor.Kind == HandleKind.MethodDefinition)
            {
                return TypeDefName(reader, reader.GetMethodDefinition((MethodDefinitionHandle)attribute.Constructor).GetDeclaringType());
            }
            return null;
        }

        private static string MethodName(MetadataReader reader, EntityHandle method)
        {
            if (method.Kind == HandleKind.MethodDefinition)
            {
                MethodDefinition def = reader.GetMethodDefinition((MethodDefinitionHandle)method);
                return TypeDefName(reader, def.GetDeclaringType()) + "." + reader.GetString(def.Name);
            }
            MemberReference member = reader.GetMemberReference((MemberReferenceHandle)method);
            string parent;
            switch (member.Parent.Kind)
            {
                case HandleKind.TypeReference:
                    parent = TypeRefName(reader, (TypeReferenceHandle)member.Parent);
                    break;
                case HandleKind.TypeDefinition:
                    parent = TypeDefName(reader, (TypeDefinitionHandle)member.Parent);
                    break;
                case HandleKind.TypeSpecification:
                    parent = reader.GetTypeSpecification((TypeSpecificationHandle)member.Parent).DecodeSignature(SignatureNames.Quiet(), null);
                    break;
                default:
                    parent = "?";
                    break;
            }
            return parent + "." + reader.GetString(member.Name);
        }

        /// <summary>Formats signature types as readable names and reports what nanoFramework cannot load.</summary>
        private sealed class SignatureNames : ISignatureTypeProvider<string, object>
        {
            private readonly Action<string> _report;

            public SignatureNames(Action<string> report)
            {
                _report = report;
            }

            public static SignatureNames Quiet() => new SignatureNames(_ => { });

            /// <summary>Where the signature being decoded belongs (null for the TypeSpec table itself).</summary>
            public string Context { get; set; }

            private void Report(string what) => _report(Context == null ? what : what + " (in " + Context + ")");

            public string GetGenericInstantiation(string genericType, ImmutableArray<string> typeArguments)
            {
                string name = genericType + "<" + string.Join(",", typeArguments) + ">";
                Report("generic instantiation " + name);
                return name;
            }

            public string GetArrayType(string elementType, ArrayShape shape)
            {
                string name = elementType + "[" + new string(',', shape.Rank - 1) + "]";
                Report("multi-dimensional array " + name + " — nanoFramework has single-dimension arrays only");
                return name;
            }

            public string GetFunctionPointerType(MethodSignature<string> signature)
            {
                Report("function pointer type");
                return "method*";
            }

            public string GetSZArrayType(string elementType) => elementType + "[]";

            public string GetByReferenceType(string elementType) => elementType + "&";

            public string GetPointerType(string elementType) => elementType + "*";

            public string GetPinnedType(string elementType) => elementType;

            public string GetModifiedType(string modifier, string unmodifiedType, bool isRequired) => unmodifiedType;

            public string GetGenericMethodParameter(object genericContext, int index) => "!!" + index;

            public string GetGenericTypeParameter(object genericContext, int index) => "!" + index;

            public string GetPrimitiveType(PrimitiveTypeCode typeCode) => "System." + typeCode;

            public string GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) => TypeDefName(reader, handle);

            public string GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) => TypeRefName(reader, handle);

            public string GetTypeFromSpecification(MetadataReader reader, object genericContext, TypeSpecificationHandle handle, byte rawTypeKind)
                => reader.GetTypeSpecification(handle).DecodeSignature(this, genericContext);
        }
    }
}
