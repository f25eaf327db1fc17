using System.Text;
using MailIngest.Smtp.Milter;

namespace MailIngest.Smtp.Tests.Milter;

public sealed class HeaderSectionTests
{
    private const string Message = "From: a@x.test\r\nSubject: hello\r\n  folded\r\nX-Delete-Me: yes\r\nSubject: second\r\n\r\nbody\r\n";

    private static (HeaderSection Section, int BodyStart) Parse(string message)
    {
        var bytes = Encoding.UTF8.GetBytes(message);
        var bodyStart = HeaderSection.FindBody(bytes, out var headerLength);
        return (HeaderSection.Parse(bytes.AsSpan(0, headerLength)), bodyStart);
    }

    private static string Write(HeaderSection section)
    {
        var output = new MemoryStream();
        section.WriteTo(output);
        return Encoding.UTF8.GetString(output.ToArray());
    }

    [Fact]
    public void Fields_keep_their_folds_and_the_body_starts_after_the_empty_line()
    {
        var (section, bodyStart) = Parse(Message);

        Assert.Equal(["From", "Subject", "X-Delete-Me", "Subject"], section.Fields.Select(f => f.Name));
        Assert.Equal(" hello\n  folded", section.Fields[1].Value);
        Assert.Equal(Message.IndexOf("body", StringComparison.Ordinal), bodyStart);
        Assert.Equal(Message[..bodyStart], Write(section));
    }

    [Fact]
    public void A_message_without_an_empty_line_is_all_header_and_one_starting_with_it_has_none()
    {
        var (all, allBody) = Parse("Subject: x\r\n");
        var (none, noneBody) = Parse("\r\nbody");

        Assert.Single(all.Fields);
        Assert.Equal("Subject: x\r\n".Length, allBody);
        Assert.Empty(none.Fields);
        Assert.Equal(2, noneBody);
    }

    [Fact]
    public void Add_appends_insert_goes_before_the_index_and_both_get_the_space_after_the_colon()
    {
        var (section, _) = Parse(Message);

        section.Add("X-Spam-Status", "No, score=0.1", leadingSpace: false);
        section.Insert(0, "X-First", "1", leadingSpace: false);
        section.Insert(99, "X-Last", "2", leadingSpace: false);

        var text = Write(section);
        Assert.StartsWith("X-First: 1\r\nFrom: a@x.test\r\n", text);
        Assert.EndsWith("Subject: second\r\nX-Spam-Status: No, score=0.1\r\nX-Last: 2\r\n\r\n", text);
    }

    [Fact]
    public void Change_targets_the_nth_field_of_the_name_an_empty_value_deletes_and_a_missing_one_is_added()
    {
        var (section, _) = Parse(Message);

        section.Change(2, "subject", "[filtered] second", leadingSpace: false);
        section.Change(1, "X-Delete-Me", "", leadingSpace: false);
        section.Change(1, "X-New", "added", leadingSpace: false);
        Assert.Null(section.Change(1, "X-Absent", "", leadingSpace: false));

        Assert.Equal("From: a@x.test\r\nSubject: hello\r\n  folded\r\nsubject: [filtered] second\r\nX-New: added\r\n\r\n", Write(section));
    }

    [Fact]
    public void A_multi_line_value_is_folded_with_white_space_so_it_cannot_start_a_field()
    {
        var (section, _) = Parse(Message);

        var field = section.Add("X-Report", "line one\nInjected: no", leadingSpace: false);

        Assert.Equal("X-Report: line one\r\n\tInjected: no\r\n", Encoding.UTF8.GetString(field.Raw));
        Assert.Equal("X-Report: line one Injected: no", field.Text);
    }

    [Fact]
    public void With_leading_space_negotiated_the_value_is_written_as_given()
    {
        var (section, _) = Parse(Message);

        var field = section.Add("X-A", " kept", leadingSpace: true);

        Assert.Equal("X-A: kept\r\n", Encoding.UTF8.GetString(field.Raw));
    }
}
