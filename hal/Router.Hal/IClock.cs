namespace Router.Hal
{
    /// <summary>A monotonic millisecond clock that starts near zero at boot and never goes backwards.</summary>
    public interface IClock
    {
        long NowMilliseconds { get; }
    }
}
