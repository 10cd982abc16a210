using Router;

namespace Router.Tests.Security;

/// <summary>
/// Reads a data-plane counter by its status-page name, so these tests also compile against firmware that lacks the
/// counter (they were run against main's code before the guard existed, where they fail: a missing counter reads -1).
/// </summary>
internal static class NamedCounters
{
    public static long Read(Counters counters, string name)
    {
        for (int i = 0; i < Counters.Count; i++)
        {
            if (Counters.Name(i) == name) return counters[i];
        }
        return -1;
    }
}
