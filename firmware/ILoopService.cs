namespace Router
{
    /// <summary>
    /// Work the packet loop runs once per tick after taking frames (the web server). It must do bounded work and never
    /// wait: there is one loop and no other thread.
    /// </summary>
    public interface ILoopService
    {
        void Service();

        /// <summary>Clock time by which <see cref="Service"/> must run again (its earliest timer), or the time given when work is waiting.</summary>
        long NextDeadline(long now);
    }
}
