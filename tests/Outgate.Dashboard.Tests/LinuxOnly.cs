// The daemon is Linux-only (its assembly says so); so are these tests.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
