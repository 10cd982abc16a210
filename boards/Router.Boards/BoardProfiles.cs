namespace Router.Boards
{
    /// <summary>The boards the firmware is sized for. Every capacity of the data plane is fixed here.</summary>
    public static class BoardProfiles
    {
        /// <summary>ESP32 with an Ethernet PHY (Olimex ESP32-POE, WT32-ETH01): about 100 KB of managed heap, so 64 KB for tables.</summary>
        public static BoardProfile Esp32Ethernet()
        {
            Capacities c = new Capacities();
            c.Connections = 512;
            c.NatMappings = 512;
            c.ArpEntries = 32;
            c.ArpPending = 4;
            c.Fragments = 8;
            c.Expectations = 16;
            c.HelperConnections = 4;
            c.PortForwards = 32;
            c.PortTriggers = 16;
            c.DhcpLeases = 32;
            c.DhcpReservations = 8;
            c.TcpConnections = 2; // the web UI's slots: what the 64 KB table budget leaves (see docs/tcp.md)
            c.TcpBacklog = 2;
            c.TcpReceiveBytes = 1024; // a 1 KB window: requests are small; responses go out 1460 bytes per round trip
            c.TcpSendBytes = 1460;
            c.RamBudgetBytes = 64 * 1024;
            return new BoardProfile("esp32-eth", "ESP32 + LAN8720 Ethernet (Olimex ESP32-POE class)", c, 4096, 2);
        }

        /// <summary>STM32F769I-Discovery: 512 KB SRAM plus SDRAM.</summary>
        public static BoardProfile Stm32F7Discovery()
        {
            Capacities c = new Capacities();
            c.Connections = 2048;
            c.NatMappings = 2048;
            c.ArpEntries = 64;
            c.ArpPending = 8;
            c.Fragments = 16;
            c.Expectations = 32;
            c.HelperConnections = 8;
            c.PortForwards = 64;
            c.PortTriggers = 32;
            c.DhcpLeases = 128;
            c.DhcpReservations = 32;
            c.TcpConnections = 8;
            c.TcpBacklog = 4;
            c.TcpReceiveBytes = 2048;
            c.TcpSendBytes = 4096;
            c.RamBudgetBytes = 256 * 1024;
            return new BoardProfile("stm32f7-disco", "STM32F769I-Discovery", c, 32768, 2);
        }

        /// <summary>Wilderness Labs Meadow F7v2 (STM32F7 with 32 MB SDRAM), on the Meadow / full .NET path.</summary>
        public static BoardProfile MeadowF7v2()
        {
            Capacities c = new Capacities();
            c.Connections = 4096;
            c.NatMappings = 4096;
            c.ArpEntries = 128;
            c.ArpPending = 16;
            c.Fragments = 32;
            c.Expectations = 64;
            c.HelperConnections = 16;
            c.PortForwards = 64;
            c.PortTriggers = 32;
            c.DhcpLeases = 253;
            c.DhcpReservations = 64;
            c.TcpConnections = 8;
            c.TcpBacklog = 4;
            c.TcpReceiveBytes = 2048;
            c.TcpSendBytes = 4096;
            c.RamBudgetBytes = 1024 * 1024;
            // Four sectors: two per slot, since 64 forwards and 32 triggers with long names plus 64 DHCP reservations need up to 5.5 KB.
            return new BoardProfile("meadow-f7v2", "Wilderness Labs Meadow F7v2 Feather", c, 4096, 4);
        }

        /// <summary>The desktop emulator: large tables for load tests and benchmarks.</summary>
        public static BoardProfile Desktop()
        {
            Capacities c = new Capacities();
            c.Connections = 16384;
            c.NatMappings = 16384;
            c.ArpEntries = 256;
            c.ArpPending = 64;
            c.Fragments = 64;
            c.Expectations = 128;
            c.HelperConnections = 64;
            c.PortForwards = 128;
            c.PortTriggers = 64;
            c.DhcpLeases = 512;
            c.DhcpReservations = 128;
            c.TcpConnections = 16;
            c.TcpBacklog = 8;
            c.TcpReceiveBytes = 8192;
            c.TcpSendBytes = 16384;
            c.RamBudgetBytes = 16 * 1024 * 1024;
            // Six sectors: three per slot, since 128 forwards and 64 triggers with long names plus 128 DHCP reservations need up to 10.7 KB.
            return new BoardProfile("desktop", "Desktop emulator", c, 4096, 6);
        }

        public static string[] Names
        {
            get { return new string[] { "esp32-eth", "stm32f7-disco", "meadow-f7v2", "desktop" }; }
        }

        /// <summary>The profile with this name, or null.</summary>
        public static BoardProfile ByName(string name)
        {
            switch (name)
            {
                case "esp32-eth": return Esp32Ethernet();
                case "stm32f7-disco": return Stm32F7Discovery();
                case "meadow-f7v2": return MeadowF7v2();
                case "desktop": return Desktop();
                default: return null;
            }
        }
    }
}
