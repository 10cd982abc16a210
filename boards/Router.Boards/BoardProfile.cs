namespace Router.Boards
{
    /// <summary>
    /// A board the router runs on: its name, the capacities of every table, its config flash, and its managed heap with
    /// the source of that figure.
    /// </summary>
    public sealed class BoardProfile
    {
        public readonly string Name;
        public readonly string Description;
        public readonly Capacities Capacities;
        /// <summary>Erase-sector size of the flash region that holds the configuration.</summary>
        public readonly int FlashSectorSize;
        /// <summary>Sectors set aside for the configuration (two slots).</summary>
        public readonly int ConfigSectors;
        /// <summary>The runtime's managed heap on this board, in bytes (everything managed lives there).</summary>
        public readonly int ManagedHeapBytes;
        /// <summary>Where <see cref="ManagedHeapBytes"/> comes from (a source read, or a stated assumption).</summary>
        public readonly string HeapSource;
        /// <summary>
        /// W5500 SPI Ethernet chips (MACRAW) whose managed drivers the firmware runs, one per router port: two on every
        /// board, since a board's built-in Ethernet gives managed code no frames; none on the desktop emulator, whose
        /// ports are TAPs or virtual wires unless asked otherwise. The drivers live on the managed heap (docs/memory.md).
        /// </summary>
        public int W5500Ports = 2;
        /// <summary>The two W5500s' pins on a board wired for them, else null.</summary>
        public W5500Wiring Wiring;

        public BoardProfile(string name, string description, Capacities capacities, int flashSectorSize, int configSectors, int managedHeapBytes, string heapSource)
        {
            Name = name;
            Description = description;
            Capacities = capacities;
            FlashSectorSize = flashSectorSize;
            ConfigSectors = configSectors;
            ManagedHeapBytes = managedHeapBytes;
            HeapSource = heapSource;
        }

        /// <summary>
        /// What the firmware's own live objects may take: 80 % of the managed heap. The other 20 % (20 KB of an ESP32's
        /// 100 KB) is left to the runtime's own heap objects (each assembly's RAM block of metadata cross-references, stack
        /// frames, threads), the drivers' transient use (socket, SPI and flash buffers) and GC headroom, so a
        /// collection always finds room without compacting.
        /// </summary>
        public int FirmwareBudgetBytes
        {
            get { return (int)(ManagedHeapBytes * 4L / 5); }
        }
    }
}
