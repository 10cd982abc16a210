namespace Router
{
    /// <summary>
    /// Work another thread hands to the packet loop (the web UI's configuration changes and status snapshots). The loop
    /// runs it between polls, so the data plane keeps a single writer and never waits for that thread.
    /// </summary>
    public interface ILoopService
    {
        void Service();
    }
}
