namespace Router
{
    /// <summary>
    /// Where the packet path reports something the admin should act on (<see cref="StatusEvent"/>). Recording stores a
    /// kind code and an address in a preallocated slot; the text is made only when the status page reads it, so the
    /// packet path allocates nothing.
    /// </summary>
    public interface IStatusEventSink
    {
        void Record(long nowMs, int kind, uint address);
    }
}
