namespace Router
{
    /// <summary>
    /// Long work the packet loop does a bounded slice of per tick (a password hash, a flash write), so no single
    /// <see cref="RouterFirmware.RunOnce"/> stalls the frames behind it.
    /// </summary>
    public interface ILoopJob
    {
        /// <summary>True while there is work left: the loop then runs again at once instead of waiting.</summary>
        bool Pending { get; }

        /// <summary>Does one bounded slice of the work.</summary>
        void Step(long now);
    }
}
