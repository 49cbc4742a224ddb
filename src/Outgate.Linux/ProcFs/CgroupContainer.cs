namespace Outgate.Linux.ProcFs;

/// <summary>
/// A container found in a cgroup path. <paramref name="FullId"/> is the runtime's complete id
/// (64 hex digits for docker, podman, containerd and CRI-O; the container name for LXC).
/// </summary>
public readonly record struct CgroupContainer(string Runtime, string FullId, string? Name)
{
    /// <summary>Runtime names as reported in <see cref="ContainerRef.Runtime"/>.</summary>
    public const string Docker = "docker", Podman = "podman", Containerd = "containerd", CriO = "cri-o",
        Kubernetes = "kubernetes", Lxc = "lxc";

    /// <summary>The id as shown to people: docker and podman print the first 12 hex digits; others keep the full id.</summary>
    public string ShortId => Runtime is Docker or Podman && FullId.Length > 12 ? FullId[..12] : FullId;
}
