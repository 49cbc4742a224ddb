using Outgate.Daemon.Web;

namespace Outgate.Dashboard.Tests;

/// <summary>The two login tokens and the sessions they make, without a daemon (temp files only).</summary>
public sealed class DashboardTokensTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("og-tokens-").FullName;

    private DashboardTokens Tokens() => new(
        new DashboardToken(Path.Combine(_dir, "dashboard-token")),
        new DashboardToken(Path.Combine(_dir, DashboardTokens.ViewerFileName), createOnLogin: false));

    [Fact]
    public void A_login_attempt_never_creates_the_viewer_token_and_each_token_logs_in_as_its_role()
    {
        var tokens = Tokens();
        var admin = tokens.Admin.Value;
        Assert.Null(tokens.RoleOf("guess"));
        Assert.Null(tokens.RoleOf(null));
        Assert.False(File.Exists(tokens.Viewer.Path));
        Assert.Equal(DashboardRole.Admin, tokens.RoleOf(admin));

        var viewer = tokens.Viewer.Value; // what `outgate dashboard --viewer` does
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(tokens.Viewer.Path));
        Assert.NotEqual(admin, viewer);
        Assert.Equal(DashboardRole.Viewer, tokens.RoleOf(viewer));
        Assert.Equal(DashboardRole.Viewer, Tokens().RoleOf(viewer)); // read back from the file by a new daemon

        var rotated = tokens.For(DashboardRole.Viewer).Rotate();
        Assert.Null(tokens.RoleOf(viewer));
        Assert.Equal(DashboardRole.Viewer, tokens.RoleOf(rotated));
        Assert.Equal(DashboardRole.Admin, tokens.RoleOf(admin));
    }

    [Fact]
    public void Ending_one_roles_sessions_leaves_the_other_roles_open()
    {
        var sessions = new DashboardSessions(TimeProvider.System);
        var admin = sessions.Create(DashboardRole.Admin);
        var viewer = sessions.Create(DashboardRole.Viewer);
        sessions.EndAll(DashboardRole.Viewer);
        Assert.Null(sessions.Find(viewer.Id));
        Assert.True(viewer.Ended.IsCancellationRequested, "the viewer's open streams are cut");
        Assert.Same(admin, sessions.Find(admin.Id));
        Assert.False(admin.Ended.IsCancellationRequested);
        sessions.EndAll(DashboardRole.Admin);
        Assert.Null(sessions.Find(admin.Id));
    }

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
