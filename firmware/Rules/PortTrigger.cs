namespace Router.Rules
{
    /// <summary>
    /// A port trigger: when a LAN host opens an outbound connection to a trigger port, inbound connections to the
    /// open ports go to that host (same port number) until the trigger has been idle for <see cref="IdleTimeoutSeconds"/>.
    /// Plain data; <see cref="PortTriggerTable"/> runs it.
    /// </summary>
    public sealed class PortTrigger
    {
        public string Name = "";
        public bool Enabled = true;
        public int TriggerProtocol = RuleProtocol.Tcp;
        public int TriggerPort;
        public int TriggerPortEnd;
        public int OpenProtocol = RuleProtocol.Tcp;
        public int OpenPort;
        public int OpenPortEnd;
        public int IdleTimeoutSeconds = 600;

        public bool IsTriggeredBy(int ipProtocol, int destinationPort)
        {
            return RuleProtocol.Covers(TriggerProtocol, ipProtocol) && destinationPort >= TriggerPort && destinationPort <= TriggerPortEnd;
        }

        public bool Opens(int ipProtocol, int externalPort)
        {
            return RuleProtocol.Covers(OpenProtocol, ipProtocol) && externalPort >= OpenPort && externalPort <= OpenPortEnd;
        }

        public bool SameTraffic(PortTrigger other)
        {
            return Enabled == other.Enabled && TriggerProtocol == other.TriggerProtocol && TriggerPort == other.TriggerPort
                && TriggerPortEnd == other.TriggerPortEnd && OpenProtocol == other.OpenProtocol && OpenPort == other.OpenPort
                && OpenPortEnd == other.OpenPortEnd && IdleTimeoutSeconds == other.IdleTimeoutSeconds;
        }

        public void CopyFrom(PortTrigger other)
        {
            Name = other.Name;
            Enabled = other.Enabled;
            TriggerProtocol = other.TriggerProtocol;
            TriggerPort = other.TriggerPort;
            TriggerPortEnd = other.TriggerPortEnd;
            OpenProtocol = other.OpenProtocol;
            OpenPort = other.OpenPort;
            OpenPortEnd = other.OpenPortEnd;
            IdleTimeoutSeconds = other.IdleTimeoutSeconds;
        }
    }
}
