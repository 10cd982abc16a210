namespace Router.Config
{
    /// <summary>What the FTP helper (ALG) is configured with; the helper reads these when the configuration is applied.</summary>
    public sealed class FtpHelperSettings
    {
        public const int MaxControlPorts = 4;

        public bool Enabled = true;
        /// <summary>TCP ports whose connections are inspected as FTP control connections, [0..ControlPortCount).</summary>
        public readonly int[] ControlPorts = new int[MaxControlPorts];
        public int ControlPortCount;
        /// <summary>How long an expected data connection waits to be opened.</summary>
        public int ExpectationTimeoutSeconds = 60;

        public FtpHelperSettings()
        {
            ControlPorts[0] = 21;
            ControlPortCount = 1;
        }

        public void CopyFrom(FtpHelperSettings other)
        {
            Enabled = other.Enabled;
            ControlPortCount = other.ControlPortCount;
            for (int i = 0; i < MaxControlPorts; i++) ControlPorts[i] = other.ControlPorts[i];
            ExpectationTimeoutSeconds = other.ExpectationTimeoutSeconds;
        }
    }
}
