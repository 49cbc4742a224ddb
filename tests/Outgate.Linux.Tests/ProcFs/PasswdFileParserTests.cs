using Outgate.Linux.ProcFs;

namespace Outgate.Linux.Tests.ProcFs;

public class PasswdFileParserTests
{
    [Fact]
    public void Maps_uids_to_names_skipping_comments_blank_and_malformed_lines()
    {
        var users = PasswdFileParser.Parse("""
            # /etc/passwd
            root:x:0:0:root:/root:/bin/bash

            daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin
            broken line without colons
            nouid:x::1::/:/bin/false
            neg:x:-1:1::/:/bin/false
            big:x:99999999999:1::/:/bin/false
            :x:5:5::/:/bin/false
            +nisuser::::::
            alice:x:1000:1000:Alice,,,:/home/alice:/bin/bash
            toor:x:0:0:second root:/root:/bin/sh
            nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
            dos:x:1001:1001::/home/dos:/bin/sh
            """.Replace("dos:x:1001:1001::/home/dos:/bin/sh", "dos:x:1001:1001::/home/dos:/bin/sh\r"));

        Assert.Equal(new Dictionary<uint, string>
        {
            [0] = "root",
            [1] = "daemon",
            [1000] = "alice",
            [65534] = "nobody",
            [1001] = "dos",
        }, users);
    }

    [Fact]
    public void Empty_file_is_no_users() => Assert.Empty(PasswdFileParser.Parse(""));

    [Fact]
    public void Minimal_line_with_only_three_fields_is_enough()
    {
        Assert.True(PasswdFileParser.TryParseLine("svc:x:123:", out var uid, out var name));
        Assert.Equal((123u, "svc"), (uid, name));
    }
}
