using System.Collections.Immutable;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace EvidenceChain.Architecture.Tests;

/// <summary>
/// What one assembly's metadata says it references and defines, read with System.Reflection.Metadata (the assembly is
/// never loaded or run): the assemblies it references, every type it references (e.g. <c>System.IO.File</c>, which
/// lives in System.Runtime, so the assembly references alone do not show it), every member it references as
/// <c>Type::Name(ParameterTypes)</c>, and the namespaces of the types it defines.
/// </summary>
internal sealed class AssemblyMetadata
{
    private AssemblyMetadata(string name, IReadOnlyList<string> assemblyReferences, IReadOnlyList<string> typeReferences, IReadOnlyList<string> memberReferences, IReadOnlyList<DefinedType> definedTypes, IReadOnlyList<string> publicTypes)
    {
        PublicTypes = publicTypes;
        Name = name;
        AssemblyReferences = assemblyReferences;
        TypeReferences = typeReferences;
        MemberReferences = memberReferences;
        DefinedTypes = definedTypes;
    }

    public string Name { get; }

    /// <summary>The simple names of the referenced assemblies, sorted.</summary>
    public IReadOnlyList<string> AssemblyReferences { get; }

    /// <summary>The full names of the referenced types (nested ones as <c>Outer/Inner</c>), sorted.</summary>
    public IReadOnlyList<string> TypeReferences { get; }

    /// <summary>The referenced members of referenced types, as <c>Namespace.Type::Name(ParameterTypes)</c>, sorted.</summary>
    public IReadOnlyList<string> MemberReferences { get; }

    /// <summary>The top-level types the assembly defines, without the ones the compiler made up.</summary>
    public IReadOnlyList<DefinedType> DefinedTypes { get; }

    /// <summary>The full names of the types visible outside the assembly (nested ones as <c>Outer/Inner</c>), sorted.</summary>
    public IReadOnlyList<string> PublicTypes { get; }

    /// <summary>Reads the assembly named <paramref name="assemblyName"/> from the test's output folder.</summary>
    public static AssemblyMetadata Load(string assemblyName) => Read(Path.Combine(AppContext.BaseDirectory, assemblyName + ".dll"));

    public static AssemblyMetadata Read(string path)
    {
        using var stream = File.OpenRead(path);
        using var pe = new PEReader(stream);
        var reader = pe.GetMetadataReader();

        var assemblies = reader.AssemblyReferences
            .Select(h => reader.GetString(reader.GetAssemblyReference(h).Name))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();

        var types = reader.TypeReferences
            .Select(h => TypeReferenceName(reader, h))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();

        var signatures = new SignatureNames(reader);
        var members = new List<string>();
        foreach (var handle in reader.MemberReferences)
        {
            var member = reader.GetMemberReference(handle);
            if (ParentTypeName(reader, member.Parent) is not { } parent)
            {
                continue;
            }

            var name = reader.GetString(member.Name);
            var parameters = member.GetKind() == MemberReferenceKind.Method
                ? "(" + string.Join(",", member.DecodeMethodSignature(signatures, null).ParameterTypes) + ")"
                : string.Empty;
            members.Add($"{parent}::{name}{parameters}");
        }

        var defined = reader.TypeDefinitions
            .Select(reader.GetTypeDefinition)
            .Where(t => t.GetDeclaringType().IsNil)
            .Select(t => new DefinedType(reader.GetString(t.Namespace), reader.GetString(t.Name), IsMadeUpByCompiler(reader, t)))
            .Where(t => !t.MadeUpByCompiler)
            .ToList();

        var visible = reader.TypeDefinitions
            .Where(h => IsVisible(reader, h))
            .Select(h => TypeDefinitionName(reader, h))
            .Order(StringComparer.Ordinal)
            .ToList();

        return new AssemblyMetadata(
            reader.GetString(reader.GetAssemblyDefinition().Name),
            assemblies,
            types,
            members.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList(),
            defined,
            visible);
    }

    private static bool IsVisible(MetadataReader reader, TypeDefinitionHandle handle)
    {
        var type = reader.GetTypeDefinition(handle);
        return (type.Attributes & System.Reflection.TypeAttributes.VisibilityMask) switch
        {
            System.Reflection.TypeAttributes.Public => true,
            System.Reflection.TypeAttributes.NestedPublic or System.Reflection.TypeAttributes.NestedFamily or System.Reflection.TypeAttributes.NestedFamORAssem =>
                IsVisible(reader, type.GetDeclaringType()),
            _ => false,
        };
    }

    private static string TypeReferenceName(MetadataReader reader, TypeReferenceHandle handle)
    {
        var type = reader.GetTypeReference(handle);
        var name = reader.GetString(type.Name);
        if (type.ResolutionScope.Kind == HandleKind.TypeReference)
        {
            return TypeReferenceName(reader, (TypeReferenceHandle)type.ResolutionScope) + "/" + name;
        }

        var ns = reader.GetString(type.Namespace);
        return ns.Length == 0 ? name : ns + "." + name;
    }

    private static string TypeDefinitionName(MetadataReader reader, TypeDefinitionHandle handle)
    {
        var type = reader.GetTypeDefinition(handle);
        var name = reader.GetString(type.Name);
        var declaring = type.GetDeclaringType();
        if (!declaring.IsNil)
        {
            return TypeDefinitionName(reader, declaring) + "/" + name;
        }

        var ns = reader.GetString(type.Namespace);
        return ns.Length == 0 ? name : ns + "." + name;
    }

    /// <summary>The referenced type a member reference hangs off, with generic arguments dropped; null for members of the assembly's own types.</summary>
    private static string? ParentTypeName(MetadataReader reader, EntityHandle parent)
    {
        switch (parent.Kind)
        {
            case HandleKind.TypeReference:
                return TypeReferenceName(reader, (TypeReferenceHandle)parent);
            case HandleKind.TypeSpecification:
                var blob = reader.GetBlobReader(reader.GetTypeSpecification((TypeSpecificationHandle)parent).Signature);
                if (blob.ReadSignatureTypeCode() != SignatureTypeCode.GenericTypeInstance)
                {
                    return null;
                }

                _ = blob.ReadSignatureTypeCode();
                var generic = blob.ReadTypeHandle();
                return generic.Kind == HandleKind.TypeReference ? TypeReferenceName(reader, (TypeReferenceHandle)generic) : null;
            default:
                return null;
        }
    }

    private static bool IsMadeUpByCompiler(MetadataReader reader, TypeDefinition type)
    {
        var name = reader.GetString(type.Name);
        if (name == "<Module>" || name.StartsWith('<'))
        {
            return true;
        }

        foreach (var handle in type.GetCustomAttributes())
        {
            var constructor = reader.GetCustomAttribute(handle).Constructor;
            var attribute = constructor.Kind switch
            {
                HandleKind.MemberReference => ParentTypeName(reader, reader.GetMemberReference((MemberReferenceHandle)constructor).Parent),
                HandleKind.MethodDefinition => TypeDefinitionName(reader, reader.GetMethodDefinition((MethodDefinitionHandle)constructor).GetDeclaringType()),
                _ => null,
            };
            if (attribute is "System.Runtime.CompilerServices.CompilerGeneratedAttribute" or "Microsoft.CodeAnalysis.EmbeddedAttribute")
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Names the types in a member's signature the way <see cref="MemberReferences"/> shows them.</summary>
    private sealed class SignatureNames(MetadataReader reader) : ISignatureTypeProvider<string, object?>
    {
        public string GetPrimitiveType(PrimitiveTypeCode typeCode) => "System." + typeCode;

        public string GetTypeFromDefinition(MetadataReader metadata, TypeDefinitionHandle handle, byte rawTypeKind) => TypeDefinitionName(reader, handle);

        public string GetTypeFromReference(MetadataReader metadata, TypeReferenceHandle handle, byte rawTypeKind) => TypeReferenceName(reader, handle);

        public string GetTypeFromSpecification(MetadataReader metadata, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind) =>
            reader.GetTypeSpecification(handle).DecodeSignature(this, genericContext);

        public string GetSZArrayType(string elementType) => elementType + "[]";

        public string GetArrayType(string elementType, ArrayShape shape) => elementType + "[" + new string(',', shape.Rank - 1) + "]";

        public string GetByReferenceType(string elementType) => elementType + "&";

        public string GetPointerType(string elementType) => elementType + "*";

        public string GetPinnedType(string elementType) => elementType;

        public string GetGenericInstantiation(string genericType, ImmutableArray<string> typeArguments) => genericType + "<" + string.Join(",", typeArguments) + ">";

        public string GetGenericMethodParameter(object? genericContext, int index) => "!!" + index;

        public string GetGenericTypeParameter(object? genericContext, int index) => "!" + index;

        public string GetFunctionPointerType(MethodSignature<string> signature) => "method*";

        public string GetModifiedType(string modifier, string unmodifiedType, bool isRequired) => unmodifiedType;
    }
}
