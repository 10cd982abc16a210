namespace Router.Drivers.W5500
{
    /// <summary>The outcome of <see cref="W5500Driver.Start"/> (and of each recovery).</summary>
    public enum W5500BringUp
    {
        Ok = 0,
        /// <summary>VERSIONR read 0xFF or 0x00 (MISO pulled up or down): no chip answers on this chip select.</summary>
        NoChip = 1,
        /// <summary>VERSIONR read something other than 0x04: not a W5500, or a corrupt bus.</summary>
        WrongVersion = 2,
        /// <summary>MR.RST did not self-clear after a software reset, or RTR did not read its reset value 0x07D0.</summary>
        ResetFailed = 3,
        /// <summary>Sn_CR did not clear after OPEN.</summary>
        CommandTimeout = 4,
        /// <summary>Socket 0 did not reach SOCK_MACRAW (Sn_SR 0x42) after OPEN, or its free TX space was not the whole buffer.</summary>
        SocketNotOpen = 5,
    }
}
