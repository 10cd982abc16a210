using Router;

namespace Router.Tests.Support;

/// <summary>Runs the packet loop the way a board does while it has work pending (RunOnce returns 0): until a sliced flash save or hash is done.</summary>
public static class LoopRuns
{
    /// <summary>RunOnce until it says the loop may wait (nothing pending), at most <paramref name="limit"/> ticks. Returns the ticks run.</summary>
    public static int RunUntilIdle(this RouterFirmware firmware, int limit = 1000)
    {
        int ticks = 0;
        while (ticks < limit)
        {
            ticks++;
            if (firmware.RunOnce() > 0) break;
        }
        return ticks;
    }
}
