namespace Router.Boards
{
    /// <summary>The boards the firmware is sized for. Every capacity of the data plane is fixed here.</summary>
    public static class BoardProfiles
    {
        /// <summary>nanoCLR on an ESP32 without PSRAM: the heap is decided at boot (see <see cref="Esp32Ethernet"/>).</summary>
        public const string Esp32HeapSource =
            "nanoCLR ESP32 image without PSRAM: free internal RAM minus the 100 KB ESP-IDF reserve, capped at the largest free block, " +
            "decided at boot (nf-interpreter targets/ESP32/_nanoCLR/Memory.cpp); reported ~64 KB (2019) and ~111 KB (2020); plan for ~100 KB";

        /// <summary>
        /// ESP32 with an Ethernet PHY and no PSRAM (Olimex ESP32-POE, WT32-ETH01): about 100 KB of managed heap for
        /// everything, so at most 80 KB of firmware objects. Sized down to fit that (docs/memory.md says what it costs).
        /// </summary>
        public static BoardProfile Esp32Ethernet()
        {
            Capacities c = new Capacities();
            c.Connections = 128;
            c.NatMappings = 128;
            c.ArpEntries = 16;
            c.ArpPending = 1;
            c.Fragments = 4;
            c.Expectations = 4;
            c.HelperConnections = 4; // FTP sessions at once, 206 B each (nanoCLR model): more do not fit the 80 KB budget
            c.PortForwards = 8;
            c.PortTriggers = 4;
            c.DhcpLeases = 16;
            c.DhcpReservations = 4;
            c.HttpBufferBytes = 6144; // the status page with its graphs still fits; 8 KB does not fit the heap
            c.TcpConnections = 1; // one web connection at a time: two do not fit the 80 KB (nanoCLR heap: docs/memory.md)
            c.TcpBacklog = 1;
            c.TcpReceiveBytes = 1024; // a 1 KB window: requests are small; responses go out 1 KB per round trip
            c.TcpSendBytes = 1024;
            return new BoardProfile("esp32-eth", "ESP32 + LAN8720 Ethernet (Olimex ESP32-POE class)", c, 4096, 2, 100 * 1024, Esp32HeapSource);
        }

        /// <summary>
        /// ESP32 DevKitC-class (ESP32-WROOM-32, no PSRAM) with two W5500 modules on one SPI bus: the sizes of
        /// <see cref="Esp32Ethernet"/> (same heap), the frames from the W5500s in MACRAW mode.
        /// </summary>
        public static BoardProfile Esp32W5500()
        {
            BoardProfile p = Esp32Ethernet();
            BoardProfile board = new BoardProfile("esp32-w5500", "ESP32 DevKitC + 2 x W5500 (SPI)", p.Capacities, p.FlashSectorSize, p.ConfigSectors, p.ManagedHeapBytes, p.HeapSource);
            // VSPI's default pins routed to bus 1; INT on the input-only GPIO34/35 (the W5500 drives INTn), RST on 25/26.
            board.Wiring = new W5500Wiring(1, 18, 23, 19, 20000000, 5, 34, 25, 4, 35, 26,
                new string[] { "GPIO18", "GPIO23", "GPIO19", "GPIO5", "GPIO34", "GPIO25", "GPIO4", "GPIO35", "GPIO26" });
            return board;
        }

        /// <summary>The sizes of a board with megabytes of managed heap (PSRAM or SDRAM); the connection table scales with it.</summary>
        private static Capacities MegabyteBoard(int connections)
        {
            Capacities c = new Capacities();
            c.Connections = connections;
            c.NatMappings = connections;
            c.ArpEntries = 64;
            c.ArpPending = 8;
            c.Fragments = 16;
            c.Expectations = 32;
            c.HelperConnections = 32; // FTP sessions at once, 206 B each (nanoCLR model): slots come back on close (issue 16)
            c.PortForwards = 64;
            c.PortTriggers = 32;
            c.DhcpLeases = 128;
            c.DhcpReservations = 32;
            c.TcpConnections = 8;
            c.TcpBacklog = 4;
            c.TcpReceiveBytes = 2048;
            c.TcpSendBytes = 4096;
            return c;
        }

        /// <summary>ESP32-WROVER with 4 MB of PSRAM and an Ethernet PHY (Olimex ESP32-POE-ISO-WROVER class): about 3.5 MB of managed heap.</summary>
        public static BoardProfile Esp32EthernetPsram()
        {
            Capacities c = MegabyteBoard(4096);
            // Four sectors: two per slot, since 64 forwards and 32 triggers with long names plus 32 reservations need up to 5.3 KB.
            return new BoardProfile("esp32-eth-psram", "ESP32-WROVER (4 MB PSRAM) + LAN8720 Ethernet (Olimex ESP32-POE-ISO-WROVER class)", c, 4096, 4,
                3584 * 1024,
                "nanoCLR ESP32 PSRAM image: largest free SPIRAM block minus the 256 KiB ESP-IDF reserve (ESP32_PSRAM_REV3 / ESP_WROVER_KIT " +
                "defconfigs, targets/ESP32/_nanoCLR/Memory.cpp); ~3.5-3.8 MB with 4 MB of PSRAM (estimate from the source, not measured); 3.5 MB assumed");
        }

        /// <summary>STM32F769I-Discovery: 512 KB SRAM plus 16 MB SDRAM, of which nanoCLR's managed heap takes 13 MiB.</summary>
        public static BoardProfile Stm32F7Discovery()
        {
            Capacities c = MegabyteBoard(2048);
            BoardProfile board = new BoardProfile("stm32f7-disco", "STM32F769I-Discovery", c, 32768, 2, 13631488,
                "nanoCLR ChibiOS image: the managed heap fills the 13,631,488-byte ext_ram region in SDRAM " +
                "(nf-interpreter targets/ChibiOS/ST_STM32F769I_DISCOVERY/nanoCLR/STM32F76xx_CLR.ld)");
            // Two W5500s on the Arduino header's SPI2 (D13 PA12, D11 PB15, D12 PB14); CS D10/D9, INT D8/D7, RST D6/D5.
            board.Wiring = new W5500Wiring(2, 12, 31, 30, 20000000, 11, 148, 87, 118, 147, 40,
                new string[] { "PA12 (D13)", "PB15 (D11)", "PB14 (D12)", "PA11 (D10)", "PJ4 (D8)", "PF7 (D6)", "PH6 (D9)", "PJ3 (D7)", "PC8 (D5)" });
            return board;
        }

        /// <summary>Wilderness Labs Meadow F7v2 (STM32F7 with 32 MB SDRAM), on the Meadow (Mono) path; its heap figure is an assumption.</summary>
        public static BoardProfile MeadowF7v2()
        {
            Capacities c = new Capacities();
            c.Connections = 4096;
            c.NatMappings = 4096;
            c.ArpEntries = 128;
            c.ArpPending = 16;
            c.Fragments = 32;
            c.Expectations = 64;
            c.HelperConnections = 32; // FTP sessions at once, 206 B each (nanoCLR model)
            c.PortForwards = 64;
            c.PortTriggers = 32;
            c.DhcpLeases = 253;
            c.DhcpReservations = 64;
            c.TcpConnections = 8;
            c.TcpBacklog = 4;
            c.TcpReceiveBytes = 2048;
            c.TcpSendBytes = 4096;
            // Four sectors: two per slot, since 64 forwards and 32 triggers with long names plus 64 DHCP reservations need up to 5.5 KB.
            return new BoardProfile("meadow-f7v2", "Wilderness Labs Meadow F7v2 Feather", c, 4096, 4, 16 * 1024 * 1024,
                "assumption, no sourced figure found: the board has 32 MB of SDRAM shared by Meadow OS and its Mono runtime; " +
                "16 MB assumed for the managed heap. Meadow runs Mono, not nanoCLR: the nanoCLR model stands in for it (Mono packs fields, so the model overstates)");
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
            // Eight sectors: four per slot, since 128 forwards with pools and 64 triggers with long names plus 128 DHCP reservations need up to 12.4 KB.
            BoardProfile desktop = new BoardProfile("desktop", "Desktop emulator", c, 4096, 8, 16 * 1024 * 1024,
                "no nanoCLR heap: the emulator runs on CoreCLR; 16 MB is a bound that keeps the model figure of its large tables in check");
            desktop.W5500Ports = 0; // TAPs or virtual wires; --nic w5500 runs the drivers over the chip model
            return desktop;
        }

        public static string[] Names
        {
            get { return new string[] { "esp32-eth", "esp32-eth-psram", "stm32f7-disco", "meadow-f7v2", "desktop" }; }
        }

        /// <summary>The profile with this name, or null.</summary>
        public static BoardProfile ByName(string name)
        {
            switch (name)
            {
                case "esp32-eth": return Esp32Ethernet();
                case "esp32-eth-psram": return Esp32EthernetPsram();
                case "stm32f7-disco": return Stm32F7Discovery();
                case "meadow-f7v2": return MeadowF7v2();
                case "desktop": return Desktop();
                default: return null;
            }
        }
    }
}
