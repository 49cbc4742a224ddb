namespace Outgate.Policy;
