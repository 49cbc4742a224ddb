namespace Outgate.Daemon;
