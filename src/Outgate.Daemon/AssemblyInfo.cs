// outgated is a Linux daemon: netfilter, unix sockets, /proc.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
