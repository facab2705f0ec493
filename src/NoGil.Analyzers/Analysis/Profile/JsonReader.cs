using System.Globalization;
using System.Text;

namespace NoGil.Analyzers.Analysis.Profile;

/// <summary>The kinds of JSON value <see cref="JsonReader"/> builds.</summary>
internal enum JsonKind
{
    Object,
    Array,
    String,
    Number,
    True,
    False,
    Null,
}

/// <summary>
/// One JSON value with the offset of its first character in the text it was read from, so that a reader of the value
/// can say where a member of the wrong type is.
/// </summary>
internal sealed class JsonValue
{
    private static readonly List<KeyValuePair<string, JsonValue>> NoMembers = new();
    private static readonly List<JsonValue> NoItems = new();

    private JsonValue(JsonKind kind, int offset)
    {
        Kind = kind;
        Offset = offset;
    }

    public JsonKind Kind { get; }

    /// <summary>The offset of the value's first character.</summary>
    public int Offset { get; }

    /// <summary>The text of a string; empty for other kinds.</summary>
    public string Text { get; private set; } = string.Empty;

    /// <summary>The value of a number (finite); 0 for other kinds.</summary>
    public double Number { get; private set; }

    /// <summary>The members of an object in the order of the text (names may repeat); empty for other kinds.</summary>
    public List<KeyValuePair<string, JsonValue>> Members { get; private set; } = NoMembers;

    /// <summary>The items of an array; empty for other kinds.</summary>
    public List<JsonValue> Items { get; private set; } = NoItems;

    /// <summary>The first member named <paramref name="name"/> of an object; null when absent or not an object.</summary>
    public JsonValue? Get(string name)
    {
        foreach (var member in Members)
        {
            if (string.Equals(member.Key, name, StringComparison.Ordinal))
            {
                return member.Value;
            }
        }

        return null;
    }

    internal static JsonValue Literal(JsonKind kind, int offset) => new(kind, offset);

    internal static JsonValue String(string text, int offset) => new(JsonKind.String, offset) { Text = text };

    internal static JsonValue FromNumber(double number, int offset) => new(JsonKind.Number, offset) { Number = number };

    internal static JsonValue Object(List<KeyValuePair<string, JsonValue>> members, int offset) => new(JsonKind.Object, offset) { Members = members };

    internal static JsonValue Array(List<JsonValue> items, int offset) => new(JsonKind.Array, offset) { Items = items };
}

/// <summary>What <see cref="JsonReader.Read"/> found: the root value, or why the text is not JSON and where (an offset).</summary>
internal readonly struct JsonReadResult
{
    public JsonReadResult(JsonValue? root, string? error, int errorOffset)
    {
        Root = root;
        Error = error;
        ErrorOffset = errorOffset;
    }

    public JsonValue? Root { get; }

    public string? Error { get; }

    public int ErrorOffset { get; }
}

/// <summary>
/// A small strict JSON reader (RFC 8259) for the profile file: the analyzer assembly takes no package dependency for it.
/// It never throws: text that is not JSON, nested deeper than <see cref="MaxDepth"/>, or longer than
/// <see cref="MaxLength"/> gives an error and its offset. A leading byte-order mark is skipped; numbers must be finite.
/// </summary>
internal sealed class JsonReader
{
    /// <summary>The longest text read, in characters (a profile of 50,000 methods is about 10 MB).</summary>
    public const int MaxLength = 64 * 1024 * 1024;

    /// <summary>The deepest nesting of arrays and objects read (the profile format uses three levels).</summary>
    public const int MaxDepth = 64;

    private readonly string _text;
    private readonly CancellationToken _cancellationToken;
    private int _position;
    private string? _error;
    private int _errorOffset;

    private JsonReader(string text, CancellationToken cancellationToken)
    {
        _text = text;
        _cancellationToken = cancellationToken;
    }

    /// <summary>Reads <paramref name="text"/>, which must hold exactly one JSON value (surrounded by white space at most).</summary>
    public static JsonReadResult Read(string? text, CancellationToken cancellationToken)
    {
        if (text is null)
        {
            return new JsonReadResult(null, "the file could not be read", 0);
        }

        if (text.Length > MaxLength)
        {
            return new JsonReadResult(null, "the file is larger than " + (MaxLength / (1024 * 1024)).ToString(CultureInfo.InvariantCulture) + " MB", 0);
        }

        var reader = new JsonReader(text, cancellationToken);
        if (text.Length > 0 && text[0] == '\uFEFF')
        {
            reader._position = 1;
        }

        reader.SkipWhiteSpace();
        if (reader._position >= text.Length)
        {
            return new JsonReadResult(null, "the file is empty", 0);
        }

        var root = reader.ReadValue(depth: 1);
        if (root is not null)
        {
            reader.SkipWhiteSpace();
            if (reader._position < text.Length)
            {
                reader.Fail("unexpected text after the JSON value", reader._position);
                root = null;
            }
        }

        return root is null ? new JsonReadResult(null, reader._error, reader._errorOffset) : new JsonReadResult(root, null, 0);
    }

    private JsonValue? Fail(string error, int offset)
    {
        if (_error is null)
        {
            _error = error;
            _errorOffset = offset;
        }

        return null;
    }

    private void SkipWhiteSpace()
    {
        while (_position < _text.Length && _text[_position] is ' ' or '\t' or '\n' or '\r')
        {
            _position++;
        }
    }

    private JsonValue? ReadValue(int depth)
    {
        if (_position >= _text.Length)
        {
            return Fail("the file ends where a value was expected", _text.Length);
        }

        var start = _position;
        switch (_text[_position])
        {
            case '{':
                return depth > MaxDepth ? Fail("objects and arrays are nested deeper than " + MaxDepth.ToString(CultureInfo.InvariantCulture) + " levels", start) : ReadObject(depth);
            case '[':
                return depth > MaxDepth ? Fail("objects and arrays are nested deeper than " + MaxDepth.ToString(CultureInfo.InvariantCulture) + " levels", start) : ReadArray(depth);
            case '"':
                return ReadString() is { } text ? JsonValue.String(text, start) : null;
            case 't':
                return ReadLiteral("true", JsonKind.True);
            case 'f':
                return ReadLiteral("false", JsonKind.False);
            case 'n':
                return ReadLiteral("null", JsonKind.Null);
            case '-' or (>= '0' and <= '9'):
                return ReadNumber();
            default:
                return Fail("expected a value (an object, array, string, number, true, false or null)", start);
        }
    }

    private JsonValue? ReadLiteral(string literal, JsonKind kind)
    {
        var start = _position;
        if (string.CompareOrdinal(_text, start, literal, 0, literal.Length) != 0)
        {
            return Fail("expected a value (an object, array, string, number, true, false or null)", start);
        }

        _position += literal.Length;
        return JsonValue.Literal(kind, start);
    }

    private JsonValue? ReadObject(int depth)
    {
        var start = _position++;
        var members = new List<KeyValuePair<string, JsonValue>>();
        SkipWhiteSpace();
        if (_position < _text.Length && _text[_position] == '}')
        {
            _position++;
            return JsonValue.Object(members, start);
        }

        while (true)
        {
            _cancellationToken.ThrowIfCancellationRequested();
            SkipWhiteSpace();
            if (_position >= _text.Length || _text[_position] != '"')
            {
                return Fail(_position >= _text.Length ? "the file ends inside an object" : "expected a member name in double quotes", _position);
            }

            if (ReadString() is not { } name)
            {
                return null;
            }

            SkipWhiteSpace();
            if (_position >= _text.Length || _text[_position] != ':')
            {
                return Fail("expected ':' after the member name", _position);
            }

            _position++;
            SkipWhiteSpace();
            if (ReadValue(depth + 1) is not { } value)
            {
                return null;
            }

            members.Add(new KeyValuePair<string, JsonValue>(name, value));
            SkipWhiteSpace();
            if (_position < _text.Length && _text[_position] == ',')
            {
                _position++;
                continue;
            }

            if (_position < _text.Length && _text[_position] == '}')
            {
                _position++;
                return JsonValue.Object(members, start);
            }

            return Fail(_position >= _text.Length ? "the file ends inside an object" : "expected ',' or '}' after a member", _position);
        }
    }

    private JsonValue? ReadArray(int depth)
    {
        var start = _position++;
        var items = new List<JsonValue>();
        SkipWhiteSpace();
        if (_position < _text.Length && _text[_position] == ']')
        {
            _position++;
            return JsonValue.Array(items, start);
        }

        while (true)
        {
            if ((items.Count & 1023) == 0)
            {
                _cancellationToken.ThrowIfCancellationRequested();
            }

            SkipWhiteSpace();
            if (ReadValue(depth + 1) is not { } item)
            {
                return null;
            }

            items.Add(item);
            SkipWhiteSpace();
            if (_position < _text.Length && _text[_position] == ',')
            {
                _position++;
                continue;
            }

            if (_position < _text.Length && _text[_position] == ']')
            {
                _position++;
                return JsonValue.Array(items, start);
            }

            return Fail(_position >= _text.Length ? "the file ends inside an array" : "expected ',' or ']' after an item", _position);
        }
    }

    /// <summary>Reads a string at the opening quote; null (and an error) when it is not a valid one.</summary>
    private string? ReadString()
    {
        var start = _position++;
        StringBuilder? builder = null;
        var runStart = _position;
        while (_position < _text.Length)
        {
            var c = _text[_position];
            if (c == '"')
            {
                var text = builder is null ? _text.Substring(runStart, _position - runStart) : builder.Append(_text, runStart, _position - runStart).ToString();
                _position++;
                return text;
            }

            if (c < ' ')
            {
                Fail("a control character inside a string (write it as an escape)", _position);
                return null;
            }

            if (c != '\\')
            {
                _position++;
                continue;
            }

            builder ??= new StringBuilder();
            builder.Append(_text, runStart, _position - runStart);
            if (!ReadEscape(builder))
            {
                return null;
            }

            runStart = _position;
        }

        Fail("a string that is never closed", start);
        return null;
    }

    /// <summary>Appends the character of the escape at <see cref="_position"/> (a backslash) and moves past it.</summary>
    private bool ReadEscape(StringBuilder builder)
    {
        var at = _position;
        if (_position + 1 >= _text.Length)
        {
            Fail("a string that is never closed", at);
            return false;
        }

        var kind = _text[_position + 1];
        _position += 2;
        switch (kind)
        {
            case '"': builder.Append('"'); return true;
            case '\\': builder.Append('\\'); return true;
            case '/': builder.Append('/'); return true;
            case 'b': builder.Append('\b'); return true;
            case 'f': builder.Append('\f'); return true;
            case 'n': builder.Append('\n'); return true;
            case 'r': builder.Append('\r'); return true;
            case 't': builder.Append('\t'); return true;
            case 'u' when _position + 4 <= _text.Length
                          && int.TryParse(_text.Substring(_position, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code)
                          && IsHex(_text, _position, 4):
                builder.Append((char)code);
                _position += 4;
                return true;
            default:
                Fail("an invalid escape in a string", at);
                return false;
        }
    }

    private static bool IsHex(string text, int start, int length)
    {
        for (var i = start; i < start + length; i++)
        {
            if (!Uri.IsHexDigit(text[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Reads a number with JSON's grammar: <c>-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?</c>, finite.</summary>
    private JsonValue? ReadNumber()
    {
        var start = _position;
        if (_text[_position] == '-')
        {
            _position++;
        }

        if (_position < _text.Length && _text[_position] == '0')
        {
            _position++;
        }
        else if (!SkipDigits())
        {
            return Fail("an invalid number", start);
        }

        if (_position < _text.Length && _text[_position] == '.')
        {
            _position++;
            if (!SkipDigits())
            {
                return Fail("an invalid number", start);
            }
        }

        if (_position < _text.Length && _text[_position] is 'e' or 'E')
        {
            _position++;
            if (_position < _text.Length && _text[_position] is '+' or '-')
            {
                _position++;
            }

            if (!SkipDigits())
            {
                return Fail("an invalid number", start);
            }
        }

        if (_position < _text.Length && (char.IsLetterOrDigit(_text[_position]) || _text[_position] == '.'))
        {
            return Fail("an invalid number", start);
        }

        var text = _text.Substring(start, _position - start);
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && !double.IsInfinity(value) && !double.IsNaN(value)
            ? JsonValue.FromNumber(value, start)
            : Fail("a number out of range", start);
    }

    private bool SkipDigits()
    {
        var start = _position;
        while (_position < _text.Length && _text[_position] is >= '0' and <= '9')
        {
            _position++;
        }

        return _position > start;
    }
}
