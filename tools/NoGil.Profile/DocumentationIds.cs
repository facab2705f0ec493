using System;
using System.Collections.Immutable;
using System.Reflection.Metadata;
using System.Text;

namespace NoGil.Profile;

/// <summary>
/// Documentation comment IDs computed from metadata, written as Roslyn's <c>ISymbol.GetDocumentationCommentId()</c>
/// writes them for the source symbol: <c>M:Ns.Outer`1.Inner.Map``1(`0,``0[0:,0:],System.Int32@)</c>.
/// </summary>
internal static class DocumentationIds
{
    /// <summary>The ID of a method definition, with its parameter list (<c>exact</c>).</summary>
    public static string ForMethod(MetadataReader reader, MethodDefinitionHandle handle)
    {
        MethodDefinition method = reader.GetMethodDefinition(handle);
        var builder = new StringBuilder("M:");
        builder.Append(TypeName(reader, method.GetDeclaringType()));
        builder.Append('.');
        builder.Append(EncodeName(reader.GetString(method.Name)));
        int arity = method.GetGenericParameters().Count;
        if (arity > 0)
        {
            builder.Append("``").Append(arity);
        }

        MethodSignature<string> signature = method.DecodeSignature(TypeNameProvider.Instance, null);
        if (signature.ParameterTypes.Length > 0)
        {
            builder.Append('(');
            for (int i = 0; i < signature.ParameterTypes.Length; i++)
            {
                if (i > 0)
                {
                    builder.Append(',');
                }

                builder.Append(signature.ParameterTypes[i]);
            }

            builder.Append(')');
        }

        string name = reader.GetString(method.Name);
        if (name == "op_Implicit" || name == "op_Explicit")
        {
            builder.Append('~').Append(signature.ReturnType);
        }

        return builder.ToString();
    }

    /// <summary>The ID of a method named only by its type and name: no parameter list (<c>"exact": false</c>).</summary>
    public static string ForMethodName(MetadataReader reader, TypeDefinitionHandle type, string name) =>
        "M:" + TypeName(reader, type) + "." + EncodeName(name);

    /// <summary>A type definition's name as a documentation ID writes it: namespace, containing types, metadata name.</summary>
    public static string TypeName(MetadataReader reader, TypeDefinitionHandle handle)
    {
        TypeDefinition type = reader.GetTypeDefinition(handle);
        string name = EncodeName(reader.GetString(type.Name));
        TypeDefinitionHandle declaring = type.GetDeclaringType();
        if (!declaring.IsNil)
        {
            return TypeName(reader, declaring) + "." + name;
        }

        string ns = reader.GetString(type.Namespace);
        return ns.Length == 0 ? name : ns + "." + name;
    }

    // Explicit interface implementations are named "Ns.IFoo<System.Int32>.Bar" in metadata and
    // "Ns#IFoo{System#Int32}#Bar" in IDs; constructors ".ctor" become "#ctor".
    private static string EncodeName(string name) => name.Replace('.', '#').Replace('<', '{').Replace('>', '}');

    /// <summary>Type names inside a parameter list.</summary>
    private sealed class TypeNameProvider : ISignatureTypeProvider<string, object?>
    {
        public static readonly TypeNameProvider Instance = new();

        public string GetPrimitiveType(PrimitiveTypeCode typeCode) => typeCode switch
        {
            PrimitiveTypeCode.Boolean => "System.Boolean",
            PrimitiveTypeCode.Byte => "System.Byte",
            PrimitiveTypeCode.SByte => "System.SByte",
            PrimitiveTypeCode.Char => "System.Char",
            PrimitiveTypeCode.Int16 => "System.Int16",
            PrimitiveTypeCode.UInt16 => "System.UInt16",
            PrimitiveTypeCode.Int32 => "System.Int32",
            PrimitiveTypeCode.UInt32 => "System.UInt32",
            PrimitiveTypeCode.Int64 => "System.Int64",
            PrimitiveTypeCode.UInt64 => "System.UInt64",
            PrimitiveTypeCode.Single => "System.Single",
            PrimitiveTypeCode.Double => "System.Double",
            PrimitiveTypeCode.IntPtr => "System.IntPtr",
            PrimitiveTypeCode.UIntPtr => "System.UIntPtr",
            PrimitiveTypeCode.Object => "System.Object",
            PrimitiveTypeCode.String => "System.String",
            PrimitiveTypeCode.TypedReference => "System.TypedReference",
            PrimitiveTypeCode.Void => "System.Void",
            _ => throw new BadImageFormatException("Unknown primitive type " + typeCode),
        };

        // Names keep their metadata arity suffix ("List`1"); GetGenericInstantiation turns it into the arguments.
        public string GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) =>
            TypeName(reader, handle);

        public string GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind)
        {
            TypeReference type = reader.GetTypeReference(handle);
            string name = EncodeName(reader.GetString(type.Name));
            if (type.ResolutionScope.Kind == HandleKind.TypeReference)
            {
                return GetTypeFromReference(reader, (TypeReferenceHandle)type.ResolutionScope, rawTypeKind) + "." + name;
            }

            string ns = reader.GetString(type.Namespace);
            return ns.Length == 0 ? name : ns + "." + name;
        }

        public string GetTypeFromSpecification(MetadataReader reader, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind) =>
            reader.GetTypeSpecification(handle).DecodeSignature(this, genericContext);

        // In a parameter list a generic type is written with its arguments in braces, each containing type with its
        // own: Outer`1/Inner`1<int, string> is "Outer{System.Int32}.Inner{System.String}".
        public string GetGenericInstantiation(string genericType, ImmutableArray<string> typeArguments)
        {
            string[] parts = SplitNested(genericType);
            var builder = new StringBuilder();
            int next = 0;
            for (int i = 0; i < parts.Length; i++)
            {
                if (i > 0)
                {
                    builder.Append('.');
                }

                string part = parts[i];
                int tick = part.LastIndexOf('`');
                int arity = 0;
                if (tick >= 0 && int.TryParse(part.Substring(tick + 1), out arity))
                {
                    part = part.Substring(0, tick);
                }

                builder.Append(part);
                if (arity > 0)
                {
                    builder.Append('{');
                    for (int a = 0; a < arity && next < typeArguments.Length; a++)
                    {
                        if (a > 0)
                        {
                            builder.Append(',');
                        }

                        builder.Append(typeArguments[next++]);
                    }

                    builder.Append('}');
                }
            }

            return builder.ToString();
        }

        public string GetArrayType(string elementType, ArrayShape shape)
        {
            var builder = new StringBuilder(elementType).Append('[');
            for (int i = 0; i < shape.Rank; i++)
            {
                if (i > 0)
                {
                    builder.Append(',');
                }

                int lower = i < shape.LowerBounds.Length ? shape.LowerBounds[i] : 0;
                if (i < shape.Sizes.Length)
                {
                    builder.Append(lower).Append(':').Append(lower + shape.Sizes[i] - 1);
                }
                else
                {
                    builder.Append(lower).Append(':');
                }
            }

            return builder.Append(']').ToString();
        }

        public string GetSZArrayType(string elementType) => elementType + "[]";

        public string GetByReferenceType(string elementType) => elementType + "@";

        public string GetPointerType(string elementType) => elementType + "*";

        public string GetPinnedType(string elementType) => elementType;

        public string GetModifiedType(string modifier, string unmodifiedType, bool isRequired) => unmodifiedType;

        public string GetGenericTypeParameter(object? genericContext, int index) => "`" + index;

        public string GetGenericMethodParameter(object? genericContext, int index) => "``" + index;

        public string GetFunctionPointerType(MethodSignature<string> signature) => "=FUNC:" + signature.ReturnType;

        // Namespace parts never carry an arity suffix, so splitting the whole name at '.' and re-joining it there
        // leaves them as they are.
        private static string[] SplitNested(string name) => name.Split('.');
    }
}
