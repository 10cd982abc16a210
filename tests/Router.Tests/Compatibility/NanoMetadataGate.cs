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
    /// What the real nanoFramework compile (tools/NanoCompile) cannot see, checked in a compiled assembly's metadata: generic
    /// type and method definitions and instantiations (C# compiles our own generics against any mscorlib, nanoFramework 1.x
    /// cannot load them), multi-dimensional arrays, function pointers and references to members of other modules. Whether
    /// each API exists with that signature is the compiler's job there. Returns human-readable violations.
    /// </summary>
    public static class NanoMetadataGate
    {
        /// <summary>The project's nano-compatible assemblies.</summary>
        public static readonly string[] ProjectAssemblies = { "Router.Hal", "Router.Drivers", "Router.Firmware", "Router.Boards" };

        public static IReadOnlyList<string> Check(string assemblyPath)
        {
            using (var stream = File.OpenRead(assemblyPath))
            using (var pe = new PEReader(stream))
            {
                return Check(pe.GetMetadataReader());
            }
        }

        public static IReadOnlyList<string> Check(byte[] image)
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

        public static IReadOnlyList<string> Check(MetadataReader reader)
        {
            string assembly = reader.IsAssembly ? reader.GetString(reader.GetAssemblyDefinition().Name) : "(module)";
            var found = new SortedSet<string>(StringComparer.Ordinal);
            void Report(string what) => found.Add(assembly + ": " + what);
            var provider = new SignatureNames(Report);

            // Member references: members of generic instantiations, and global members of other modules (P/Invoke).
            foreach (MemberReferenceHandle h in reader.MemberReferences)
            {
                MemberReference member = reader.GetMemberReference(h);
                string name = reader.GetString(member.Name);
                switch (member.Parent.Kind)
                {
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
