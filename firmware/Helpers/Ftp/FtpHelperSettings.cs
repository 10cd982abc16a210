using Router.Nat;

namespace Router.Helpers.Ftp
{
    /// <summary>
    /// The FTP helper's configuration: on/off, the control ports it attaches to, and how long an expectation waits.
    /// Changes apply at run time (new control connections see the new ports; a running one keeps its sequence adjustment).
    /// </summary>
    public sealed class FtpHelperSettings : IExpectationPolicy
    {
        public const int DefaultControlPort = 21;
        public const int DefaultExpectationTimeoutSeconds = 60;
        public const int MaxControlPorts = 8;
        /// <summary>netfilter's FTP helper policy: max_expected = 1 per control connection.</summary>
        public const int DefaultMaxExpectedPerControl = 1;

        private readonly int[] _controlPorts = new int[MaxControlPorts];
        private int _controlPortCount;

        public bool Enabled = true;
        public int ExpectationTimeoutSeconds = DefaultExpectationTimeoutSeconds;
        /// <summary>Pending expectations one control connection may hold; a newer one evicts its oldest (netfilter's max_expected).</summary>
        public int MaxExpectedPerControl = DefaultMaxExpectedPerControl;

        public FtpHelperSettings()
        {
            AddControlPort(DefaultControlPort);
        }

        /// <summary>Where expectation events are counted (the helper's counters); set by the helper.</summary>
        public FtpCounters Counters;

        int IExpectationPolicy.ExpectationTimeoutSeconds { get { return ExpectationTimeoutSeconds; } }
        int IExpectationPolicy.MaxExpectedPerMaster { get { return MaxExpectedPerControl; } }

        void IExpectationPolicy.Count(ExpectationEvent e)
        {
            if (Counters != null) Counters.Record(e);
        }

        public int ControlPortCount { get { return _controlPortCount; } }
        public int ControlPort(int index) { return _controlPorts[index]; }

        public bool IsControlPort(int port)
        {
            for (int i = 0; i < _controlPortCount; i++)
            {
                if (_controlPorts[i] == port) return true;
            }
            return false;
        }

        /// <summary>Adds a control port (2121 for a server on a non-standard port). False when invalid or the list is full.</summary>
        public bool AddControlPort(int port)
        {
            if (port < 1 || port > 65535) return false;
            if (IsControlPort(port)) return true;
            if (_controlPortCount == MaxControlPorts) return false;
            _controlPorts[_controlPortCount++] = port;
            return true;
        }

        public bool RemoveControlPort(int port)
        {
            for (int i = 0; i < _controlPortCount; i++)
            {
                if (_controlPorts[i] != port) continue;
                _controlPorts[i] = _controlPorts[--_controlPortCount];
                return true;
            }
            return false;
        }

        public void ClearControlPorts() { _controlPortCount = 0; }

        public void CopyFrom(FtpHelperSettings other)
        {
            Enabled = other.Enabled;
            ExpectationTimeoutSeconds = other.ExpectationTimeoutSeconds;
            MaxExpectedPerControl = other.MaxExpectedPerControl;
            _controlPortCount = other._controlPortCount;
            System.Array.Copy(other._controlPorts, _controlPorts, MaxControlPorts);
        }
    }
}
