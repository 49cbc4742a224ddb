using System.Diagnostics;
using System.Net;
using Outgate.Linux.Dns;

namespace Outgate.Linux.Tests.Dns;

public class DnsAnswerParserTests
{
    private static DnsAnswer Parse(byte[] message)
    {
        Assert.True(DnsAnswerParser.TryParse(message, out var answer, out var error), $"refused: {error}");
        Assert.Equal(DnsParseError.None, error);
        return answer;
    }

    private static DnsParseError Refuse(byte[] message)
    {
        Assert.False(DnsAnswerParser.TryParse(message, out var answer, out var error));
        Assert.Null(answer);
        return error;
    }

    [Fact]
    public void Reads_an_A_answer_whose_owner_is_a_pointer_to_the_question()
    {
        var message = new DnsMessageBytes(id: 0xBEEF).Question("www.example.com").A(DnsMessageBytes.Pointer(12), "93.184.216.34", 3600).ToArray();
        var answer = Parse(message);
        Assert.Equal(0xBEEF, answer.Id);
        Assert.True(answer.IsResponse);
        Assert.False(answer.IsTruncated);
        Assert.Equal(DnsResponseCode.NoError, answer.ResponseCode);
        Assert.Equal("www.example.com", answer.QuestionName);
        Assert.Equal(DnsRecordType.A, answer.QuestionType);
        var mapping = Assert.Single(answer.Mappings);
        Assert.Equal(IPAddress.Parse("93.184.216.34"), mapping.Address);
        Assert.Equal(3600u, mapping.Ttl);
        Assert.Equal(["www.example.com"], mapping.Names);
    }

    [Fact]
    public void Follows_a_pointer_in_the_middle_of_a_name()
    {
        // "cdn" + pointer to "example.com" inside the question (offset 12 + 4 = 16).
        var owner = DnsMessageBytes.Pointer(12);
        byte[] target = [3, (byte)'c', (byte)'d', (byte)'n', .. DnsMessageBytes.Pointer(16)];
        var message = new DnsMessageBytes().Question("www.example.com").Record(1, owner, 5, 1, 60, target).A(target, "10.0.0.1").ToArray();
        var answer = Parse(message);
        Assert.Equal("cdn.example.com", Assert.Single(answer.Cnames).Target);
        Assert.Equal(["www.example.com", "cdn.example.com"], Assert.Single(answer.Mappings).Names);
    }

    [Fact]
    public void A_pointer_to_itself_is_refused_as_not_backwards()
    {
        // The question name is a pointer at offset 12 to offset 12.
        var message = new DnsMessageBytes().Question(DnsMessageBytes.Pointer(12)).ToArray();
        Assert.Equal(DnsParseError.PointerNotBackwards, Refuse(message));
    }

    [Fact]
    public void Two_pointers_pointing_at_each_other_are_refused()
    {
        // Answer owner at offset A points back to B, which points forward to A: the forward one is refused, no loop is walked.
        var m = new DnsMessageBytes().Question("a.example");
        var loopStart = m.Length; // next record's owner: "x" + pointer
        var message = m.Record(1, [1, (byte)'x', .. DnsMessageBytes.Pointer(loopStart + 100)], 1, 1, 1, [1, 2, 3, 4]).ToArray();
        Assert.Equal(DnsParseError.PointerOutOfRange, Refuse(message));

        m = new DnsMessageBytes().Question("a.example");
        var first = m.Length;
        m.Record(1, [1, (byte)'x', .. DnsMessageBytes.Pointer(first + 20)], 1, 1, 1, [1, 2, 3, 4]); // owner 4 bytes + 10 + 4 = ends at first + 18
        m.Record(1, [1, (byte)'y', .. DnsMessageBytes.Pointer(first)], 1, 1, 1, [1, 2, 3, 4]);   // at first + 18; first + 20 is its pointer
        Assert.Equal(DnsParseError.PointerNotBackwards, Refuse(m.ToArray()));
    }

    [Fact]
    public void A_pointer_past_the_end_is_out_of_range()
    {
        var message = new DnsMessageBytes().Question("example.com").A(DnsMessageBytes.Pointer(0x3FFF), "10.0.0.1").ToArray();
        Assert.Equal(DnsParseError.PointerOutOfRange, Refuse(message));
    }

    [Fact]
    public void A_forward_pointer_inside_the_message_is_refused()
    {
        var message = new DnsMessageBytes().Question("example.com").A(DnsMessageBytes.Pointer(40), "10.0.0.1").A("example.com", "10.0.0.2").ToArray();
        Assert.Equal(DnsParseError.PointerNotBackwards, Refuse(message));
    }

    [Fact]
    public void A_64_byte_label_length_is_a_reserved_label_type()
    {
        byte[] name = [64, .. new byte[64], 0];
        Array.Fill(name, (byte)'a', 1, 64);
        Assert.Equal(DnsParseError.ReservedLabelType, Refuse(new DnsMessageBytes().Question(name).ToArray()));
    }

    [Fact]
    public void A_name_over_255_wire_bytes_is_refused()
    {
        var label = new string('a', 63);
        Assert.Equal(DnsParseError.NameTooLong, Refuse(new DnsMessageBytes().Question($"{label}.{label}.{label}.{label}").ToArray()));
        // 4 * 62 + 3 dots = 251 characters, 253 wire bytes: fits.
        var fits = new string('b', 62);
        Assert.Equal($"{fits}.{fits}.{fits}.{fits}", Parse(new DnsMessageBytes().Question($"{fits}.{fits}.{fits}.{fits}").ToArray()).QuestionName);
    }

    [Fact]
    public void More_than_127_labels_are_refused()
    {
        var name = string.Join('.', Enumerable.Repeat("a", 128));
        Assert.Equal(DnsParseError.TooManyLabels, Refuse(new DnsMessageBytes().Question(name).ToArray()));
        Assert.Equal(127 * 2 - 1, Parse(new DnsMessageBytes().Question(string.Join('.', Enumerable.Repeat("a", 127))).ToArray()).QuestionName.Length);
    }

    [Fact]
    public void A_message_cut_inside_a_record_keeps_the_complete_records_and_says_it_was_cut()
    {
        var message = new DnsMessageBytes().Question("example.com").A("example.com", "10.0.0.1").A("example.com", "10.0.0.2").ToArray();
        for (var cut = 1; cut <= 13 + 10 + 4; cut++) // up to the whole second record
        {
            var answer = Parse(message[..^cut]);
            Assert.True(answer.IsCut);
            Assert.True(answer.IsTruncated);
            Assert.Equal(IPAddress.Parse("10.0.0.1"), Assert.Single(answer.Mappings).Address);
        }
    }

    [Fact]
    public void A_message_cut_inside_the_question_is_too_short()
    {
        var message = new DnsMessageBytes().Question("example.com").ToArray();
        for (var length = 0; length < message.Length; length++)
            Assert.Equal(DnsParseError.TooShort, Refuse(message[..length]));
    }

    [Fact]
    public void The_TC_bit_marks_the_answer_truncated()
    {
        var answer = Parse(new DnsMessageBytes(flags: 0x8380).Question("big.example").ToArray());
        Assert.True(answer.IsTruncated);
        Assert.False(answer.IsCut);
        Assert.True(answer.Flags.HasFlag(DnsHeaderFlags.Truncated));
    }

    [Fact]
    public void EDNS_OPT_in_the_additional_section_gives_payload_size_and_extended_rcode()
    {
        var answer = Parse(new DnsMessageBytes(flags: 0x8180).Question("example.com").A("example.com", "10.0.0.1").Opt(1232, extendedRcode: 1).ToArray());
        Assert.Equal((ushort)1232, answer.EdnsPayloadSize);
        Assert.Equal(DnsResponseCode.BadVersion, answer.ResponseCode);
        Assert.Single(answer.Mappings);
        Assert.Null(Parse(new DnsMessageBytes().Question("example.com").ToArray()).EdnsPayloadSize);
    }

    [Fact]
    public void A_CNAME_chain_maps_each_address_to_every_name_on_the_way()
    {
        var message = new DnsMessageBytes().Question("a.example")
            .Cname("a.example", "b.example", 600).Cname("b.example", "c.example.net", 120)
            .A("c.example.net", "192.0.2.1", 300).A("c.example.net", "192.0.2.2", 60).ToArray();
        var answer = Parse(message);
        Assert.Equal(["a.example", "b.example", "c.example.net"], answer.CnameChain);
        Assert.Equal(2, answer.Mappings.Count);
        Assert.All(answer.Mappings, m => Assert.Equal(["a.example", "b.example", "c.example.net"], m.Names));
        Assert.Equal(120u, answer.Mappings[0].Ttl); // the smallest TTL along the chain
        Assert.Equal(60u, answer.Mappings[1].Ttl);
        Assert.Same(answer.Mappings[0].Names, answer.Mappings[1].Names);
    }

    [Fact]
    public void CNAMEs_given_out_of_order_still_chain()
    {
        var answer = Parse(new DnsMessageBytes().Question("a.example").A("c.example", "192.0.2.9").Cname("b.example", "c.example").Cname("a.example", "b.example").ToArray());
        Assert.Equal(["a.example", "b.example", "c.example"], Assert.Single(answer.Mappings).Names);
    }

    [Fact]
    public void A_CNAME_loop_ends_the_chain()
    {
        var answer = Parse(new DnsMessageBytes().Question("a.example").Cname("a.example", "b.example").Cname("b.example", "a.example").ToArray());
        Assert.Equal(["a.example", "b.example"], answer.CnameChain);
        Assert.Empty(answer.Mappings);
    }

    [Fact]
    public void Address_records_for_names_off_the_chain_are_not_mapped()
    {
        var answer = Parse(new DnsMessageBytes().Question("a.example").A("a.example", "192.0.2.1").A("bank.example", "203.0.113.66").ToArray());
        Assert.Equal(2, answer.Addresses.Count);
        Assert.Equal(IPAddress.Parse("192.0.2.1"), Assert.Single(answer.Mappings).Address);
    }

    [Fact]
    public void Reads_AAAA_and_several_answers()
    {
        var answer = Parse(new DnsMessageBytes().Question("v6.example", 28).A("v6.example", "2001:db8::1").A("v6.example", "2001:db8::2").A("v6.example", "192.0.2.3").ToArray());
        Assert.Equal(DnsRecordType.AAAA, answer.QuestionType);
        Assert.Equal([IPAddress.Parse("2001:db8::1"), IPAddress.Parse("2001:db8::2"), IPAddress.Parse("192.0.2.3")], answer.Mappings.Select(m => m.Address));
    }

    [Theory]
    [InlineData(0u, 0u)]
    [InlineData(1u, 1u)]
    [InlineData(0x7FFFFFFFu, 0x7FFFFFFFu)]
    [InlineData(0x80000000u, 0u)] // RFC 2181 8: top bit set means 0
    public void TTLs_are_kept_except_the_top_bit_ones(uint wire, uint expected)
    {
        Assert.Equal(expected, Assert.Single(Parse(new DnsMessageBytes().Question("t.example").A("t.example", "192.0.2.1", wire).ToArray()).Mappings).Ttl);
    }

    [Fact]
    public void Names_are_lower_cased_and_IDNA_labels_stay_as_bytes()
    {
        var answer = Parse(new DnsMessageBytes().Question("WWW.Xn--Bcher-Kva.EXAMPLE").A("www.xn--bcher-kva.example", "192.0.2.1").ToArray());
        Assert.Equal("www.xn--bcher-kva.example", answer.QuestionName);
        Assert.Single(answer.Mappings);
    }

    [Fact]
    public void The_root_question_is_the_empty_name()
    {
        Assert.Equal("", Parse(new DnsMessageBytes().Question("", 2).ToArray()).QuestionName);
    }

    [Theory]
    [InlineData((byte)'.')]
    [InlineData((byte)' ')]
    [InlineData((byte)0)]
    [InlineData((byte)0xC3)]
    public void A_label_with_a_dot_space_control_or_non_ASCII_byte_is_refused(byte bad)
    {
        byte[] name = [8, (byte)'e', (byte)'v', (byte)'i', (byte)'l', bad, (byte)'c', (byte)'o', (byte)'m', 0];
        Assert.Equal(DnsParseError.BadNameCharacter, Refuse(new DnsMessageBytes().Question(name).ToArray()));
    }

    [Fact]
    public void Unknown_types_and_other_classes_are_skipped_even_with_odd_owner_names()
    {
        byte[] oddOwner = [3, (byte)'a', (byte)' ', (byte)'b', 0];
        var answer = Parse(new DnsMessageBytes().Question("s.example")
            .Record(1, oddOwner, 46, 1, 300, new byte[40])           // RRSIG
            .Record(1, DnsMessageBytes.Name("s.example"), 1, 3, 300, [1, 2, 3, 4]) // class CHAOS
            .A("s.example", "192.0.2.7")
            .Record(2, DnsMessageBytes.Name("example"), 6, 1, 300, new byte[22]) // SOA in authority
            .ToArray());
        Assert.Equal(IPAddress.Parse("192.0.2.7"), Assert.Single(answer.Addresses).Address);
    }

    [Fact]
    public void An_A_record_with_the_wrong_length_is_refused()
    {
        Assert.Equal(DnsParseError.BadAddressLength, Refuse(new DnsMessageBytes().Question("x.example").Record(1, DnsMessageBytes.Name("x.example"), 1, 1, 1, [1, 2, 3]).ToArray()));
        Assert.Equal(DnsParseError.BadAddressLength, Refuse(new DnsMessageBytes().Question("x.example").Record(1, DnsMessageBytes.Name("x.example"), 28, 1, 1, [1, 2, 3, 4]).ToArray()));
    }

    [Fact]
    public void A_CNAME_whose_target_overruns_its_data_is_refused()
    {
        byte[] target = DnsMessageBytes.Name("target.example");
        var message = new DnsMessageBytes().Question("x.example").Record(1, DnsMessageBytes.Name("x.example"), 5, 1, 1, target).A("x.example", "192.0.2.1").ToArray();
        message[12 + 11 + 4 + 11 + 8 + 1]--; // RDLENGTH one short: the name runs into the next record
        Assert.Equal(DnsParseError.BadCnameData, Refuse(message));
    }

    [Fact]
    public void Question_counts_other_than_one_are_refused()
    {
        Assert.Equal(DnsParseError.NoQuestion, Refuse(new DnsMessageBytes().ToArray()));
        Assert.Equal(DnsParseError.TooManyQuestions, Refuse(new DnsMessageBytes().Question("a.example").Question("b.example").ToArray()));
        Assert.Equal(DnsParseError.TooShort, Refuse([1, 2, 3]));
    }

    [Fact]
    public void More_than_the_answer_cap_is_refused()
    {
        var m = new DnsMessageBytes().Question("many.example");
        for (var i = 0; i <= DnsAnswerParser.MaxAnswerRecords; i++) m.A(DnsMessageBytes.Pointer(12), $"10.0.{i >> 8}.{i & 255}");
        Assert.Equal(DnsParseError.TooManyRecords, Refuse(m.ToArray()));
    }

    [Fact]
    public void A_query_parses_and_says_it_is_not_a_response()
    {
        var answer = Parse(new DnsMessageBytes(flags: 0x0100).Question("q.example").ToArray());
        Assert.False(answer.IsResponse);
        Assert.True(answer.Flags.HasFlag(DnsHeaderFlags.RecursionDesired));
    }

    [Fact]
    public void Refused_messages_allocate_nothing()
    {
        byte[][] bad = [
            new DnsMessageBytes().Question(DnsMessageBytes.Pointer(12)).ToArray(),
            new DnsMessageBytes().Question("x.example").A("x.example", "10.0.0.1").A(DnsMessageBytes.Pointer(0x3FFF), "10.0.0.1").ToArray(),
            [1, 2, 3],
        ];
        foreach (var message in bad) DnsAnswerParser.TryParse(message, out _, out _);
        var before = GC.GetAllocatedBytesForCurrentThread();
        foreach (var message in bad) DnsAnswerParser.TryParse(message, out _, out _);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void A_64KiB_message_of_pointer_chains_parses_quickly()
    {
        // Worst case for work per byte: each A owner is a pointer to the previous owner, chains of 60 jumps, then the rest stepped over.
        var m = new DnsMessageBytes().Question("w.example");
        var previous = 12;
        var count = 0;
        while (m.Length < 60_000)
        {
            var here = m.Length;
            if (count < DnsAnswerParser.MaxAnswerRecords) m.Record(1, DnsMessageBytes.Pointer(previous), 1, 1, 1, [10, 0, 0, 1]);
            else m.Record(1, DnsMessageBytes.Pointer(previous), 16, 1, 1, []); // TXT: stepped over
            previous = count++ % 60 == 0 ? 12 : here;
        }
        var message = m.ToArray();
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < 10; i++) Assert.True(DnsAnswerParser.TryParse(message, out _, out _));
        Assert.True(watch.ElapsedMilliseconds < 500, $"10 parses took {watch.ElapsedMilliseconds} ms");
    }
}
