using System.Text;
using Router.Web;
using Xunit;

namespace Router.Tests.Web;

public sealed class JsonTests
{
    [Fact]
    public void Writer_produces_exact_json_with_escapes()
    {
        var buffer = new byte[256];
        var w = new JsonWriter();
        w.Reset(buffer);
        w.BeginObject();
        w.Property("name", "a\"b\\c\n<é>");
        w.Property("n", -42);
        w.Property("ok", true);
        w.Name("list");
        w.BeginArray();
        w.Number(1);
        w.BeginObject();
        w.EndObject();
        w.String(null);
        w.EndArray();
        w.EndObject();
        Assert.False(w.Overflowed);
        Assert.Equal("{\"name\":\"a\\\"b\\\\c\\n\\u003c\\u00e9\\u003e\",\"n\":-42,\"ok\":true,\"list\":[1,{},null]}",
            Encoding.ASCII.GetString(buffer, 0, w.Length));
    }

    [Fact]
    public void Writer_reports_overflow_instead_of_writing_past_the_buffer()
    {
        var buffer = new byte[8];
        var w = new JsonWriter();
        w.Reset(buffer);
        w.BeginObject();
        w.Property("long name", "value");
        Assert.True(w.Overflowed);
        Assert.Equal(8, w.Length);
    }

    private static JsonReader Reader(string json)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(json);
        var r = new JsonReader();
        r.Reset(bytes, 0, bytes.Length);
        return r;
    }

    [Fact]
    public void Reader_reads_properties_of_each_type_and_skips_unknown_ones()
    {
        var r = Reader(" {\"name\":\"Web \\u00e9\\n\", \"skip\":{\"a\":[1,2,{\"b\":null}]}, \"port\":\"8080\", \"n\":-7, \"on\":true, \"list\":[21, \"2121\"]} ");
        Assert.True(r.ReadObjectStart());
        string name = null, port = null, n = null;
        bool on = false;
        var list = new string[4];
        int count = 0;
        while (r.NextProperty())
        {
            if (r.NameIs("name")) name = r.ReadString();
            else if (r.NameIs("port")) port = r.ReadText();
            else if (r.NameIs("n")) n = r.ReadText();
            else if (r.NameIs("on")) on = r.ReadBool();
            else if (r.NameIs("list"))
            {
                Assert.True(r.ReadArrayStart());
                while (r.NextArrayElement()) list[count++] = r.ReadText();
            }
            else r.SkipValue();
        }
        Assert.True(r.FinishedCleanly());
        Assert.Equal("Web é\n", name);
        Assert.Equal("8080", port);
        Assert.Equal("-7", n);
        Assert.True(on);
        Assert.Equal(new[] { "21", "2121" }, list[..count]);
    }

    [Fact]
    public void Reader_gives_scalars_as_text_for_field_level_parsing()
    {
        var r = Reader("{\"port\":\"abc\",\"x\":1.5,\"y\":true,\"z\":null}");
        Assert.True(r.ReadObjectStart());
        Assert.True(r.NextProperty());
        Assert.Equal("abc", r.ReadText());
        Assert.True(r.NextProperty());
        Assert.Equal("1.5", r.ReadText());
        Assert.True(r.NextProperty());
        Assert.Equal("true", r.ReadText());
        Assert.True(r.NextProperty());
        Assert.Null(r.ReadText());
        Assert.False(r.NextProperty());
        Assert.True(r.FinishedCleanly());
    }

    [Theory]
    [InlineData("{\"a\":1,}")]
    [InlineData("{\"a\" 1}")]
    [InlineData("{\"a\":1")]
    [InlineData("{\"a\":\"unterminated}")]
    [InlineData("{\"a\":\"bad \\x escape\"}")]
    [InlineData("[[[[[[[[[[1]]]]]]]]]]")]
    [InlineData("{\"a\":1} trailing")]
    public void Reader_rejects_malformed_or_too_deep_input(string json)
    {
        var r = Reader(json);
        if (json[0] == '{')
        {
            r.ReadObjectStart();
            while (r.NextProperty()) r.SkipValue();
        }
        else r.SkipValue();
        Assert.False(r.FinishedCleanly());
    }

    [Fact]
    public void Reader_limits_string_length()
    {
        var r = Reader("\"" + new string('x', JsonReader.MaxStringLength + 1) + "\"");
        Assert.Null(r.ReadString());
        Assert.True(r.Failed);
    }
}
