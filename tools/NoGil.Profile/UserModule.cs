using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace NoGil.Profile;

/// <summary>Operand sizes of the IL opcodes (-1: switch), from System.Reflection.Emit's table.</summary>
internal static class IL
{
    public static readonly Dictionary<int, int> OperandSizes = Build();

    private static Dictionary<int, int> Build()
    {
        var sizes = new Dictionary<int, int>();
        foreach (System.Reflection.FieldInfo field in typeof(System.Reflection.Emit.OpCodes).GetFields())
        {
            if (field.GetValue(null) is System.Reflection.Emit.OpCode op)
            {
                sizes[(ushort)op.Value] = op.OperandType switch
                {
                    System.Reflection.Emit.OperandType.InlineNone => 0,
                    System.Reflection.Emit.OperandType.ShortInlineBrTarget or System.Reflection.Emit.OperandType.ShortInlineI or System.Reflection.Emit.OperandType.ShortInlineVar => 1,
                    System.Reflection.Emit.OperandType.InlineVar => 2,
                    System.Reflection.Emit.OperandType.InlineI8 or System.Reflection.Emit.OperandType.InlineR => 8,
                    System.Reflection.Emit.OperandType.InlineSwitch => -1,
                    _ => 4,
                };
            }
        }

        return sizes;
    }
}

/// <summary>A source method as the profile names it: its documentation ID and whether the overload is known.</summary>
internal readonly record struct SourceMethod(string Id, bool Exact);

/// <summary>A source line: the document path the PDB records and the line.</summary>
internal readonly record struct SourceLine(string File, int Line);

/// <summary>
/// One of the application's modules, read from its file: the source method each method token belongs to (compiler-
/// generated lambdas, local functions and state machines roll up to the method that declares them) and the source
/// line of an IL offset through the portable PDB (next to the module or embedded in it).
/// </summary>
internal sealed class UserModule : IDisposable
{
    private readonly PEReader _pe;
    private readonly MetadataReader _metadata;
    private readonly MetadataReaderProvider? _pdbProvider;
    private readonly MetadataReader? _pdb;
    private readonly Dictionary<int, SourceMethod?> _methods = new();

    private UserModule(PEReader pe, MetadataReader metadata, MetadataReaderProvider? pdbProvider)
    {
        _pe = pe;
        _metadata = metadata;
        _pdbProvider = pdbProvider;
        _pdb = pdbProvider?.GetMetadataReader();
        Name = metadata.IsAssembly ? metadata.GetString(metadata.GetAssemblyDefinition().Name) : Path.GetFileNameWithoutExtension(metadata.GetString(metadata.GetModuleDefinition().Name));
        Mvid = metadata.GetGuid(metadata.GetModuleDefinition().Mvid);
        PdbId = _pdb is null ? string.Empty : Convert.ToHexString(_pdb.DebugMetadataHeader!.Id.ToArray()).ToLowerInvariant();
    }

    public string Name { get; }

    /// <summary>The GUID of the module's CodeView entry: the runtime reports it at module load (the trace's PDB signature).</summary>
    public Guid CodeViewGuid => _pe.ReadDebugDirectory()
        .Where(e => e.Type == DebugDirectoryEntryType.CodeView)
        .Select(e => _pe.ReadCodeViewDebugDirectoryData(e).Guid)
        .FirstOrDefault();

    public Guid Mvid { get; }

    /// <summary>The portable PDB's 20-byte ID as 40 lowercase hex digits, or empty when no matching PDB was found.</summary>
    public string PdbId { get; }

    /// <summary>Opens a managed module, or returns null when the file is not one (or cannot be read).</summary>
    public static UserModule? TryOpen(string path)
    {
        PEReader? pe = null;
        try
        {
            pe = new PEReader(File.OpenRead(path));
            if (!pe.HasMetadata)
            {
                pe.Dispose();
                return null;
            }

            MetadataReader metadata = pe.GetMetadataReader();
            return new UserModule(pe, metadata, OpenPdb(pe, path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or BadImageFormatException)
        {
            pe?.Dispose();
            return null;
        }
    }

    private static MetadataReaderProvider? OpenPdb(PEReader pe, string path)
    {
        try
        {
            // TryOpenAssociatedPortablePdb reads an embedded PDB first, then the CodeView path and the file next to the
            // module, and only accepts a PDB whose ID matches the module's.
            if (pe.TryOpenAssociatedPortablePdb(path, p => File.Exists(p) ? File.OpenRead(p) : null, out MetadataReaderProvider? provider, out _))
            {
                return provider;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or BadImageFormatException or InvalidOperationException)
        {
        }

        return null;
    }

    /// <summary>The source method a method token belongs to, or null for a token that names no source method.</summary>
    public SourceMethod? GetSourceMethod(int token)
    {
        if (!_methods.TryGetValue(token, out SourceMethod? result))
        {
            result = Resolve(token);
            _methods.Add(token, result);
        }

        return result;
    }

    private SourceMethod? Resolve(int token)
    {
        if ((token >> 24) != 0x06)
        {
            return null;
        }

        int row = token & 0xFFFFFF;
        if (row == 0 || row > _metadata.MethodDefinitions.Count)
        {
            return null;
        }

        var handle = MetadataTokens.MethodDefinitionHandle(row);
        MethodDefinition method = _metadata.GetMethodDefinition(handle);
        string name = _metadata.GetString(method.Name);
        TypeDefinitionHandle type = method.GetDeclaringType();

        // A method of a compiler-generated type: a closure (<>c, <>c__DisplayClass0_0) names the declaring method in
        // the method's own name, a state machine (<Run>d__3) in the type's name.
        string? declaringName = GeneratedMemberName(name);
        if (IsGenerated(type))
        {
            string? fromType = null;
            TypeDefinitionHandle current = type;
            while (!current.IsNil && IsGenerated(current))
            {
                fromType ??= GeneratedMemberName(_metadata.GetString(_metadata.GetTypeDefinition(current).Name));
                current = _metadata.GetTypeDefinition(current).GetDeclaringType();
            }

            if (current.IsNil)
            {
                return null;
            }

            declaringName ??= fromType;
            type = current;
        }
        else if (declaringName is null || declaringName == name)
        {
            // A method of its own: a source method, or one the compiler declares with a name of the form "<Clone>$".
            return name.StartsWith('<') && !IsSpeakableGenerated(name)
                ? null
                : new SourceMethod(DocumentationIds.ForMethod(_metadata, handle), true);
        }

        if (declaringName is null)
        {
            return null;
        }

        // The generated name keeps the declaring method's name, not its overload: exact only when the name is unique.
        // Generated names write an explicit implementation's dots as dashes ("<System-IDisposable-Dispose>d__3").
        MethodDefinitionHandle[] candidates = _metadata.GetTypeDefinition(type).GetMethods()
            .Where(m => _metadata.GetString(_metadata.GetMethodDefinition(m).Name).Replace('.', '-') == declaringName.Replace('.', '-'))
            .ToArray();
        return candidates.Length == 1
            ? new SourceMethod(DocumentationIds.ForMethod(_metadata, candidates[0]), true)
            : new SourceMethod(DocumentationIds.ForMethodName(_metadata, type, declaringName), false);
    }

    private bool IsGenerated(TypeDefinitionHandle type) =>
        _metadata.GetString(_metadata.GetTypeDefinition(type).Name).StartsWith('<');

    /// <summary>
    /// "Run" from "&lt;Run&gt;b__0_1" (lambda), "&lt;Run&gt;g__Local|0_0" (local function), "&lt;Run&gt;d__3" (state machine),
    /// and from the nested "&lt;&lt;Run&gt;b__0_0&gt;d" (an async lambda's state machine); null for other names.
    /// </summary>
    internal static string? GeneratedMemberName(string name)
    {
        while (name.Length > 0 && name[0] == '<')
        {
            int depth = 0;
            int close = -1;
            for (int i = 0; i < name.Length; i++)
            {
                if (name[i] == '<')
                {
                    depth++;
                }
                else if (name[i] == '>' && --depth == 0)
                {
                    close = i;
                    break;
                }
            }

            if (close <= 1)
            {
                return null;
            }

            string inner = name.Substring(1, close - 1);
            if (inner.StartsWith('<'))
            {
                name = inner;
                continue;
            }

            // "<Main>$" (the entry point of top-level statements) and "<Clone>$" (a record's) are methods of their own.
            return IsSpeakableGenerated(name.Substring(0, Math.Min(name.Length, close + 2))) ? name.Substring(0, close + 2) : inner;
        }

        return null;
    }

    /// <summary>"&lt;Main&gt;$", "&lt;Clone&gt;$": methods the compiler declares that have documentation IDs of their own.</summary>
    internal static bool IsSpeakableGenerated(string name) => name.Length > 3 && name[0] == '<' && name.EndsWith(">$", StringComparison.Ordinal) && name.IndexOf('>') == name.Length - 2;

    /// <summary>The source line of an IL offset in a method, or null without a PDB or a sequence point.</summary>
    public SourceLine? GetSourceLine(int token, int ilOffset)
    {
        if (_pdb is null || (token >> 24) != 0x06)
        {
            return null;
        }

        int row = token & 0xFFFFFF;
        if (row == 0 || row > _pdb.MethodDebugInformation.Count)
        {
            return null;
        }

        MethodDebugInformation info = _pdb.GetMethodDebugInformation(MetadataTokens.MethodDebugInformationHandle(row));
        SequencePoint? best = null;
        foreach (SequencePoint point in info.GetSequencePoints())
        {
            if (point.Offset > ilOffset && best is not null)
            {
                break;
            }

            if (!point.IsHidden && (point.Offset <= ilOffset || best is null))
            {
                best = point;
            }
        }

        if (best is not SequencePoint found)
        {
            return null;
        }

        string file = _pdb.GetString(_pdb.GetDocument(found.Document).Name);
        return new SourceLine(file, found.StartLine);
    }

    /// <summary>
    /// The call instructions of a method body in an IL range: their offset and the target's type (metadata name, e.g.
    /// "Task`1") and method name.
    /// </summary>
    public IReadOnlyList<(int Offset, string Type, string Name)> CallsIn(int token, int start, int end)
    {
        var calls = new List<(int, string, string)>();
        if ((token >> 24) != 0x06)
        {
            return calls;
        }

        MethodDefinition method = _metadata.GetMethodDefinition(MetadataTokens.MethodDefinitionHandle(token & 0xFFFFFF));
        if (method.RelativeVirtualAddress == 0)
        {
            return calls;
        }

        BlobReader il = _pe.GetMethodBody(method.RelativeVirtualAddress).GetILReader();
        while (il.RemainingBytes > 0)
        {
            int offset = il.Offset;
            int code = il.ReadByte();
            if (code == 0xFE)
            {
                code = 0xFE00 | il.ReadByte();
            }

            if (!IL.OperandSizes.TryGetValue(code, out int size))
            {
                break;
            }

            if (size == -1)
            {
                // switch: a count and that many 4-byte targets.
                int count = il.ReadInt32();
                il.Offset += count * 4;
                continue;
            }

            if ((code == 0x28 || code == 0x6F || code == 0x73) && offset >= start && offset < end)
            {
                (string type, string name) = CallTarget(MetadataTokens.EntityHandle(il.ReadInt32()));
                calls.Add((offset, type, name));
                continue;
            }

            il.Offset += size;
        }

        return calls;
    }

    private (string Type, string Name) CallTarget(EntityHandle handle)
    {
        switch (handle.Kind)
        {
            case HandleKind.MethodDefinition:
                MethodDefinition definition = _metadata.GetMethodDefinition((MethodDefinitionHandle)handle);
                return (_metadata.GetString(_metadata.GetTypeDefinition(definition.GetDeclaringType()).Name), _metadata.GetString(definition.Name));
            case HandleKind.MemberReference:
                MemberReference reference = _metadata.GetMemberReference((MemberReferenceHandle)handle);
                return (TypeName(reference.Parent), _metadata.GetString(reference.Name));
            case HandleKind.MethodSpecification:
                return CallTarget(_metadata.GetMethodSpecification((MethodSpecificationHandle)handle).Method);
            default:
                return (string.Empty, string.Empty);
        }
    }

    private string TypeName(EntityHandle handle)
    {
        switch (handle.Kind)
        {
            case HandleKind.TypeReference:
                return _metadata.GetString(_metadata.GetTypeReference((TypeReferenceHandle)handle).Name);
            case HandleKind.TypeDefinition:
                return _metadata.GetString(_metadata.GetTypeDefinition((TypeDefinitionHandle)handle).Name);
            case HandleKind.TypeSpecification:
                // A generic instantiation: GENERICINST (0x15), CLASS or VALUETYPE, then the generic type's handle.
                BlobReader blob = _metadata.GetBlobReader(_metadata.GetTypeSpecification((TypeSpecificationHandle)handle).Signature);
                if (blob.ReadByte() == 0x15)
                {
                    blob.ReadByte();
                    return TypeName(blob.ReadTypeHandle());
                }

                return string.Empty;
            default:
                return string.Empty;
        }
    }

    /// <summary>Every method definition's token and ID (tests compare them with Roslyn's).</summary>
    internal IEnumerable<(int Token, string Id)> AllMethodIds() =>
        _metadata.MethodDefinitions.Select(h => (MetadataTokens.GetToken(h), DocumentationIds.ForMethod(_metadata, h)));

    public void Dispose()
    {
        _pdbProvider?.Dispose();
        _pe.Dispose();
    }
}
